import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ClusterError, withContext } from "../../errors.ts";
import { revertible } from "../../sdk/revertible.ts";
import { systemClock, type Clock } from "../../util/clock.ts";
import { AsyncStack } from "../../util/disposable.ts";
import { formatMs } from "../../util/duration.ts";
import type { Logger } from "../../util/log.ts";
import { pollUntil } from "../../util/poll.ts";
import { describeFailure, type ProcessRunner } from "../../util/process.ts";
// The images and the registry protocol are the local real-node provider's: named in eslint.config.js.
import { busyboxLayer } from "../shared/images/base-layers.ts";
import { imageBlobs } from "../shared/images/oci.ts";
import { PRIVATE_APP_IMAGE } from "../shared/images/names.ts";
import { Pusher, splitRef, type FetchLike } from "../shared/images/push.ts";
import { hostsToml } from "../shared/images/registry-hosts.ts";
import { AUTH_REGISTRY_CREDENTIALS, AUTH_REGISTRY_HOST } from "../shared/images/names.ts";
import { APP_STAND_IN, appLayer, STAND_INS, standInImage } from "../shared/images/stand-ins.ts";

export { type FetchLike } from "../shared/images/push.ts";

/** distribution's registry image, pinned; Docker pulls it on first use. */
export const KIND_REGISTRY_IMAGE = "registry:2.8.3";
/** containerd's registry config_path on a kind node (the kind config must set it). */
export const KIND_CERTS_DIR = "/etc/containerd/certs.d";
/** Every registry container carries it, valued with the cluster's name: only those are ever removed. */
export const KIND_CLUSTER_LABEL = "kubedrill.io/kind-cluster";
/** The image host the open registry serves (`kubedrill.local/app:v1`). */
export const OPEN_REGISTRY_HOST = "kubedrill.local";
const PORT = 5000;
const DOCKER_TIMEOUT_MS = 30_000;
/** `docker run` pulls the registry image the first time. */
const RUN_TIMEOUT_MS = 300_000;

export interface KindRegistry {
  /** The container's name, also its host name on the Docker network "kind". */
  container: string;
  /** IP on the Docker network "kind". */
  address: string;
  port: typeof PORT;
  /** http://127.0.0.1:<published port>, for this machine. */
  hostURL: string;
}

/** The two registries of a kind cluster; `stop()` removes both containers (idempotent). */
export interface KindRegistries extends AsyncDisposable {
  open: KindRegistry;
  /** Serves `registry.kubedrill.local/...` to `credentials` only (HTTP basic). */
  auth: KindRegistry;
  credentials: { user: string; password: string };
  stop(): Promise<void>;
}

export interface KindRegistriesInputs {
  run: ProcessRunner;
  clusterName: string;
  /** The node containers (`<cluster>-control-plane`, `<cluster>-worker`, ...). */
  nodes: string[];
  /** Holds `auth/htpasswd`, mounted into the auth registry (must outlive the cluster's start). */
  dir: string;
  log: Logger;
  binaries: { registry: string; app: string };
  signal?: AbortSignal;
  fetch?: FetchLike;
  clock?: Clock;
  /** How long each registry may take to answer GET /v2/; default 60s. */
  readyTimeoutMs?: number;
}

/**
 * The container name of a cluster's registry. The suffixes (`-registry`, `-registry-auth`)
 * keep every cluster's names apart from another's and from kind's node names.
 */
export function kindRegistryContainer(cluster: string, which: "open" | "auth"): string {
  return `kubedrill-${cluster}-registry${which === "auth" ? "-auth" : ""}`;
}

/**
 * Starts the cluster's two registry containers on the Docker network "kind" (ports published
 * on 127.0.0.1 only), pushes kubedrill's own images to the open one and the private app image
 * to the one that asks for credentials, and points every node's containerd at them by
 * container name (`KIND_CERTS_DIR/<host>/hosts.toml`). Leftovers of an earlier run of the same
 * cluster are removed first; a same-named container without our label is refused. If any step
 * fails, the containers started so far are removed before the error is thrown.
 */
export async function startKindRegistries(o: KindRegistriesInputs): Promise<KindRegistries> {
  const started = Date.now();
  const names = {
    open: kindRegistryContainer(o.clusterName, "open"),
    auth: kindRegistryContainer(o.clusterName, "auth"),
  };
  const authDir = path.resolve(o.dir, "auth");
  const stack = new AsyncStack();
  const ids: string[] = [];
  try {
    await writeHtpasswd(o, authDir);
    await removeLeftovers(o, [names.open, names.auth]);
    const open = await startRegistry(o, stack, ids, names.open, []);
    const auth = await startRegistry(o, stack, ids, names.auth, [
      ...["-v", `${authDir}:/auth:ro`, "-e", "REGISTRY_AUTH=htpasswd"],
      ...["-e", "REGISTRY_AUTH_HTPASSWD_REALM=kubedrill", "-e", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd"],
    ]);
    await settled([untilServing(o, open, 200), untilServing(o, auth, 401)]);
    const up = Date.now();
    const pushed = await pushImages(o, open, auth);
    await settled(o.nodes.map((n) => writeMirrors(o, n, names)));
    o.log.info(
      `kind: registries ${names.open} and ${names.auth} up in ${formatMs(up - started)}; ${pushed.images} images (${(pushed.bytes / 1e6).toFixed(1)} MB) pushed in ${formatMs(Date.now() - up)}; mirrors on ${o.nodes.length} nodes`,
    );
    const stop = revertible(() => removeContainers(o.run, ids));
    return {
      open,
      auth,
      credentials: { ...AUTH_REGISTRY_CREDENTIALS },
      stop: stop.revert,
      [Symbol.asyncDispose]: stop.revert,
    };
  } catch (err) {
    await stack.unwind((f) =>
      o.log.error(
        `cleanup after a failed registry start: ${f.label}: ${f.error instanceof Error ? f.error.message : String(f.error)}`,
      ),
    );
    throw err;
  }
}

/** `<dir>/auth/htpasswd` from the registry binary's `htpasswd` (the password goes on stdin only). */
async function writeHtpasswd(o: KindRegistriesInputs, dir: string): Promise<void> {
  const { user, password } = AUTH_REGISTRY_CREDENTIALS;
  const r = await o.run([o.binaries.registry, "htpasswd", user], {
    input: `${password}\n`,
    timeoutMs: DOCKER_TIMEOUT_MS,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (r.exitCode !== 0)
    throw new ClusterError(`creating the registry's htpasswd file: ${describeFailure(r, DOCKER_TIMEOUT_MS)}`);
  const line = r.stdout.trim();
  if (!line.startsWith(`${user}:`))
    throw new ClusterError(
      `creating the registry's htpasswd file: \`${r.command}\` printed no line for user "${user}"`,
    );
  await mkdir(dir, { recursive: true });
  // the registry in the container reads it (another uid under user namespaces); a bcrypt hash
  await writeFile(path.join(dir, "htpasswd"), `${line}\n`, { mode: 0o644 });
}

/**
 * Our containers of these exact names (and those that are not ours), from one `docker ps`
 * (its `name` filters are alternatives). No signal when cleaning up after an interruption.
 */
async function findContainers(o: KindRegistriesInputs, names: string[], signal: AbortSignal | undefined) {
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

async function removeLeftovers(o: KindRegistriesInputs, names: string[]): Promise<void> {
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
async function removeContainers(run: ProcessRunner, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const r = await run(["docker", "rm", "-f", ...ids], { timeoutMs: DOCKER_TIMEOUT_MS });
  if (r.exitCode === 0) return;
  const errors = r.stderr.split("\n").filter((l) => l.trim() && !/no such container/i.test(l));
  if (r.exitCode === undefined || errors.length > 0)
    throw new ClusterError(`removing registry containers: ${describeFailure(r, DOCKER_TIMEOUT_MS)}`);
}

async function startRegistry(
  o: KindRegistriesInputs,
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
async function untilServing(o: KindRegistriesInputs, r: KindRegistry, status: number): Promise<void> {
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

/** Our images to the open registry, the private app image to the other; the counts, for the log. */
async function pushImages(o: KindRegistriesInputs, open: KindRegistry, auth: KindRegistry) {
  const app = appLayer(await readFile(o.binaries.app));
  const busybox = busyboxLayer();
  const openPusher = new Pusher({ url: open.hostURL }, o.fetch);
  const authPusher = new Pusher({ url: auth.hostURL, auth: AUTH_REGISTRY_CREDENTIALS }, o.fetch);
  const jobs = STAND_INS.flatMap((s) =>
    s.refs
      .filter((ref) => ref.startsWith(`${OPEN_REGISTRY_HOST}/`))
      .map((ref) => ({ s, ref, to: open, pusher: openPusher })),
  );
  jobs.push({ s: APP_STAND_IN, ref: PRIVATE_APP_IMAGE, to: auth, pusher: authPusher });
  for (const { s, ref, to, pusher } of jobs) {
    const { host, path: repo, tag } = splitRef(ref);
    try {
      // the repository carries the host: containerd asks for /v2/<host>/<path> (override_path)
      await pusher.push(`${host}/${repo}`, tag, imageBlobs(standInImage(s, ref, [busybox], app)));
    } catch (err) {
      throw withContext(`pushing ${ref} to registry container ${to.container}`, err);
    }
  }
  return { images: jobs.length, bytes: openPusher.bytesSent + authPusher.bytesSent };
}

/** `KIND_CERTS_DIR/<host>/hosts.toml` on one node: each image host to its registry container. */
async function writeMirrors(o: KindRegistriesInputs, node: string, names: { open: string; auth: string }) {
  const hosts: [string, string][] = [
    [OPEN_REGISTRY_HOST, names.open],
    [AUTH_REGISTRY_HOST, names.auth],
  ];
  for (const [host, container] of hosts) {
    const dir = `${KIND_CERTS_DIR}/${host}`;
    const r = await docker(
      o,
      ["exec", "-i", node, "sh", "-c", `mkdir -p ${dir} && cat > ${dir}/hosts.toml`],
      DOCKER_TIMEOUT_MS,
      {
        input: hostsToml(host, `http://${container}:${PORT}`),
      },
    );
    if (r.exitCode !== 0)
      throw new ClusterError(
        `writing ${dir}/hosts.toml on kind node ${node}: ${describeFailure(r, DOCKER_TIMEOUT_MS)}`,
      );
  }
}

function docker(
  o: KindRegistriesInputs,
  args: string[],
  timeoutMs = DOCKER_TIMEOUT_MS,
  extra: { input?: string } = {},
) {
  return o.run(["docker", ...args], { timeoutMs, ...extra, ...(o.signal ? { signal: o.signal } : {}) });
}

/** Like Promise.all, but only once every promise has settled: nothing still runs during a cleanup. */
async function settled(all: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(all)).find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}
