import { KubedrillError } from "../errors.ts";
import { LABEL_MANAGED, LABEL_RUN_ID, LABEL_SCENARIO, MANAGED_BY, type KObject } from "../k8s/types.ts";
import { nothingToRevert } from "../sdk/handle.ts";
import { Params } from "../sdk/params.ts";
import { defineStep } from "../sdk/plugin.ts";
import { text } from "../sdk/schema-parts.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";

const CREDENTIALS = ["valid", "wrong"] as const;
type Credentials = (typeof CREDENTIALS)[number];

/**
 * The Secret a pod names in imagePullSecrets: `.dockerconfigjson` with the cluster's
 * registry host and a user/password. "wrong" keeps the user and changes the password, as a
 * rotation that reached the registry but not the Secret does.
 */
export function dockerConfigSecret(
  name: string,
  namespace: string,
  registry: { host: string; user: string; password: string },
  credentials: Credentials,
): KObject {
  const password = credentials === "valid" ? registry.password : `${registry.password}-before-rotation`;
  const auth = Buffer.from(`${registry.user}:${password}`).toString("base64");
  const config = { auths: { [registry.host]: { username: registry.user, password, auth } } };
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": Buffer.from(JSON.stringify(config)).toString("base64") },
  };
}

/**
 * pullSecret { name, credentials: valid | wrong } — writes (creates or replaces) an image
 * pull Secret in the scenario's namespace for the cluster's registry that requires
 * credentials (`${authRegistry}`), with its real credentials or a wrong password. The
 * credentials come from the cluster provider and are never printed: not by the step, not
 * in the timeline. The Secret goes with the namespace, so there is nothing to revert.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const p = new Params(params, env.loc);
  const name = p.str("name");
  const credentials = p.optStr("credentials") ?? "valid";
  if (!(CREDENTIALS as readonly string[]).includes(credentials))
    p.fail("credentials", `must be one of ${CREDENTIALS.join(", ")} (got "${credentials}")`);
  return {
    describe: () => `write image pull Secret ${name} with ${credentials} credentials for the cluster's registry`,
    async inject(ctx) {
      const registry = ctx.cluster?.capabilities.registry;
      if (!registry)
        throw new KubedrillError(
          "pullSecret needs a cluster with a registry that requires credentials (local real nodes have one); this cluster has none",
        );
      const secret = dockerConfigSecret(name, ctx.namespace, registry, credentials as Credentials);
      secret.metadata.labels = {
        [LABEL_RUN_ID]: ctx.runId,
        [LABEL_SCENARIO]: ctx.scenarioLabel,
        [LABEL_MANAGED]: MANAGED_BY,
      };
      // a replaced Secret loses its other keys too: apply would merge, a pull Secret has one key
      const existed = await ctx.kube.get({ apiVersion: "v1", kind: "Secret", name, namespace: ctx.namespace });
      if (existed) await ctx.kube.delete({ apiVersion: "v1", kind: "Secret", name, namespace: ctx.namespace });
      await ctx.kube.apply(secret);
      ctx.log.info(
        `wrote image pull Secret ${ctx.namespace}/${name} (${credentials} credentials for ${registry.host})`,
      );
      return nothingToRevert();
    },
  };
}

export const pullSecretStep = defineStep({
  name: "pullSecret",
  description:
    "Write an image pull Secret (kubernetes.io/dockerconfigjson) in the scenario's namespace for the cluster's registry that requires credentials: its real credentials, or a wrong password.",
  scope: "namespace",
  params: {
    required: ["name"],
    properties: {
      name: text("The Secret's name (what the pods' imagePullSecrets or service account name)."),
      credentials: {
        enum: [...CREDENTIALS],
        description:
          "valid: the registry's credentials (default); wrong: the same user with a password the registry refuses.",
      },
    },
  },
  create,
  fidelity: {
    kwok: { mode: "unavailable", note: "kwok nodes pull nothing, and the cluster has no registry" },
    k3s: { mode: "unavailable", note: "no registry that requires credentials" },
    kind: {
      mode: "limited",
      note: "when kubedrill could start its registry containers (Go on PATH builds the image they serve)",
    },
    kubeconfig: { mode: "unavailable", note: "the cluster's registries and their credentials are not kubedrill's" },
  },
});
