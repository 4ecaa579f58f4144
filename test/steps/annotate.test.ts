import { expect } from "chai";
import type { CliIO } from "../../src/cli/command.ts";
import { schemaCommand } from "../../src/cli/commands/schema.ts";
import { whyAlone } from "../../src/engine/exclusive.ts";
import { Registry } from "../../src/pipeline/registry.ts";
import { isClusterScopedStep } from "../../src/providers/guard.ts";
import type { StepPlugin } from "../../src/sdk/plugin.ts";
import type { Step } from "../../src/sdk/types.ts";
import { generateSchema } from "../../src/scenario/catalogue.ts";
import { annotateStep } from "../../src/steps/annotate.ts";
import { STEPS } from "../../src/steps/index.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { pod } from "../fakes/objects.ts";
import { scenario, spec } from "../fakes/scenario.ts";
import { NS, stepEnv } from "../engine/step-env.ts";

/** Pods outside the run's namespace: what lives inside it goes with the namespace, not by revert. */
const SHARED = "shared";
const podRef = (name: string) => ({ apiVersion: "v1", kind: "Pod", name, namespace: SHARED });

describe("the example plug-in (src/steps/annotate.ts)", () => {
  it("loads into a registry of its own and runs against the fake Kube, revert restoring what was there", async () => {
    const registry = new Registry<Step, StepPlugin>("step").add(annotateStep);
    expect(registry.types()).to.deep.equal(["annotate"]);
    const e = stepEnv();
    e.kube.put(pod("a", SHARED, { app: "x" }, true));
    const b = pod("b", SHARED, { app: "x" }, true);
    e.kube.put({ ...b, metadata: { ...b.metadata, annotations: { owner: "team-b" } } });
    const params = {
      target: { kind: "Pod", selector: "app=x", namespace: SHARED },
      annotations: { owner: "drill", "chaos/on": "yes" },
    };
    const step = registry.create(spec("annotate", params), {
      namespace: NS,
      runId: "run9",
      file: "/scenarios/s.yaml",
      dir: "/scenarios",
      probe: () => expect.fail("annotate has no nested probes"),
      manifests: () => expect.fail("annotate applies no manifests"),
    });
    expect(step.describe()).to.equal(`annotate Pod app=x in ${SHARED} with owner, chaos/on`);
    const h = await step.inject(e.ctx);
    expect(e.kube.object(podRef("a"))!.metadata.annotations).to.include({ owner: "drill", "chaos/on": "yes" });
    expect(e.kube.object(podRef("b"))!.metadata.annotations).to.include({ owner: "drill", "chaos/on": "yes" });
    await h.revert();
    expect(e.kube.object(podRef("a"))!.metadata.annotations ?? {}).to.deep.equal({});
    expect(e.kube.object(podRef("b"))!.metadata.annotations).to.deep.equal({ owner: "team-b" });
  });

  it("fails before any cluster work on params it cannot use, at file:line:col", () => {
    const registry = new Registry<Step, StepPlugin>("step").add(annotateStep);
    const env = {
      namespace: NS,
      runId: "r",
      file: "/s.yaml",
      dir: "/",
      probe: () => expect.fail("no probes"),
      manifests: () => expect.fail("no manifests"),
    };
    expect(() =>
      registry.create(
        spec("annotate", { target: { kind: "Pod", name: "a" }, annotations: { n: 1 } }, "spec.fault[0]"),
        env,
      ),
    ).to.throw(/spec\.fault\[0\]\.annotations\.n must be a string \(got 1\)/);
  });

  it("is listed by its index, so kubedrill schema includes it", async () => {
    expect(STEPS).to.include(annotateStep);
    const lines: string[] = [];
    const io: CliIO = {
      out: (t) => void lines.push(t),
      log: memoryLogger(),
      signal: new AbortController().signal,
      env: {},
      cwd: process.cwd(),
    };
    expect(await schemaCommand.run({}, io)).to.equal(0);
    const schema = JSON.parse(lines.join("\n")) as { definitions: Record<string, { properties: object }> };
    expect(schema.definitions.step!.properties).to.have.property("annotate");
    expect(schema.definitions.annotateStep).to.deep.include({
      description: annotateStep.description,
      required: ["target", "annotations"],
    });
    const without = generateSchema({ step: STEPS.filter((s) => s !== annotateStep), probe: [], signal: [] });
    expect((without.definitions as Record<string, unknown>).annotateStep).to.equal(undefined);
  });

  it("is judged by its scope: annotating a Node is cluster-scoped and runs alone", () => {
    expect(isClusterScopedStep("annotate", [{ kind: "Node" }])).to.equal(true);
    expect(isClusterScopedStep("annotate", [{ kind: "Pod" }])).to.equal(false);
    const onNode = spec("annotate", { target: { kind: "Node", name: "n1" }, annotations: { a: "b" } });
    expect(whyAlone(scenario("s", { fault: [onNode] }))).to.equal(
      "changes the cluster-scoped Node/n1 other scenarios may use",
    );
  });
});
