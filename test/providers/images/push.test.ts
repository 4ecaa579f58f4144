import { expect } from "chai";
import { imageBlobs, sha256 } from "../../../src/providers/shared/images/oci.ts";
import { Pusher, splitRef, type FetchLike } from "../../../src/providers/shared/images/push.ts";

/** A registry in memory, speaking the part of the distribution API the pusher uses. */
function fakeRegistry(opts: { user?: string; password?: string } = {}) {
  const blobs = new Map<string, Set<string>>(); // repo -> digests
  const manifests = new Map<string, Buffer>(); // repo:tag -> manifest
  const calls: string[] = [];
  let uploads = 0;
  const fetchFn: FetchLike = async (url, init) => {
    const u = new URL(url);
    const method = init.method ?? "GET";
    calls.push(`${method} ${u.pathname}${u.search}`);
    const headers = new Headers(init.headers as Record<string, string>);
    if (opts.user && headers.get("authorization") !== `Basic ${btoa(`${opts.user}:${opts.password}`)}`)
      return Response.json({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }, { status: 401 });
    const m = /^\/v2\/(.+)\/(blobs|manifests)\/(.*)$/.exec(u.pathname);
    if (!m) return new Response(null, { status: 404 });
    const [, repo, kind, rest] = m as unknown as [string, string, string, string];
    const held = blobs.get(repo) ?? new Set<string>();
    blobs.set(repo, held);
    if (kind === "blobs" && method === "HEAD") return new Response(null, { status: held.has(rest) ? 200 : 404 });
    if (kind === "blobs" && method === "POST") {
      const from = u.searchParams.get("from");
      const mount = u.searchParams.get("mount");
      if (from && mount && blobs.get(from)?.has(mount)) {
        held.add(mount);
        return new Response(null, { status: 201 });
      }
      return new Response(null, {
        status: 202,
        headers: { Location: `/v2/${repo}/blobs/uploads/u${++uploads}?state=x` },
      });
    }
    if (kind === "blobs" && method === "PUT") {
      const body = Buffer.from(init.body as Uint8Array);
      const want = u.searchParams.get("digest")!;
      if (sha256(body) !== want || u.searchParams.get("state") !== "x")
        return Response.json({ errors: [{ code: "DIGEST_INVALID", message: "digest mismatch" }] }, { status: 400 });
      held.add(want);
      return new Response(null, { status: 201 });
    }
    if (kind === "manifests" && method === "PUT") {
      const manifest = JSON.parse(Buffer.from(init.body as Uint8Array).toString());
      for (const d of [manifest.config.digest, ...manifest.layers.map((l: { digest: string }) => l.digest)])
        if (!held.has(d))
          return Response.json(
            { errors: [{ code: "MANIFEST_BLOB_UNKNOWN", message: `blob unknown ${d}` }] },
            { status: 400 },
          );
      manifests.set(`${repo}:${rest}`, Buffer.from(init.body as Uint8Array));
      return new Response(null, { status: 201 });
    }
    return new Response(null, { status: 405 });
  };
  return { fetchFn, blobs, manifests, calls };
}

const image = (layer: string, tag: string) =>
  imageBlobs({
    ref: `docker.io/library/x:${tag}`,
    below: [Buffer.from(layer.repeat(100_000))],
    files: [{ path: "tag", mode: 0o644, data: Buffer.from(tag) }],
  });

describe("real nodes: pushing images over the distribution API", () => {
  it("uploads every blob, then the manifest under its tag", async () => {
    const r = fakeRegistry();
    const img = image("a", "1");
    const digest = await new Pusher({ url: "http://reg:5000" }, r.fetchFn).push("docker.io/library/x", "1", img);
    expect(digest).to.equal(sha256(img.manifest));
    expect(r.manifests.get("docker.io/library/x:1")).to.deep.equal(img.manifest);
    expect([...r.blobs.get("docker.io/library/x")!]).to.have.members([...img.layers, img.config].map(sha256));
  });

  it("sends a shared layer once: skipped in the same repository, mounted into another", async () => {
    const r = fakeRegistry();
    const p = new Pusher({ url: "http://reg:5000" }, r.fetchFn);
    await p.push("docker.io/library/x", "1", image("a", "1"));
    const sent = p.bytesSent;
    await p.push("docker.io/library/x", "2", image("a", "2"));
    await p.push("ghcr.io/o/y", "1", image("a", "3"));
    const shared = sha256(image("a", "1").layers[0]!);
    expect(r.calls).to.include(`POST /v2/ghcr.io/o/y/blobs/uploads/?mount=${shared}&from=docker.io/library/x`);
    expect(p.bytesSent - sent).to.be.below(image("a", "1").layers[0]!.length);
  });

  it("sends credentials, and names the registry, the blob and the error code when refused", async () => {
    const r = fakeRegistry({ user: "u", password: "p" });
    await new Pusher({ url: "http://reg:5001", auth: { user: "u", password: "p" } }, r.fetchFn).push(
      "registry.kubedrill.local/private/app",
      "v1",
      image("b", "1"),
    );
    const wrong = new Pusher({ url: "http://reg:5001", auth: { user: "u", password: "no" } }, r.fetchFn);
    try {
      await wrong.push("r/x", "1", image("b", "1"));
      expect.fail("pushed with a wrong password");
    } catch (err) {
      expect(String(err)).to.match(
        /registry http:\/\/reg:5001: blob sha256:\w+ of r\/x: HTTP 401 \(UNAUTHORIZED: authentication required\), expected 404/,
      );
    }
  });

  it("pushes an image under its own reference, the host kept in the repository", async () => {
    const r = fakeRegistry();
    const spec = {
      ref: "ghcr.io/stefanprodan/podinfo:6.7.1",
      files: [{ path: "a", mode: 0o644, data: Buffer.from("a") }],
    };
    const digest = await new Pusher({ url: "http://reg:5000" }, r.fetchFn).pushImage(spec);
    expect(digest).to.equal(sha256(imageBlobs(spec).manifest));
    expect([...r.manifests.keys()]).to.deep.equal(["ghcr.io/stefanprodan/podinfo:6.7.1"]);
  });

  it("splits a fully qualified reference into host, repository and tag", () => {
    expect(splitRef("ghcr.io/stefanprodan/podinfo:6.7.1")).to.deep.equal({
      host: "ghcr.io",
      path: "stefanprodan/podinfo",
      tag: "6.7.1",
    });
    expect(splitRef("10.0.0.1:5000/a/b:v2")).to.deep.equal({ host: "10.0.0.1:5000", path: "a/b", tag: "v2" });
    expect(() => splitRef("nginx:1.27")).to.throw(/must be host\/path:tag/);
  });
});
