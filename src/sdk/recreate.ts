import { KubedrillError, TimeoutError } from "../errors.ts";
import { ApiError } from "../k8s/rest.ts";
import type { KObject } from "../k8s/types.ts";
import { pollUntil } from "../util/poll.ts";
import { clone, describeObject, refOf } from "./objects.ts";
import type { StepContext } from "./types.ts";

/** How long a recreate waits for the old object to be gone (finalizers, graceful deletion). */
export const RECREATE_WAIT_MS = 60_000;
export const RECREATE_POLL_MS = 250;

/**
 * What the API server says when an update changes a field that cannot change
 * (apimachinery's "field is immutable", a claim's "spec is immutable after creation", a
 * Service's clusterIP "may not change once set", a StatefulSet's "updates to statefulset
 * spec for fields other than ... are forbidden").
 */
const IMMUTABLE = [/\bimmutable\b/i, /may not change once set/i, /updates to statefulset spec for fields other than/i];

/**
 * Whether an error is the API server refusing an in-place update because a field is
 * immutable: 422 Invalid (or 403 Forbidden from an admission policy) with such a message.
 * Any other refusal (a 422 for a bad value, a conflict, RBAC) is not.
 */
export function isImmutableRefusal(err: unknown): err is ApiError {
  if (!(err instanceof ApiError)) return false;
  const refused = (err.statusCode === 422 && err.reason === "Invalid") || err.statusCode === 403;
  return refused && IMMUTABLE.some((re) => re.test(err.message));
}

const SERVER_SET = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
];
/** Written by the PV controller when it binds a claim; a new claim must be bound anew. */
const PVC_BIND_ANNOTATIONS = ["pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller"];
const JOB_UID_LABELS = ["controller-uid", "batch.kubernetes.io/controller-uid"];

/**
 * The recorded object as it can be created again: without what the server sets
 * (uid, resourceVersion, timestamps, managedFields, status), a Service without its
 * allocated clusterIP(s), a claim without its binding, a Job without its generated selector.
 */
export function recreatable(obj: KObject): KObject {
  const copy = clone(obj);
  for (const k of SERVER_SET) delete copy.metadata[k];
  delete copy.status;
  const spec = copy.spec as Record<string, unknown> | undefined;
  if (copy.kind === "Service" && spec && spec.type !== "ExternalName") {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
  if (copy.kind === "PersistentVolumeClaim" && spec) {
    delete spec.volumeName;
    for (const a of PVC_BIND_ANNOTATIONS) delete copy.metadata.annotations?.[a];
  }
  if (copy.kind === "Job" && spec && !spec.manualSelector) {
    delete spec.selector;
    const labels = copy.spec.template?.metadata?.labels as Record<string, string> | undefined;
    for (const l of JOB_UID_LABELS) delete labels?.[l];
  }
  return copy;
}

export type RecreateContext = Pick<StepContext, "kube" | "clock" | "log" | "note" | "signal">;

/**
 * Puts back `recorded` by deleting the live object, waiting (polling get() on the
 * injected clock, up to `waitMs`) until no object of the live one's uid is left, and
 * creating the recorded object again (recreatable()). Reported on the timeline as
 * "recreated". A failure names what is left behind and what to do about it; when the
 * object was deleted but not created again, the recorded copy is logged (warn) as JSON.
 */
export async function recreate(
  ctx: RecreateContext,
  recorded: KObject,
  live: KObject,
  why: string,
  opts: { waitMs?: number; pollMs?: number } = {},
): Promise<void> {
  const what = describeObject(recorded);
  const ref = refOf(recorded);
  const waitMs = opts.waitMs ?? RECREATE_WAIT_MS;
  const copy = recreatable(recorded);
  const start = ctx.clock.now();
  try {
    await ctx.kube.delete(ref);
  } catch (err) {
    throw new KubedrillError(
      `${what} is left as the run changed it: restoring it in place was refused (${why}) and deleting it to recreate it failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const logCopy = () => ctx.log.warn(`recorded ${what}, to create by hand once it is gone: ${JSON.stringify(copy)}`);
  try {
    await pollUntil(
      async () => {
        const now = await ctx.kube.get(ref);
        return now === undefined || now.metadata.uid !== live.metadata.uid;
      },
      {
        what: `${what} gone`,
        timeoutMs: waitMs,
        intervalMs: opts.pollMs ?? RECREATE_POLL_MS,
        clock: ctx.clock,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
    );
  } catch (err) {
    logCopy();
    const finalizers = live.metadata.finalizers as string[] | undefined;
    const held = err instanceof TimeoutError && finalizers?.length ? ` (finalizers: ${finalizers.join(", ")})` : "";
    throw new KubedrillError(
      `${what} was deleted to recreate it but is not gone${held}: ${(err as Error).message}; its recorded state was not created again (logged above)`,
      { cause: err },
    );
  }
  try {
    await ctx.kube.create(copy);
  } catch (err) {
    logCopy();
    throw new KubedrillError(
      `${what} was deleted to recreate it, but creating its recorded state failed: ${(err as Error).message} (the recorded object is logged above)`,
      { cause: err },
    );
  }
  const message = `recreated ${what}: restoring it in place was refused (${why}); deleted it, it was gone after ${ctx.clock.now() - start}ms, created it as recorded`;
  if (ctx.note) ctx.note(message);
  else ctx.log.info(message);
}

/** The refusal's first line, without the request and status prefix, for messages. */
export function refusalReason(err: ApiError): string {
  const first = err.message.split("\n")[0]!;
  const status = `(${err.statusCode}): `;
  const at = first.indexOf(status);
  const text = at >= 0 ? first.slice(at + status.length) : first;
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
