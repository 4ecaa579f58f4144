import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Gate, runsAlone, whyAlone } from "../../src/engine/exclusive.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { scenario as full, spec } from "../fakes/scenario.ts";

const loc = { file: "x.yaml", line: 1, column: 1, field: "spec" };
const scenario = (faultTypes: string[]) =>
  ({
    spec: {
      setup: { steps: [] },
      fault: faultTypes.map((type) => ({ type, params: {}, loc })),
      remediate: { steps: [] },
    },
  }) as unknown as Scenario;

describe("engine: scenarios that change shared nodes run alone", () => {
  it("recognises node-level faults", () => {
    expect(runsAlone(scenario(["stopNodes"]))).to.equal(true);
    expect(runsAlone(scenario(["fillDisk"]))).to.equal(true);
    expect(runsAlone(scenario(["apply", "scale", "patch"]))).to.equal(false);
  });

  it("lets shared holders overlap but never an exclusive holder with anyone", async () => {
    const gate = new Gate();
    const clock = new FakeClock();
    const log: string[] = [];
    let running = 0;
    let maxWithExclusive = 0;
    const job = (name: string, exclusive: boolean, ms: number) =>
      gate.run(exclusive, async () => {
        running++;
        log.push(`start ${name}`);
        if (exclusive) maxWithExclusive = Math.max(maxWithExclusive, running);
        await clock.sleep(ms);
        if (exclusive) maxWithExclusive = Math.max(maxWithExclusive, running);
        running--;
        log.push(`end ${name}`);
      });
    let finished = false;
    const all = Promise.all([job("a", false, 30), job("b", false, 30), job("zone", true, 20), job("c", false, 10)]);
    void all.then(() => (finished = true));
    for (let i = 0; i < 20 && !finished; i++) await clock.advance(10);
    await all;
    expect(maxWithExclusive, "others running beside the exclusive one").to.equal(1);
    expect(log.indexOf("start b")).to.be.lessThan(log.indexOf("end a"));
    const z = log.indexOf("start zone");
    expect(log.slice(z + 1, log.indexOf("end zone"))).to.deep.equal([]);
  });

  it("runs alone what declares or changes cluster-scoped objects not private to the attempt", () => {
    const pc = (name: string) =>
      spec("apply", {
        objects: [{ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value: 1000 }],
      });
    const cm = spec("apply", {
      objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: {} }],
    });
    expect(whyAlone(full("a", { requires: { touches: { kinds: ["PriorityClass"], namespaces: [] } } }))).to.equal(
      "changes cluster-scoped objects (requires.touches.kinds: PriorityClass)",
    );
    expect(
      runsAlone(full("b", { requires: { touches: { kinds: [], namespaces: [] } }, setup: { steps: [cm] } })),
    ).to.equal(false);
    expect(whyAlone(full("c", { setup: { steps: [pc("kd-critical")] } }))).to.equal(
      "changes the cluster-scoped PriorityClass/kd-critical other scenarios may use",
    );
    expect(runsAlone(full("d", { setup: { steps: [pc("kd-critical-${namespace}")] } }))).to.equal(false);
    // ${runId} is private to the run, not to one attempt: enough unless the scenario runs beside itself
    expect(runsAlone(full("e", { setup: { steps: [pc("kd-critical-${runId}")] } }))).to.equal(false);
    expect(runsAlone(full("e", { setup: { steps: [pc("kd-critical-${runId}")] } }), { repeat: 2 })).to.equal(true);
    expect(
      whyAlone(full("f", { fault: [spec("delete", { target: { kind: "StorageClass", name: "standard" } })] })),
    ).to.equal("changes the cluster-scoped StorageClass/standard other scenarios may use");
    expect(
      runsAlone(full("g", { fault: [spec("patch", { target: { kind: "ConfigMap", name: "app" }, patch: {} })] })),
    ).to.equal(false);
  });

  it("looks into the manifest file of an apply step", () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-exclusive-"));
    writeFileSync(
      join(dir, "shared.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nprovisioner: x\n",
    );
    writeFileSync(
      join(dir, "private.yaml"),
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: "${namespace}-fast" }\nprovisioner: x\n',
    );
    const at = (path: string) => ({
      ...full("m", { setup: { steps: [spec("apply", { path })] } }),
      file: join(dir, "s.yaml"),
    });
    expect(whyAlone(at("shared.yaml"))).to.equal(
      "changes the cluster-scoped StorageClass/fast other scenarios may use",
    );
    expect(runsAlone(at("private.yaml"))).to.equal(false);
    expect(runsAlone(at("missing.yaml"))).to.equal(false); // validation reports it
  });
});
