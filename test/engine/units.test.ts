import { expect } from "chai";
import { labelMatcher } from "../../src/sdk/selector.ts";
import { inversePatch, touchedByJsonPatch, touchedByMerge } from "../../src/sdk/inverse.ts";
import { scenarioNamespace, newRunId } from "../../src/util/ids.ts";
import { substitute } from "../../src/sdk/substitute.ts";
import { getPath } from "../../src/sdk/objects.ts";
import { verdictReasons } from "../../src/report/verdict.ts";
import { FakeClock } from "../../src/util/clock.ts";

describe("engine helpers", () => {
  it("label selectors: equality, sets, existence", () => {
    const m = labelMatcher("app=web, tier!=db,env in (prod, stage),!legacy,zone");
    expect(m({ app: "web", env: "prod", zone: "a" })).to.equal(true);
    expect(m({ app: "web", env: "dev", zone: "a" })).to.equal(false);
    expect(m({ app: "web", env: "prod", zone: "a", legacy: "1" })).to.equal(false);
    expect(m({ app: "web", env: "prod", zone: "a", tier: "db" })).to.equal(false);
    expect(m({ app: "web", env: "prod" })).to.equal(false);
    expect(() => labelMatcher("app=(x")).to.throw(/label selector "app=\(x": unbalanced parentheses/);
    expect(() => labelMatcher("app=x y")).to.throw(/cannot parse "app=x y"/);
  });

  it("label selectors: the numeric comparisons scenario validation accepts (key>1, key<1)", () => {
    const m = labelMatcher("tier>1,tier<5");
    expect(m({ tier: "3" })).to.equal(true);
    expect(m({ tier: "5" })).to.equal(false);
    expect(m({ tier: "x" })).to.equal(false);
    expect(m({})).to.equal(false);
  });

  it("inverse patches restore what a patch touches (null where it was absent, lists whole)", () => {
    const original = {
      spec: { replicas: 2, template: { spec: { containers: [{ name: "a", image: "a:1" }] } } },
      metadata: { labels: { app: "x" } },
    };
    expect(
      inversePatch(
        touchedByMerge({ spec: { replicas: 0, paused: true }, metadata: { labels: { chaos: "1" } } }),
        original,
      ),
    ).to.deep.equal({
      spec: { replicas: 2, paused: null },
      metadata: { labels: { chaos: null } },
    });
    expect(
      touchedByJsonPatch([{ op: "replace", path: "/spec/template/spec/containers/0/image", value: "b" }], original),
    ).to.deep.equal({ spec: { template: { spec: { containers: true } } } });
    expect(inversePatch({ metadata: { annotations: { a: true } } }, original)).to.deep.equal({
      metadata: { annotations: { a: null } },
    });
  });

  it("namespaces are DNS labels of at most 63 characters; run ids sort by time", () => {
    expect(scenarioNamespace("Quota Exhaustion!", "ab12c")).to.equal("kd-quota-exhaustion-ab12c");
    const long = scenarioNamespace("x".repeat(100), "ab12c");
    expect(long.length).to.equal(63);
    expect(long).to.match(/^kd-x+-ab12c$/);
    expect(newRunId(new FakeClock(), "k3x9")).to.equal("20260101-000000-k3x9");
  });

  it("substitutes ${namespace} and ${runId} everywhere, leaving other ${...}", () => {
    expect(
      substitute({ a: ["${namespace}/x", { b: "${runId}-${HOME}" }], n: 1 }, { namespace: "ns", runId: "r" }),
    ).to.deep.equal({ a: ["ns/x", { b: "r-${HOME}" }], n: 1 });
  });

  it("dotted paths with indexes and escaped dots", () => {
    const o = {
      status: { conditions: [{ type: "Ready" }] },
      metadata: { labels: { "app.kubernetes.io/name": "web" } },
    };
    expect(getPath(o, "status.conditions[0].type")).to.equal("Ready");
    expect(getPath(o, "metadata.labels.app\\.kubernetes\\.io/name")).to.equal("web");
  });

  it("verdict reasons name the target and the miss", () => {
    const base = {
      mode: "all" as const,
      signals: [{ describe: "event X", offsetMs: 100 }],
      ttdMs: 100,
      ttdTargetMs: 1000,
      rtoMs: 500,
      rtoTargetMs: 1000,
      watchedMs: 0,
      waitedMs: 0,
      remediated: true,
      rpo: [],
      leftovers: [],
    };
    expect(verdictReasons(base)).to.deep.equal([]);
    expect(verdictReasons({ ...base, rtoMs: 1500 })).to.deep.equal(["RTO 1500ms exceeded target 1000ms by 500ms"]);
    expect(
      verdictReasons({
        ...base,
        mode: "any",
        ttdMs: null,
        signals: [{ describe: "a", offsetMs: undefined }],
        watchedMs: 1200,
      }),
    ).to.deep.equal(["none of 1 expected signal(s) seen within TTD target 1000ms (watched for 1200ms)"]);
    expect(verdictReasons({ ...base, rtoMs: null, waitedMs: 1012 })).to.deep.equal([
      "not recovered within RTO target 1000ms (waited 1012ms)",
    ]);
  });
});
