import { expect } from "chai";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { scenarioSchema, TYPES } from "../../src/scenario/catalogue.ts";
import type { SpecKind } from "../../src/scenario/catalogue.ts";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "scenario");
const header = readFileSync(join(src, "types.ts"), "utf8").split("*/")[0]!;

type Def = { properties?: Record<string, Def>; required?: string[]; description?: string; $ref?: string };
const defs = (scenarioSchema as { definitions: Record<string, Def> }).definitions;

/** Parses the catalogue in types.ts' header: `name { a, b?, c: x|y, d?|e? }` per section. */
function catalogue(section: string, next: string): Map<string, { params: string[]; required: string[] }> {
  const body = header.slice(header.indexOf(section), next ? header.indexOf(next) : undefined);
  const out = new Map<string, { params: string[]; required: string[] }>();
  for (const m of body.matchAll(/(\w+)(?:\s*\/\s*(\w+))?\s*\{/g)) {
    let depth = 0;
    let inner = "";
    for (const ch of body.slice(m.index + m[0].length - 1)) {
      if (ch === "{") depth++;
      if (ch === "}") depth--;
      if (depth === 0) break;
      if (depth === 1 && ch !== "{") inner += ch;
    }
    const params: string[] = [];
    const required: string[] = [];
    for (const piece of inner.split(",")) {
      const names =
        piece.includes("|") && piece.includes("?")
          ? [...piece.matchAll(/(\w+)\?/g)].map((x) => `${x[1]}?`)
          : [/^\s*(\w+\??)/.exec(piece)?.[1] ?? ""];
      for (const n of names.filter(Boolean)) {
        params.push(n.replace("?", ""));
        if (!n.endsWith("?")) required.push(n);
      }
    }
    for (const name of [m[1]!, m[2]].filter((x): x is string => Boolean(x))) out.set(name, { params, required });
  }
  return out;
}

const SECTIONS: [SpecKind, string, string][] = [
  ["step", "Steps (", "Probes ("],
  ["probe", "Probes (", "Signals ("],
  ["signal", "Signals (", ""],
];

describe("scenario JSON Schema", () => {
  it("compiles under Ajv's strict mode", () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    for (const f of ["duration", "regex", "label-selector", "dns1123-label"]) ajv.addFormat(f, true);
    expect(() => ajv.compile(scenarioSchema)).to.not.throw();
  });

  for (const [kind, section, next] of SECTIONS) {
    it(`enumerates every ${kind} type of the types.ts catalogue with its parameters`, () => {
      const doc = catalogue(section, next);
      expect(doc.size, `types parsed from the ${section} section`).to.be.at.least(6);
      expect([...TYPES[kind]].sort()).to.deep.equal([...doc.keys()].sort());
      for (const [type, { params, required }] of doc) {
        const def = defs[`${type}${kind[0]!.toUpperCase()}${kind.slice(1)}`]!;
        expect(Object.keys(def.properties ?? {}).sort(), `${kind} ${type} parameters`).to.deep.equal(
          [...params].sort(),
        );
        expect([...(def.required ?? [])].sort(), `${kind} ${type} required parameters`).to.deep.equal(
          [...required].sort(),
        );
      }
    });
  }

  it("describes every type and parameter for editors", () => {
    const described = (d: Def): boolean =>
      Boolean(d.description) || (d.$ref !== undefined && Boolean(defs[d.$ref.split("/").pop()!]?.description));
    for (const kind of Object.keys(TYPES) as SpecKind[]) {
      for (const type of TYPES[kind]) {
        const def = defs[`${type}${kind[0]!.toUpperCase()}${kind.slice(1)}`]!;
        expect(def.description, `${type} ${kind}`).to.be.a("string").with.length.above(0);
        for (const [param, p] of Object.entries(def.properties ?? {}))
          expect(described(p), `${type}.${param}`).to.equal(true);
      }
    }
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
