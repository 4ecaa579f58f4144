import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { nameOf, objectOf, qualifiedName, readable } from "../util/objects.ts";

/**
 * Ingresses no controller will serve: spec.ingressClassName (or the legacy
 * kubernetes.io/ingress.class annotation) names an IngressClass that does not exist, or
 * neither is set and no IngressClass is marked default. Judged only when IngressClasses
 * could be read; the legacy annotation is taken as a class name only when such a class
 * exists or ingressClassName is used elsewhere (old controllers accept any annotation).
 */
const DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class";
const LEGACY_CLASS = "kubernetes.io/ingress.class";

export const ingressClassAnalyser: Analyser = {
  codes: ["IngressClassMissing"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    if (!readable(snapshot, "ingressClasses")) return [];
    const classes = snapshot.ingressClasses.map(nameOf);
    const defaults = snapshot.ingressClasses.filter((c) => c.metadata.annotations?.[DEFAULT_CLASS] === "true");
    const findings: Finding[] = [];
    for (const ing of snapshot.ingresses) {
      const named = ing.spec?.ingressClassName as string | undefined;
      const legacy = ing.metadata.annotations?.[LEGACY_CLASS];
      const known = classes.length ? classes.join(", ") : "none";
      if (named && !classes.includes(named)) {
        findings.push({
          code: "IngressClassMissing",
          severity: "critical",
          object: objectOf(ing),
          message: `Ingress ${qualifiedName(ing)} names IngressClass "${named}", which does not exist (classes: ${known}): no ingress controller serves it`,
          evidence: [`Ingress ${qualifiedName(ing)} spec.ingressClassName=${named}`, `IngressClasses: ${known}`],
          remedy: REMEDIES.IngressClassMissing.missing,
        });
      } else if (!named && !legacy && defaults.length === 0) {
        findings.push({
          code: "IngressClassMissing",
          severity: "warning",
          object: objectOf(ing),
          message: `Ingress ${qualifiedName(ing)} names no IngressClass and no IngressClass is marked default (classes: ${known}): controllers that require a class ignore it`,
          evidence: [
            `Ingress ${qualifiedName(ing)}: no spec.ingressClassName, no ${LEGACY_CLASS} annotation`,
            `IngressClasses: ${known}; none annotated ${DEFAULT_CLASS}=true`,
          ],
          remedy: REMEDIES.IngressClassMissing.none,
        });
      }
    }
    return findings;
  },
};
