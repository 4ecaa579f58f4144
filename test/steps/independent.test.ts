import { expect } from "chai";
import { allOrNothing, INDEPENDENT_LIMIT, undoAll } from "../../src/sdk/handle.ts";
import { node, pod } from "../fakes/objects.ts";
import { until } from "../fakes/settle.ts";
import { NS, stepEnv } from "../engine/step-env.ts";

type Env = ReturnType<typeof stepEnv>;

/** Makes each call of `method` take `ms` on the fake clock; counts the calls in flight at once. */
function slow(e: Env, method: "patch" | "delete", ms = 100) {
  const seen = { inFlight: 0, most: 0 };
  const original = e.kube[method].bind(e.kube) as (...a: unknown[]) => Promise<unknown>;
  (e.kube as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    seen.most = Math.max(seen.most, ++seen.inFlight);
    try {
      await e.clock.sleep(ms);
      return await original(...args);
    } finally {
      seen.inFlight--;
    }
  };
  return seen;
}

/** Runs `work` to its end, moving the fake clock on whenever it waits; returns how long it took. */
async function timed<T>(e: Env, work: Promise<T>): Promise<{ value: T; ms: number }> {
  const start = e.clock.now();
  let done = false;
  const settled = work.finally(() => (done = true));
  while (!done) {
    await until(() => done || e.clock.pendingSleeps > 0, "the work waits or ends");
    if (!done) await e.clock.advance(10);
  }
  return { value: await settled, ms: e.clock.now() - start };
}

const NODE = (name: string) => ({ apiVersion: "v1", kind: "Node", name });

describe("independent parts of a step run side by side", () => {
  it("taint over a zone patches its nodes at once, and reverts them at once", async () => {
    const e = stepEnv();
    for (const n of ["n1", "n2", "n3"]) e.kube.put(node(n, { labels: { zone: "a" } }));
    const seen = slow(e, "patch");
    const step = e.step("taint", { nodes: { selector: "zone=a" }, key: "zone-down", effect: "NoExecute" });
    const injected = await timed(e, step.inject(e.ctx));
    expect(seen.most).to.equal(3);
    expect(injected.ms).to.equal(200); // the mark, then the taint: 2 round trips, not 2 per node
    for (const n of ["n1", "n2", "n3"]) expect(e.kube.object(NODE(n))!.spec.taints).to.have.length(1);
    seen.most = 0;
    const reverted = await timed(e, injected.value.revert());
    expect(seen.most).to.equal(3);
    expect(reverted.ms).to.equal(100);
    for (const n of ["n1", "n2", "n3"]) expect(e.kube.object(NODE(n))!.spec.taints).to.equal(undefined);
  });

  it("when one node fails, the others are put back and that node's error is thrown", async () => {
    const e = stepEnv();
    for (const n of ["n1", "n2", "n3"]) e.kube.put(node(n, { labels: { zone: "a" } }));
    e.kube.failNext(
      "patch",
      Object.assign(new Error('nodes "n2" is forbidden'), { statusCode: 403 }),
      (args) => (args[0] as { name: string }).name === "n2" && JSON.stringify(args[1]).includes('"unschedulable"'),
    );
    let error: Error | undefined;
    await e
      .step("cordon", { nodes: { selector: "zone=a" } })
      .inject(e.ctx)
      .catch((err: Error) => (error = err));
    expect(error?.message).to.match(/n2.*forbidden/);
    for (const n of ["n1", "n2", "n3"]) {
      const back = e.kube.object(NODE(n))!;
      expect(back.spec.unschedulable, n).to.equal(undefined);
      expect(back.metadata.annotations ?? {}, n).to.deep.equal({});
    }
  });

  it("never more than INDEPENDENT_LIMIT at once", async () => {
    const e = stepEnv();
    const names = Array.from({ length: INDEPENDENT_LIMIT * 2 + 3 }, (_, i) => `n${i}`);
    for (const n of names) e.kube.put(node(n, { labels: { zone: "b" } }));
    const seen = slow(e, "patch");
    await timed(e, e.step("cordon", { nodes: { selector: "zone=b" } }).inject(e.ctx));
    expect(seen.most).to.equal(INDEPENDENT_LIMIT);
    for (const n of names) expect(e.kube.object(NODE(n))!.spec.unschedulable, n).to.equal(true);
  });

  it("restartPods deletes the matching pods at once", async () => {
    const e = stepEnv();
    for (const n of ["a", "b", "c"]) e.kube.put(pod(n, NS, { app: "x" }, true));
    const seen = slow(e, "delete");
    const { ms } = await timed(e, e.step("restartPods", { selector: "app=x" }).inject(e.ctx));
    expect(seen.most).to.equal(3);
    expect(ms).to.equal(100);
    expect(e.kube.objects("Pod")).to.deep.equal([]);
  });

  it("restartPods names every pod it could not delete, and still deletes the others", async () => {
    const e = stepEnv();
    for (const n of ["a", "b", "c"]) e.kube.put(pod(n, NS, { app: "x" }, true));
    e.kube.failAlways("delete", new Error("forbidden"), (args) => (args[0] as { name: string }).name === "b");
    const err = (await e
      .step("restartPods", { selector: "app=x" })
      .inject(e.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.equal(`restartPods: could not delete 1 of 3 pod(s) app=x in ${NS}: b: forbidden`);
    expect(e.kube.objects("Pod").map((p) => p.metadata.name)).to.deep.equal(["b"]);
  });

  it("ordered parts (apply's manifests) still run one after another, undone newest first", async () => {
    const order: string[] = [];
    const part = (n: string) => ({
      label: n,
      run: async () => {
        order.push(`do ${n}`);
        return () => void order.push(`undo ${n}`);
      },
    });
    const h = await allOrNothing([part("a"), part("b"), part("c")], { warn: () => undefined });
    await h.revert();
    expect(order).to.deep.equal(["do a", "do b", "do c", "undo c", "undo b", "undo a"]);
  });

  it("undoAll of independent undos runs every one and names each failure", async () => {
    const ran: string[] = [];
    const undo = (n: string, fail = false) => ({
      label: n,
      undo: async () => {
        ran.push(n);
        if (fail) throw new Error(`${n} refused`);
      },
    });
    let error: Error | undefined;
    await undoAll([undo("a", true), undo("b"), undo("c", true)], { independent: true }).catch(
      (err: Error) => (error = err),
    );
    expect([...ran].sort()).to.deep.equal(["a", "b", "c"]);
    expect(error).to.be.instanceOf(AggregateError);
    expect(error!.message).to.equal("a: a refused; c: c refused");
  });
});
