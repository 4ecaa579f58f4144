// The real nodes' IPAM plugin (CNI), run by each node's containerd through the bridge plugin:
// Calico-style IP pools for pods that ask for one (src/providers/local/nodes/ipam.ts), the
// node's pod CIDR (host-local) for every other pod.
//   stdin: the network configuration; environment: CNI_COMMAND, CNI_CONTAINERID, CNI_ARGS, ...
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import { parse } from "yaml";
import { choosePool, nodeBlock, poolOf, requestedPools } from "./ipam.ts";

interface IpamConf {
  kubeconfig: string;
  routerPid: number;
  nodeIP: string;
  nodeIndex: number;
  dataDir: string;
  fallback: Record<string, unknown>;
}

const SUPPORTED = ["0.3.0", "0.3.1", "0.4.0", "1.0.0"];

function reply(o: unknown, code = 0): never {
  process.stdout.write(JSON.stringify(o));
  // eslint-disable-next-line no-restricted-syntax -- a CNI plugin answers with its exit status
  process.exit(code);
}

function fail(msg: string, cniVersion = "1.0.0"): never {
  reply({ cniVersion, code: 11, msg: `kubedrill-ipam: ${msg}` }, 1);
}

/** host-local with the same request, for pods that ask for no pool. */
function delegate(conf: Record<string, unknown>, ipam: IpamConf): never {
  const input = JSON.stringify({ ...conf, ipam: ipam.fallback });
  const r = spawnSync("/usr/lib/cni/host-local", [], { input, env: process.env });
  process.stdout.write(r.stdout ?? "");
  process.stderr.write(r.stderr ?? "");
  // eslint-disable-next-line no-restricted-syntax -- a CNI plugin answers with its exit status
  process.exit(r.status ?? 1);
}

function get(kubeconfig: string, urlPath: string): Promise<{ status: number; body: unknown }> {
  const kc = parse(readFileSync(kubeconfig, "utf8")) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { token: string } }[];
  };
  const server = new URL(kc.clusters[0]!.cluster.server);
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: server.hostname,
        port: server.port,
        path: urlPath,
        ca: Buffer.from(kc.clusters[0]!.cluster["certificate-authority-data"], "base64"),
        headers: { Authorization: `Bearer ${kc.users[0]!.user.token}`, Accept: "application/json" },
        timeout: 10_000,
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from the API server for ${urlPath}`)));
    req.on("error", reject);
  });
}

function release(dataDir: string, containerId: string): void {
  if (!existsSync(dataDir)) return;
  for (const pool of readdirSync(dataDir)) {
    const dir = path.join(dataDir, pool);
    for (const ip of readdirSync(dir)) {
      const file = path.join(dir, ip);
      if (readFileSync(file, "utf8").trim() === containerId) unlinkSync(file);
    }
  }
}

/** Claims the lowest free address by creating its file exclusively (safe between concurrent ADDs). */
function claim(dir: string, hosts: string[], containerId: string): string {
  mkdirSync(dir, { recursive: true });
  for (const ip of hosts) {
    try {
      const fd = openSync(path.join(dir, ip), "wx");
      writeSync(fd, containerId);
      closeSync(fd);
      return ip;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  throw new Error(`the block in ${dir} is full (${hosts.length} addresses)`);
}

const command = process.env.CNI_COMMAND;
if (command === "VERSION") reply({ cniVersion: "1.0.0", supportedVersions: SUPPORTED });
const conf = JSON.parse(readFileSync(0, "utf8")) as { cniVersion?: string; ipam: IpamConf } & Record<string, unknown>;
const version = conf.cniVersion ?? "1.0.0";
const ipam = conf.ipam;
const containerId = process.env.CNI_CONTAINERID ?? "";
if (command === "DEL") {
  release(ipam.dataDir, containerId);
  delegate(conf, ipam);
}
if (command !== "ADD") delegate(conf, ipam); // CHECK: host-local answers for its own; ours need no check
const args = Object.fromEntries((process.env.CNI_ARGS ?? "").split(";").map((kv) => kv.split("=") as [string, string]));
const ns = args.K8S_POD_NAMESPACE;
const name = args.K8S_POD_NAME;
if (!ns || !name) delegate(conf, ipam);
try {
  const pod = await get(ipam.kubeconfig, `/api/v1/namespaces/${ns}/pods/${name}`);
  if (pod.status !== 200) fail(`reading pod ${ns}/${name}: HTTP ${pod.status}`, version);
  const requested = requestedPools(
    (pod.body as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations,
  );
  if (!requested) delegate(conf, ipam);
  const list = await get(ipam.kubeconfig, "/apis/crd.projectcalico.org/v1/ippools");
  const items =
    list.status === 200 ? ((list.body as { items: unknown[] }).items as Parameters<typeof poolOf>[0][]) : [];
  const pool = choosePool(requested, items.map(poolOf));
  const block = nodeBlock(pool, ipam.nodeIndex);
  // the block's gateway on the node's bridge, and the router sends the block to this node,
  // as Calico programs a route per block
  execFileSync("ip", ["addr", "replace", `${block.gateway}/${block.cidr.split("/")[1]}`, "dev", "cni0"]);
  execFileSync("nsenter", [
    "-t",
    String(ipam.routerPid),
    "-n",
    "--",
    "ip",
    "route",
    "replace",
    block.cidr,
    "via",
    ipam.nodeIP,
  ]);
  const ip = claim(path.join(ipam.dataDir, pool.name), block.hosts, containerId);
  const prefix = block.cidr.split("/")[1];
  reply({
    cniVersion: version,
    ips: [{ address: `${ip}/${prefix}`, gateway: block.gateway }],
    routes: [{ dst: "0.0.0.0/0" }],
  });
} catch (err) {
  fail((err as Error).message, version);
}
