import { expect } from "chai";
import { serviceNoEndpointsAnalyser } from "../../src/diagnose/analysers/service-no-endpoints.ts";
import { emptySnapshot, endpointSlice, pod, service } from "./fixtures/builders.ts";

describe("diagnose: ServiceNoEndpoints", () => {
  it("no pod matches the selector", () => {
    const svc = service("api", "shop", { app: "api", tier: "backend" });
    const other = pod("api-1", "shop", { labels: { app: "api" }, node: "n1" });
    const [f, ...rest] = serviceNoEndpointsAnalyser.analyse(
      emptySnapshot({ services: [svc], pods: [other], endpointSlices: [endpointSlice("api", "shop", [])] }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.object).to.deep.equal({ apiVersion: "v1", kind: "Service", name: "api", namespace: "shop" });
    expect(f?.message).to.equal(
      "Service shop/api has no ready endpoints: no pod in shop matches the selector app=api,tier=backend",
    );
    expect(f?.evidence).to.deep.equal(["EndpointSlices api-x7k2p: 0 ready endpoints"]);
  });

  it("matching pods exist but none is Ready, saying why", () => {
    const svc = service("api", "shop", { app: "api" });
    const crashing = pod("api-1", "shop", {
      labels: { app: "api" },
      node: "n1",
      ready: false,
      containerStatuses: [
        {
          name: "app",
          ready: false,
          restartCount: 5,
          state: {
            waiting: {
              reason: "CrashLoopBackOff",
              message: "back-off 2m40s restarting failed container=app pod=api-1_shop(0b6f)",
            },
          },
          lastState: { terminated: { exitCode: 127, reason: "Error" } },
        },
      ],
    });
    const notReady = pod("api-2", "shop", { labels: { app: "api" }, node: "n2", ready: false });
    const pending = pod("api-3", "shop", { labels: { app: "api" } });
    const slice = endpointSlice("api", "shop", [
      { ip: "10.244.1.5", ready: false, pod: "api-1" },
      { ip: "10.244.2.5", ready: false, pod: "api-2" },
    ]);
    const [f] = serviceNoEndpointsAnalyser.analyse(
      emptySnapshot({ services: [svc], pods: [crashing, notReady, pending], endpointSlices: [slice] }),
    );
    expect(f?.message).to.equal(
      "Service shop/api has no ready endpoints: 3 pod(s) match app=api but none is Ready: api-1 (CrashLoopBackOff), api-2 (Ready=False ContainersNotReady), api-3 (Pending)",
    );
  });

  it("falls back to pod readiness when no EndpointSlice exists", () => {
    const svc = service("api", "shop", { app: "api" });
    expect(
      serviceNoEndpointsAnalyser.analyse(
        emptySnapshot({ services: [svc], pods: [pod("a", "shop", { labels: { app: "api" }, node: "n1" })] }),
      ),
    ).to.deep.equal([]);
    const [f] = serviceNoEndpointsAnalyser.analyse(emptySnapshot({ services: [svc] }));
    expect(f?.evidence[0]).to.equal("no EndpointSlice labelled kubernetes.io/service-name=api");
  });

  it("is silent with a ready endpoint (ready unset counts as ready), without a selector, and for ExternalName", () => {
    const svc = service("api", "shop", { app: "api" });
    const slice = endpointSlice("api", "shop", [{ ip: "10.244.1.5", ready: true }]);
    const unset = endpointSlice("api", "shop", [{ ip: "10.244.1.5", ready: true }]);
    delete (unset.endpoints as { conditions: Record<string, unknown> }[])[0]!.conditions.ready;
    expect(
      serviceNoEndpointsAnalyser.analyse(emptySnapshot({ services: [svc], endpointSlices: [slice] })),
    ).to.deep.equal([]);
    expect(
      serviceNoEndpointsAnalyser.analyse(emptySnapshot({ services: [svc], endpointSlices: [unset] })),
    ).to.deep.equal([]);
    expect(
      serviceNoEndpointsAnalyser.analyse(emptySnapshot({ services: [service("ext", "shop", undefined)] })),
    ).to.deep.equal([]);
    expect(
      serviceNoEndpointsAnalyser.analyse(
        emptySnapshot({
          services: [
            service("db", "shop", { app: "db" }, [{ port: 5432 }], {
              type: "ExternalName",
              externalName: "db.example.com",
            }),
          ],
        }),
      ),
    ).to.deep.equal([]);
  });

  it("does not count slices of a same-named Service in another namespace", () => {
    const svc = service("api", "shop", { app: "api" });
    const elsewhere = endpointSlice("api", "other", [{ ip: "10.244.1.5", ready: true }]);
    expect(
      serviceNoEndpointsAnalyser.analyse(emptySnapshot({ services: [svc], endpointSlices: [elsewhere] })),
    ).to.have.length(1);
  });
});
