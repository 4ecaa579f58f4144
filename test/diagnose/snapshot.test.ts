import { expect } from "chai";
import { buildSnapshot, snapshotNeeds } from "../../src/diagnose/snapshot.ts";
import { ingressTlsAnalyser } from "../../src/diagnose/analysers/ingress-tls.ts";
import { ingress } from "./fixtures/builders.ts";

describe("diagnose: the runner's snapshot", () => {
  it("never watches Secrets; their list is unreadable there, so TLS Secrets are not judged", () => {
    expect(snapshotNeeds(undefined).map((n) => n.kind)).not.to.include("Secret");
    const ing = ingress("shop", "shop", { rules: [], tls: [{ hosts: ["shop.example.com"], secretName: "shop-tls" }] });
    const snap = buildSnapshot((t) => (t.kind === "Ingress" ? [ing] : []), "shop", {});
    expect(snap.secretNames).to.deep.equal([]);
    expect(snap.unreadable).to.deep.equal(["secretNames"]);
    expect(snap.ingresses).to.have.length(1);
    expect(ingressTlsAnalyser.analyse(snap)).to.deep.equal([]);
  });
});
