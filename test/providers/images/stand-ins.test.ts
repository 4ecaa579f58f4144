import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { containerdConfig } from "../../../src/providers/local/nodes/containerd-config.ts";
import { imageBlobs } from "../../../src/providers/shared/images/oci.ts";
import { hostsToml, MIRRORED } from "../../../src/providers/shared/images/registry-hosts.ts";
import { STAND_INS, standInImage } from "../../../src/providers/shared/images/stand-ins.ts";
import { tarArchive } from "../../../src/providers/shared/images/tar.ts";
import { FILLER_IMAGE } from "../../../src/providers/shared/filler-pod.ts";
import { AUTH_REGISTRY_HOST } from "../../../src/providers/shared/images/names.ts";
import { PRIVATE_APP_IMAGE } from "../../../src/providers/shared/images/names.ts";
import { TOXIPROXY_IMAGE, toxiproxyImage } from "../../../src/providers/local/nodes/toxiproxy.ts";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";

/** docker.io/library/ for an official image's short name, docker.io/ for a user's, as containerd does. */
function qualify(image: string): string {
  const first = image.split("/")[0]!;
  const named = image.includes(":") ? image : `${image}:latest`;
  if (image.includes("/") && (first.includes(".") || first.includes(":"))) return named;
  return image.includes("/") ? `docker.io/${named}` : `docker.io/library/${named}`;
}

/** Every `image:` value in the scenarios and their manifests. */
function scenarioImages(): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (k === "image" && typeof x === "string") out.add(x);
        else walk(x);
      }
  };
  for (const dir of ["scenarios", "scenarios/manifests"])
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".yaml")))
      for (const doc of readFileSync(path.join(dir, f), "utf8").split(/^---$/m)) walk(parse(doc));
  return [...out];
}

describe("real nodes: stand-in images and registry mirrors", () => {
  it("has a stand-in for every image the scenarios, their manifests and the filler pod name", () => {
    // ${authRegistry} is the registry that requires credentials: it holds the private image only
    const images = [...scenarioImages(), FILLER_IMAGE].map((i) => i.replace("${authRegistry}", AUTH_REGISTRY_HOST));
    expect(images).to.include("nginx:1.27").and.include(PRIVATE_APP_IMAGE);
    const refs = STAND_INS.flatMap((s) => s.refs);
    expect(images).to.include(TOXIPROXY_IMAGE);
    for (const image of images) expect([...refs, PRIVATE_APP_IMAGE, TOXIPROXY_IMAGE], image).to.include(qualify(image));
    expect(MIRRORED).to.include(TOXIPROXY_IMAGE.split("/")[0]);
    for (const ref of refs) expect(MIRRORED, ref).to.include(ref.split("/")[0]);
  });

  it("gives an app stand-in the original's ports and health paths in its image config", () => {
    const podinfo = STAND_INS.find((s) => s.refs[0] === "ghcr.io/stefanprodan/podinfo:6.7.1")!;
    const ref = podinfo.refs[0]!;
    const blobs = imageBlobs(standInImage(podinfo, ref, [tarArchive([{ path: "bin", mode: 0o755 }])], Buffer.from("")));
    const config = JSON.parse(blobs.config.toString()).config;
    expect(config.Entrypoint).to.deep.equal(["/bin/app", "serve"]);
    expect(config.ExposedPorts).to.deep.equal({ "9898/tcp": {} });
    expect(config.Env).to.include.members(["APP_PORTS=9898", "APP_STYLE=podinfo", "APP_HEALTH=/healthz,/readyz"]);
    expect(blobs.layers).to.have.length(2);
  });

  it("gives the Toxiproxy image the published one's name, entrypoint, arguments and port, on the busybox layer", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kd-toxiproxy-"));
    try {
      await writeFile(path.join(dir, "server"), "server binary");
      await writeFile(path.join(dir, "cli"), "cli binary");
      const busybox = tarArchive([{ path: "bin", mode: 0o755 }]);
      const spec = await toxiproxyImage({ server: path.join(dir, "server"), cli: path.join(dir, "cli") }, busybox);
      expect(spec.ref).to.equal("ghcr.io/shopify/toxiproxy:2.5.0");
      expect(spec.files.map((f) => [f.path, f.data?.toString()])).to.deep.equal([
        ["toxiproxy", "server binary"],
        ["toxiproxy-cli", "cli binary"],
      ]);
      const blobs = imageBlobs(spec);
      const config = JSON.parse(blobs.config.toString()).config;
      expect([config.Entrypoint, config.Cmd, config.ExposedPorts]).to.deep.equal([
        ["/toxiproxy"],
        ["-host=0.0.0.0"],
        { "8474/tcp": {} },
      ]);
      expect(blobs.layers[0]).to.equal(busybox);
      expect(blobs.layers).to.have.length(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes symbolic links into a layer (the busybox applets)", () => {
    const tar = tarArchive([{ path: "bin/sh", mode: 0o777, link: "/bin/busybox" }]);
    expect(tar.subarray(156, 157).toString()).to.equal("2");
    expect(tar.subarray(157, 169).toString()).to.equal("/bin/busybox");
    expect(tar.length).to.equal(512 * 3); // header and the two end blocks: a link has no contents
  });

  it("points a host at the local registry under its own path, with no fallback to the real one", () => {
    const toml = hostsToml("ghcr.io", "http://10.250.7.1:5000");
    expect(toml).to.include('server = "http://10.250.7.1:5000/v2/ghcr.io"');
    expect(toml).to.include('[host."http://10.250.7.1:5000/v2/ghcr.io"]');
    expect(toml).to.include("override_path = true");
    expect(toml).not.to.include("https://"); // the real ghcr.io is never tried
  });

  it("gives containerd the mirrors' folder only when asked", () => {
    const base = {
      root: "/r",
      state: "/s",
      socket: "/x.sock",
      runcRoot: "/rr",
      cniConfDir: "/cni",
      cniBinDir: "/cni-bin",
    };
    expect(containerdConfig(base)).not.to.include("config_path");
    expect(containerdConfig({ ...base, registryConfigDir: "/c/certs.d" })).to.include(
      '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/c/certs.d"',
    );
  });
});
