import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblem } from "../../src/errors.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { runCommand, parseCommand } from "../../src/steps/command.ts";
import { Params } from "../../src/sdk/params.ts";
import type { EvalContext } from "../../src/sdk/types.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";

const minimal = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "scenarios", "minimal.yaml");

describe("command step: KUBECONFIG stays the run's", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kd-command-env-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("refuses KUBECONFIG in a command step's env at validation, at the variable's file:line:col", async () => {
    const file = join(dir, "s.yaml");
    const text = (await readFile(minimal, "utf8")).replace(
      "  fault:\n",
      "  fault:\n    - command:\n        run: [kubectl, get, pods]\n        env: { LANG: C, KUBECONFIG: /home/me/.kube/config }\n",
    );
    await writeFile(file, text);
    const { built, problems } = await checkScenarios([file], { cwd: dir });
    expect(built).to.deep.equal([]);
    expect(problems.map(formatProblem)).to.deep.equal([
      `${file}:12:37: spec.fault[0].command.env.KUBECONFIG must not be set: kubedrill gives every command the kubeconfig of the cluster the run was allowed to use; remove it`,
    ]);
  });

  it("accepts other variables in env", async () => {
    const file = join(dir, "s.yaml");
    const text = (await readFile(minimal, "utf8")).replace(
      "  fault:\n",
      "  fault:\n    - command:\n        run: [kubectl, get, pods]\n        env: { LANG: C }\n",
    );
    await writeFile(file, text);
    expect((await checkScenarios([file], { cwd: dir })).problems).to.deep.equal([]);
  });

  it("runs the command with the run's KUBECONFIG even if a step's env names another", async () => {
    const seen: NodeJS.ProcessEnv[] = [];
    const ctx = {
      clock: new FakeClock(),
      log: memoryLogger(),
      cwd: dir,
      env: { KUBECONFIG: "/tmp/pinned/kubeconfig", KUBEDRILL_NAMESPACE: "kd-1" },
      exec: async (_argv: string[], o: { env?: NodeJS.ProcessEnv }) => {
        seen.push(o.env ?? {});
        return { exitCode: 0, output: "", timedOut: false };
      },
    } as unknown as EvalContext;
    const loc = { file: "s.yaml", line: 1, column: 1, field: "x" };
    const c = parseCommand(new Params({ run: ["kubectl"], env: { KUBECONFIG: "/home/me/.kube/config", A: "1" } }, loc));
    await runCommand(ctx, c);
    expect(seen).to.deep.equal([{ KUBECONFIG: "/tmp/pinned/kubeconfig", KUBEDRILL_NAMESPACE: "kd-1", A: "1" }]);
  });
});
