import { expect } from "chai";
import { ANNOTATION_ORIGINAL, LABEL_RUN_ID, type KObject } from "../../src/k8s/types.ts";
import { node } from "../fakes/objects.ts";
import { NS, stepEnv } from "../engine/step-env.ts";

const MARKS = [LABEL_RUN_ID, "kubedrill.io/scenario", ANNOTATION_ORIGINAL, "kubedrill.io/marked-at"];
const marksOf = (o: KObject) =>
  Object.keys({ ...o.metadata.labels, ...o.metadata.annotations }).filter((k) => MARKS.includes(k));
/** The step's own change: a call whose body carries none of kubedrill's marks. */
const theChange = (args: unknown[]) => !JSON.stringify(args[1] ?? args[0]).includes("kubedrill.io/");

const deployment = (namespace: string): KObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace },
  spec: { replicas: 3 },
});
const storageClass: KObject = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: "standard" },
  provisioner: "rancher.io/local-path",
} as KObject;

/** Record-then-change steps on objects outside the run's namespace (which get marked first). */
const cases: {
  name: string;
  object: KObject;
  ref: { apiVersion: string; kind: string; name: string; namespace?: string };
  method: string;
  step: [string, Record<string, unknown>];
}[] = [
  {
    name: "cordon",
    object: node("n1"),
    ref: { apiVersion: "v1", kind: "Node", name: "n1" },
    method: "patch",
    step: ["cordon", { nodes: { names: ["n1"] } }],
  },
  {
    name: "taint",
    object: node("n1"),
    ref: { apiVersion: "v1", kind: "Node", name: "n1" },
    method: "patch",
    step: ["taint", { nodes: { names: ["n1"] }, key: "chaos", effect: "NoSchedule" }],
  },
  {
    name: "scale",
    object: deployment("shared"),
    ref: { apiVersion: "apps/v1", kind: "Deployment", name: "api", namespace: "shared" },
    method: "patch",
    step: ["scale", { target: { kind: "Deployment", name: "api", namespace: "shared" }, replicas: 0 }],
  },
  {
    name: "patch",
    object: node("n1"),
    ref: { apiVersion: "v1", kind: "Node", name: "n1" },
    method: "patch",
    step: ["patch", { target: { kind: "Node", name: "n1" }, patch: { spec: { unschedulable: true } } }],
  },
  {
    name: "apply",
    object: storageClass,
    ref: { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: "standard" },
    method: "apply",
    step: [
      "apply",
      {
        objects: [
          {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: "standard" },
            provisioner: "example.com/none",
          },
        ],
      },
    ],
  },
];

describe("record-then-change steps undo their record when the change fails", () => {
  for (const c of cases) {
    it(`${c.name}: the marks are removed and the original error is raised`, async () => {
      const e = stepEnv();
      e.kube.put(c.object);
      const before = e.kube.object(c.ref)!;
      e.kube.failNext(
        c.method,
        new Error("the server rejected the change"),
        c.method === "apply" ? () => true : theChange,
      );
      const err = (await e
        .step(...c.step)
        .inject(e.ctx)
        .catch((x: Error) => x)) as Error;
      expect(err).to.be.instanceOf(Error);
      expect(err.message).to.match(/the server rejected the change$/);
      const after = e.kube.object(c.ref)!;
      expect(marksOf(after), "marks left on the object").to.deep.equal([]);
      expect(after.spec ?? null).to.deep.equal(before.spec ?? null);
      expect(e.log.lines.filter((l) => l.level === "warn")).to.deep.equal([]);
    });
  }

  it("logs a failure to remove the marks, and still raises the change's own error", async () => {
    const e = stepEnv();
    e.kube.put(node("n1"));
    e.kube.failNext("patch", new Error("connection reset"), theChange);
    e.kube.failNext(
      "patch",
      new Error("the API server is gone"),
      (a) => !theChange(a) && JSON.stringify(a[1]).includes('"kubedrill.io/run-id":null'),
    );
    const err = (await e
      .step("cordon", { nodes: { names: ["n1"] } })
      .inject(e.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.equal("connection reset");
    const warned = e.log.lines.filter((l) => l.level === "warn").map((l) => l.message);
    expect(warned).to.deep.equal([
      "after the failed change of Node/n1, restoring it and removing kubedrill's marks failed: the API server is gone",
    ]);
  });

  it("objects in the run's own namespace are not marked; a failed change leaves them as they were", async () => {
    const e = stepEnv();
    e.kube.put(deployment(NS));
    e.kube.failNext("patch", new Error("denied"), theChange);
    const err = (await e
      .step("scale", { target: { kind: "Deployment", name: "api" }, replicas: 0 })
      .inject(e.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.equal("denied");
    expect(
      e.kube.object({ apiVersion: "apps/v1", kind: "Deployment", name: "api", namespace: NS })!.spec.replicas,
    ).to.equal(3);
  });
});

describe("objects that go away with the run's namespace are not reverted one by one", () => {
  const inNs = (name: string): KObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: NS },
    data: { mode: "ok" },
  });
  const steps: [string, Record<string, unknown>][] = [
    ["patch", { target: { kind: "ConfigMap", name: "app" }, patch: { data: { mode: "broken" } } }],
    ["scale", { target: { kind: "Deployment", name: "api" }, replicas: 0 }],
    ["apply", { objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app" }, data: { mode: "x" } }] }],
    ["apply", { objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "new" }, data: {} }] }],
    ["patch", { target: { kind: "Namespace", name: NS }, patch: { metadata: { labels: { chaos: "on" } } } }],
  ];
  for (const [type, params] of steps) {
    it(`${type} ${JSON.stringify(params).slice(0, 60)}: no recorded original, and the revert makes no API call`, async () => {
      const e = stepEnv();
      e.kube.put(inNs("app"));
      e.kube.put(deployment(NS));
      e.kube.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
      const h = await e.step(type, params).inject(e.ctx);
      for (const o of e.kube.objects())
        expect(
          o.metadata.annotations?.[ANNOTATION_ORIGINAL],
          `recorded original on ${o.kind}/${o.metadata.name}`,
        ).to.equal(undefined);
      expect(e.touched).to.deep.equal([]);
      const before = e.kube.calls.length;
      await h.revert();
      expect(e.kube.calls.slice(before)).to.deep.equal([]);
    });
  }

  it("the same steps on an object outside the namespace are reverted", async () => {
    const e = stepEnv();
    e.kube.put(deployment("shared"));
    const h = await e
      .step("scale", { target: { kind: "Deployment", name: "api", namespace: "shared" }, replicas: 0 })
      .inject(e.ctx);
    await h.revert();
    const after = e.kube.object({ apiVersion: "apps/v1", kind: "Deployment", name: "api", namespace: "shared" })!;
    expect(after.spec.replicas).to.equal(3);
    expect(marksOf(after)).to.deep.equal([]);
  });
});
