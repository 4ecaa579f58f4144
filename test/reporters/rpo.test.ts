import { expect } from "chai";
import { rpoCount } from "../../src/engine/attempt-report.ts";
import { verdictReasons } from "../../src/report/verdict.ts";
import { renderHtml } from "../../src/reporters/html.ts";
import { renderJson } from "../../src/reporters/json.ts";
import { renderJunit } from "../../src/reporters/junit.ts";
import { renderMarkdown } from "../../src/reporters/markdown.ts";
import { renderOpenMetrics } from "../../src/reporters/openmetrics.ts";
import type { RunReport } from "../../src/report/types.ts";
import { singleRunReport } from "./fixture.ts";

const LOST =
  "RPO 3 acknowledged write(s) lost exceeded target 0 (of 410 acknowledged): wal.example/append: 410 write(s) acknowledged, 3 lost (target 0): seq 7, 8, 9; writing stopped";

/** The single-run fixture with an RPO counted on its first attempt (passed, nothing lost) and its second (3 lost). */
function withRpo(): RunReport {
  const r = singleRunReport();
  r.scenarios[0]!.rpo = { acknowledged: 412, lost: 0, target: 0, notAcknowledged: 37 };
  r.scenarios[1]!.rpo = { acknowledged: 410, lost: 3, target: 0, notAcknowledged: 12 };
  r.scenarios[1]!.reasons = [LOST];
  return r;
}

describe("RPO in writes", () => {
  describe("verdict", () => {
    const base = {
      mode: "all" as const,
      signals: [],
      ttdMs: 100,
      ttdTargetMs: 1000,
      rtoMs: 500,
      rtoTargetMs: 1000,
      watchedMs: 0,
      waitedMs: 0,
      remediated: true,
      leftovers: [],
    };
    const probe = (lost: number, ok: boolean) => ({
      describe: "writes ...",
      ok,
      message: "wal.example/append: 410 write(s) acknowledged, 3 lost (target 0): seq 7, 8, 9; writing stopped",
      writes: { acknowledged: 410, lost, target: 0 },
    });

    it("fails an attempt whose acknowledged writes were lost beyond the target, saying how many of how many", () => {
      expect(verdictReasons({ ...base, rpo: [probe(3, false)] })).to.deep.equal([LOST]);
    });

    it("passes one that lost none", () => {
      expect(verdictReasons({ ...base, rpo: [{ ...probe(0, true), message: "0 lost" }] })).to.deep.equal([]);
    });

    it("a write probe that failed otherwise (nothing read back) fails as an RPO probe", () => {
      const r = verdictReasons({ ...base, rpo: [{ ...probe(0, false), message: "reading back /log: HTTP 503" }] });
      expect(r).to.deep.equal(["RPO probe writes ... failed: reading back /log: HTTP 503"]);
    });

    it("a store that could not be read back: not measured, with the acknowledged count", () => {
      const r = verdictReasons({
        ...base,
        rpo: [{ ...probe(0, false), writes: { acknowledged: 10, lost: null, target: 0 }, message: "HTTP 503" }],
      });
      expect(r).to.deep.equal(["RPO not measured: 10 acknowledged write(s) could not be read back: HTTP 503"]);
    });

    it("the attempt's figures sum the probes that counted writes; none counted: no figures", () => {
      const w = (acknowledged: number, lost: number) => ({
        ok: true,
        message: "",
        simulated: false,
        writes: { acknowledged, lost, target: 0, notAcknowledged: 1 },
      });
      expect(rpoCount([w(10, 1), { ok: true, message: "", simulated: false }, w(5, 0)])).to.deep.equal({
        acknowledged: 15,
        lost: 1,
        target: 0,
        notAcknowledged: 2,
      });
      expect(rpoCount([{ ok: false, message: "", simulated: false }])).to.equal(undefined);
      const unread = { ...w(3, 0), writes: { acknowledged: 3, lost: null, target: 0, notAcknowledged: 0 } };
      expect(rpoCount([w(10, 1), unread])).to.deep.include({ acknowledged: 13, lost: null });
    });
  });

  describe("in every report format", () => {
    it("report.json: rpo beside rtoMs, keys in order", () => {
      const json = renderJson(withRpo());
      expect(json).to.include(
        '"rpo": {\n        "acknowledged": 412,\n        "lost": 0,\n        "target": 0,\n        "notAcknowledged": 37\n      },',
      );
      const run = (JSON.parse(json) as RunReport).scenarios[0]!;
      expect(Object.keys(run).indexOf("rpo")).to.equal(Object.keys(run).indexOf("rtoMs") + 1);
    });

    it("summary.md: a column next to RTO, the miss in bold; absent when no attempt counted writes", () => {
      const md = renderMarkdown(withRpo());
      expect(md).to.include("| RTO target | RPO: acknowledged writes lost | Signals |");
      expect(md).to.include("| 0 of 412 (≤ 0) |");
      expect(md).to.include("| **3** of 410 (≤ 0) |");
      expect(md).to.include(LOST);
      expect(renderMarkdown(singleRunReport())).not.to.include("RPO");
    });

    it("report.html: a figure per attempt and a summary column", () => {
      const html = renderHtml(withRpo());
      expect(html).to.include('<th class="num">RPO: acknowledged writes lost</th>');
      expect(html).to.include(
        '<div class="fig rpo"><div class="k">Acknowledged writes lost (RPO)</div><div class="v">0</div><div class="t"><span class="ok">within target 0</span> · of 412 acknowledged, 37 not acknowledged</div></div>',
      );
      expect(html).to.include('<div class="v miss">3</div><div class="t"><span class="miss">3 over target 0</span>');
      expect(renderHtml(singleRunReport())).not.to.include("fig rpo");
    });

    it("junit: properties, the figures in the text and the failure typed as a missed target", () => {
      const xml = renderJunit(withRpo());
      expect(xml).to.include('<property name="rpoAcknowledgedWrites" value="412"/>');
      expect(xml).to.include('<property name="rpoLostWrites" value="0"/>');
      expect(xml).to.include('<property name="rpoLostWritesTarget" value="0"/>');
      expect(xml).to.include("RPO 0 of 412 acknowledged writes lost (target 0), met");
      expect(xml).to.include("RPO 3 of 410 acknowledged writes lost (target 0), missed");
      expect(xml).to.match(/<failure message="RPO 3 acknowledged write\(s\) lost[^"]*" type="target-missed">/);
    });

    it("lost unknown (the store down): said in every format, and no lost-writes sample rather than a 0", () => {
      const r = withRpo();
      r.scenarios[1]!.rpo = { acknowledged: 10, lost: null, target: 0, notAcknowledged: 142 };
      expect(renderMarkdown(r)).to.include("| unknown of 10 (≤ 0) |");
      expect(renderHtml(r)).to.include('<div class="v muted">unknown</div>');
      expect(renderJunit(r)).to.include("RPO not read back: 10 acknowledged writes, lost unknown (target 0)\n");
      const text = renderOpenMetrics(r);
      expect(text).not.to.include('kubedrill_attempt_rpo_lost_writes{scenario="zone-unavailable"');
      expect(text).to.include('kubedrill_attempt_rpo_acknowledged_writes{scenario="zone-unavailable",attempt="1"} 10');
    });

    it("openmetrics: lost writes, acknowledged writes and the target per attempt", () => {
      const text = renderOpenMetrics(withRpo());
      expect(text).to.include("# TYPE kubedrill_attempt_rpo_lost_writes gauge");
      expect(text).to.include('kubedrill_attempt_rpo_lost_writes{scenario="quota-exhaustion",attempt="1"} 0');
      expect(text).to.include('kubedrill_attempt_rpo_lost_writes{scenario="zone-unavailable",attempt="1"} 3');
      expect(text).to.include('kubedrill_attempt_rpo_acknowledged_writes{scenario="zone-unavailable",attempt="1"} 410');
      expect(text).to.include('kubedrill_attempt_rpo_lost_writes_target{scenario="quota-exhaustion",attempt="1"} 0');
    });
  });
});
