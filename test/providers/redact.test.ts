import { expect } from "chai";
import { REDACTED, redact, redactObject } from "../../src/util/redact.ts";
import { createLogger } from "../../src/util/log.ts";

const JWT =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6Ik5fZ2x6In0.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.Qm9ndXNTaWduYXR1cmVGb3JUZXN0aW5n";
const KEY_DATA = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBdGVzdAo=";
const CERT_DATA = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUREekNDQWZlZ0F3SUJBZ0lJdGVzdAo=";

const KUBECONFIG = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNBCg==
    server: https://127.0.0.1:36443
  name: kind-kd
contexts:
- context:
    cluster: kind-kd
    user: kind-kd
  name: kind-kd
current-context: kind-kd
kind: Config
users:
- name: kind-kd
  user:
    client-certificate-data: ${CERT_DATA}
    client-key-data: ${KEY_DATA}
- name: sa
  user:
    token: ${JWT}
- name: oidc
  user:
    auth-provider:
      config:
        id-token: abc.def.ghi
        refresh-token: "r3fr3sh"
        client-secret: 'sssh'
      name: oidc
- name: basic
  user:
    username: admin
    password: hunter2
`;

describe("redact", () => {
  it("removes every credential from a realistic kubeconfig and keeps the rest", () => {
    const out = redact(KUBECONFIG);
    for (const secret of [JWT, KEY_DATA, CERT_DATA, "abc.def.ghi", "r3fr3sh", "sssh", "hunter2"])
      expect(out).not.to.include(secret);
    expect(out)
      .to.include(`client-key-data: ${REDACTED}`)
      .and.include(`token: ${REDACTED}`)
      .and.include(`refresh-token: "${REDACTED}"`);
    expect(out)
      .to.include("server: https://127.0.0.1:36443")
      .and.include("current-context: kind-kd")
      .and.include("username: admin");
    expect(out.split("\n")).to.have.length(KUBECONFIG.split("\n").length, "line structure kept");
  });

  it("removes bearer tokens and Authorization headers in text and JSON", () => {
    expect(redact(`GET /api/v1/nodes\nAuthorization: Bearer ${JWT}\nAccept: */*`)).to.equal(
      `GET /api/v1/nodes\nAuthorization: Bearer ${REDACTED}\nAccept: */*`,
    );
    expect(redact(`{"headers":{"Authorization":"Basic YWRtaW46aHVudGVyMg=="}}`)).to.equal(
      `{"headers":{"Authorization":"Basic ${REDACTED}"}}`,
    );
    expect(redact("curl -H 'authorization: bearer sk-12345' https://x")).not.to.include("sk-12345");
    expect(redact("kubectl --token=abcd1234 get pods")).to.equal(`kubectl --token=${REDACTED} get pods`);
    expect(redact(`error: ${JWT} is expired`)).to.equal(`error: ${REDACTED} is expired`);
  });

  it("removes passwords in URLs but keeps the user and host", () => {
    expect(redact("pushing to https://ci-bot:ghp_abc123@github.com/org/repo.git")).to.equal(
      `pushing to https://ci-bot:${REDACTED}@github.com/org/repo.git`,
    );
    expect(redact("postgres://app:s3cr3t@db.kd-1.svc:5432/orders")).to.equal(
      `postgres://app:${REDACTED}@db.kd-1.svc:5432/orders`,
    );
    expect(redact("see https://kind.sigs.k8s.io/docs/ and http://host:8080/x")).to.equal(
      "see https://kind.sigs.k8s.io/docs/ and http://host:8080/x",
    );
  });

  it("removes Secret data and stringData values in YAML and JSON, but not other objects' data", () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata: { name: cfg }
data:
  mode: fast
---
apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
data:
  password: aHVudGVyMg==
  user: YWRtaW4=
stringData:
  dsn: postgres://app:pw@db/orders
  multi: |
    line one
    line two
metadata2: kept
`;
    const out = redact(yaml);
    expect(out).to.include("mode: fast");
    expect(out)
      .not.to.include("aHVudGVyMg==")
      .and.not.include("YWRtaW4=")
      .and.not.include("line one")
      .and.not.include("pw@");
    expect(out).to.include(`user: ${REDACTED}`).and.include("metadata2: kept").and.include("name: db");
    const json = JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db" },
      data: { password: "aHVudGVyMg==" },
    });
    expect(redact(json)).to.equal(
      JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, data: { password: REDACTED } }),
    );
  });

  it("removes PEM private keys", () => {
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabcdef\n-----END RSA PRIVATE KEY-----";
    expect(redact(`key:\n${pem}\ndone`)).to.equal(
      `key:\n-----BEGIN RSA PRIVATE KEY----- ${REDACTED} -----END RSA PRIVATE KEY-----\ndone`,
    );
  });

  it("redactObject copies objects with credentials, Secret data and headers redacted (cycles too)", () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", labels: { a: "b" } },
      data: { k: "dmFsdWU=" },
      stringData: { x: "y" },
    };
    const req: Record<string, unknown> = {
      url: "https://u:p@h/x",
      headers: { Authorization: `Bearer ${JWT}`, Accept: "json" },
      user: { token: JWT, name: "sa" },
    };
    req.self = req;
    const out = redactObject({ secret, req, note: `token: ${JWT}` });
    expect(out.secret.data).to.deep.equal({ k: REDACTED });
    expect(out.secret.stringData).to.deep.equal({ x: REDACTED });
    expect(out.secret.metadata).to.deep.equal(secret.metadata);
    expect(out.req.headers).to.deep.equal({ Authorization: REDACTED, Accept: "json" });
    expect((out.req.user as Record<string, string>).token).to.equal(REDACTED);
    expect(out.req.url).to.equal(`https://u:${REDACTED}@h/x`);
    expect(out.req.self).to.equal(out.req);
    expect(out.note).to.equal(`token: ${REDACTED}`);
    expect(secret.data.k).to.equal("dmFsdWU=", "the input is not changed");
  });

  it("can be used by a logger so tokens never reach its output", () => {
    const lines: string[] = [];
    const log = createLogger({ format: "json", write: (l) => lines.push(redact(l)) });
    log.error(`kubectl failed: Authorization: Bearer ${JWT}`, { kubeconfig: KUBECONFIG });
    expect(lines.join("\n"))
      .not.to.include(JWT)
      .and.not.include(KEY_DATA)
      .and.not.include("r3fr3sh")
      .and.not.include("hunter2");
    expect(JSON.parse(lines[0]!).kubeconfig).to.include(`refresh-token: "${REDACTED}"`);
    expect(JSON.parse(lines[0]!).msg).to.equal(`kubectl failed: Authorization: Bearer ${REDACTED}`);
  });

  it("keeps a name that merely ends in -auth, but not a credential named like one", () => {
    expect(redact("image-pull-auth: passed (TTD 1.86s)")).to.equal("image-pull-auth: passed (TTD 1.86s)");
    expect(redact("X-Auth-Token: s3cr3t")).to.equal(`X-Auth-Token: ${REDACTED}`);
    expect(redact('{"auths":{"r.local":{"auth":"dTpw"}}}')).to.equal(`{"auths":{"r.local":{"auth":"${REDACTED}"}}}`);
    expect(redact("- auth: dTpw")).to.equal(`- auth: ${REDACTED}`);
  });
});
