// Integration: the `kubedrill cluster` command-line contract, as a user drives it.
import { expect } from "chai";
import { execa } from "execa";
import { existsSync } from "node:fs";
import { readState } from "../src/providers/local/state.ts";
import { clusterDir } from "../src/providers/local/paths.ts";
import { isRunning } from "../src/providers/local/processes.ts";
import { kubedrill, REPO } from "./support/cli.ts";
import { waitUntil } from "./support/wait.ts";
import { fileURLToPath } from "node:url";

describe("kubedrill cluster up|kubeconfig|status|down", function () {
  this.timeout(20 * 60_000);
  const a = `it-cli-a-${process.pid}`;
  const b = `it-cli-b-${process.pid}`;

  after(async () => {
    await kubedrill(["cluster", "down", "--name", a]);
    await kubedrill(["cluster", "down", "--name", b]);
  });

  it("up returns with every node Ready; kubeconfig prints only the path, which kubectl can use", async () => {
    const up = await kubedrill(["cluster", "up", "--name", a]);
    expect(up.exitCode, up.all).to.equal(0);
    const kc = await kubedrill(["cluster", "kubeconfig", "--name", a]);
    expect(kc.exitCode).to.equal(0);
    expect(kc.stdout.trim().split("\n")).to.have.length(1);
    expect(existsSync(kc.stdout.trim())).to.equal(true);
    const nodes = await execa("kubectl", ["--kubeconfig", kc.stdout.trim(), "get", "nodes", "--no-headers"]);
    const lines = nodes.stdout.trim().split("\n");
    expect(lines).to.have.length(6);
    for (const l of lines) expect(l).to.match(/\sReady\s/);
  });

  it("up a second time reuses the running cluster instead of starting another", async () => {
    const before = (await readState(clusterDir(a)))!;
    const again = await kubedrill(["cluster", "up", "--name", a]);
    expect(again.exitCode, again.all).to.equal(0);
    expect(again.stderr).to.include("reusing the running local cluster");
    const after = (await readState(clusterDir(a)))!;
    expect(after.processes.map((p) => p.pid)).to.deep.equal(before.processes.map((p) => p.pid));
  });

  it("runs a second named cluster side by side on other ports, and status tells them apart", async () => {
    const up = await kubedrill(["cluster", "up", "--name", b]);
    expect(up.exitCode, up.all).to.equal(0);
    const sa = (await readState(clusterDir(a)))!;
    const sb = (await readState(clusterDir(b)))!;
    expect(sa.ports.apiServer).to.not.equal(sb.ports.apiServer);
    expect(sa.ports.etcdClient).to.not.equal(sb.ports.etcdClient);
    const status = await kubedrill(["cluster", "status", "--name", b]);
    expect(status.exitCode, status.all).to.equal(0);
    expect(status.stdout).to.include(`local cluster "${b}": running`);
    expect(status.stdout).to.include("nodes: 6/6 Ready");
  });

  it("down leaves no process and no folder behind", async () => {
    const state = (await readState(clusterDir(b)))!;
    const down = await kubedrill(["cluster", "down", "--name", b]);
    expect(down.exitCode, down.all).to.equal(0);
    expect(state.processes.filter((p) => isRunning(p.pid)).map((p) => p.name)).to.deep.equal([]);
    expect(existsSync(state.dir)).to.equal(false);
    const status = await kubedrill(["cluster", "status", "--name", b]);
    expect(status.exitCode).to.equal(1);
    expect(status.stdout).to.include("not running");
  });

  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    it(`an up interrupted by ${sig} leaves nothing running`, async () => {
      const name = `it-cli-int-${sig.toLowerCase()}-${process.pid}`;
      const bin = fileURLToPath(new URL("../bin/kubedrill.js", import.meta.url));
      const child = execa(process.execPath, [bin, "cluster", "up", "--name", name], {
        cwd: REPO,
        reject: false,
        all: true,
        // a loaded machine may take more than execa's default 5 s to clean up: never SIGKILL it
        forceKillAfterDelay: false,
      });
      // interrupt once the control plane is starting (processes exist)
      const state = await waitUntil("the cluster's processes to start", 120_000, async () => {
        const s = await readState(clusterDir(name));
        return s && s.processes.length >= 2 ? s : undefined;
      });
      child.kill(sig);
      const r = await child;
      expect(r.exitCode, r.all).to.equal(130);
      await waitUntil("every process gone", 15_000, async () =>
        state.processes.every((p) => !isRunning(p.pid)) ? true : undefined,
      );
      const latest = await readState(clusterDir(name)).catch(() => undefined);
      for (const p of latest?.processes ?? []) expect(isRunning(p.pid), `${p.name} still alive`).to.equal(false);
      expect(existsSync(clusterDir(name)), "cluster folder removed").to.equal(false);
    });
  }
});
