import { TimeoutError } from "../errors.ts";
import { Params } from "../sdk/params.ts";
import type { BuildEnv, Probe, Step } from "../sdk/types.ts";
import { nothingToRevert } from "../sdk/handle.ts";
import { defineStep } from "../sdk/plugin.ts";
import { duration, ref } from "../sdk/schema-parts.ts";

const DEFAULT_WAIT_TIMEOUT_MS = 60_000;

/**
 * wait { for: [probes], timeout } — waits, on watch events, until every probe holds.
 * Fails with a TimeoutError naming what still does not hold.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const list = p.values.for;
  if (!Array.isArray(list) || list.length === 0) p.fail("for", "must be a non-empty list of probes");
  const probes: Probe[] = list.map((spec, i) => env.probe(spec, `for[${i}]`));
  const timeoutMs = p.durationMs("timeout", DEFAULT_WAIT_TIMEOUT_MS);
  return {
    kinds: probes.flatMap((pr) => pr.kinds),
    describe: () => `wait up to ${timeoutMs}ms for ${probes.map((pr) => pr.describe()).join(" and ")}`,
    async inject(ctx) {
      await ctx.view.ensure(probes.flatMap((pr) => pr.kinds));
      const start = ctx.clock.now();
      const held = await ctx.holdUntil(probes, start + timeoutMs);
      if (held.at === undefined) {
        const elapsed = ctx.clock.now() - start;
        throw new TimeoutError(
          `wait: not satisfied after ${elapsed}ms (limit ${timeoutMs}ms): ${held.failures.join("; ")}`,
          elapsed,
          timeoutMs,
        );
      }
      return nothingToRevert();
    },
  };
}

export const waitStep = defineStep({
  name: "wait",
  description: "Wait until every probe in `for` passes, failing after `timeout`.",
  scope: "none",
  params: {
    required: ["for", "timeout"],
    properties: {
      for: { type: "array", minItems: 1, description: "Probes that must all pass.", items: ref("probe") },
      timeout: duration("Give up after this long."),
    },
  },
  create,
});
