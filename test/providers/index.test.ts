import { expect } from "chai";
import { resolveProvider } from "../../src/providers/index.ts";
import { NotApplicableError, UsageError } from "../../src/errors.ts";
import { memoryLogger } from "../../src/util/log.ts";

describe("providers: choosing by --provider", () => {
  const base = { name: "x", log: memoryLogger(), env: { ...process.env, PATH: "/nonexistent" } };

  it("refuses an explicitly chosen provider that cannot work here, saying why", async () => {
    const err = await resolveProvider({ ...base, provider: "kind" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(NotApplicableError);
    expect((err as Error).message).to.match(/^--provider kind cannot be used here: .*kind/);
  });

  it("rejects an unknown provider name as a usage error listing the choices", async () => {
    const err = await resolveProvider({ ...base, provider: "minikube" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(UsageError);
    expect((err as Error).message).to.equal("--provider minikube: expected one of auto, local, kind, k3s, kubeconfig");
  });

  it("auto with --kubeconfig means the existing cluster", async () => {
    const p = await resolveProvider({ ...base, provider: "auto", kubeconfig: "/tmp/none" });
    expect(p.name).to.equal("kubeconfig");
  });
});
