import { expect } from "chai";
import { createHash } from "node:crypto";
import { ociArchive } from "../../../src/providers/shared/images/oci.ts";
import { tarArchive } from "../../../src/providers/shared/images/tar.ts";

/** Reads a ustar archive back: name -> contents, checking every header's checksum. */
function untar(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (let off = 0; off + 512 <= buf.length;) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const stored = parseInt(h.subarray(148, 156).toString("latin1"), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    expect(sum, "header checksum").to.equal(stored);
    const name = h.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(h.subarray(124, 136).toString("latin1"), 8);
    out.set(name, buf.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

const digest = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("real nodes: OCI image archives", () => {
  it("writes a tar with checksummed headers, padded contents and directory entries", () => {
    const files = untar(
      tarArchive([
        { path: "bin", mode: 0o755 },
        { path: "bin/app", mode: 0o755, data: Buffer.from("x".repeat(700)) },
      ]),
    );
    expect([...files.keys()]).to.deep.equal(["bin/", "bin/app"]);
    expect(files.get("bin/app")!.toString()).to.equal("x".repeat(700));
  });

  it("refuses a name longer than ustar allows, naming it and the limit", () => {
    expect(() => tarArchive([{ path: "a".repeat(101), mode: 0o644, data: Buffer.alloc(0) }])).to.throw(
      /101 bytes long \(limit 100\)/,
    );
  });

  it("lays out index, manifest, config and layer whose digests match their blobs", () => {
    const archive = untar(
      ociArchive({
        ref: "registry.k8s.io/pause:3.10.1",
        files: [{ path: "pause", mode: 0o755, data: Buffer.from("bin") }],
        entrypoint: ["/pause"],
      }),
    );
    const index = JSON.parse(archive.get("index.json")!.toString());
    const m = index.manifests[0];
    expect(m.annotations["io.containerd.image.name"]).to.equal("registry.k8s.io/pause:3.10.1");
    expect(m.annotations["org.opencontainers.image.ref.name"]).to.equal("3.10.1");
    const manifestBlob = archive.get(`blobs/sha256/${m.digest.slice(7)}`)!;
    expect(digest(manifestBlob)).to.equal(m.digest.slice(7));
    const manifest = JSON.parse(manifestBlob.toString());
    const config = JSON.parse(archive.get(`blobs/sha256/${manifest.config.digest.slice(7)}`)!.toString());
    const layer = archive.get(`blobs/sha256/${manifest.layers[0].digest.slice(7)}`)!;
    expect(config.rootfs.diff_ids).to.deep.equal([`sha256:${digest(layer)}`]);
    expect(config.config.Entrypoint).to.deep.equal(["/pause"]);
    expect(untar(layer).get("pause")!.toString()).to.equal("bin");
  });

  it("is reproducible: the same input gives the same bytes", () => {
    const spec = {
      ref: "kubedrill.local/app:v1",
      files: [{ path: "app", mode: 0o755, data: Buffer.from("a") }],
      entrypoint: ["/app"],
    };
    expect(digest(ociArchive(spec))).to.equal(digest(ociArchive(spec)));
  });
});
