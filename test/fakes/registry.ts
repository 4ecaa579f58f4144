import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sha256 } from "../../src/providers/shared/images/oci.ts";

/** A registry on 127.0.0.1 speaking the part of the distribution API the pusher uses. */
export async function fakeRegistry(credentials?: { user: string; password: string }) {
  const blobs = new Set<string>();
  const manifests = new Map<string, string>(); // repo:tag -> manifest
  let uploads = 0;
  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? "/", "http://x");
      const data = await body(req);
      const basic = credentials && `Basic ${btoa(`${credentials.user}:${credentials.password}`)}`;
      if (basic && req.headers.authorization !== basic) return res.writeHead(401).end();
      if (u.pathname === "/v2/") return res.writeHead(200).end("{}");
      const m = /^\/v2\/(.+)\/(blobs|manifests)\/(.*)$/.exec(u.pathname);
      if (!m) return res.writeHead(404).end();
      const [, repo, kind, rest] = m as unknown as [string, string, string, string];
      if (kind === "blobs" && req.method === "HEAD") return res.writeHead(blobs.has(rest) ? 200 : 404).end();
      if (kind === "blobs" && req.method === "POST") {
        if (u.searchParams.get("mount") && blobs.has(u.searchParams.get("mount")!)) return res.writeHead(201).end();
        return res.writeHead(202, { Location: `/v2/${repo}/blobs/uploads/u${++uploads}` }).end();
      }
      if (kind === "blobs" && req.method === "PUT") {
        if (sha256(data) !== u.searchParams.get("digest")) return res.writeHead(400).end();
        blobs.add(sha256(data));
        return res.writeHead(201).end();
      }
      if (kind === "manifests" && req.method === "PUT") {
        const manifest = JSON.parse(data.toString()) as { config: { digest: string }; layers: { digest: string }[] };
        if (![manifest.config, ...manifest.layers].every((d) => blobs.has(d.digest))) return res.writeHead(400).end();
        manifests.set(`${repo}:${rest}`, data.toString());
        return res.writeHead(201).end();
      }
      res.writeHead(405).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    manifests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
