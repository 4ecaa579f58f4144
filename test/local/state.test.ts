import { expect } from "chai";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SafetyError } from "../../src/errors.ts";
import { downLocal, localState } from "../../src/providers/local/launcher.ts";
import { ensureStateRoot, stateRoot } from "../../src/providers/local/paths.ts";
import { readState } from "../../src/providers/local/state.ts";

const uid = process.getuid?.() ?? 0;

describe("local cluster state files", () => {
  let tmp: string;
  beforeEach(async () => (tmp = await mkdtemp(join(tmpdir(), "kd-state-"))));
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  /** A cluster folder whose state.json names another folder and another kubeconfig. */
  async function tampered(env: NodeJS.ProcessEnv, name: string) {
    const victim = join(tmp, "precious");
    await mkdir(victim);
    await writeFile(join(victim, "keep.txt"), "mine");
    const dir = join(stateRoot(env), name);
    await mkdir(dir, { recursive: true });
    const state = {
      name,
      kubernetesVersion: "v1.35.0",
      createdAt: "2026-01-01T00:00:00Z",
      dir: victim,
      kubeconfig: join(victim, "prod.kubeconfig"),
      apiServer: "https://127.0.0.1:1",
      ports: { etcdClient: 1, etcdPeer: 2, apiServer: 3 },
      processes: [],
    };
    await writeFile(join(dir, "state.json"), JSON.stringify(state));
    return { dir, victim };
  }

  it("derives the folder and kubeconfig from the cluster's folder, never from state.json", async () => {
    const env = { KUBEDRILL_STATE_DIR: join(tmp, "state") };
    const { dir } = await tampered(env, "kd");
    const state = await localState("kd", env);
    expect([state!.dir, state!.kubeconfig]).to.deep.equal([dir, join(dir, "admin.kubeconfig")]);
    expect((await readState(dir))!.kubeconfig).to.equal(join(dir, "admin.kubeconfig"));
  });

  it("cluster down removes the cluster's own folder, not the one state.json names", async () => {
    const env = { KUBEDRILL_STATE_DIR: join(tmp, "state") };
    const { dir, victim } = await tampered(env, "kd");
    expect(await downLocal("kd", env)).to.equal(true);
    expect(await readFile(join(victim, "keep.txt"), "utf8")).to.equal("mine");
    await stat(dir).then(
      () => expect.fail(`${dir} should be gone`),
      (err: NodeJS.ErrnoException) => expect(err.code).to.equal("ENOENT"),
    );
  });

  it("creates the state root and its kubedrill-<uid> parent 0700, and tightens a loose one", async () => {
    const env = { TMPDIR: tmp };
    const root = await ensureStateRoot(env);
    expect(root).to.equal(join(tmp, `kubedrill-${uid}`, "clusters"));
    expect((await stat(root)).mode & 0o777).to.equal(0o700);
    const parent = join(tmp, `kubedrill-${uid}`);
    expect((await stat(parent)).mode & 0o777).to.equal(0o700);
    await chmod(parent, 0o777);
    await ensureStateRoot(env);
    expect((await stat(parent)).mode & 0o777).to.equal(0o700);
  });

  it("refuses a state root that is a symbolic link, saying what to do", async () => {
    await mkdir(join(tmp, "elsewhere"));
    await symlink(join(tmp, "elsewhere"), join(tmp, `kubedrill-${uid}`));
    const err = await ensureStateRoot({ TMPDIR: tmp }).then(
      () => expect.fail("should refuse"),
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(SafetyError);
    expect(err.message).to.include("is not a folder").and.include("KUBEDRILL_STATE_DIR");
  });

  it("refuses a state root owned by someone else, before reading any state in it", async function () {
    if (uid !== 0) {
      console.log("      (skipped: giving a folder to another user needs root; running as uid " + uid + ")");
      this.skip();
    }
    const env = { TMPDIR: tmp };
    const { victim } = await tampered(env, "kd");
    const parent = join(tmp, `kubedrill-${uid}`);
    await chown(parent, 65534, 65534);
    for (const attempt of [() => ensureStateRoot(env), () => downLocal("kd", env), () => localState("kd", env)]) {
      const err = await attempt().then(
        () => expect.fail("should refuse"),
        (e: Error) => e,
      );
      expect(err).to.be.instanceOf(SafetyError);
      expect(err.message).to.equal(
        `local cluster state folder ${parent} belongs to uid 65534, not to you (uid ${uid}): whoever owns it controls the clusters' state files; remove it (as its owner or root) or set KUBEDRILL_STATE_DIR to a folder of your own`,
      );
    }
    expect(await readFile(join(victim, "keep.txt"), "utf8")).to.equal("mine");
  });
});
