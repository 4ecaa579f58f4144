import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { eventMessage, eventsFor, eventText, nameOf, objectOf, qualifiedName, uniq } from "../util/objects.ts";
import { containerStatuses } from "../util/pods.ts";

/**
 * Containers waiting in ErrImagePull / ImagePullBackOff, with the cause read from the
 * pull error (waiting message, "Failed to pull image" events, FailedToRetrieveImagePullSecret):
 * no space on the node, registry auth, image not found, registry unreachable. Also
 * InvalidImageName (the reference cannot be parsed) and ErrImageNeverPull (pull policy
 * Never and the image is not on the node), whose cause is the reason itself.
 */
export type PullCause = "noSpace" | "auth" | "notFound" | "network" | "invalidName" | "neverPull" | "other";

/** Waiting reasons that name their cause without a pull error to read. */
const SELF_EXPLAINED: Record<string, { cause: PullCause; text: string }> = {
  InvalidImageName: { cause: "invalidName", text: "the image reference is not a valid image name" },
  ErrImageNeverPull: {
    cause: "neverPull",
    text: "imagePullPolicy is Never and the image is not present on the node",
  },
};

const RULES: { cause: PullCause; pattern: RegExp; text: string }[] = [
  { cause: "noSpace", pattern: /no space left on device/i, text: "the node's disk is full (no space left on device)" },
  {
    cause: "auth",
    pattern:
      /\b401\b|\b403\b|unauthorized|pull access denied|authorization failed|authentication required|insufficient_scope|denied: |Unable to retrieve some image pull secrets/i,
    text: "the registry refused the credentials (authentication/authorization)",
  },
  {
    cause: "notFound",
    pattern: /manifest unknown|not found|name unknown|repository does not exist/i,
    text: "the image or tag does not exist in the registry",
  },
  {
    cause: "network",
    pattern:
      /i\/o timeout|dial tcp|connection refused|no such host|TLS handshake timeout|network is unreachable|context deadline exceeded/i,
    text: "the node cannot reach the registry",
  },
];

export function classifyPullError(texts: readonly string[]): { cause: PullCause; text: string; matched?: string } {
  for (const rule of RULES) {
    const matched = texts.find((t) => rule.pattern.test(t));
    if (matched) return { cause: rule.cause, text: rule.text, matched };
  }
  return { cause: "other", text: "the image pull failed" };
}

const PULL_WAITING = ["ErrImagePull", "ImagePullBackOff", ...Object.keys(SELF_EXPLAINED)];

export const imagePullFailureAnalyser: Analyser = {
  codes: ["ImagePullFailure"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      const stuck = containerStatuses(pod).filter((c) => PULL_WAITING.includes(c.state?.waiting?.reason ?? ""));
      if (stuck.length === 0) continue;
      const ref = { kind: "Pod", name: nameOf(pod), namespace: pod.metadata.namespace };
      const events = eventsFor(snapshot, ref, [
        "Failed",
        "FailedToRetrieveImagePullSecret",
        "InspectFailed",
        "ErrImageNeverPull",
      ]).filter((e) => /pull|image/i.test(eventMessage(e)));
      for (const c of stuck) {
        const waiting = c.state?.waiting ?? {};
        const image = c.image ?? imageOf(pod, c.name);
        const relevant = events.filter(
          (e) => e.reason === "FailedToRetrieveImagePullSecret" || !image || eventMessage(e).includes(image),
        );
        const texts = [...(waiting.message ? [waiting.message] : []), ...relevant.map(eventMessage)];
        const cause = SELF_EXPLAINED[waiting.reason ?? ""] ?? classifyPullError(texts);
        const secrets = (pod.spec?.imagePullSecrets ?? []) as { name?: string }[];
        const secretNote =
          cause.cause === "auth"
            ? secrets.length
              ? ` (imagePullSecrets: ${secrets.map((s) => s.name).join(", ")})`
              : " (the pod has no imagePullSecrets)"
            : "";
        const nodeNote = cause.cause === "noSpace" && pod.spec?.nodeName ? ` on node ${String(pod.spec.nodeName)}` : "";
        const verb = cause.cause === "invalidName" ? "cannot use the image" : "cannot pull";
        findings.push({
          code: "ImagePullFailure",
          severity: "critical",
          object: objectOf(pod),
          message: `pod ${qualifiedName(pod)} container ${c.name} ${verb} ${image ?? "its image"}: ${cause.text}${nodeNote}${secretNote} [${waiting.reason}]`,
          evidence: uniq([
            `${c.name}: waiting ${waiting.reason ?? ""}${waiting.message ? `: ${waiting.message}` : ""}`,
            ...relevant.map(eventText),
          ]),
          remedy: REMEDIES.ImagePullFailure[cause.cause],
        });
      }
    }
    return findings;
  },
};

function imageOf(pod: KObject, container: string): string | undefined {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as {
    name?: string;
    image?: string;
  }[];
  return all.find((c) => c.name === container)?.image;
}
