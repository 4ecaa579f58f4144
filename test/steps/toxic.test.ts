import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblem } from "../../src/errors.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { TOXIC_TYPES } from "../../src/steps/toxic.ts";
import type { ProcessResult } from "../../src/util/process.ts";
import { NS, stepEnv } from "../engine/step-env.ts";
import { pod } from "../fakes/objects.ts";
import { processResult } from "../fakes/process.ts";

const minimal = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "scenarios", "minimal.yaml");
const LATENCY = {
  selector: "app=api-proxy",
  proxy: "api",
  name: "slow-api",
  type: "latency",
  toxicity: 0.2,
  attributes: { latency: 1000, jitter: 0 },
};

/** A fake runner that records each argv and answers from `answer` (exit 0 by default). */
function recorder(answer: (argv: readonly string[]) => Partial<ProcessResult> = () => ({})) {
  const calls: { argv: string[]; env: Record<string, string | undefined> }[] = [];
  const exec = async (argv: readonly string[], o: { env?: Record<string, string | undefined> } = {}) => {
    calls.push({ argv: [...argv], env: o.env ?? {} });
    return processResult({ command: argv.join(" "), ...answer(argv) });
  };
  return { calls, exec };
}

const pods = (e: ReturnType<typeof stepEnv>, ...names: string[]) => {
  for (const n of names) e.kube.put(pod(n, NS, { app: "api-proxy" }, true));
};

describe("toxic step", () => {
  it("adds the toxic in every running Toxiproxy pod through kubectl exec, and revert removes it from each", async () => {
    const r = recorder();
    const e = stepEnv({ exec: r.exec });
    pods(e, "proxy-b", "proxy-a");
    e.kube.put(pod("proxy-c", NS, { app: "api-proxy" }, false, "Pending"));
    e.kube.put(pod("api", NS, { app: "api" }, true));
    const h = await e.step("toxic", LATENCY).inject(e.ctx);
    const add = (p: string) =>
      ["kubectl", "exec", "--namespace", NS, p, "--", "/toxiproxy-cli", "toxic", "add"].concat(
        ["--type", "latency", "--toxicName", "slow-api", "--toxicity", "0.2"],
        ["--attribute", "latency=1000", "--attribute", "jitter=0", "--downstream", "api"],
      );
    expect(r.calls.map((c) => c.argv)).to.deep.equal([add("proxy-a"), add("proxy-b")]);
    expect(r.calls[0]!.env).to.include({ KUBEDRILL_NAMESPACE: NS });
    r.calls.length = 0;
    await h.revert();
    const remove = (p: string) =>
      ["kubectl", "exec", "--namespace", NS, p, "--", "/toxiproxy-cli", "toxic", "remove"].concat([
        "--toxicName",
        "slow-api",
        "api",
      ]);
    expect(r.calls.map((c) => c.argv).sort()).to.deep.equal([remove("proxy-a"), remove("proxy-b")]);
    expect(e.log.lines.map((l) => l.message)).to.include(
      "removed toxic slow-api from Toxiproxy proxy api in pod proxy-a",
    );
    // reverting twice removes nothing twice
    r.calls.length = 0;
    await h.revert();
    expect(r.calls).to.deep.equal([]);
  });

  it("defaults to TYPE_STREAM as the name, downstream, on every connection", async () => {
    const r = recorder();
    const e = stepEnv({ exec: r.exec });
    pods(e, "proxy-a");
    await e.step("toxic", { selector: "app=api-proxy", proxy: "api", type: "latency" }).inject(e.ctx);
    const argv = r.calls[0]!.argv;
    expect(argv.slice(argv.indexOf("--toxicName"), argv.indexOf("--toxicName") + 4)).to.deep.equal([
      "--toxicName",
      "latency_downstream",
      "--toxicity",
      "1",
    ]);
    expect(argv.at(-2)).to.equal("--downstream");
  });

  it("on revert, leaves a pod that is gone or was replaced (its Toxiproxy and toxic went with it)", async () => {
    const r = recorder();
    const e = stepEnv({ exec: r.exec });
    pods(e, "proxy-a", "proxy-b");
    const h = await e.step("toxic", LATENCY).inject(e.ctx);
    e.kube.remove({ apiVersion: "v1", kind: "Pod", name: "proxy-a", namespace: NS });
    e.kube.remove({ apiVersion: "v1", kind: "Pod", name: "proxy-b", namespace: NS });
    pods(e, "proxy-b"); // same name, new uid
    r.calls.length = 0;
    await h.revert();
    expect(r.calls).to.deep.equal([]);
    expect(e.log.lines.map((l) => l.message).join("\n"))
      .to.include("pod proxy-a is gone")
      .and.include("pod proxy-b is gone");
  });

  it("on revert, takes Toxiproxy's 'toxic not found' (a restarted container) as removed", async () => {
    let removing = false;
    const r = recorder(() =>
      removing
        ? {
            exitCode: 1,
            output:
              "Failed to remove toxic: failed to remove toxic 'slow-api' from proxy 'api': HTTP 404: toxic not found",
          }
        : {},
    );
    const e = stepEnv({ exec: r.exec });
    pods(e, "proxy-a");
    const h = await e.step("toxic", LATENCY).inject(e.ctx);
    removing = true;
    await h.revert();
    expect(e.log.lines.map((l) => l.message).join("\n")).to.include("no longer has it");
  });

  it("a revert that fails otherwise says which pod and why", async () => {
    let removing = false;
    const r = recorder(() => (removing ? { exitCode: 1, stderr: "error: unable to upgrade connection" } : {}));
    const e = stepEnv({ exec: r.exec });
    pods(e, "proxy-a");
    const h = await e.step("toxic", LATENCY).inject(e.ctx);
    removing = true;
    const err = (await h.revert().catch((x: Error) => x)) as Error;
    expect(err.message).to.match(
      /^toxic slow-api in pod proxy-a: could not remove it: `kubectl exec .*` failed \(exit 1\)/,
    );
    expect(err.message).to.include("unable to upgrade connection");
  });

  it("fails when no pod runs, and undoes the pods done when a later one fails", async () => {
    const none = stepEnv({ exec: recorder().exec });
    const err = (await none
      .step("toxic", LATENCY)
      .inject(none.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.equal(`toxic slow-api: no running pod matches app=api-proxy in ${NS}`);

    const r = recorder((argv) =>
      argv.includes("proxy-b") && argv.includes("add") ? { exitCode: 1, stderr: "Failed to add toxic" } : {},
    );
    const e = stepEnv({ exec: r.exec });
    pods(e, "proxy-a", "proxy-b");
    const failed = (await e
      .step("toxic", LATENCY)
      .inject(e.ctx)
      .catch((x: Error) => x)) as Error;
    expect(failed.message).to.match(/^toxic slow-api: adding it in pod proxy-b: .*Failed to add toxic/);
    expect(r.calls.map((c) => `${c.argv[4]} ${c.argv[8]}`)).to.deep.equal([
      "proxy-a add",
      "proxy-b add",
      "proxy-a remove",
    ]);
  });

  it("refuses a bad toxic when it is built, naming the field", () => {
    const e = stepEnv();
    expect(() => e.step("toxic", { ...LATENCY, toxicity: 1.5 })).to.throw(/toxicity is the share of connections/);
    expect(() => e.step("toxic", { ...LATENCY, type: "delay" })).to.throw(/type must be one of latency, bandwidth/);
    expect(() => e.step("toxic", { ...LATENCY, stream: "both" })).to.throw(/stream must be downstream or upstream/);
    expect(() => e.step("toxic", { ...LATENCY, attributes: { latency: "1s" } })).to.throw(
      /attributes\.latency must be a number >= 0/,
    );
  });

  describe("in a scenario file", () => {
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kd-toxic-"))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    const check = async (toxic: string) => {
      const file = join(dir, "s.yaml");
      const text = (await readFile(minimal, "utf8")).replace("  fault:\n", `  fault:\n    - toxic:\n${toxic}`);
      await writeFile(file, text);
      return { file, problems: (await checkScenarios([file], { cwd: dir })).problems.map(formatProblem) };
    };

    it("reports a toxicity of 0 at its file:line:col and field", async () => {
      const { file, problems } = await check(
        "        selector: app=api-proxy\n        proxy: api\n        type: latency\n        toxicity: 0\n",
      );
      expect(problems).to.deep.equal([`${file}:14:19: spec.fault[0].toxic.toxicity must be > 0 (got 0)`]);
    });

    it("reports a missing proxy and an unknown type", async () => {
      const { file, problems } = await check("        selector: app=api-proxy\n        type: jitter\n");
      expect(problems).to.deep.equal([
        `${file}:11:9: spec.fault[0].toxic.proxy is required`,
        `${file}:12:15: spec.fault[0].toxic.type must be one of: ${TOXIC_TYPES.join(", ")} (got "jitter")`,
      ]);
    });

    it("accepts the shipped scenario's toxic", async () => {
      const { problems } = await check(
        "        selector: app=api-proxy\n        proxy: api\n        name: slow-api\n        type: latency\n        toxicity: 0.2\n        attributes: { latency: 1000, jitter: 0 }\n",
      );
      expect(problems).to.deep.equal([]);
    });
  });
});
