import { expect } from "chai";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { analysers } from "../../src/diagnose/index.ts";
import { defaultRegistries } from "../../src/pipeline/registries.ts";
import { SHARED_DEFINITIONS } from "../../src/sdk/schema-parts.ts";
import { definitionName, scenarioSchema, TYPES } from "../../src/scenario/catalogue.ts";
import type { SpecKind } from "../../src/scenario/catalogue.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

type Def = { properties?: Record<string, Def>; required?: string[]; description?: string; $ref?: string };
const defs = (scenarioSchema as { definitions: Record<string, Def> }).definitions;
const KINDS: SpecKind[] = ["step", "probe", "signal"];
const HEADINGS: Record<SpecKind, string> = { step: "Steps", probe: "Probes", signal: "Signals" };

/** The README's list of types: `- Steps: \`apply\`, \`patch\`, ...` (one line per kind). */
function documented(kind: SpecKind): string[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const line = readme.split("\n").find((l) => l.startsWith(`- ${HEADINGS[kind]}: `));
  return [...(line ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1]!);
}

describe("scenario JSON Schema", () => {
  it("compiles under Ajv's strict mode", () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    for (const f of ["duration", "regex", "label-selector", "dns1123-label"]) ajv.addFormat(f, true);
    expect(() => ajv.compile(scenarioSchema)).to.not.throw();
  });

  for (const kind of KINDS) {
    it(`lists the same ${kind} types as the registry and the README, each with its definition`, () => {
      const registry = defaultRegistries()[`${kind}s`];
      const inSchema = Object.keys(defs[kind]!.properties ?? {});
      expect(inSchema, "schema").to.have.length.at.least(6);
      expect(inSchema).to.deep.equal([...TYPES[kind]]);
      expect([...inSchema].sort(), "registry").to.deep.equal(registry.types());
      expect([...documented(kind)].sort(), "README list").to.deep.equal([...inSchema].sort());
      for (const type of inSchema) {
        const plugin = registry.plugin(type)!;
        expect(plugin.kind, type).to.equal(kind);
        const def = defs[definitionName(kind, type)]!;
        expect(defs[kind]!.properties![type]).to.deep.equal({ $ref: `#/definitions/${definitionName(kind, type)}` });
        expect(def.description).to.equal(plugin.description);
        expect(def.properties).to.deep.equal(plugin.params.properties);
        expect(def.required ?? []).to.deep.equal(plugin.params.required ?? []);
      }
    });
  }

  it("offers exactly the finding codes the diagnose analysers report", () => {
    const reported = new Set(analysers.flatMap((a) => a.codes));
    expect([...SHARED_DEFINITIONS.findingCode.enum].sort()).to.deep.equal([...reported].sort());
  });

  it("describes every type and parameter for editors", () => {
    const described = (d: Def): boolean =>
      Boolean(d.description) || (d.$ref !== undefined && Boolean(defs[d.$ref.split("/").pop()!]?.description));
    for (const kind of KINDS) {
      for (const type of TYPES[kind]) {
        const def = defs[definitionName(kind, type)]!;
        expect(def.description, `${type} ${kind}`).to.be.a("string").with.length.above(0);
        for (const [param, p] of Object.entries(def.properties ?? {}))
          expect(described(p), `${type}.${param}`).to.equal(true);
      }
    }
  });

  it("keeps every $ref pointing at a definition", () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (!node || typeof node !== "object") return;
      for (const [k, v] of Object.entries(node)) {
        if (k === "$ref" && typeof v === "string") refs.push(v);
        else walk(v);
      }
    };
    walk(scenarioSchema);
    expect(refs).to.include("#/definitions/target");
    for (const r of refs) expect(defs[r.replace("#/definitions/", "")], r).to.not.equal(undefined);
  });

  it("closes every map of the format to unknown fields", () => {
    const open: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== "object") return;
      const d = node as Record<string, unknown>;
      if (d.type === "object" && d.properties && d.additionalProperties !== false) open.push(at);
      for (const [k, v] of Object.entries(d)) walk(v, `${at}/${k}`);
    };
    walk(scenarioSchema, "#");
    // Inline Kubernetes objects are open by nature.
    expect(open).to.deep.equal(["#/definitions/kubeObject", "#/definitions/kubeObject/properties/metadata"]);
  });
});
