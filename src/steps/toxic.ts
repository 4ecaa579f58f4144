import { KubedrillError } from "../errors.ts";
import type { KObject } from "../k8s/types.ts";
import { allOrNothing } from "../sdk/handle.ts";
import { Params } from "../sdk/params.ts";
import { defineStep } from "../sdk/plugin.ts";
import { labelSelector, namespaceParam, text } from "../sdk/schema-parts.ts";
import type { BuildEnv, Step, StepContext } from "../sdk/types.ts";
import { describeFailure } from "../util/process.ts";

/** Toxiproxy 2.5's toxic types. */
export const TOXIC_TYPES = ["latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer", "limit_data"];
/** Where the published image (ghcr.io/shopify/toxiproxy) has its command-line client. */
export const TOXIPROXY_CLI = "/toxiproxy-cli";
const EXEC_TIMEOUT_MS = 30_000;
const POD = { apiVersion: "v1", kind: "Pod" } as const;

export interface ToxicSpec {
  selector: string;
  namespace: string;
  proxy: string;
  name: string;
  type: string;
  stream: "downstream" | "upstream";
  toxicity: number;
  attributes: Record<string, number>;
}

/** `toxiproxy-cli toxic add` arguments for one toxic (the client talks to the API on localhost:8474). */
export function addArgs(t: ToxicSpec): string[] {
  return [
    TOXIPROXY_CLI,
    "toxic",
    "add",
    "--type",
    t.type,
    "--toxicName",
    t.name,
    "--toxicity",
    String(t.toxicity),
    ...Object.entries(t.attributes).flatMap(([k, v]) => ["--attribute", `${k}=${v}`]),
    `--${t.stream}`,
    t.proxy,
  ];
}

export function removeArgs(t: ToxicSpec): string[] {
  return [TOXIPROXY_CLI, "toxic", "remove", "--toxicName", t.name, t.proxy];
}

export function parseToxic(p: Params, namespace: string): ToxicSpec {
  const selector = p.selector("selector");
  const type = p.str("type");
  if (!TOXIC_TYPES.includes(type)) p.fail("type", `must be one of ${TOXIC_TYPES.join(", ")} (got "${type}")`);
  const stream = p.optStr("stream") ?? "downstream";
  if (stream !== "downstream" && stream !== "upstream")
    p.fail("stream", `must be downstream or upstream (got "${stream}")`);
  const toxicity = p.has("toxicity") ? p.num("toxicity") : 1;
  if (toxicity > 1 || toxicity === 0)
    p.fail("toxicity", `is the share of connections the toxic applies to: above 0, at most 1 (got ${toxicity})`);
  const attributes: Record<string, number> = {};
  if (p.has("attributes")) {
    const a = p.nested("attributes");
    for (const k of Object.keys(a.values)) attributes[k] = a.num(k);
  }
  return {
    selector,
    namespace: p.optStr("namespace") ?? namespace,
    proxy: p.str("proxy"),
    name: p.optStr("name") ?? `${type}_${stream}`,
    type,
    stream,
    toxicity,
    attributes,
  };
}

function describe(t: ToxicSpec): string {
  const attrs = Object.entries(t.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  return `toxic ${t.name} (${t.type}${attrs ? ` ${attrs}` : ""}, ${t.stream}, on ${Math.round(t.toxicity * 100)}% of connections) on Toxiproxy proxy ${t.proxy} in pods ${t.selector} in ${t.namespace}`;
}

/** Runs the Toxiproxy client in a pod, through `kubectl exec` with the run's kubeconfig. */
async function inPod(ctx: StepContext, t: ToxicSpec, pod: string, argv: string[]) {
  const kubectl = ["kubectl", "exec", "--namespace", t.namespace, pod, "--", ...argv];
  return ctx.exec(kubectl, {
    cwd: ctx.cwd,
    env: ctx.env,
    timeoutMs: EXEC_TIMEOUT_MS,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
}

/** A toxic lives in the Toxiproxy process: a pod deleted or restarted since has none to remove. */
async function removeFrom(ctx: StepContext, t: ToxicSpec, pod: KObject): Promise<void> {
  const name = pod.metadata.name!;
  const live = await ctx.kube.get({ ...POD, name, namespace: t.namespace });
  if (!live || live.metadata.uid !== pod.metadata.uid) {
    ctx.log.info(`toxic ${t.name}: pod ${name} is gone, and its Toxiproxy with it: nothing to remove`);
    return;
  }
  const r = await inPod(ctx, t, name, removeArgs(t));
  if (r.exitCode === 0) {
    ctx.log.info(`removed toxic ${t.name} from Toxiproxy proxy ${t.proxy} in pod ${name}`);
    return;
  }
  if (r.exitCode !== undefined && /not found/i.test(r.output)) {
    ctx.log.info(`toxic ${t.name}: pod ${name}'s Toxiproxy no longer has it (restarted): nothing to remove`);
    return;
  }
  throw new KubedrillError(`could not remove it: ${describeFailure(r, EXEC_TIMEOUT_MS)}`);
}

/**
 * toxic { selector, namespace?, proxy, type, name?, stream? (downstream), toxicity? (1),
 * attributes? } — adds a Toxiproxy toxic (latency, bandwidth, ...) to the proxy `proxy` in
 * every running pod that matches `selector`, through `kubectl exec <pod> -- /toxiproxy-cli
 * toxic add` (the client the published image carries; its API listens on the pod's
 * localhost:8474). `toxicity` is the share of new connections the toxic applies to, so a
 * caller that retries on a new connection can get past it. At least one pod must run.
 * Revert removes the toxic from each pod it was added to (a pod gone or restarted since has
 * lost it already); a pod that fails undoes those done before it.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const t = parseToxic(new Params(params, env.loc), env.namespace);
  return {
    describe: () => `add ${describe(t)} (kubectl exec ${TOXIPROXY_CLI})`,
    async inject(ctx) {
      const { items } = await ctx.kube.list(POD, { namespace: t.namespace, labelSelector: t.selector });
      const pods = items
        .filter((p) => !p.metadata.deletionTimestamp && (p.status as { phase?: string })?.phase === "Running")
        .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
      if (pods.length === 0)
        throw new KubedrillError(`toxic ${t.name}: no running pod matches ${t.selector} in ${t.namespace}`);
      const h = await allOrNothing(
        pods.map((pod) => ({
          label: `toxic ${t.name} in pod ${pod.metadata.name}`,
          run: async () => {
            const r = await inPod(ctx, t, pod.metadata.name!, addArgs(t));
            if (r.exitCode !== 0)
              throw new KubedrillError(
                `toxic ${t.name}: adding it in pod ${pod.metadata.name}: ${describeFailure(r, EXEC_TIMEOUT_MS)}`,
              );
            return () => removeFrom(ctx, t, pod);
          },
        })),
        ctx.log,
        { clock: ctx.clock },
      );
      ctx.log.info(`added ${describe(t)}: ${pods.map((p) => p.metadata.name).join(", ")}`);
      return h;
    },
  };
}

export const toxicStep = defineStep({
  name: "toxic",
  description:
    "Add a Toxiproxy toxic (latency, bandwidth, ...) to a proxy in the matching pods (kubectl exec /toxiproxy-cli); revert removes it.",
  scope: "namespace",
  params: {
    required: ["selector", "proxy", "type"],
    properties: {
      selector: labelSelector("The Toxiproxy pods (each gets the toxic)."),
      namespace: namespaceParam(),
      proxy: text("The Toxiproxy proxy's name (as in its -config file)."),
      type: { enum: TOXIC_TYPES, description: "Toxiproxy's toxic type." },
      name: text("The toxic's name (default: TYPE_STREAM, Toxiproxy's own default)."),
      stream: { enum: ["downstream", "upstream"], description: "Which direction it acts on (default downstream)." },
      toxicity: {
        type: "number",
        exclusiveMinimum: 0,
        maximum: 1,
        description: "The share of new connections it applies to (default 1: all).",
      },
      attributes: {
        type: "object",
        additionalProperties: { type: "number", minimum: 0 },
        description: "The type's attributes, e.g. { latency: 1000, jitter: 0 } (milliseconds).",
      },
    },
  },
  create,
  fidelity: {
    kwok: { mode: "unavailable", note: "kwok pods run nothing: no Toxiproxy to exec into" },
  },
});
