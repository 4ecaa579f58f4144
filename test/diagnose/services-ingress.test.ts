import { expect } from "chai";
import { ingressClassAnalyser } from "../../src/diagnose/analysers/ingress-class.ts";
import { ingressTlsAnalyser } from "../../src/diagnose/analysers/ingress-tls.ts";
import { servicePartlyReadyAnalyser } from "../../src/diagnose/analysers/service-partly-ready.ts";
import { serviceTargetPortAnalyser } from "../../src/diagnose/analysers/service-target-port.ts";
import { emptySnapshot, endpointSlice, ingress, ingressClass, pod, secretName, service } from "./fixtures/builders.ts";

const web = (name: string, ports?: { name?: string; containerPort: number }[]) =>
  pod(name, "shop", { labels: { app: "web" }, node: "w1", containers: [{ ports }] });
const shopIngress = () =>
  ingress("shop", "shop", {
    className: "nginx",
    rules: [{ host: "shop.example.com", paths: [{ path: "/", pathType: "Prefix", service: "web" }] }],
  });

describe("diagnose: Services and Ingress", () => {
  it("ServicePartlyReady: some endpoints ready, some not", () => {
    const svc = service("web", "shop", { app: "web" });
    const slice = endpointSlice("web", "shop", [
      { ip: "10.244.1.5", ready: true, pod: "web-a" },
      { ip: "10.244.1.6", ready: false, pod: "web-b" },
      { ip: "10.244.1.7", ready: true, pod: "web-c" },
    ]);
    const [f, ...rest] = servicePartlyReadyAnalyser.analyse(
      emptySnapshot({ services: [svc], endpointSlices: [slice] }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.message).to.equal("Service shop/web is only partly ready: 2/3 endpoints ready; not ready: web-b");
    expect(f?.evidence).to.deep.equal(["EndpointSlice web-x7k2p: 2/3 ready"]);
    const none = endpointSlice("web", "shop", [{ ip: "10.244.1.6", ready: false }]);
    expect(
      servicePartlyReadyAnalyser.analyse(emptySnapshot({ services: [svc], endpointSlices: [none] })),
      "ServiceNoEndpoints'",
    ).to.deep.equal([]);
  });

  it("ServiceTargetPortMismatch: a numeric targetPort no container exposes, a named one no container declares", () => {
    const svc = service("web", "shop", { app: "web" }, [{ port: 80, targetPort: 8080, name: "http" }]);
    const pods = [web("web-a", [{ name: "http", containerPort: 3000 }])];
    const [f, ...rest] = serviceTargetPortAnalyser.analyse(emptySnapshot({ services: [svc], pods }));
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("warning");
    expect(f?.message).to.equal(
      "Service shop/web port http targets port 8080, which no selected container exposes (containers declare http/3000)",
    );
    const named = service("web", "shop", { app: "web" }, [{ port: 80, targetPort: "web-http", name: "http" }]);
    const [g] = serviceTargetPortAnalyser.analyse(emptySnapshot({ services: [named], pods: [web("web-b")] }));
    expect(g?.severity).to.equal("critical");
    expect(g?.message).to.equal(
      'Service shop/web port http targets port name "web-http", which no selected container declares: its endpoints get no port (containers declare no ports)',
    );
    // Matching ports, and a numeric target on pods that declare none, are fine.
    const ok = service("web", "shop", { app: "web" }, [{ port: 80, targetPort: 3000 }]);
    expect(
      serviceTargetPortAnalyser.analyse(emptySnapshot({ services: [ok, svc], pods: [web("web-c")] })),
    ).to.deep.equal([]);
    expect(serviceTargetPortAnalyser.analyse(emptySnapshot({ services: [ok], pods }))).to.deep.equal([]);
  });

  it("IngressClassMissing: a class that does not exist, or none and no default", () => {
    const named = shopIngress();
    const bare = shopIngress();
    delete bare.spec.ingressClassName;
    bare.metadata.name = "bare";
    const found = ingressClassAnalyser.analyse(
      emptySnapshot({ ingresses: [named, bare], ingressClasses: [ingressClass("traefik")] }),
    );
    expect(found.map((f) => `${f.severity} ${f.message}`)).to.deep.equal([
      'critical Ingress shop/shop names IngressClass "nginx", which does not exist (classes: traefik): no ingress controller serves it',
      "warning Ingress shop/bare names no IngressClass and no IngressClass is marked default (classes: traefik): controllers that require a class ignore it",
    ]);
    expect(
      ingressClassAnalyser.analyse(
        emptySnapshot({ ingresses: [named, bare], ingressClasses: [ingressClass("nginx", true)] }),
      ),
    ).to.deep.equal([]);
    expect(
      ingressClassAnalyser.analyse(emptySnapshot({ ingresses: [named], unreadable: ["ingressClasses"] })),
      "unknown classes",
    ).to.deep.equal([]);
  });

  it("IngressTLSSecretMissing: judged by Secret names only, and only when Secrets were readable", () => {
    const ing = shopIngress();
    ing.spec.tls = [{ hosts: ["shop.example.com"], secretName: "shop-tls" }];
    const [f] = ingressTlsAnalyser.analyse(
      emptySnapshot({ ingresses: [ing], secretNames: [secretName("shop-tls", "other")] }),
    );
    expect(f?.message).to.equal(
      'Ingress shop/shop terminates TLS for shop.example.com with Secret "shop-tls", which does not exist in shop: clients get the controller\'s default certificate',
    );
    expect(f?.remedy).to.match(/kubernetes.io\/tls/);
    expect(
      ingressTlsAnalyser.analyse(emptySnapshot({ ingresses: [ing], secretNames: [secretName("shop-tls", "shop")] })),
    ).to.deep.equal([]);
    expect(ingressTlsAnalyser.analyse(emptySnapshot({ ingresses: [ing], unreadable: ["secretNames"] }))).to.deep.equal(
      [],
    );
  });
});
