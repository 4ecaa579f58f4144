import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ClusterError, withContext } from "../../errors.ts";
import { revertible } from "../../sdk/revertible.ts";
import { AsyncStack } from "../../util/disposable.ts";
import { formatMs } from "../../util/duration.ts";
import { describeFailure } from "../../util/process.ts";
import { busyboxLayer } from "../shared/images/base-layers.ts";
import { AUTH_REGISTRY_CREDENTIALS, AUTH_REGISTRY_HOST, PRIVATE_APP_IMAGE } from "../shared/images/names.ts";
import { Pusher } from "../shared/images/push.ts";
import { hostsToml } from "../shared/images/registry-hosts.ts";
import { APP_STAND_IN, appLayer, STAND_INS, standInImage } from "../shared/images/stand-ins.ts";
import {
  docker,
  REGISTRY_CONTAINER_PORT,
  DOCKER_TIMEOUT_MS,
  kindRegistryContainer,
  removeContainers,
  removeLeftovers,
  startRegistry,
  untilServing,
  type KindRegistry,
  type RegistryContainerInputs,
} from "./registry-containers.ts";

export { type FetchLike } from "../shared/images/push.ts";
export {
  KIND_CLUSTER_LABEL,
  KIND_REGISTRY_IMAGE,
  kindRegistryContainer,
  type KindRegistry,
} from "./registry-containers.ts";

/** containerd's registry config_path on a kind node (the kind config must set it). */
export const KIND_CERTS_DIR = "/etc/containerd/certs.d";
/** The image host the open registry serves (`kubedrill.local/app:v1`). */
export const OPEN_REGISTRY_HOST = "kubedrill.local";

/** The two registries of a kind cluster; `stop()` removes both containers (idempotent). */
export interface KindRegistries extends AsyncDisposable {
  open: KindRegistry;
  /** Serves `registry.kubedrill.local/...` to `credentials` only (HTTP basic). */
  auth: KindRegistry;
  credentials: { user: string; password: string };
  stop(): Promise<void>;
}

export interface KindRegistriesInputs extends RegistryContainerInputs {
  /** The node containers (`<cluster>-control-plane`, `<cluster>-worker`, ...). */
  nodes: string[];
  /** Holds `auth/htpasswd`, mounted into the auth registry (must outlive the cluster's start). */
  dir: string;
  binaries: { registry: string; app: string };
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
    try {
      await pusher.pushImage(standInImage(s, ref, [busybox], app));
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
        input: hostsToml(host, `http://${container}:${REGISTRY_CONTAINER_PORT}`),
      },
    );
    if (r.exitCode !== 0)
      throw new ClusterError(
        `writing ${dir}/hosts.toml on kind node ${node}: ${describeFailure(r, DOCKER_TIMEOUT_MS)}`,
      );
  }
}

/** Like Promise.all, but only once every promise has settled: nothing still runs during a cleanup. */
async function settled(all: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(all)).find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}
