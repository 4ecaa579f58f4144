import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { goSourceDir } from "../../src/providers/local/paths.ts";
import { COMPONENTS, ETCD_VERSION, KUBERNETES_VERSION } from "../../src/providers/local/components.ts";

const read = (rel: string) => readFileSync(path.join(goSourceDir(), rel), "utf8");

describe("local provider: Go wrapper modules match the declared versions", () => {
  it("requires k8s.io/kubernetes at KUBERNETES_VERSION and pins all 31 staging modules to the matching v0 release", () => {
    const mod = read("kube/go.mod");
    expect(mod).to.match(new RegExp(`^\\s*k8s\\.io/kubernetes ${KUBERNETES_VERSION.replace(/\./g, "\\.")}\\b`, "m"));
    const staging = [...mod.matchAll(/^\s+(k8s\.io\/[\w-]+) => (k8s\.io\/[\w-]+) (v\S+)$/gm)];
    expect(staging).to.have.length(31);
    const v0 = KUBERNETES_VERSION.replace(/^v1\./, "v0.");
    for (const [, from, to, version] of staging) {
      expect(to, `${from} replaced by itself`).to.equal(from);
      expect(version, `${from}`).to.equal(v0);
    }
    for (const b of COMPONENTS.find((c) => c.id === "kubernetes")!.binaries)
      expect(mod).to.include(`k8s.io/kubernetes/cmd/${b}`);
  });

  it("builds etcd from the server module at ETCD_VERSION through etcdmain.Main", () => {
    expect(read("etcd/go.mod")).to.match(
      new RegExp(`go\\.etcd\\.io/etcd/server/v3 ${ETCD_VERSION.replace(/\./g, "\\.")}\\b`),
    );
    expect(read("etcd/main.go")).to.include("etcdmain.Main(os.Args)");
  });

  it("has a go.sum for each wrapper module (builds need no network for checksums)", () => {
    expect(read("kube/go.sum")).to.include(`k8s.io/kubernetes ${KUBERNETES_VERSION} h1:`);
    expect(read("etcd/go.sum")).to.include(`go.etcd.io/etcd/server/v3 ${ETCD_VERSION} h1:`);
  });
});
