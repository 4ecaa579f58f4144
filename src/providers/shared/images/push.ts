import { ClusterError } from "../../../errors.ts";
import { imageBlobs, MANIFEST_TYPE, sha256, type ImageBlobs, type ImageSpec } from "./oci.ts";

export interface RegistryTarget {
  /** e.g. http://10.250.7.1:5000 */
  url: string;
  auth?: { user: string; password: string };
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Pushes images over the OCI distribution API: each blob is checked (HEAD), mounted from a
 * repository this pusher already filled, or uploaded (POST, then PUT with its digest);
 * then the manifest is PUT under its tag. Shared layers go up once per registry.
 */
export class Pusher {
  /** digest -> a repository that holds it */
  private readonly held = new Map<string, string>();
  bytesSent = 0;

  constructor(
    readonly target: RegistryTarget,
    private readonly fetchFn: FetchLike = fetch,
  ) {}

  /** `repo` is the repository path (e.g. docker.io/library/nginx), `tag` the tag. */
  async push(repo: string, tag: string, blobs: ImageBlobs): Promise<string> {
    for (const b of [...blobs.layers, blobs.config]) await this.blob(repo, b);
    const res = await this.call("PUT", `/v2/${repo}/manifests/${tag}`, blobs.manifest, {
      "Content-Type": MANIFEST_TYPE,
    });
    await this.expect(res, [201], `manifest ${repo}:${tag}`);
    return sha256(blobs.manifest);
  }

  /**
   * Pushes an image under its own reference (`host/path:tag`). The repository carries the
   * host, because the nodes' containerd asks for `/v2/<host>/<path>` (override_path in
   * hosts.toml), so one registry keeps several hosts' repositories apart.
   */
  pushImage(spec: ImageSpec): Promise<string> {
    const { host, path, tag } = splitRef(spec.ref);
    return this.push(`${host}/${path}`, tag, imageBlobs(spec));
  }

  private async blob(repo: string, data: Buffer): Promise<void> {
    const digest = sha256(data);
    const head = await this.call("HEAD", `/v2/${repo}/blobs/${digest}`);
    if (head.status === 200) return;
    await this.expect(head, [404], `blob ${digest} of ${repo}`);
    const from = this.held.get(digest);
    const query = from ? `?mount=${digest}&from=${from}` : "";
    const start = await this.call("POST", `/v2/${repo}/blobs/uploads/${query}`);
    await this.expect(start, [201, 202], `upload of ${digest} to ${repo}`);
    if (start.status === 202) {
      const location = new URL(start.headers.get("location") ?? "", this.target.url);
      location.searchParams.set("digest", digest);
      const put = await this.call("PUT", location.pathname + location.search, data, {
        "Content-Type": "application/octet-stream",
      });
      await this.expect(put, [201], `blob ${digest} (${data.length} bytes) to ${repo}`);
      this.bytesSent += data.length;
    }
    this.held.set(digest, repo);
  }

  private call(method: string, pathAndQuery: string, body?: Buffer, headers: Record<string, string> = {}) {
    const auth = this.target.auth;
    return this.fetchFn(this.target.url + pathAndQuery, {
      method,
      ...(body ? { body } : {}),
      headers: {
        ...headers,
        ...(auth ? { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString("base64")}` } : {}),
      },
    });
  }

  private async expect(res: Response, ok: number[], what: string): Promise<void> {
    if (ok.includes(res.status)) {
      await res.body?.cancel();
      return;
    }
    let code = "";
    try {
      const errs = ((await res.json()) as { errors?: { code: string; message: string }[] }).errors ?? [];
      code = errs.map((e) => `${e.code}: ${e.message}`).join("; ");
    } catch {
      // not the registry's JSON error body
    }
    throw new ClusterError(
      `registry ${this.target.url}: ${what}: HTTP ${res.status}${code ? ` (${code})` : ""}, expected ${ok.join(" or ")}`,
    );
  }
}

/** Splits `host/path/name:tag` into the registry host, the repository path and the tag. */
export function splitRef(ref: string): { host: string; path: string; tag: string } {
  const slash = ref.indexOf("/");
  const colon = ref.lastIndexOf(":");
  if (slash < 0 || colon < slash) throw new RangeError(`image reference "${ref}" must be host/path:tag`);
  return { host: ref.slice(0, slash), path: ref.slice(slash + 1, colon), tag: ref.slice(colon + 1) };
}
