import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { objectOf, qualifiedName } from "../util/objects.ts";
import { containerStatuses } from "../util/pods.ts";

/**
 * A container that is Running again after being OOMKilled (lastState.terminated.reason
 * OOMKilled): it exceeds its memory limit and restarts, so requests fail every time. Not
 * yet in CrashLoopBackOff (that is CrashLoop). Warning from 3 restarts, info below.
 */
const OFTEN = 3;

function limitOf(containers: unknown, name: string): string | undefined {
  const c = (containers as { name?: string; resources?: { limits?: { memory?: string } } }[] | undefined)?.find(
    (x) => x.name === name,
  );
  return c?.resources?.limits?.memory;
}

export const oomRestartsAnalyser: Analyser = {
  codes: ["OOMKilled"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      for (const c of containerStatuses(pod)) {
        const last = c.lastState?.terminated;
        if (last?.reason !== "OOMKilled" || !(c.state as { running?: unknown } | undefined)?.running) continue;
        const restarts = c.restartCount ?? 0;
        const limit = limitOf(pod.spec?.containers, c.name);
        findings.push({
          code: "OOMKilled",
          severity: restarts >= OFTEN ? "warning" : "info",
          object: objectOf(pod),
          message: `pod ${qualifiedName(pod)} container ${c.name} is running again after being OOMKilled (exceeded its memory limit${limit ? ` ${limit}` : ""}); ${restarts} restart(s) so far`,
          evidence: [
            `${c.name}: running, restartCount=${restarts}, last terminated exitCode=${last.exitCode ?? "?"} reason=OOMKilled`,
          ],
          remedy: REMEDIES.OOMKilled,
        });
      }
    }
    return findings;
  },
};
