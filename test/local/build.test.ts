import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBinaries } from "../../src/providers/local/build.ts";
import { BuildError } from "../../src/errors.ts";
import { memoryLogger } from "../../src/util/log.ts";

const fakeGoDir = fileURLToPath(new URL("../fixtures/fake-go/", import.meta.url));

describe("local provider: building binaries from Go modules (fake go)", () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const calls = async () =>
    (await fs.readFile(path.join(tmp, "go.log"), "utf8").catch(() => "")).trim().split("\n").filter(Boolean);

  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "kd-build-"));
    env = {
      ...process.env,
      PATH: `${fakeGoDir}:${process.env.PATH}`,
      KUBEDRILL_CACHE_DIR: path.join(tmp, "cache"),
      FAKE_GO_LOG: path.join(tmp, "go.log"),
    };
  });
  afterEach(() => fs.rm(tmp, { recursive: true, force: true }));

  it("builds every component into a versioned cache folder, with CGO off and version ldflags", async () => {
    const log = memoryLogger();
    const bins = await ensureBinaries({ log, env });
    expect(Object.keys(bins).sort()).to.deep.equal([
      "etcd",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kwok",
    ]);
    expect(bins["kube-apiserver"]).to.match(/cache\/bin\/kubernetes-v1\.34\.4-go9\.99\.9-[0-9a-f]{8}\/kube-apiserver$/);
    for (const p of Object.values(bins)) await fs.access(p);
    const build = (await calls()).find((c) => c.startsWith("build") && c.includes("kube-apiserver"))!;
    expect(build).to.include("-X k8s.io/component-base/version.gitVersion=v1.34.4");
    expect(build).to.include("-trimpath");
    expect(await calls()).to.satisfy((c: string[]) =>
      c.some((l) => l.startsWith("install") && l.includes("sigs.k8s.io/kwok/cmd/kwok@v0.8.0")),
    );
    expect(log.lines.some((l) => l.message.startsWith("built kubernetes v1.34.4"))).to.equal(true);
  });

  it("is a no-op the second time", async () => {
    await ensureBinaries({ log: memoryLogger(), env });
    const before = (await calls()).filter((c) => !c.startsWith("env")).length;
    await ensureBinaries({ log: memoryLogger(), env });
    expect((await calls()).filter((c) => !c.startsWith("env")).length).to.equal(before);
  });

  it("builds once when two builds run at the same time", async () => {
    await Promise.all([
      ensureBinaries({ log: memoryLogger(), env, only: ["kubernetes"] }),
      ensureBinaries({ log: memoryLogger(), env, only: ["kubernetes"] }),
    ]);
    expect((await calls()).filter((c) => c.startsWith("build")).length).to.equal(1);
  });

  it("names the failing module and shows the tail of Go's output", async () => {
    const err = await ensureBinaries({
      log: memoryLogger(),
      env: { ...env, FAKE_GO_MODE: "fail" },
      only: ["kubernetes"],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(BuildError);
    expect((err as BuildError).message).to.include("building kubernetes (k8s.io/kubernetes/cmd/kube-apiserver");
    expect((err as BuildError).message).to.include("pkg/foo/bar.go:12:3: undefined: Baz");
    const binDir = path.join(tmp, "cache", "bin");
    expect(
      (await fs.readdir(binDir)).filter((f) => !f.endsWith(".lock")),
      "no half-built folder left",
    ).to.deep.equal([]);
  });
});
