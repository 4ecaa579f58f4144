import { expect } from "chai";
import { parseQuotaRejection, quotaExceededAnalyser } from "../../src/diagnose/analysers/quota-exceeded.ts";
import { emptySnapshot, event, replicaSet, resourceQuota } from "./fixtures/builders.ts";

const CPU_MSG =
  'Error creating: pods "api-7d9f-abcde" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2';
const MEM_MSG =
  'Error creating: pods "web-5b8c-q2x7d" is forbidden: exceeded quota: mem, requested: limits.memory=1Gi, used: limits.memory=4Gi, limited: limits.memory=4Gi';

describe("diagnose: QuotaExceeded", () => {
  it("parses the admission error, several resources included", () => {
    expect(parseQuotaRejection(CPU_MSG)).to.deep.equal({
      quota: "compute",
      requested: { "requests.cpu": "500m" },
      used: { "requests.cpu": "2" },
      limited: { "requests.cpu": "2" },
    });
    const multi = parseQuotaRejection(
      'Error creating: pods "x" is forbidden: exceeded quota: compute, requested: limits.memory=1Gi,requests.cpu=500m, used: limits.memory=4Gi,requests.cpu=2, limited: limits.memory=4Gi,requests.cpu=2',
    );
    expect(multi?.requested).to.deep.equal({ "limits.memory": "1Gi", "requests.cpu": "500m" });
    expect(multi?.limited).to.deep.equal({ "limits.memory": "4Gi", "requests.cpu": "2" });
    expect(
      parseQuotaRejection("Error creating: pods is forbidden: failed quota: compute: must specify limits.memory"),
    ).to.equal(undefined);
  });

  it("reports a quota at its hard limit with FailedCreate events, used vs hard ('2000m' counts as 2)", () => {
    const quota = resourceQuota(
      "compute",
      "shop",
      { "requests.cpu": "2", "limits.memory": "4Gi" },
      { "requests.cpu": "2000m", "limits.memory": "3Gi" },
    );
    const ev = event("shop", { kind: "ReplicaSet", apiVersion: "apps/v1", name: "api-7d9f" }, "FailedCreate", CPU_MSG, {
      count: 14,
      component: "replicaset-controller",
    });
    const rs = replicaSet("api-7d9f", "shop", 20, 4);
    const [f, ...rest] = quotaExceededAnalyser.analyse(
      emptySnapshot({ resourceQuotas: [quota], events: [ev], replicaSets: [rs] }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.object).to.deep.equal({ apiVersion: "v1", kind: "ResourceQuota", name: "compute", namespace: "shop" });
    expect(f?.severity).to.equal("critical");
    expect(f?.message).to.equal(
      'quota "compute" in shop is exhausted: requests.cpu 2/2 used; ReplicaSet api-7d9f cannot create pods (each needs requests.cpu=500m)',
    );
    expect(f?.evidence).to.include(`FailedCreate: ${CPU_MSG}`);
    expect(f?.evidence).to.include("ResourceQuota compute status: requests.cpu used=2000m hard=2");
    expect(f?.remedy).to.equal(
      "set ResourceQuota hard limits that match real demand (e.g. requests.cpu=2, limits.memory=4Gi), right-size requests with a LimitRange, give core services a PriorityClass",
    );
  });

  it("a quota at its limit only for memory reports only memory", () => {
    const quota = resourceQuota(
      "mem",
      "web",
      { "requests.cpu": "4", "limits.memory": "4Gi", pods: "20" },
      { "requests.cpu": "1500m", "limits.memory": "4096Mi", pods: "4" },
    );
    const rs = replicaSet("web-5b8c", "web", 6, 4, MEM_MSG);
    const [f] = quotaExceededAnalyser.analyse(emptySnapshot({ resourceQuotas: [quota], replicaSets: [rs] }));
    expect(f?.message).to.equal(
      'quota "mem" in web is exhausted: limits.memory 4Gi/4Gi used; ReplicaSet web-5b8c cannot create pods (each needs limits.memory=1Gi)',
    );
    expect(f?.message).to.not.contain("requests.cpu");
    expect(f?.evidence).to.include(`ReplicaSet web-5b8c ReplicaFailure=True FailedCreate: ${MEM_MSG}`);
  });

  it("is silent when the quota is full but nothing is blocked, or the event names another quota", () => {
    const quota = resourceQuota("compute", "shop", { "requests.cpu": "2" }, { "requests.cpu": "2" });
    expect(quotaExceededAnalyser.analyse(emptySnapshot({ resourceQuotas: [quota] }))).to.deep.equal([]);
    const other = event(
      "shop",
      { kind: "ReplicaSet", name: "api-7d9f" },
      "FailedCreate",
      CPU_MSG.replace("exceeded quota: compute", "exceeded quota: other"),
    );
    expect(quotaExceededAnalyser.analyse(emptySnapshot({ resourceQuotas: [quota], events: [other] }))).to.deep.equal(
      [],
    );
  });

  it("is silent once the quota has headroom again, or the ReplicaSet has all its pods (stale events)", () => {
    const ev = event("shop", { kind: "ReplicaSet", name: "api-7d9f" }, "FailedCreate", CPU_MSG);
    const raised = resourceQuota("compute", "shop", { "requests.cpu": "4" }, { "requests.cpu": "2" });
    expect(quotaExceededAnalyser.analyse(emptySnapshot({ resourceQuotas: [raised], events: [ev] }))).to.deep.equal([]);
    const full = resourceQuota("compute", "shop", { "requests.cpu": "2" }, { "requests.cpu": "2" });
    const settled = replicaSet("api-7d9f", "shop", 4, 4);
    expect(
      quotaExceededAnalyser.analyse(emptySnapshot({ resourceQuotas: [full], events: [ev], replicaSets: [settled] })),
    ).to.deep.equal([]);
  });

  it("ignores events from another namespace", () => {
    const quota = resourceQuota("compute", "shop", { "requests.cpu": "2" }, { "requests.cpu": "2" });
    const ev = event("other", { kind: "ReplicaSet", name: "api-7d9f" }, "FailedCreate", CPU_MSG);
    expect(quotaExceededAnalyser.analyse(emptySnapshot({ resourceQuotas: [quota], events: [ev] }))).to.deep.equal([]);
  });
});
