import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { ClusterError } from "../../errors.ts";

export interface Pki {
  caCert: string;
  servingCert: string;
  servingKey: string;
  saKey: string;
  saPub: string;
  tokenFile: string;
  tokens: Record<Identity, string>;
}

export type Identity = "admin" | "controller-manager" | "scheduler" | "kwok";

/** user, groups: the admin and kwok act as cluster admins; the control plane uses its own identities. */
const IDENTITIES: Record<Identity, { user: string; groups: string[] }> = {
  admin: { user: "kubedrill-admin", groups: ["system:masters"] },
  "controller-manager": { user: "system:kube-controller-manager", groups: [] },
  scheduler: { user: "system:kube-scheduler", groups: [] },
  kwok: { user: "kwok-controller", groups: ["system:masters"] },
};

export async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execa("openssl", args, { cwd });
  } catch (err) {
    const e = err as { shortMessage?: string; stderr?: string };
    throw new ClusterError(
      `openssl ${args[0]} failed: ${e.stderr?.split("\n").slice(-3).join(" ") || e.shortMessage}`,
      { cause: err },
    );
  }
}

/**
 * A throw-away PKI for one local cluster: a CA, the API server's serving certificate
 * (for 127.0.0.1, localhost and the in-cluster names), a service-account signing key,
 * and one bearer token per identity. EC P-256 keys: quick to make.
 */
export async function createPki(dir: string, serviceIP: string, extraIPs: string[] = []): Promise<Pki> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(
    ["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=kubedrill-local-ca"],
    dir,
  );
  await openssl(
    ["req", ...ec, "-keyout", "apiserver.key", "-out", "apiserver.csr", "-subj", "/CN=kube-apiserver"],
    dir,
  );
  const san = [
    "IP:127.0.0.1",
    `IP:${serviceIP}`,
    ...extraIPs.map((ip) => `IP:${ip}`),
    "DNS:localhost",
    "DNS:kubernetes",
    "DNS:kubernetes.default",
    "DNS:kubernetes.default.svc",
    "DNS:kubernetes.default.svc.cluster.local",
  ].join(",");
  await fs.writeFile(
    path.join(dir, "apiserver.ext"),
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`,
  );
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      "apiserver.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "apiserver.crt",
      "-days",
      "30",
      "-extfile",
      "apiserver.ext",
    ],
    dir,
  );
  await openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sa.key"], dir);
  await openssl(["ec", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);

  const tokens = Object.fromEntries(
    Object.keys(IDENTITIES).map((id) => [id, randomBytes(24).toString("hex")]),
  ) as Record<Identity, string>;
  const csv = (Object.entries(IDENTITIES) as [Identity, { user: string; groups: string[] }][])
    .map(
      ([id, { user, groups }], i) => `${tokens[id]},${user},uid-${i}${groups.length ? `,"${groups.join(",")}"` : ""}`,
    )
    .join("\n");
  const tokenFile = path.join(dir, "tokens.csv");
  await fs.writeFile(tokenFile, csv + "\n", { mode: 0o600 });
  return {
    caCert: path.join(dir, "ca.crt"),
    servingCert: path.join(dir, "apiserver.crt"),
    servingKey: path.join(dir, "apiserver.key"),
    saKey: path.join(dir, "sa.key"),
    saPub: path.join(dir, "sa.pub"),
    tokenFile,
    tokens,
  };
}

/** A kubeconfig for one identity (the CA embedded, the token inline). */
export async function writeKubeconfig(
  file: string,
  opts: { server: string; caCert: string; token: string; clusterName: string; user: string },
): Promise<void> {
  const ca = (await fs.readFile(opts.caCert)).toString("base64");
  const ctx = `kubedrill-${opts.clusterName}`;
  const text = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${ctx}`,
    "  cluster:",
    `    server: ${opts.server}`,
    `    certificate-authority-data: ${ca}`,
    "users:",
    `- name: ${opts.user}`,
    "  user:",
    `    token: ${opts.token}`,
    "contexts:",
    `- name: ${ctx}`,
    "  context:",
    `    cluster: ${ctx}`,
    `    user: ${opts.user}`,
    `current-context: ${ctx}`,
    "",
  ].join("\n");
  await fs.writeFile(file, text, { mode: 0o600 });
}
