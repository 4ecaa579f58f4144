import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { URL_ENV } from "../../src/probes/shared/prometheus-check.ts";

describe("prometheus probe and signal", () => {
  describe("validation", () => {
    let dir: string;
    const saved = process.env[URL_ENV];
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), "kd-prom-"));
      delete process.env[URL_ENV];
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
      if (saved === undefined) delete process.env[URL_ENV];
      else process.env[URL_ENV] = saved;
    });

    async function problems(signal: string): Promise<string[]> {
      const file = join(dir, "s.yaml");
      await writeFile(
        file,
        [
          "apiVersion: kubedrill.io/v1alpha1",
          "kind: Scenario",
          "metadata: { name: prom }",
          "spec:",
          "  targets: { detectWithin: 1m, recoverWithin: 2m }",
          "  steadyState:",
          "    - podsReady: { selector: app=web }",
          "  fault:",
          "    - restartPods: { selector: app=web }",
          "  detect:",
          "    signals:",
          `      - prometheus: ${signal}`,
          "  remediate:",
          "    external: { description: the controller }",
          "",
        ].join("\n"),
      );
      const r = await checkScenarios([file], { cwd: dir });
      return r.problems.map((p) => `${p.line}: ${p.field} ${p.message}`);
    }

    it("accepts a query or an alert, and takes the URL from the environment when not given", async () => {
      expect(await problems('{ url: "http://prom:9090", query: up, op: "==", value: 0 }')).to.deep.equal([]);
      expect(await problems("{ url: http://prom:9090, alert: KubePodCrashLooping }")).to.deep.equal([]);
      process.env[URL_ENV] = "http://prom:9090";
      expect(await problems("{ alert: KubePodCrashLooping }")).to.deep.equal([]);
    });

    it("the shipped example validates, its variables substituted into url, query and labels", async () => {
      const example = fileURLToPath(new URL("../../examples/prometheus/", import.meta.url));
      const r = await checkScenarios([example], {
        cwd: dir,
        variables: { set: ["prometheusUrl=http://127.0.0.1:9090"] },
      });
      expect(r.problems).to.deep.equal([]);
      const [alert] = r.built[0]!.scenario.spec.detect.signals.filter((s) => "alert" in s.params);
      expect(alert!.params).to.deep.include({ url: "http://127.0.0.1:9090", alert: "KubeDeploymentUnavailable" });
    });

    it("refuses, located: both or neither of query/alert, a query without op, a missing URL, a bad op", async () => {
      expect((await problems("{ url: http://p:9090, query: up, alert: A, op: '<', value: 1 }")).join("\n")).to.include(
        "12: spec.detect.signals[0].prometheus needs exactly one of query or alert (found both)",
      );
      expect((await problems("{ url: http://p:9090, query: up }")).join("\n")).to.include("query needs op");
      expect((await problems("{ url: http://p:9090, alert: A, value: 1 }")).join("\n")).to.include(
        "spec.detect.signals[0].prometheus.value goes with query, not with alert",
      );
      expect((await problems("{ alert: A }")).join("\n")).to.include(
        `spec.detect.signals[0].prometheus.url is required when $${URL_ENV} is not set`,
      );
      expect((await problems("{ url: prom:9090, alert: A }")).join("\n")).to.include(
        "must be an absolute http:// or https:// URL",
      );
      expect(await problems("{ url: http://p:9090, query: up, op: '=>', value: 1 }")).to.deep.equal([
        '12: spec.detect.signals[0].prometheus.op must be one of: >, >=, <, <=, ==, != (got "=>"; did you mean ">"?)',
      ]);
    });
  });
});
