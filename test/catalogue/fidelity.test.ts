import { expect } from "chai";
import { loadCatalogue, type CatalogueEntry } from "../../src/catalogue/entries.ts";
import { scenarioFidelity, SIMULATE_EXIT_CODE } from "../../src/catalogue/fidelity.ts";
import { scenario, spec } from "../fakes/scenario.ts";

describe("catalogue/fidelity", () => {
  let shipped: Map<string, CatalogueEntry>;
  before(async () => {
    const { entries, problems } = await loadCatalogue([], process.cwd());
    expect(problems).to.deep.equal([]);
    shipped = new Map(entries.map((e) => [e.name, e]));
  });
  const modes = (name: string) => Object.fromEntries(shipped.get(name)!.fidelity.map((f) => [f.provider, f.mode]));

  it("says the data-plane scenarios are simulated on kwok nodes, real on real nodes and kind, unavailable without a data plane", () => {
    for (const name of ["cidr-overlap", "ingress-conflict", "service-unreachable"])
      expect(modes(name), name).to.deep.equal({
        local: "real",
        kwok: "simulated",
        kind: "real",
        k3s: "unavailable",
        kubeconfig: "unavailable",
      });
    const local = shipped.get("ingress-conflict")!.fidelity.find((f) => f.provider === "kwok")!;
    expect(local.parts.map((p) => p.what)).to.deep.equal(["route probe"]);
  });

  it("finds what a scenario does through providers: disks modelled locally, nodes not stoppable on k3s", () => {
    expect(modes("disk-full")).to.deep.equal({
      local: "real",
      kwok: "simulated",
      kind: "real",
      k3s: "real",
      kubeconfig: "real",
    });
    expect(modes("zone-unavailable")).to.deep.equal({
      local: "real",
      kwok: "simulated",
      kind: "real",
      k3s: "unavailable",
      kubeconfig: "limited",
    });
    expect(modes("quota-exhaustion")).to.deep.equal({
      local: "real",
      kwok: "real",
      kind: "real",
      k3s: "real",
      kubeconfig: "real",
    });
  });

  it("counts the kwok exit-code annotation as a local model, only where an applied object sets it", () => {
    const parts = shipped.get("image-incompatible")!.fidelity.find((f) => f.provider === "kwok")!.parts;
    expect(parts.map((p) => p.what)).to.deep.equal([`annotation ${SIMULATE_EXIT_CODE}`]);
    const pod = (annotations: Record<string, unknown>) => ({
      objects: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "p", annotations }, spec: {} }],
    });
    const withIt = scenario("with-it");
    withIt.spec.setup.steps.push(spec("apply", pod({ [SIMULATE_EXIT_CODE]: "127" }), "spec.setup.steps[0]"));
    const removed = scenario("removed");
    removed.spec.remediate.steps.push(spec("apply", pod({ [SIMULATE_EXIT_CODE]: null }), "spec.remediate.steps[0]"));
    const kwok = (s: typeof withIt) => scenarioFidelity(s).find((f) => f.provider === "kwok");
    expect(kwok(withIt)).to.include({ mode: "simulated" });
    expect(kwok(removed)).to.include({ mode: "real" });
    expect(scenarioFidelity(withIt).find((f) => f.provider === "local")).to.include({ mode: "real" });
  });

  it("a scenario is skipped where the provider lacks a capability it requires, limited where one is found at start", () => {
    const s = scenario("needs-real", { requires: { capabilities: ["realDataPlane", "clusterDNS"] } });
    const f = new Map(scenarioFidelity(s).map((x) => [x.provider, x]));
    expect(Object.fromEntries([...f].map(([p, x]) => [p, x.mode]))).to.deep.equal({
      local: "real",
      kwok: "skipped",
      kind: "real",
      k3s: "real",
      kubeconfig: "limited",
    });
    expect(f.get("kwok")!.parts.map((p) => `${p.mode}: ${p.what}: ${p.note}`)).to.deep.equal([
      "skipped: requires.capabilities realDataPlane: kwok nodes run no containers; the data plane is a model (answers marked simulated)",
      "skipped: requires.capabilities clusterDNS: no DNS server runs (kwok nodes run no containers)",
    ]);
    expect(f.get("kubeconfig")!.parts.map((p) => p.note)[1]).to.equal(
      "skipped unless found at start: it runs when the Service kube-system/kube-dns exists and the cluster has a real data plane",
    );
    const registry = scenario("pull", { requires: { capabilities: ["authRegistry"] } });
    // kind has it when kubedrill could start its registry containers
    expect(scenarioFidelity(registry).map((x) => x.mode)).to.deep.equal([
      "real",
      "skipped",
      "limited",
      "skipped",
      "skipped",
    ]);
    const disk = scenario("wal", { requires: { capabilities: ["nodeDisk"] } });
    expect(scenarioFidelity(disk).map((x) => x.mode)).to.deep.equal([
      "real",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
    ]);
  });

  it("looks into the probes nested in probeFails", () => {
    const s = scenario("nested");
    s.spec.detect.signals = [
      spec(
        "probeFails",
        { probe: { connectivity: { from: "app=a", to: { service: "b", port: 80 } } } },
        "spec.detect.signals[0]",
      ),
    ];
    expect(scenarioFidelity(s).map((f) => f.mode)).to.deep.equal([
      "real",
      "simulated",
      "real",
      "unavailable",
      "unavailable",
    ]);
  });
});
