import type { KObject } from "../../k8s/types.ts";
import { Params } from "../../sdk/params.ts";
import { describeNodes, parseNodes, type NodeTarget } from "../../sdk/target.ts";
import type { BuildEnv } from "../../sdk/types.ts";
import { taintsOf, taintText, type Taint } from "../../steps/shared/taints.ts";

/** taint { nodes, key, effect? } — shared by the probe (every node) and the signal (any node). */
export interface TaintCheck {
  nodes: NodeTarget;
  key: string;
  effect?: string;
}

export function parseTaintCheck(params: Record<string, unknown>, env: BuildEnv): TaintCheck {
  const p = new Params(params, env.loc);
  const nodes = parseNodes(p);
  const key = p.str("key");
  const effect = p.optStr("effect");
  return { nodes, key, ...(effect ? { effect } : {}) };
}

/** `key:effect` (or `key`), as the messages name the taint looked for. */
export const wantedTaint = (c: TaintCheck) => `${c.key}${c.effect ? `:${c.effect}` : ""}`;

export const describeTaintCheck = (c: TaintCheck) => `taint ${wantedTaint(c)} on ${describeNodes(c.nodes)}`;

/** The node's taint with this key (and effect), if it has one. */
export function findTaint(node: KObject, c: TaintCheck): Taint | undefined {
  return taintsOf(node).find((t) => t.key === c.key && (!c.effect || t.effect === c.effect));
}

export { taintText };
