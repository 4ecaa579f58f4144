import { ClusterError } from "../../errors.ts";
import { systemClock, type Clock } from "../../util/clock.ts";
import type { AsyncStack } from "../../util/disposable.ts";
import type { Logger } from "../../util/log.ts";
import { pollUntil } from "../../util/poll.ts";
import { describeFailure, type ProcessRunner } from "../../util/process.ts";
import type { FetchLike } from "../shared/images/push.ts";

/**
 * The Docker side of kind's registries (registries.ts): their containers on the `kind`
 * network, found, started, asked for their port and address, waited for, and removed, only
 * ever by the exact names and label of one cluster.
 */

/** distribution's registry image, pinned; Docker pulls it on first use. */
export const KIND_REGISTRY_IMAGE = "registry:2.8.3";
/** Every registry container carries it, valued with the cluster's name: only those are ever removed. */
export const KIND_CLUSTER_LABEL = "kubedrill.io/kind-cluster";
/** The port every registry container listens on, inside the kind network. */
export const REGISTRY_CONTAINER_PORT = 5000;
const PORT = REGISTRY_CONTAINER_PORT;
export const DOCKER_TIMEOUT_MS = 30_000;
/** `docker run` pulls the registry image the first time. */
const RUN_TIMEOUT_MS = 300_000;

export interface RegistryContainerInputs {
  run: ProcessRunner;
  clusterName: string;
  log: Logger;
  signal?: AbortSignal;
  fetch?: FetchLike;
  clock?: Clock;
  /** How long each registry may take to answer GET /v2/; default 60s. */
  readyTimeoutMs?: number;
}

export interface KindRegistry {
  /** The container's name, also its host name on the Docker network "kind". */
  container: string;
  /** IP on the Docker network "kind". */
  address: string;
  port: typeof PORT;
  /** http://127.0.0.1:<published port>, for this machine. */
  hostURL: string;
}

/**
 * The container name of a cluster's registry. The suffixes (`-registry`, `-registry-auth`)
 * keep every cluster's names apart from another's and from kind's node names.
 */
export function kindRegistryContainer(cluster: string, which: "open" | "auth"): string {
  return `kubedrill-${cluster}-registry${which === "auth" ? "-auth" : ""}`;
}

/**
 * Our containers of these exact names (and those that are not ours), from one `docker ps`
 * (its `name` filters are alternatives). No signal when cleaning up after an interruption.
 */
async function findContainers(o: RegistryContainerInputs, names: string[], signal: AbortSignal | undefined) {
  const r = await o.run(
    [
      "docker",
      "ps",
      "-a",
      ...names.flatMap((n) => ["--filter", `name=^/${n}$`]),
      "--format",
      `{{.ID}}\t{{.Names}}\t{{.Label "${KIND_CLUSTER_LABEL}"}}`,
    ],
    { timeoutMs: DOCKER_TIMEOUT_MS, ...(signal ? { signal } : {}) },
  );
  if (r.exitCode !== 0) throw new ClusterError(`listing registry containers: ${describeFailure(r, DOCKER_TIMEOUT_MS)}`);
  const rows = r.stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const [id = "", name = "", label = ""] = l.trim().split("\t");
      return { id, name, label };
    });
  return {
    ours: rows.filter((c) => c.label === o.clusterName),
    foreign: rows.filter((c) => c.label !== o.clusterName),
  };
}

export async function removeLeftovers(o: RegistryContainerInputs, names: string[]): Promise<void> {
  const { ours, foreign } = await findContainers(o, names, o.signal);
  const [other] = foreign;
  if (other)
    throw new ClusterError(
      `a Docker container named "${other.name}" exists without the label ${KIND_CLUSTER_LABEL}=${o.clusterName}: kubedrill did not create it and will not remove it; remove it yourself (docker rm -f ${other.name}) or choose another cluster name`,
    );
  if (ours.length === 0) return;
  o.log.info(`kind: removing registry containers left by an earlier run: ${ours.map((c) => c.name).join(", ")}`);
  await removeContainers(
    o.run,
    ours.map((c) => c.id),
  );
}

/** `docker rm -f`; a container already gone is fine. */
export async function removeContainers(run: ProcessRunner, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const r = await run(["docker", "rm", "-f", ...ids], { timeoutMs: DOCKER_TIMEOUT_MS });
  if (r.exitCode === 0) return;
  const errors = r.stderr.split("\n").filter((l) => l.trim() && !/no such container/i.test(l));
  if (r.exitCode === undefined || errors.length > 0)
    throw new ClusterError(`removing registry containers: ${describeFailure(r, DOCKER_TIMEOUT_MS)}`);
}

export async function startRegistry(
  o: RegistryContainerInputs,
  stack: AsyncStack,
  ids: string[],
  name: string,
  extra: string[],
): Promise<KindRegistry> {
  const label = `${KIND_CLUSTER_LABEL}=${o.clusterName}`;
  const args = ["run", "-d", "--name", name, "--label", label, "--network", "kind", "-p", `127.0.0.1::${PORT}`];
  const r = await docker(o, [...args, ...extra, KIND_REGISTRY_IMAGE], RUN_TIMEOUT_MS);
  const id = r.stdout.trim().split("\n").at(-1)?.trim() ?? "";
  if (r.exitCode !== 0 || !id) {
    // a container that was created but did not start is still there
    stack.defer(`container ${name}`, async () =>
      removeContainers(
        o.run,
        (await findContainers(o, [name], undefined)).ours.map((c) => c.id),
      ),
    );
    throw new ClusterError(`starting registry container ${name}: ${describeFailure(r, RUN_TIMEOUT_MS)}`);
  }
  ids.push(id);
  stack.defer(`container ${name}`, () => removeContainers(o.run, [id]));

  const port = await docker(o, ["port", name, `${PORT}/tcp`]);
  const published = port.stdout
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith("127.0.0.1:"));
  if (port.exitCode !== 0 || !published)
    throw new ClusterError(
      `the published port of registry container ${name}: ${port.exitCode === 0 ? `\`${port.command}\` named no 127.0.0.1 port: ${JSON.stringify(port.stdout.trim())}` : describeFailure(port, DOCKER_TIMEOUT_MS)}`,
    );
  const ip = await docker(o, ["inspect", "-f", '{{(index .NetworkSettings.Networks "kind").IPAddress}}', name]);
  const address = ip.stdout.trim();
  if (ip.exitCode !== 0 || !/^\d+\.\d+\.\d+\.\d+$/.test(address))
    throw new ClusterError(
      `the address of registry container ${name} on the Docker network "kind": ${ip.exitCode === 0 ? `\`${ip.command}\` answered ${JSON.stringify(address)}` : describeFailure(ip, DOCKER_TIMEOUT_MS)}`,
    );
  return { container: name, address, port: PORT, hostURL: `http://${published}` };
}

/** Until GET /v2/ answers `status` (401 from the registry that asks for credentials). */
export async function untilServing(o: RegistryContainerInputs, r: KindRegistry, status: number): Promise<void> {
  const fetchFn = o.fetch ?? fetch;
  const timeoutMs = o.readyTimeoutMs ?? 60_000;
  let last = "no answer";
  try {
    await pollUntil(
      async () => {
        try {
          const res = await fetchFn(`${r.hostURL}/v2/`, { signal: AbortSignal.timeout(2000) });
          await res.body?.cancel();
          last = `HTTP ${res.status}`;
          return res.status === status;
        } catch (err) {
          last = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
          return false;
        }
      },
      {
        what: `registry ${r.container}`,
        timeoutMs,
        intervalMs: 100,
        clock: o.clock ?? systemClock,
        ...(o.signal ? { signal: o.signal } : {}),
      },
    );
  } catch (err) {
    if (o.signal?.aborted) throw err;
    throw new ClusterError(
      `registry container ${r.container} did not answer GET ${r.hostURL}/v2/ with HTTP ${status} within ${timeoutMs}ms (last: ${last}); see docker logs ${r.container}`,
      { cause: err },
    );
  }
}

export function docker(
  o: RegistryContainerInputs,
  args: string[],
  timeoutMs = DOCKER_TIMEOUT_MS,
  extra: { input?: string } = {},
) {
  return o.run(["docker", ...args], { timeoutMs, ...extra, ...(o.signal ? { signal: o.signal } : {}) });
}
