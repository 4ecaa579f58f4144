import { expect } from "chai";
import { redact } from "../../src/util/redact.ts";
import { NS, stepEnv } from "../engine/step-env.ts";

const PASSWORD = "hunter2-very-secret";
const B64 = Buffer.from(PASSWORD).toString("base64");

describe("Secret values are never rendered", () => {
  it("a field probe on a Secret's data shows keys and sizes, whatever the test", async () => {
    const e = stepEnv();
    e.kube.put({ apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: NS }, data: { password: B64 } });
    for (const test of [{ exists: true }, { equals: "wrong" }, { matches: "^x" }]) {
      for (const path of ["data.password", "data"]) {
        const probe = e.probe("field", { target: { kind: "Secret", name: "db" }, path, ...test });
        await e.view.ensure(probe.kinds);
        const { message } = await probe.evaluate(e.ctx);
        expect(message, `${path} ${JSON.stringify(test)}`).not.to.include(B64);
        expect(message).to.match(/<hidden, \d+ bytes>/);
      }
    }
  });

  it("a field probe still compares the real value (only the text hides it)", async () => {
    const e = stepEnv();
    e.kube.put({ apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: NS }, data: { password: B64 } });
    const probe = e.probe("field", { target: { kind: "Secret", name: "db" }, path: "data.password", equals: B64 });
    await e.view.ensure(probe.kinds);
    const result = await probe.evaluate(e.ctx);
    expect(result.ok).to.equal(true);
    expect(result.message).to.equal(`Secret/${NS}/db data.password = <hidden, ${B64.length} bytes>`);
  });

  it("a patch step's description names the fields it sets on a Secret, not the values", () => {
    const e = stepEnv();
    const step = e.step("patch", {
      target: { kind: "Secret", name: "db" },
      patch: { stringData: { password: PASSWORD, user: "app" } },
    });
    expect(step.describe()).not.to.include(PASSWORD);
    expect(step.describe()).to.include("sets stringData.password, stringData.user (values hidden)");
  });

  it("the redactor catches dotted keys: data.password = value", () => {
    expect(redact(`data.password = ${PASSWORD}`)).not.to.include(PASSWORD);
    expect(redact(`spec.auth.token=${PASSWORD}`)).not.to.include(PASSWORD);
  });
});
