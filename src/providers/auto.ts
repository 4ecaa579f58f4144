import { NotApplicableError } from "../errors.ts";
import type { Logger } from "../util/log.ts";
import { redact } from "../util/redact.ts";
import type { ClusterProvider } from "./provider.ts";

interface ProviderChoice {
  provider: ClusterProvider;
  /** Every provider asked, in order, up to and including the one chosen. */
  considered: { name: string; ok: boolean; reason?: string }[];
}

/**
 * Asks each candidate in order whether it can work here; the first that can wins.
 * A check that throws counts as "not applicable" with the error as its reason.
 * When none works, one NotApplicableError lists every candidate's reason.
 */
export async function chooseProvider(candidates: ClusterProvider[], log: Logger): Promise<ProviderChoice> {
  const considered: ProviderChoice["considered"] = [];
  for (const provider of candidates) {
    let verdict;
    try {
      verdict = await provider.applicable();
    } catch (err) {
      verdict = {
        ok: false as const,
        reason: `applicability check failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    if (verdict.ok) {
      considered.push({ name: provider.name, ok: true });
      log.info(`using the ${provider.name} provider${verdict.detail ? ` (${redact(verdict.detail)})` : ""}`, {
        provider: provider.name,
      });
      return { provider, considered };
    }
    const reason = redact(verdict.reason);
    considered.push({ name: provider.name, ok: false, reason });
    log.debug(`provider ${provider.name} is not applicable: ${reason}`, { provider: provider.name });
  }
  if (candidates.length === 0)
    throw new NotApplicableError("no cluster provider to choose from (the candidate list is empty)");
  const lines = considered.map((c) => `  - ${c.name}: ${c.reason ?? "not applicable"}`);
  throw new NotApplicableError(`none of the ${candidates.length} cluster providers works here:\n${lines.join("\n")}`);
}
