import { KubeConfig } from "@kubernetes/client-node";
import type { Kube, PatchType, WatchHandle, WatchOptions } from "./kube.ts";
import type { KObject, ListOptions, ObjectRef, ResourceType, WatchEvent } from "./types.ts";
import { ApiError, RestClient } from "./rest.ts";
import { Discovery, resourcePath } from "./discovery.ts";
import { resumableWatch } from "./watch.ts";
import { systemClock, type Clock } from "../util/clock.ts";

const FIELD_MANAGER = "kubedrill";
/** Lists of metadata only: the server leaves out spec, status and data. */
const METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
const PATCH_TYPES: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
};

export function describeRef(ref: { kind: string; name?: string; namespace?: string }): string {
  return `${ref.kind}${ref.name ? ` "${ref.name}"` : ""}${ref.namespace ? ` in ${ref.namespace}` : ""}`;
}

export function loadKubeConfig(kubeconfigPath: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  if (context) kc.setCurrentContext(context);
  return kc;
}

/** The real Kube: raw JSON over the REST API, credentials and TLS from the kubeconfig. */
export function createKube(kubeconfigPath: string, opts: { context?: string; clock?: Clock } = {}): Kube {
  const kc = loadKubeConfig(kubeconfigPath, opts.context);
  const rest = new RestClient(kc);
  const discovery = new Discovery(rest);
  const clock = opts.clock ?? systemClock;

  const pathOf = async (type: ResourceType, namespace?: string, name?: string) =>
    resourcePath(type, await discovery.resource(type), namespace, name);

  const list = async (type: ResourceType, o: ListOptions = {}, atResourceVersion?: string) => {
    const res = await rest.request<{ items: KObject[]; metadata: { resourceVersion: string } }>({
      method: "GET",
      path: await pathOf(type, o.namespace),
      query: {
        labelSelector: o.labelSelector,
        fieldSelector: o.fieldSelector,
        ...(atResourceVersion ? { resourceVersion: atResourceVersion, resourceVersionMatch: "Exact" } : {}),
      },
      ...(o.metadataOnly ? { accept: METADATA_ONLY } : {}),
      what: `list ${type.kind}${o.namespace ? ` in ${o.namespace}` : ""}`,
    });
    // List items carry no apiVersion/kind: restore them so every object is self-describing.
    // A metadata-only list with no objects carries "items": null.
    const items = (res.items ?? []).map((i) => ({ ...i, apiVersion: type.apiVersion, kind: type.kind }));
    return { items, resourceVersion: res.metadata.resourceVersion };
  };

  const kube: Kube = {
    async apply(obj) {
      const ref = refOf(obj);
      return rest
        .request<KObject>({
          method: "PATCH",
          path: await pathOf(obj, ref.namespace, ref.name),
          query: { fieldManager: FIELD_MANAGER, force: true },
          body: obj,
          contentType: "application/apply-patch+yaml",
          what: `apply ${describeRef(ref)}`,
        })
        .finally(() => {
          if (obj.kind === "CustomResourceDefinition") discovery.reset();
        });
    },
    async create(obj) {
      const ref = refOf(obj);
      return rest.request<KObject>({
        method: "POST",
        path: await pathOf(obj, ref.namespace),
        body: obj,
        what: `create ${describeRef(ref)}`,
      });
    },
    async get(ref) {
      try {
        return await rest.request<KObject>({
          method: "GET",
          path: await pathOf(ref, ref.namespace, ref.name),
          what: `get ${describeRef(ref)}`,
        });
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 404) return undefined;
        throw err;
      }
    },
    list: (type, o) => list(type, o),
    async patch(ref, patch, type, o = {}) {
      const path = (await pathOf(ref, ref.namespace, ref.name)) + (o.subresource ? `/${o.subresource}` : "");
      return rest.request<KObject>({
        method: "PATCH",
        path,
        body: patch,
        contentType: PATCH_TYPES[type],
        query: { fieldManager: o.fieldManager ?? FIELD_MANAGER },
        what: `patch ${describeRef(ref)}`,
      });
    },
    async delete(ref, o = {}) {
      try {
        await rest.request({
          method: "DELETE",
          path: await pathOf(ref, ref.namespace, ref.name),
          body: {
            kind: "DeleteOptions",
            apiVersion: "v1",
            propagationPolicy: o.propagation ?? "Background",
            gracePeriodSeconds: o.gracePeriodSeconds,
          },
          what: `delete ${describeRef(ref)}`,
        });
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 404) return false;
        throw err;
      }
    },
    async watch(
      type: ResourceType,
      o: WatchOptions,
      onEvent: (e: WatchEvent) => void,
      onError: (err: Error) => void,
    ): Promise<WatchHandle> {
      const path = await pathOf(type, o.namespace);
      const withKind = (e: WatchEvent) =>
        onEvent({ ...e, object: { ...e.object, apiVersion: type.apiVersion, kind: type.kind } });
      return resumableWatch({ kc, clock, path, list: (at) => list(type, o, at) }, type, o, withKind, onError);
    },
    async isNamespaced(type) {
      return (await discovery.resource(type)).namespaced;
    },
    async hasKind(type) {
      try {
        await discovery.lookup(type);
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 404) return false;
        throw err;
      }
    },
    async canI(a) {
      const { plural } = await discovery.resource(a);
      const group = a.apiVersion.includes("/") ? a.apiVersion.split("/")[0]! : "";
      const review = await rest.request<{ status?: { allowed?: boolean; reason?: string } }>({
        method: "POST",
        path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SelfSubjectAccessReview",
          spec: {
            resourceAttributes: {
              verb: a.verb,
              group,
              resource: plural,
              ...(a.namespace ? { namespace: a.namespace } : {}),
            },
          },
        },
        what: `access review (${a.verb} ${a.kind})`,
      });
      return {
        allowed: review.status?.allowed === true,
        ...(review.status?.reason ? { reason: review.status.reason } : {}),
      };
    },
    async serverVersion() {
      const v = await rest.request<{ gitVersion: string }>({ method: "GET", path: "/version", what: "server version" });
      return v.gitVersion;
    },
  };
  return kube;
}

function refOf(obj: KObject): ObjectRef {
  if (!obj.metadata?.name) throw new ApiError(`${obj.kind} without metadata.name`, 0, "Invalid");
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
}
