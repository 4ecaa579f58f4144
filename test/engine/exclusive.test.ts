import { expect } from "chai";
import { Gate, runsAlone } from "../../src/engine/exclusive.ts";
import type { Scenario } from "../../src/scenario/types.ts";

const loc = { file: "x.yaml", line: 1, column: 1, field: "spec" };
const scenario = (faultTypes: string[]) =>
  ({ spec: { setup: { steps: [] }, fault: faultTypes.map((type) => ({ type, params: {}, loc })), remediate: { steps: [] } } }) as unknown as Scenario;

describe("engine: scenarios that change shared nodes run alone", () => {
  it("recognises node-level faults", () => {
    expect(runsAlone(scenario(["stopNodes"]))).to.equal(true);
    expect(runsAlone(scenario(["fillDisk"]))).to.equal(true);
    expect(runsAlone(scenario(["apply", "scale", "patch"]))).to.equal(false);
  });

  it("lets shared holders overlap but never an exclusive holder with anyone", async () => {
    const gate = new Gate();
    const log: string[] = [];
    let running = 0;
    let maxWithExclusive = 0;
    const job = (name: string, exclusive: boolean, ms: number) =>
      gate.run(exclusive, async () => {
        running++;
        log.push(`start ${name}`);
        if (exclusive) maxWithExclusive = Math.max(maxWithExclusive, running);
        await new Promise((r) => setTimeout(r, ms));
        if (exclusive) maxWithExclusive = Math.max(maxWithExclusive, running);
        running--;
        log.push(`end ${name}`);
      });
    await Promise.all([job("a", false, 30), job("b", false, 30), job("zone", true, 20), job("c", false, 10)]);
    expect(maxWithExclusive, "others running beside the exclusive one").to.equal(1);
    expect(log.indexOf("start b")).to.be.lessThan(log.indexOf("end a"));
    const z = log.indexOf("start zone");
    expect(log.slice(z + 1, log.indexOf("end zone"))).to.deep.equal([]);
  });
});
