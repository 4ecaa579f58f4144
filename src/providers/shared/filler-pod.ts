import { randomBytes } from "node:crypto";
import { ClusterError, withContext } from "../../errors.ts";
import type { Kube } from "../../k8s/kube.ts";
import { LABEL_MANAGED, LABEL_RUN_ID, MANAGED_BY, type KObject } from "../../k8s/types.ts";
import type { Clock } from "../../util/clock.ts";
import type { Logger } from "../../util/log.ts";
import { revertible, type Revertible } from "../../sdk/revertible.ts";
import { waitForObjects } from "./wait-for.ts";

/** Pinned: the filler needs only sh, df, awk, fallocate/dd and sleep. */
export const FILLER_IMAGE = "busybox:1.36.1";
const LABEL_ROLE = "kubedrill.io/role";
const FILLER_ROLE = "disk-filler";
/** Exit status of the filler when the fill would exceed its size limit. */
const EXIT_OVER_LIMIT = 3;

interface DiskFillerOptions {
  kube: Kube;
  nodeName: string;
  /** Put on the pod as kubedrill.io/run-id, so a sweep can find it. */
  runId: string;
  namespace?: string;
  image?: string;
  /** Never write more than this (default 64 GiB); the emptyDir's sizeLimit enforces it too. */
  maxBytes?: number;
  /**
   * Leave this much of the filesystem free (default 5%), which is below kubelet's
   * `nodefs.available` eviction threshold (10% in kind-config.yaml), so the kubelet
   * reports DiskPressure, taints the node and starts image GC and evictions.
   */
  targetFreePercent?: number;
  timeoutMs?: number;
  clock?: Clock;
  log?: Logger;
}

/** What a provider lets its caller set about the filler (the rest it fills in itself). */
export type FillDiskSettings = Pick<
  DiskFillerOptions,
  "namespace" | "image" | "maxBytes" | "targetFreePercent" | "timeoutMs"
>;

type DiskFiller = Revertible & { simulated: false; podName: string; namespace: string };

/**
 * Fills a node's filesystem with a bounded filler pod: it measures the filesystem that
 * holds its emptyDir (the kubelet's nodefs), allocates just enough to leave
 * `targetFreePercent` free, refuses (and fails) when that would exceed `maxBytes`,
 * then turns Ready. Deleting the pod frees the space; so does the kubelet evicting it.
 */
export async function startDiskFiller(opts: DiskFillerOptions): Promise<DiskFiller> {
  const namespace = opts.namespace ?? "default";
  const pod = fillerPodManifest({ ...opts, namespace });
  const name = pod.metadata.name!;
  const ref = { apiVersion: "v1", kind: "Pod", name, namespace };
  opts.log?.info(`filling the disk of node ${opts.nodeName} with pod ${namespace}/${name}`, { node: opts.nodeName });
  await opts.kube.create(pod);
  const remove = async () => {
    await opts.kube.delete(ref, { gracePeriodSeconds: 0 });
  };
  try {
    const outcome = await waitForObjects(
      opts.kube,
      { apiVersion: "v1", kind: "Pod" },
      { namespace, fieldSelector: `metadata.name=${name}` },
      (pods) => fillerOutcome(pods, name, opts.nodeName),
      {
        what: `disk filler pod ${namespace}/${name} on node ${opts.nodeName} done`,
        timeoutMs: opts.timeoutMs ?? 180_000,
        clock: opts.clock,
      },
    );
    opts.log?.info(`disk filler on node ${opts.nodeName}: ${outcome}`, { node: opts.nodeName });
  } catch (err) {
    await remove().catch((e: unknown) =>
      opts.log?.warn(
        `could not delete disk filler pod ${namespace}/${name}: ${e instanceof Error ? e.message : String(e)}`,
      ),
    );
    throw withContext(`filling the disk of node ${opts.nodeName}`, err);
  }
  const undo = revertible(remove, {
    clock: opts.clock,
    onRetry: (e, n, ms) =>
      opts.log?.warn(
        `deleting disk filler pod ${namespace}/${name} (attempt ${n}): ${(e as Error).message}; again in ${ms}ms`,
      ),
  });
  return Object.assign(undo, { simulated: false as const, podName: name, namespace });
}

/** "filled" / "evicted by the kubelet" when done; throws when the filler can never succeed. */
function fillerOutcome(pods: KObject[], name: string, node: string): string | undefined {
  const pod = pods.find((p) => p.metadata.name === name);
  if (!pod) return undefined;
  const status = pod.status ?? {};
  const ready = ((status.conditions ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === "Ready" && c.status === "True",
  );
  if (ready) return "filled";
  if (status.phase === "Failed" && status.reason === "Evicted")
    return `evicted by the kubelet (${status.message ?? "disk pressure"})`;
  const container = (
    (status.containerStatuses ?? []) as {
      state?: Record<string, { reason?: string; message?: string; exitCode?: number }>;
    }[]
  )[0];
  const terminated = container?.state?.terminated;
  if (terminated) {
    const why = terminated.message?.trim() || terminated.reason || `exit ${terminated.exitCode}`;
    throw new ClusterError(
      terminated.exitCode === EXIT_OVER_LIMIT ? why : `filler pod ${name} on node ${node} stopped: ${why}`,
    );
  }
  const waiting = container?.state?.waiting;
  if (
    waiting &&
    /ErrImagePull|ImagePullBackOff|InvalidImageName|CreateContainerConfigError/.test(waiting.reason ?? "")
  ) {
    throw new ClusterError(
      `filler pod ${name} on node ${node} cannot start: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}`,
    );
  }
  if (status.phase === "Failed")
    throw new ClusterError(
      `filler pod ${name} on node ${node} failed: ${status.reason ?? ""} ${status.message ?? ""}`.trim(),
    );
  return undefined;
}

export function fillerPodManifest(opts: DiskFillerOptions & { namespace: string }): KObject {
  const maxBytes = opts.maxBytes ?? 64 * 1024 ** 3;
  const nodePart = opts.nodeName
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 40)
    .replace(/-+$/, "");
  const name = `kubedrill-fill-${nodePart}-${randomBytes(3).toString("hex")}`;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: opts.namespace,
      labels: { [LABEL_RUN_ID]: opts.runId, [LABEL_MANAGED]: MANAGED_BY, [LABEL_ROLE]: FILLER_ROLE },
    },
    spec: {
      nodeName: opts.nodeName,
      restartPolicy: "Never",
      terminationGracePeriodSeconds: 1,
      automountServiceAccountToken: false,
      tolerations: [{ operator: "Exists" }],
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          name: "filler",
          image: opts.image ?? FILLER_IMAGE,
          command: ["sh", "-c", FILL_SCRIPT],
          env: [
            { name: "NODE_NAME", value: opts.nodeName },
            { name: "MAX_KB", value: String(Math.floor(maxBytes / 1024)) },
            { name: "TARGET_FREE_PERCENT", value: String(opts.targetFreePercent ?? 5) },
          ],
          volumeMounts: [{ name: "fill", mountPath: "/fill" }],
          readinessProbe: { exec: { command: ["test", "-f", "/fill/.done"] }, periodSeconds: 2 },
          terminationMessagePolicy: "FallbackToLogsOnError",
          resources: { requests: { cpu: "10m", memory: "8Mi" }, limits: { memory: "32Mi" } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
          },
        },
      ],
      volumes: [{ name: "fill", emptyDir: { sizeLimit: String(maxBytes + 64 * 1024 ** 2) } }],
    },
  };
}

/**
 * Runs in the filler container (busybox sh). df -Pk prints total and available KiB of
 * the filesystem under the emptyDir; the fill leaves TARGET_FREE_PERCENT free. fallocate
 * reserves the blocks at once; dd is the fallback where fallocate is missing.
 */
const FILL_SCRIPT = `set -u
trap 'exit 0' TERM INT
set -- $(df -Pk /fill | awk 'NR==2 {print $2, $4}')
total_kb=$1; avail_kb=$2
keep_kb=$(( total_kb * TARGET_FREE_PERCENT / 100 ))
need_kb=$(( avail_kb - keep_kb ))
if [ "$need_kb" -gt "$MAX_KB" ]; then
  msg="filling node $NODE_NAME needs \${need_kb}KiB (available \${avail_kb}KiB of \${total_kb}KiB, keeping $TARGET_FREE_PERCENT% free), over the limit of \${MAX_KB}KiB"
  echo "$msg" > /dev/termination-log 2>/dev/null; echo "$msg" >&2
  exit ${EXIT_OVER_LIMIT}
fi
if [ "$need_kb" -gt 0 ]; then
  fallocate -l "\${need_kb}k" /fill/blob 2>/dev/null || dd if=/dev/zero of=/fill/blob bs=1048576 count="$(( need_kb / 1024 + 1 ))" 2>/dev/null || true
fi
echo "filled \${need_kb}KiB on node $NODE_NAME (filesystem \${total_kb}KiB)"
touch /fill/.done
while :; do sleep 5 & wait $!; done
`;

/** Deletes every filler pod on a node (optionally only one run's); returns how many. */
export async function deleteDiskFillers(
  kube: Kube,
  nodeName: string,
  opts: { runId?: string; namespace?: string } = {},
): Promise<number> {
  const selector = [`${LABEL_ROLE}=${FILLER_ROLE}`, ...(opts.runId ? [`${LABEL_RUN_ID}=${opts.runId}`] : [])].join(",");
  const { items } = await kube.list(
    { apiVersion: "v1", kind: "Pod" },
    { namespace: opts.namespace, labelSelector: selector, fieldSelector: `spec.nodeName=${nodeName}` },
  );
  let deleted = 0;
  for (const pod of items) {
    const gone = await kube.delete(
      { apiVersion: "v1", kind: "Pod", name: pod.metadata.name!, namespace: pod.metadata.namespace },
      { gracePeriodSeconds: 0 },
    );
    if (gone) deleted++;
  }
  return deleted;
}
