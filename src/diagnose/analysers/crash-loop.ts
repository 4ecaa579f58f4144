import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { eventMessage, eventsFor, eventText, nameOf, objectOf, qualifiedName, uniq } from "../util/objects.ts";
import { containerStatuses } from "../util/pods.ts";

/**
 * Containers in CrashLoopBackOff, explained by the last termination's exit code (and
 * reason OOMKilled), plus failing liveness probes from the events.
 */
type Remedy = keyof typeof REMEDIES.CrashLoop;

export function explainExit(code: number | undefined, reason: string | undefined): { text: string; remedy: Remedy } {
  if (reason === "OOMKilled") return { text: "OOMKilled: the container exceeded its memory limit", remedy: "oom" };
  switch (code) {
    case undefined:
      return { text: "no exit code recorded yet", remedy: "app" };
    case 0:
      return {
        text: "exit code 0: the process finished, but a long-running container is expected (wrong command or start parameters)",
        remedy: "app",
      };
    case 1:
      return {
        text: "exit code 1: application error (bad configuration or start parameters; see its logs)",
        remedy: "app",
      };
    case 2:
      return { text: "exit code 2: misuse of the command line (bad arguments or shell syntax)", remedy: "app" };
    case 126:
      return {
        text: "exit code 126: the entrypoint is not executable (permissions or wrong file)",
        remedy: "notExecutable",
      };
    case 127:
      return {
        text: "exit code 127: binary or shared library missing (e.g. an Alpine/musl image lacking glibc, or a wrong command path)",
        remedy: "missingBinary",
      };
    case 134:
      return {
        text: "exit code 134: SIGABRT, the process aborted (failed assertion, libc mismatch)",
        remedy: "segfault",
      };
    case 137:
      return {
        text: "exit code 137: SIGKILL (OOM kill or killed after a failed liveness probe / grace period)",
        remedy: "oom",
      };
    case 139:
      return {
        text: "exit code 139: segmentation fault (SIGSEGV), often a libc or architecture mismatch in the image",
        remedy: "segfault",
      };
    case 143:
      return {
        text: "exit code 143: SIGTERM, the container was asked to stop (liveness probe, eviction, or it does not handle TERM)",
        remedy: "signal",
      };
    default:
      return code > 128
        ? { text: `exit code ${code}: killed by signal ${code - 128}`, remedy: "signal" }
        : { text: `exit code ${code}: application error (see its logs)`, remedy: "app" };
  }
}

export const crashLoopAnalyser: Analyser = {
  codes: ["CrashLoop"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      for (const c of containerStatuses(pod)) {
        const waiting = c.state?.waiting;
        if (waiting?.reason !== "CrashLoopBackOff") continue;
        const last = c.lastState?.terminated ?? c.state?.terminated;
        const why = explainExit(last?.exitCode, last?.reason);
        const ref = { kind: "Pod", name: nameOf(pod), namespace: pod.metadata.namespace };
        const events = eventsFor(snapshot, ref, ["BackOff", "Unhealthy", "Killing"]).filter(
          (e) => eventMessage(e).includes(c.name) || e.reason === "Unhealthy",
        );
        const liveness = events.some((e) => e.reason === "Unhealthy" && /Liveness probe failed/.test(eventMessage(e)));
        const probeNote =
          liveness && (last?.exitCode === 137 || last?.exitCode === 143) && last?.reason !== "OOMKilled"
            ? "; the liveness probe is failing, so kubelet kills it"
            : "";
        findings.push({
          code: "CrashLoop",
          severity: "critical",
          object: objectOf(pod),
          message: `pod ${qualifiedName(pod)} container ${c.name} is crash-looping (${c.restartCount ?? 0} restarts): ${why.text}${probeNote}`,
          evidence: uniq([
            `${c.name}: waiting CrashLoopBackOff${waiting.message ? `: ${waiting.message}` : ""}`,
            ...(last
              ? [
                  `${c.name}: last terminated exitCode=${last.exitCode ?? "?"} reason=${last.reason ?? "?"}${last.message ? ` message=${last.message}` : ""}`,
                ]
              : []),
            ...events.map(eventText),
          ]),
          remedy:
            REMEDIES.CrashLoop[
              liveness && why.remedy === "oom" && last?.reason !== "OOMKilled" ? "signal" : why.remedy
            ],
        });
      }
    }
    return findings;
  },
};
