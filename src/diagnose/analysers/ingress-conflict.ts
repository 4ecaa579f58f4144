import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { classOf, describeRule, hostsOverlap, pathRule, pathsOverlap, type PathRule } from "../util/ingress-paths.ts";
import { objectOf, qualifiedName } from "../util/objects.ts";

/**
 * Ingress rules that claim the same requests within one IngressClass (spec.ingressClassName,
 * the legacy kubernetes.io/ingress.class annotation, else the default class):
 * - the same host and the same path (Exact=Exact, or Prefix with equal elements) with
 *   different backends: critical, whichever Ingress it is in;
 * - across two Ingress objects, a path inside another's Prefix (Exact /api/v1 vs Prefix /api,
 *   Prefix /api/v1 vs Prefix /api): warning; the catch-all Prefix "/" is never a rival.
 */

interface Entry {
  ing: KObject;
  cls: string;
  host: string;
  rule: PathRule;
  backend: string;
}

export function ingressClassOf(ing: KObject, snapshot: ClusterSnapshot): string {
  return classOf(ing, snapshot.ingressClasses);
}

function backendText(
  b:
    | {
        service?: { name?: string; port?: { number?: number; name?: string } };
        resource?: { kind?: string; name?: string };
      }
    | undefined,
): string {
  if (b?.service) return `${b.service.name ?? "?"}:${b.service.port?.number ?? b.service.port?.name ?? "?"}`;
  if (b?.resource) return `${b.resource.kind ?? "?"}/${b.resource.name ?? "?"}`;
  return "?";
}

function entries(snapshot: ClusterSnapshot): Entry[] {
  const out: Entry[] = [];
  for (const ing of snapshot.ingresses) {
    const cls = ingressClassOf(ing, snapshot);
    for (const r of (ing.spec?.rules ?? []) as {
      host?: string;
      http?: { paths?: { path?: string; pathType?: string; backend?: unknown }[] };
    }[]) {
      for (const p of r.http?.paths ?? []) {
        out.push({
          ing,
          cls,
          host: r.host ?? "",
          rule: pathRule(p.path, p.pathType),
          backend: `${ing.metadata.namespace ?? ""}/${backendText(p.backend as never)}`,
        });
      }
    }
  }
  return out;
}

const created = (o: KObject): string => `${o.metadata.creationTimestamp ?? ""}\u0000${qualifiedName(o)}`;

function conflict(a: Entry, b: Entry): Finding | undefined {
  if (a.cls !== b.cls || a.backend === b.backend || !hostsOverlap(a.host, b.host)) return undefined;
  const overlap = pathsOverlap(a.rule, b.rule);
  if (!overlap) return undefined;
  const sameObject = a.ing === b.ing;
  if (overlap.kind === "covers") {
    const broad = overlap.narrow === "a" ? b : a;
    if (sameObject || (broad.rule.type === "Prefix" && broad.rule.path.split("/").every((e) => e === "")))
      return undefined;
  }
  // Report on the newer Ingress: it is the one that took traffic away.
  const [older, newer] = created(a.ing) <= created(b.ing) ? [a, b] : [b, a];
  const cls = a.cls ? `IngressClass ${a.cls}` : "no IngressClass";
  const host = a.host === b.host ? `host ${a.host || "*"}` : `hosts ${newer.host} / ${older.host}`;
  const where = `${host}, ${cls}`;
  const message =
    overlap.kind === "same"
      ? `Ingress ${qualifiedName(newer.ing)} and Ingress ${qualifiedName(older.ing)} both claim ${describeRule(newer.rule)} on ${where}: backends ${newer.backend} vs ${older.backend}`
      : overlapMessage(overlap.narrow === "a" ? a : b, overlap.narrow === "a" ? b : a, where);
  return {
    code: "IngressConflict",
    severity: overlap.kind === "same" ? "critical" : "warning",
    object: objectOf(newer.ing),
    message,
    evidence: [newer, older].map(
      (e) =>
        `Ingress ${qualifiedName(e.ing)}: host=${e.host || "*"} ${describeRule(e.rule)} -> ${e.backend} (class ${e.cls || "none"})`,
    ),
    remedy: REMEDIES.IngressConflict,
  };
}

function overlapMessage(narrow: Entry, broad: Entry, where: string): string {
  return `Ingress ${qualifiedName(narrow.ing)} ${describeRule(narrow.rule)} overlaps Ingress ${qualifiedName(broad.ing)} ${describeRule(broad.rule)} on ${where}: requests to ${narrow.rule.path} go to ${narrow.backend}, the rest of ${broad.rule.path} to ${broad.backend}`;
}

export const ingressConflictAnalyser: Analyser = {
  codes: ["IngressConflict"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const list = entries(snapshot);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const f = conflict(list[i]!, list[j]!);
        if (!f) continue;
        const key = `${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(f);
      }
    }
    return findings;
  },
};
