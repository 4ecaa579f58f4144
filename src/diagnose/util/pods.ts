import type { KObject } from "../../k8s/types.ts";
import type { ClusterSnapshot } from "../types.ts";
import { conditionOf, conditionText, eventMessage, eventsFor, eventText, nameOf, uniq } from "./objects.ts";
import { parseSchedulerMessage, type SchedulerMessage } from "./scheduler-message.ts";

/** Why the scheduler left a pod Pending: its PodScheduled condition and FailedScheduling events. */
interface SchedulingState {
  /** Parsed scheduler messages, newest (condition) first. */
  messages: SchedulerMessage[];
  /** Verbatim condition and event texts. */
  evidence: string[];
}

export function schedulingState(snapshot: ClusterSnapshot, pod: KObject): SchedulingState {
  const messages: SchedulerMessage[] = [];
  const evidence: string[] = [];
  const cond = conditionOf(pod, "PodScheduled");
  if (cond?.status === "False" && cond.reason === "Unschedulable" && cond.message) {
    const parsed = parseSchedulerMessage(cond.message);
    if (parsed) messages.push(parsed);
    evidence.push(conditionText(cond));
  }
  const ref = { kind: "Pod", name: nameOf(pod), namespace: pod.metadata.namespace };
  for (const e of eventsFor(snapshot, ref, ["FailedScheduling"])) {
    const parsed = parseSchedulerMessage(eventMessage(e));
    if (parsed) messages.push(parsed);
    evidence.push(eventText(e));
  }
  return { messages, evidence: uniq(evidence) };
}

interface ContainerStatus {
  name: string;
  image?: string;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { exitCode?: number; reason?: string; message?: string; signal?: number };
  };
  lastState?: { terminated?: { exitCode?: number; reason?: string; message?: string; signal?: number } };
}

/** Init, regular and ephemeral container statuses. */
export function containerStatuses(pod: KObject): ContainerStatus[] {
  const s = pod.status ?? {};
  return [
    ...(s.initContainerStatuses ?? []),
    ...(s.containerStatuses ?? []),
    ...(s.ephemeralContainerStatuses ?? []),
  ] as ContainerStatus[];
}
