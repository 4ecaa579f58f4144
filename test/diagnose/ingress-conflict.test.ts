import { expect } from "chai";
import { ingressBackendMissingAnalyser } from "../../src/diagnose/analysers/ingress-backends.ts";
import { ingressConflictAnalyser } from "../../src/diagnose/analysers/ingress-conflict.ts";
import { hostsOverlap, pathRule, pathsOverlap, prefixMatches } from "../../src/diagnose/util/ingress-paths.ts";
import { emptySnapshot, ingress, ingressClass, service, type IngressPath } from "./fixtures/builders.ts";

const svcs = () =>
  ["api", "api-test", "web", "api-v1", "legacy"].flatMap((n) => [
    service(n, "prod", { app: n }, [{ port: 80, name: "http" }]),
    service(n, "test", { app: n }, [{ port: 80, name: "http" }]),
  ]);
const ing = (
  name: string,
  ns: string,
  paths: IngressPath[],
  o: { className?: string; host?: string; created?: string } = {},
) =>
  ingress(name, ns, {
    className: o.className ?? "nginx",
    created: o.created,
    rules: [{ host: o.host ?? "shop.example.com", paths }],
  });
const run = (...ingresses: ReturnType<typeof ing>[]) =>
  ingressConflictAnalyser.analyse(
    emptySnapshot({
      ingresses,
      services: svcs(),
      ingressClasses: [ingressClass("nginx", true), ingressClass("nginx-test")],
    }),
  );

describe("diagnose: IngressConflict", () => {
  describe("path and host matching (Ingress spec)", () => {
    it("Prefix /api covers /api, /api/, /api/v1 but not /apiv2", () => {
      expect(["/api", "/api/", "/api/v1"].map((p) => prefixMatches("/api", p))).to.deep.equal([true, true, true]);
      expect(prefixMatches("/api", "/apiv2")).to.equal(false);
      expect(prefixMatches("/api/", "/api")).to.equal(true);
      expect(prefixMatches("/", "/anything/at/all")).to.equal(true);
    });

    it("relates two rules: same, covers, or disjoint", () => {
      expect(pathsOverlap(pathRule("/api", "Exact"), pathRule("/api", "Exact"))).to.deep.equal({ kind: "same" });
      expect(pathsOverlap(pathRule("/api", "Exact"), pathRule("/api/", "Exact"))).to.equal(undefined);
      expect(pathsOverlap(pathRule("/api", "Prefix"), pathRule("/api/", "Prefix"))).to.deep.equal({ kind: "same" });
      expect(pathsOverlap(pathRule("/api", "Prefix"), pathRule("/api/v1", "Exact"))).to.deep.equal({
        kind: "covers",
        narrow: "b",
      });
      expect(pathsOverlap(pathRule("/api/v1", "Exact"), pathRule("/api", "Prefix"))).to.deep.equal({
        kind: "covers",
        narrow: "a",
      });
      expect(pathsOverlap(pathRule("/api", "Prefix"), pathRule("/apiv2", "Prefix"))).to.equal(undefined);
      expect(pathsOverlap(pathRule("/api", "ImplementationSpecific"), pathRule("/api", "Prefix"))).to.deep.equal({
        kind: "same",
      });
    });

    it("wildcard hosts match exactly one label; host-less rules are the fallback", () => {
      expect(hostsOverlap("*.example.com", "api.example.com")).to.equal(true);
      expect(hostsOverlap("api.example.com", "*.example.com")).to.equal(true);
      expect(hostsOverlap("*.example.com", "a.b.example.com")).to.equal(false);
      expect(hostsOverlap("*.example.com", "example.com")).to.equal(false);
      expect(hostsOverlap("Shop.Example.com", "shop.example.com")).to.equal(true);
      expect(hostsOverlap("", "shop.example.com")).to.equal(false);
      expect(hostsOverlap("", "")).to.equal(true);
    });
  });

  it("two Ingresses claiming the same Prefix /api (the catalogue's case): critical, on the newer one", () => {
    const prod = ing("api", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }], {
      created: "2025-11-01T00:00:00Z",
    });
    const test = ing("api-test", "test", [{ path: "/api/", pathType: "Prefix", service: "api-test" }], {
      created: "2025-11-20T00:00:00Z",
    });
    const [f, ...rest] = run(prod, test);
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("critical");
    expect(f?.object).to.deep.equal({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      name: "api-test",
      namespace: "test",
    });
    expect(f?.message).to.equal(
      "Ingress test/api-test and Ingress prod/api both claim Prefix /api/ on host shop.example.com, IngressClass nginx: backends test/api-test:80 vs prod/api:80",
    );
    expect(f?.evidence).to.deep.equal([
      "Ingress test/api-test: host=shop.example.com Prefix /api/ -> test/api-test:80 (class nginx)",
      "Ingress prod/api: host=shop.example.com Prefix /api -> prod/api:80 (class nginx)",
    ]);
    expect(f?.remedy).to.match(/own IngressClass/);
  });

  it("Prefix /api vs Exact /api/v1 in another Ingress: conflict (warning), saying where requests go", () => {
    const [f] = run(
      ing("api", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }]),
      ing("v1", "prod", [{ path: "/api/v1", pathType: "Exact", service: "api-v1" }]),
    );
    expect(f?.severity).to.equal("warning");
    expect(f?.message).to.equal(
      "Ingress prod/v1 Exact /api/v1 overlaps Ingress prod/api Prefix /api on host shop.example.com, IngressClass nginx: requests to /api/v1 go to prod/api-v1:80, the rest of /api to prod/api:80",
    );
  });

  it("Prefix /api vs Prefix /apiv2: no conflict", () => {
    expect(
      run(
        ing("a", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }]),
        ing("b", "prod", [{ path: "/apiv2", pathType: "Prefix", service: "api-v1" }]),
      ),
    ).to.deep.equal([]);
  });

  it("different IngressClasses: no conflict", () => {
    expect(
      run(
        ing("a", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }]),
        ing("b", "test", [{ path: "/api", pathType: "Prefix", service: "api-test" }], { className: "nginx-test" }),
      ),
    ).to.deep.equal([]);
  });

  it("an Ingress without a class joins the default class, and the legacy annotation counts as a class", () => {
    const noClass = ingress("b", "test", {
      rules: [{ host: "shop.example.com", paths: [{ path: "/api", pathType: "Prefix", service: "api-test" }] }],
    });
    expect(run(ing("a", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }]), noClass)).to.have.length(1);
    const legacy = ingress("c", "test", {
      annotations: { "kubernetes.io/ingress.class": "nginx-test" },
      rules: [{ host: "shop.example.com", paths: [{ path: "/api", pathType: "Prefix", service: "api-test" }] }],
    });
    expect(run(ing("a", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }]), legacy)).to.deep.equal([]);
  });

  it("ImplementationSpecific is treated as Prefix, and the message says so", () => {
    const [f] = run(
      ing("a", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }]),
      ing("b", "test", [{ path: "/api", pathType: "ImplementationSpecific", service: "api-test" }]),
    );
    expect(f?.message).to.contain("Prefix /api (ImplementationSpecific, treated as Prefix)");
  });

  it("wildcard host vs a host under it conflicts; different hosts do not", () => {
    const [f] = run(
      ing("a", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }], { host: "*.example.com" }),
      ing("b", "test", [{ path: "/api", pathType: "Prefix", service: "api-test" }]),
    );
    expect(f?.message).to.contain("hosts shop.example.com / *.example.com");
    expect(
      run(
        ing("a", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }], { host: "a.example.com" }),
        ing("b", "test", [{ path: "/api", pathType: "Prefix", service: "api-test" }], { host: "b.example.com" }),
      ),
    ).to.deep.equal([]);
  });

  it("same backend, the catch-all Prefix /, and nested paths inside one Ingress are not conflicts", () => {
    expect(
      run(
        ing("a", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }]),
        ing("b", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }]),
      ),
    ).to.deep.equal([]);
    expect(
      run(
        ing("a", "prod", [{ path: "/", pathType: "Prefix", service: "web" }]),
        ing("b", "prod", [{ path: "/api", pathType: "Prefix", service: "api" }]),
      ),
    ).to.deep.equal([]);
    expect(
      run(
        ing("a", "prod", [
          { path: "/api", pathType: "Prefix", service: "api" },
          { path: "/api/v1", pathType: "Prefix", service: "api-v1" },
        ]),
      ),
    ).to.deep.equal([]);
  });

  it("a duplicate path inside one Ingress with different backends is a conflict", () => {
    const [f] = run(
      ing("a", "prod", [
        { path: "/api", pathType: "Exact", service: "api" },
        { path: "/api", pathType: "Exact", service: "legacy" },
      ]),
    );
    expect(f?.severity).to.equal("critical");
    expect(f?.message).to.contain("both claim Exact /api");
  });

  it("backends whose Service or port does not exist: IngressBackendMissing, not a conflict", () => {
    const missing = ing("a", "prod", [{ path: "/x", pathType: "Prefix", service: "nope" }]);
    const badPort = ing("b", "prod", [{ path: "/y", pathType: "Prefix", service: "api", port: 8080 }]);
    const badName = ing("c", "prod", [{ path: "/z", pathType: "Prefix", service: "web", port: "grpc" }]);
    const goodName = ing("d", "prod", [{ path: "/w", pathType: "Prefix", service: "web", port: "http" }]);
    expect(run(missing, badPort, badName, goodName)).to.deep.equal([]);
    const found = ingressBackendMissingAnalyser.analyse(
      emptySnapshot({ ingresses: [missing, badPort, badName, goodName], services: svcs() }),
    );
    expect(found.map((f) => f.message)).to.deep.equal([
      'Ingress prod/a routes shop.example.com/x to Service "nope", which does not exist in prod',
      'Ingress prod/b routes shop.example.com/y to port 8080 of Service "api", which exposes 80',
      'Ingress prod/c routes shop.example.com/z to port "grpc" of Service "web", which has ports http',
    ]);
    expect(found.every((f) => f.code === "IngressBackendMissing" && f.severity === "warning")).to.equal(true);
  });
});

describe("diagnose: IngressBackendMissing", () => {
  it("is silent when Services could not be listed (RBAC)", () => {
    const missing = ing("a", "prod", [{ path: "/x", pathType: "Prefix", service: "nope" }]);
    const snap = emptySnapshot({ ingresses: [missing], services: [], unreadable: ["services"] });
    expect(ingressBackendMissingAnalyser.analyse({ ...snap, namespace: "prod" })).to.deep.equal([]);
  });
});
