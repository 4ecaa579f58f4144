import { expect } from "chai";
import { NotApplicableError } from "../../src/errors.ts";
import { chooseProvider } from "../../src/providers/auto.ts";
import type { Applicability, ClusterProvider, ProviderName } from "../../src/providers/provider.ts";
import { memoryLogger } from "../../src/util/log.ts";

function candidate(name: ProviderName, verdict: Applicability | Error, asked: string[]): ClusterProvider {
  return {
    name,
    applicable: async () => {
      asked.push(name);
      if (verdict instanceof Error) throw verdict;
      return verdict;
    },
    start: async () => {
      throw new Error("not in these tests");
    },
  };
}

describe("chooseProvider", () => {
  it("takes the first applicable provider and stops asking", async () => {
    const asked: string[] = [];
    const log = memoryLogger();
    const choice = await chooseProvider(
      [
        candidate("kind", { ok: false, reason: "docker is installed but the Docker engine does not answer" }, asked),
        candidate("local", { ok: true, detail: "built binaries in cache" }, asked),
        candidate("k3s", { ok: true }, asked),
      ],
      log,
    );
    expect(choice.provider.name).to.equal("local");
    expect(choice.considered).to.deep.equal([
      { name: "kind", ok: false, reason: "docker is installed but the Docker engine does not answer" },
      { name: "local", ok: true },
    ]);
    expect(asked).to.deep.equal(["kind", "local"]);
    expect(log.lines.find((l) => l.level === "info")?.message).to.equal(
      "using the local provider (built binaries in cache)",
    );
  });

  it("lists every candidate's reason when none applies (a throwing check counts as a reason)", async () => {
    const asked: string[] = [];
    let error: unknown;
    try {
      await chooseProvider(
        [
          candidate("kind", { ok: false, reason: "kind not found on PATH" }, asked),
          candidate("local", new Error("go toolchain missing"), asked),
        ],
        memoryLogger(),
      );
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(NotApplicableError);
    expect((error as Error).message).to.equal(
      "none of the 2 cluster providers works here:\n  - kind: kind not found on PATH\n  - local: applicability check failed: go toolchain missing",
    );
  });

  it("redacts credentials in reasons", async () => {
    const choice = await chooseProvider(
      [
        candidate("kubeconfig", { ok: false, reason: "server https://u:pw@h said: Authorization: Bearer abc" }, []),
        candidate("local", { ok: true }, []),
      ],
      memoryLogger(),
    );
    expect(choice.considered[0]!.reason).to.equal(
      "server https://u:[REDACTED]@h said: Authorization: Bearer [REDACTED]",
    );
  });

  it("refuses an empty candidate list", async () => {
    let error: unknown;
    try {
      await chooseProvider([], memoryLogger());
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(NotApplicableError);
    expect((error as Error).message).to.include("candidate list is empty");
  });
});
