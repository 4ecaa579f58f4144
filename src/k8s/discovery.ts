import { ApiError, type RestClient } from "./rest.ts";
import type { ResourceType } from "./types.ts";
import { knownKind } from "./kinds.ts";

interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

interface APIResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/** Maps apiVersion+kind to REST paths, asking the server once per group version. */
export class Discovery {
  #cache = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(private readonly rest: RestClient) {}

  async resource(type: ResourceType): Promise<ResourceInfo> {
    const known = knownKind(type.kind, type.apiVersion);
    if (known) return { plural: known.plural, namespaced: known.namespaced };
    const byKind = await this.#groupVersion(type.apiVersion);
    const info = byKind.get(type.kind);
    if (!info) throw new ApiError(`the API server has no kind "${type.kind}" in ${type.apiVersion}`, 404, "NotFound");
    return info;
  }

  /** As resource(), but always asks the server (a known kind may still not be served, e.g. a CRD's). */
  async lookup(type: ResourceType): Promise<ResourceInfo> {
    const byKind = await this.#groupVersion(type.apiVersion).catch((err: unknown) => {
      if (err instanceof ApiError && err.statusCode === 404)
        throw new ApiError(`the API server does not serve ${type.apiVersion}`, 404, "NotFound", { cause: err });
      throw err;
    });
    const info = byKind.get(type.kind);
    if (!info) throw new ApiError(`the API server has no kind "${type.kind}" in ${type.apiVersion}`, 404, "NotFound");
    return info;
  }

  /** Forgets what was learnt (after installing a CRD). */
  reset(): void {
    this.#cache.clear();
  }

  #groupVersion(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    let p = this.#cache.get(apiVersion);
    if (!p) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = this.rest
        .request<APIResourceList>({ method: "GET", path, what: `discovery of ${apiVersion}` })
        .then((list) => {
          const m = new Map<string, ResourceInfo>();
          for (const r of list.resources)
            if (!r.name.includes("/")) m.set(r.kind, { plural: r.name, namespaced: r.namespaced });
          return m;
        });
      p.catch(() => this.#cache.delete(apiVersion));
      this.#cache.set(apiVersion, p);
    }
    return p;
  }
}

export function resourcePath(type: ResourceType, info: ResourceInfo, namespace?: string, name?: string): string {
  const base = type.apiVersion.includes("/") ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${info.plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
}
