import fs from "node:fs/promises";
import path from "node:path";
import { openssl } from "../pki.ts";

export interface ClientCert {
  cert: string;
  key: string;
}

/** A client certificate signed by the cluster CA (in `pkiDir`: ca.crt, ca.key): CN=user, O=group. */
export async function clientCert(pkiDir: string, file: string, cn: string, org?: string): Promise<ClientCert> {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const subj = `/CN=${cn}${org ? `/O=${org}` : ""}`;
  await openssl(["req", ...ec, "-keyout", `${file}.key`, "-out", `${file}.csr`, "-subj", subj], pkiDir);
  await fs.writeFile(path.join(pkiDir, `${file}.ext`), "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n");
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      `${file}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${file}.crt`,
      "-days",
      "30",
      "-extfile",
      `${file}.ext`,
    ],
    pkiDir,
  );
  return { cert: path.join(pkiDir, `${file}.crt`), key: path.join(pkiDir, `${file}.key`) };
}

/** A kubeconfig that authenticates with a client certificate. */
export async function writeCertKubeconfig(
  file: string,
  o: { server: string; caCert: string; client: ClientCert; user: string },
): Promise<void> {
  const text = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: local",
    "  cluster:",
    `    server: ${o.server}`,
    `    certificate-authority: ${o.caCert}`,
    "users:",
    `- name: ${o.user}`,
    "  user:",
    `    client-certificate: ${o.client.cert}`,
    `    client-key: ${o.client.key}`,
    "contexts:",
    "- name: local",
    "  context:",
    "    cluster: local",
    `    user: ${o.user}`,
    "current-context: local",
    "",
  ].join("\n");
  await fs.writeFile(file, text, { mode: 0o600 });
}
