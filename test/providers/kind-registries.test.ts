import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterError } from "../../src/errors.ts";
import {
  KIND_CERTS_DIR,
  KIND_REGISTRY_IMAGE,
  kindRegistryContainer,
  startKindRegistries,
  type KindRegistriesInputs,
} from "../../src/providers/kind/registries.ts";
import { memoryLogger } from "../../src/util/log.ts";
import type { ProcessResult, ProcessRunner } from "../../src/util/process.ts";
import { rejection } from "./helpers.ts";
import { fakeRegistry } from "../fakes/registry.ts";
import { processResult } from "../fakes/process.ts";

const CLUSTER = "kd";
const OPEN = "kubedrill-kd-registry";
const AUTH = "kubedrill-kd-registry-auth";
const NODES = ["kd-control-plane", "kd-worker", "kd-worker2"];
const PASSWORD = "drill-only";
const HTPASSWD = "kubedrill:$2y$05$fixedfixedfixedfixedfiOq0HmHqkdA6Y1zMIjz2I9qEGc7hUHUu\n";
const LABEL = `kubedrill.io/kind-cluster=${CLUSTER}`;
const PS = [
  "docker",
  "ps",
  "-a",
  "--filter",
  `name=^/${OPEN}$`,
  "--filter",
  `name=^/${AUTH}$`,
  "--format",
  '{{.ID}}\t{{.Names}}\t{{.Label "kubedrill.io/kind-cluster"}}',
];

const result = (argv: readonly string[], r: Partial<ProcessResult> = {}): ProcessResult =>
  processResult({ command: argv.join(" "), ...r });

/** docker and the registry binary, answering from `ports` and recording every call with its stdin. */
function fakeRunner(
  ports: { open: number; auth: number },
  override: (argv: readonly string[]) => Partial<ProcessResult> | undefined = () => undefined,
) {
  const calls: { argv: string[]; input?: string }[] = [];
  const run: ProcessRunner = async (argv, opts = {}) => {
    calls.push({ argv: [...argv], ...(opts.input !== undefined ? { input: opts.input } : {}) });
    const special = override(argv);
    if (special) return result(argv, special);
    const [tool, verb, ...rest] = argv;
    const name = rest.at(-1) === KIND_REGISTRY_IMAGE ? argv[argv.indexOf("--name") + 1] : rest[0];
    const port = name === AUTH ? ports.auth : ports.open;
    if (tool === "/bin/registry" && verb === "htpasswd") return result(argv, { stdout: HTPASSWD });
    if (tool !== "docker") return result(argv, { exitCode: 127, stderr: "not found" });
    if (verb === "run") return result(argv, { stdout: `id-${name}\n` });
    if (verb === "port") return result(argv, { stdout: `[::1]:1\n127.0.0.1:${port}\n` });
    if (verb === "inspect") return result(argv, { stdout: argv.at(-1) === AUTH ? "172.18.0.9\n" : "172.18.0.8\n" });
    return result(argv);
  };
  return { run, calls, argvs: () => calls.map((c) => c.argv.join(" ")) };
}

describe("kind registries (fake docker, in-process registries over HTTP)", function () {
  this.timeout(20_000);
  let dir: string;
  let app: string;
  let open: Awaited<ReturnType<typeof fakeRegistry>>;
  let auth: Awaited<ReturnType<typeof fakeRegistry>>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "kubedrill-kindreg-"));
    app = join(dir, "app");
    await writeFile(app, "#!/bin/sh\necho fake app\n");
    open = await fakeRegistry();
    auth = await fakeRegistry({ user: "kubedrill", password: PASSWORD });
  });
  afterEach(async () => {
    await open.close();
    await auth.close();
    await rm(dir, { recursive: true, force: true });
  });

  const inputs = (run: ProcessRunner, extra: Partial<KindRegistriesInputs> = {}) => {
    const log = memoryLogger();
    const o: KindRegistriesInputs = {
      run,
      clusterName: CLUSTER,
      nodes: NODES,
      dir: join(dir, "state"),
      log,
      binaries: { registry: "/bin/registry", app },
      ...extra,
    };
    return { o, log };
  };

  it("starts both containers, pushes over HTTP, writes the mirrors on every node", async () => {
    const f = fakeRunner({ open: open.port, auth: auth.port });
    const { o, log } = inputs(f.run);
    const regs = await startKindRegistries(o);
    const run = ["docker", "run", "-d", "--name"];
    const common = ["--label", LABEL, "--network", "kind", "-p", "127.0.0.1::5000"];
    const authDir = join(dir, "state", "auth");
    expect(f.calls.slice(0, 8).map((c) => c.argv)).to.deep.equal([
      ["/bin/registry", "htpasswd", "kubedrill"],
      PS,
      [...run, OPEN, ...common, KIND_REGISTRY_IMAGE],
      ["docker", "port", OPEN, "5000/tcp"],
      ["docker", "inspect", "-f", '{{(index .NetworkSettings.Networks "kind").IPAddress}}', OPEN],
      [
        ...[...run, AUTH, ...common, "-v", `${authDir}:/auth:ro`, "-e", "REGISTRY_AUTH=htpasswd"],
        ...["-e", "REGISTRY_AUTH_HTPASSWD_REALM=kubedrill", "-e", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd"],
        KIND_REGISTRY_IMAGE,
      ],
      ["docker", "port", AUTH, "5000/tcp"],
      ["docker", "inspect", "-f", '{{(index .NetworkSettings.Networks "kind").IPAddress}}', AUTH],
    ]);
    expect(f.calls[0]!.input).to.equal(`${PASSWORD}\n`);
    expect(await readFile(join(authDir, "htpasswd"), "utf8")).to.equal(HTPASSWD);
    expect(regs.open).to.deep.equal({
      container: OPEN,
      address: "172.18.0.8",
      port: 5000,
      hostURL: `http://127.0.0.1:${open.port}`,
    });
    expect(regs.auth).to.include({ container: AUTH, address: "172.18.0.9", hostURL: `http://127.0.0.1:${auth.port}` });
    expect(regs.credentials).to.deep.equal({ user: "kubedrill", password: PASSWORD });

    expect([...open.manifests.keys()]).to.have.members(["kubedrill.local/app:v1", "kubedrill.local/transcoder:v1"]);
    expect([...auth.manifests.keys()]).to.deep.equal(["registry.kubedrill.local/private/app:v1"]);
    expect(open.manifests.get("kubedrill.local/app:v1")).to.not.equal(
      open.manifests.get("kubedrill.local/transcoder:v1"),
    );

    const execs = f.calls.slice(8);
    expect(execs).to.have.length(NODES.length * 2);
    for (const node of NODES) {
      for (const [host, container] of [
        ["kubedrill.local", OPEN],
        ["registry.kubedrill.local", AUTH],
      ] as const) {
        const d = `${KIND_CERTS_DIR}/${host}`;
        const call = execs.find((c) => c.argv[3] === node && c.argv[6]!.includes(`${d}/`));
        expect(call?.argv).to.deep.equal([
          "docker",
          "exec",
          "-i",
          node,
          "sh",
          "-c",
          `mkdir -p ${d} && cat > ${d}/hosts.toml`,
        ]);
        expect(call?.input)
          .to.include(`server = "http://${container}:5000/v2/${host}"`)
          .and.include("override_path = true");
      }
    }

    for (const c of f.calls) expect(c.argv.join(" ")).to.not.include(PASSWORD);
    expect(JSON.stringify(log.lines)).to.not.include(PASSWORD);
    const info = log.lines.filter((l) => l.level === "info");
    expect(info).to.have.length(1);
    expect(info[0]!.message).to.match(/3 images \(\d+\.\d MB\) pushed in \d/);
  });

  it("stop() removes both containers once, and a container already gone is fine", async () => {
    let gone = false;
    const f = fakeRunner({ open: open.port, auth: auth.port }, (argv) =>
      argv[1] === "rm" && gone
        ? { exitCode: 1, stderr: `Error response from daemon: No such container: id-${OPEN}` }
        : undefined,
    );
    const regs = await startKindRegistries(inputs(f.run).o);
    gone = true;
    await regs.stop();
    await regs.stop();
    await regs[Symbol.asyncDispose]();
    expect(f.argvs().filter((a) => a.startsWith("docker rm"))).to.deep.equal([`docker rm -f id-${OPEN} id-${AUTH}`]);
  });

  it("a failed stop() says why and is tried again on the next call", async () => {
    let broken = true;
    const f = fakeRunner({ open: open.port, auth: auth.port }, (argv) =>
      argv[1] === "rm" && broken ? { exitCode: 1, stderr: "Cannot connect to the Docker daemon" } : undefined,
    );
    const regs = await startKindRegistries(inputs(f.run).o);
    const err = await rejection(() => regs.stop());
    expect(err).to.be.instanceOf(ClusterError);
    expect(err.message).to.match(/removing registry containers: `docker rm -f .*` failed \(exit 1\): Cannot connect/);
    broken = false;
    await regs.stop();
    expect(f.argvs().filter((a) => a.startsWith("docker rm"))).to.have.length(2);
  });

  it("removes our leftovers of an earlier run before starting", async () => {
    const f = fakeRunner({ open: open.port, auth: auth.port }, (argv) =>
      argv[1] === "ps" ? { stdout: `old1\t${OPEN}\t${CLUSTER}\nold2\t${AUTH}\t${CLUSTER}\n` } : undefined,
    );
    const { o, log } = inputs(f.run);
    await startKindRegistries(o);
    expect(f.argvs().slice(1, 4)).to.deep.equal([PS.join(" "), "docker rm -f old1 old2", f.argvs()[3]!]);
    expect(f.argvs()[3]).to.match(/^docker run -d --name kubedrill-kd-registry /);
    expect(log.lines.map((l) => l.message)).to.include(
      `kind: removing registry containers left by an earlier run: ${OPEN}, ${AUTH}`,
    );
  });

  it("refuses a same-named container without our label, and removes nothing", async () => {
    const f = fakeRunner({ open: open.port, auth: auth.port }, (argv) =>
      argv[1] === "ps" ? { stdout: `old1\t${OPEN}\t${CLUSTER}\nsomeone\t${AUTH}\t\n` } : undefined,
    );
    const err = await rejection(() => startKindRegistries(inputs(f.run).o));
    expect(err).to.be.instanceOf(ClusterError);
    expect(err.message).to.include(`a Docker container named "${AUTH}" exists without the label ${LABEL}`);
    expect(err.message).to.include(`docker rm -f ${AUTH}`);
    expect(f.argvs().slice(1)).to.deep.equal([PS.join(" ")]);
  });

  it("a failed auth `docker run` removes the open container and a half-created auth one", async () => {
    let created = false;
    const f = fakeRunner({ open: open.port, auth: auth.port }, (argv) => {
      if (argv[1] === "run" && argv.includes(AUTH)) {
        created = true;
        return {
          exitCode: 125,
          stderr: "docker: Error response from daemon: driver failed programming external connectivity",
        };
      }
      if (argv[1] === "ps" && created) return { stdout: `half\t${AUTH}\t${CLUSTER}\n` };
      return undefined;
    });
    const err = await rejection(() => startKindRegistries(inputs(f.run).o));
    expect(err).to.be.instanceOf(ClusterError);
    expect(err.message).to.match(
      new RegExp(
        `^starting registry container ${AUTH}: \`docker run .*\` failed \\(exit 125\\): docker: Error response`,
      ),
    );
    expect(f.argvs().slice(-3)).to.deep.equal([
      `docker ps -a --filter name=^/${AUTH}$ --format ${PS.at(-1)}`,
      "docker rm -f half",
      `docker rm -f id-${OPEN}`,
    ]);
  });

  it("a failed push removes both containers and names the image and the container", async () => {
    await auth.close();
    auth = await fakeRegistry({ user: "kubedrill", password: "another" });
    const f = fakeRunner({ open: open.port, auth: auth.port });
    const err = await rejection(() => startKindRegistries(inputs(f.run).o));
    expect(err).to.be.instanceOf(ClusterError);
    expect(err.message).to.match(
      new RegExp(`^pushing registry.kubedrill.local/private/app:v1 to registry container ${AUTH}: .*HTTP 401`),
    );
    expect(err.message).to.not.include(PASSWORD);
    expect(f.argvs().slice(-2)).to.deep.equal([`docker rm -f id-${AUTH}`, `docker rm -f id-${OPEN}`]);
    expect(f.argvs().filter((a) => a.startsWith("docker exec"))).to.deep.equal([], "no node was touched");
  });

  it("a registry that does not answer names the container and `docker logs`, and is removed", async () => {
    await open.close();
    const f = fakeRunner({ open: open.port, auth: auth.port });
    const err = await rejection(() => startKindRegistries(inputs(f.run, { readyTimeoutMs: 0 }).o));
    expect(err.message).to.match(
      new RegExp(
        `^registry container ${OPEN} did not answer GET http://127.0.0.1:${open.port}/v2/ with HTTP 200 within 0ms \\(last: .+\\); see docker logs ${OPEN}$`,
      ),
    );
    expect(f.argvs().filter((a) => a.startsWith("docker rm"))).to.have.members([
      `docker rm -f id-${AUTH}`,
      `docker rm -f id-${OPEN}`,
    ]);
    open = await fakeRegistry(); // for afterEach
  });

  it("a registry answering 200 where credentials are wanted is not taken for ready", async () => {
    const f = fakeRunner({ open: open.port, auth: open.port });
    const err = await rejection(() => startKindRegistries(inputs(f.run, { readyTimeoutMs: 0 }).o));
    expect(err.message).to.include(`registry container ${AUTH} did not answer`).and.include("(last: HTTP 200)");
  });

  it("a failed htpasswd stops before any container, with the binary's message", async () => {
    const f = fakeRunner({ open: open.port, auth: auth.port }, (argv) =>
      argv[1] === "htpasswd"
        ? { exitCode: 2, stderr: "registry htpasswd: the password is read from stdin" }
        : undefined,
    );
    const err = await rejection(() => startKindRegistries(inputs(f.run).o));
    expect(err.message).to.equal(
      "creating the registry's htpasswd file: `/bin/registry htpasswd kubedrill` failed (exit 2): registry htpasswd: the password is read from stdin",
    );
    expect(f.calls).to.have.length(1);
  });

  it("a node that cannot be written to is named, and the containers are removed", async () => {
    const f = fakeRunner({ open: open.port, auth: auth.port }, (argv) =>
      argv[1] === "exec" && argv[3] === "kd-worker2"
        ? { exitCode: 1, stderr: "Error: No such container: kd-worker2" }
        : undefined,
    );
    const err = await rejection(() => startKindRegistries(inputs(f.run).o));
    expect(err.message).to.match(
      /^writing \/etc\/containerd\/certs.d\/kubedrill.local\/hosts.toml on kind node kd-worker2: `docker exec -i kd-worker2 sh -c .*` failed \(exit 1\)/,
    );
    expect(f.argvs().slice(-2)).to.deep.equal(
      [`docker rm -f id-${AUTH}`, `docker rm -f id-${OPEN}`],
      "after every node write",
    );
  });

  it("names containers apart for every pair of clusters, and apart from kind's nodes", () => {
    expect(kindRegistryContainer("kd", "open")).to.equal(OPEN);
    expect(kindRegistryContainer("kd", "auth")).to.equal(AUTH);
    const names = ["x", "x-auth", "x-registry", "kubedrill-x"].flatMap((c) => [
      kindRegistryContainer(c, "open"),
      kindRegistryContainer(c, "auth"),
    ]);
    expect(new Set(names).size).to.equal(names.length);
    for (const n of names)
      expect(n)
        .to.match(/-registry(-auth)?$/)
        .and.not.match(/-(control-plane|worker\d*)$/);
  });
});
