import { expect } from "chai";
import { networkPolicyIsolationAnalyser } from "../../src/diagnose/analysers/network-policy-isolation.ts";
import { emptySnapshot, ingress, namespace, networkPolicy, pod, service } from "./fixtures/builders.ts";

const students = () => [
  service("grades", "students", { app: "grades" }, [{ port: 80, targetPort: 8080, name: "http" }]),
  pod("grades-1", "students", { labels: { app: "grades" }, node: "n1" }),
];

describe("diagnose: NetworkPolicyIsolation", () => {
  it("a policy that denies all ingress to a Service's pods: critical, Service named", () => {
    const deny = networkPolicy("default-deny", "students", { podSelector: {}, policyTypes: ["Ingress"] });
    const [f, ...rest] = networkPolicyIsolationAnalyser.analyse(
      emptySnapshot({ services: students().slice(0, 1), pods: students().slice(1), networkPolicies: [deny] }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("critical");
    expect(f?.object).to.deep.equal({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      name: "default-deny",
      namespace: "students",
    });
    expect(f?.message).to.equal(
      "NetworkPolicy default-deny denies all ingress to the pods behind Service students/grades",
    );
    expect(f?.evidence[0]).to.equal(
      'NetworkPolicy students/default-deny: podSelector={} policyTypes=["Ingress"] ingress=[]',
    );
    expect(f?.remedy).to.match(/relax the NetworkPolicy first/);
  });

  it("same-namespace-only while a pod in another namespace calls the Service: warning", () => {
    const [svc, backend] = students();
    const sameNs = networkPolicy("same-ns", "students", {
      podSelector: { matchLabels: { app: "grades" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: {} }] }],
    });
    const teacher = pod("portal-1", "teachers", {
      labels: { app: "portal" },
      node: "n2",
      containers: [{ env: [{ name: "GRADES_URL", value: "http://grades.students.svc.cluster.local/api" }] }],
    });
    const [f] = networkPolicyIsolationAnalyser.analyse(
      emptySnapshot({ services: [svc!], pods: [backend!, teacher], networkPolicies: [sameNs] }),
    );
    expect(f?.severity).to.equal("warning");
    expect(f?.message).to.equal(
      "NetworkPolicy same-ns admits only pods of namespace students to the pods behind Service students/grades, yet it is used from outside the namespace (pod teachers/portal-1 names it (env GRADES_URL=http://grades.students.svc.cluster.local/api))",
    );
  });

  it("same-namespace-only behind an Ingress (controller in another namespace): warning; with no outside user: info", () => {
    const [svc, backend] = students();
    const sameNs = networkPolicy("same-ns", "students", {
      podSelector: {},
      ingress: [{ from: [{ podSelector: { matchLabels: { role: "frontend" } } }] }],
    });
    const ing = ingress("grades", "students", {
      className: "nginx",
      rules: [{ host: "grades.example.com", paths: [{ path: "/", pathType: "Prefix", service: "grades" }] }],
    });
    const front = pod("web-1", "students", { labels: { role: "frontend" }, node: "n1" });
    const [f] = networkPolicyIsolationAnalyser.analyse(
      emptySnapshot({ services: [svc!], pods: [backend!, front], networkPolicies: [sameNs], ingresses: [ing] }),
    );
    expect(f?.severity).to.equal("warning");
    expect(f?.message).to.contain("Ingress students/grades routes to it");
    const [g] = networkPolicyIsolationAnalyser.analyse(
      emptySnapshot({ services: [svc!], pods: [backend!, front], networkPolicies: [sameNs] }),
    );
    expect(g?.severity).to.equal("info");
  });

  it("a policy whose only ingress peers match no pod or namespace isolates the pods like deny-all: critical", () => {
    const [svc, backend] = students();
    const ghost = networkPolicy("from-frontend", "students", {
      podSelector: {},
      ingress: [{ from: [{ podSelector: { matchLabels: { role: "frontend" } } }] }],
    });
    const [f, ...rest] = networkPolicyIsolationAnalyser.analyse(
      emptySnapshot({ services: [svc!], pods: [backend!], networkPolicies: [ghost] }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("critical");
    expect(f?.message).to.equal(
      'NetworkPolicy from-frontend denies all ingress to the pods behind Service students/grades (its only peers match nothing: podSelector {"matchLabels":{"role":"frontend"}} (no pod of the namespace matches))',
    );
    const nsPeer = networkPolicy("from-teachers", "students", {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "teachers" } } }] }],
    });
    const namespaces = [namespace("students"), namespace("kube-system")];
    const [g] = networkPolicyIsolationAnalyser.analyse(
      emptySnapshot({ services: [svc!], pods: [backend!], networkPolicies: [nsPeer], namespaces }),
    );
    expect(g?.severity).to.equal("critical");
    expect(g?.message).to.contain("(no namespace matches)");
    // Unknown namespaces (not readable): the peer may admit someone, so nothing is said.
    expect(
      networkPolicyIsolationAnalyser.analyse(
        emptySnapshot({ services: [svc!], pods: [backend!], networkPolicies: [nsPeer] }),
      ),
    ).to.deep.equal([]);
    namespaces.push(namespace("teachers", { team: "teachers" }));
    expect(
      networkPolicyIsolationAnalyser.analyse(
        emptySnapshot({ services: [svc!], pods: [backend!], networkPolicies: [nsPeer], namespaces }),
      ),
    ).to.deep.equal([]);
  });

  it("a namespaceSelector for a namespace not created yet (the ingress controller's) still admits other namespaces", () => {
    const [svc, backend] = students();
    const front = pod("web-1", "students", { labels: { role: "frontend" }, node: "n1" });
    const policy = networkPolicy("web-and-ingress", "students", {
      podSelector: {},
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { role: "frontend" } } },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
          ],
        },
      ],
    });
    const ing = ingress("grades", "students", {
      className: "nginx",
      rules: [{ host: "grades.example.com", paths: [{ path: "/", pathType: "Prefix", service: "grades" }] }],
    });
    const namespaces = [namespace("students"), namespace("kube-system")];
    expect(
      networkPolicyIsolationAnalyser.analyse(
        emptySnapshot({
          services: [svc!],
          pods: [backend!, front],
          networkPolicies: [policy],
          ingresses: [ing],
          namespaces,
        }),
      ),
    ).to.deep.equal([]);
  });

  it("policies are additive: another policy admitting other namespaces clears it", () => {
    const [svc, backend] = students();
    const deny = networkPolicy("default-deny", "students", { podSelector: {}, policyTypes: ["Ingress"] });
    const allow = networkPolicy("allow-teachers", "students", {
      podSelector: { matchLabels: { app: "grades" } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "teachers" } } }] }],
    });
    expect(
      networkPolicyIsolationAnalyser.analyse(
        emptySnapshot({ services: [svc!], pods: [backend!], networkPolicies: [deny, allow] }),
      ),
    ).to.deep.equal([]);
  });

  it("a rule only for other ports does not reach the Service; one for its target port does", () => {
    const [svc, backend] = students();
    const wrongPort = networkPolicy("metrics-only", "students", {
      podSelector: {},
      ingress: [{ ports: [{ port: 9090, protocol: "TCP" }] }],
    });
    expect(
      networkPolicyIsolationAnalyser.analyse(
        emptySnapshot({ services: [svc!], pods: [backend!], networkPolicies: [wrongPort] }),
      )[0]?.severity,
    ).to.equal("critical");
    const range = networkPolicy("range", "students", {
      podSelector: {},
      ingress: [{ ports: [{ port: 8000, endPort: 8100, protocol: "TCP" }] }],
    });
    expect(
      networkPolicyIsolationAnalyser.analyse(
        emptySnapshot({ services: [svc!], pods: [backend!], networkPolicies: [range] }),
      ),
    ).to.deep.equal([]);
  });

  it("is silent for Egress-only policies, policies selecting other pods, and ipBlock peers", () => {
    const [svc, backend] = students();
    const egress = networkPolicy("egress", "students", { podSelector: {}, policyTypes: ["Egress"] });
    const other = networkPolicy("other", "students", {
      podSelector: { matchLabels: { app: "db" } },
      policyTypes: ["Ingress"],
    });
    const cidr = networkPolicy("lb", "students", {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }] }],
    });
    for (const p of [egress, other, cidr])
      expect(
        networkPolicyIsolationAnalyser.analyse(
          emptySnapshot({ services: [svc!], pods: [backend!], networkPolicies: [p] }),
        ),
        p.metadata.name,
      ).to.deep.equal([]);
  });
});
