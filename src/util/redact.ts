/**
 * Removes credentials from text and objects before they reach a log line or a report:
 * bearer tokens and Authorization headers, kubeconfig `token:` / `client-key-data:` /
 * `client-certificate-data:` fields (and their id-token, refresh-token, password
 * cousins), passwords in URLs, JWTs, PEM private keys, and the values of a Secret's
 * `data` / `stringData`. Over-redacting a harmless value is preferred to leaking one.
 */
export const REDACTED = "[REDACTED]";

/** Keys whose value is a credential, wherever they appear (YAML, JSON, objects). */
const SENSITIVE_KEYS = [
  "token",
  "id-token",
  "refresh-token",
  "access-token",
  "client-key-data",
  "client-certificate-data",
  "client-key",
  "client-secret",
  "password",
  "passwd",
  "bearerToken",
  "auth",
];
const SENSITIVE_KEY_SET = new Set(SENSITIVE_KEYS.map((k) => k.toLowerCase()));

const KEY_ALT = SENSITIVE_KEYS.map((k) => k.replace(/[-]/g, "\\-")).join("|");
/** `token: abc`, `- token: abc`, `"token": "abc"`, `client-key-data: LS0t...` (YAML or JSON, one line). */
const KEY_VALUE = new RegExp(
  `(^|[\\s{,?&.\\-]|")((?:${KEY_ALT})"?[ \\t]*[:=][ \\t]*)("[^"]*"|'[^']*'|\\\\"[^"\\\\]*\\\\"|[^\\s,}&"\\\\]+)`,
  "gim",
);
const AUTH_HEADER = /(authorization"?[ \t]*[:=][ \t]*"?)(?:(bearer|basic|token|negotiate)\s+)?[^\s",}]+/gi;
const BEARER = /\b(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;
const PEM_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
const FLAG = /(--(?:token|password|client-key|client-secret)[= ])\S+/gi;

export function redact(text: string): string {
  let out = text.replace(
    PEM_KEY,
    (_m, kind: string) => `-----BEGIN ${kind}PRIVATE KEY----- ${REDACTED} -----END ${kind}PRIVATE KEY-----`,
  );
  out = redactSecretData(out);
  out = out.replace(
    AUTH_HEADER,
    (_m, prefix: string, scheme?: string) => `${prefix}${scheme ? `${scheme} ` : ""}${REDACTED}`,
  );
  out = out.replace(BEARER, (m, prefix: string) => (m.endsWith(REDACTED) ? m : `${prefix}${REDACTED}`));
  out = out.replace(KEY_VALUE, (m, lead: string, key: string, value: string, offset: number, whole: string) => {
    if (value.includes(REDACTED)) return m;
    // `x-auth-token:` is a credential's name; `image-pull-auth: passed` is a scenario's
    if (lead === "-" && /^auth\b/i.test(key) && /\w/.test(whole[offset - 1] ?? "")) return m;
    const quote = value.startsWith('\\"') ? '\\"' : value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : "";
    return `${lead}${key}${quote}${REDACTED}${quote}`;
  });
  out = out.replace(URL_PASSWORD, (_m, prefix: string) => `${prefix}${REDACTED}@`);
  out = out.replace(JWT, REDACTED);
  out = out.replace(FLAG, (_m, flag: string) => `${flag}${REDACTED}`);
  return out;
}

/** Secret manifests in text: every value under `data:` / `stringData:` (YAML blocks and JSON). */
function redactSecretData(text: string): string {
  if (!/kind"?\s*:\s*["']?Secret\b/.test(text)) return text;
  const json = text.replace(
    /("(?:data|stringData)"\s*:\s*\{)([^{}]*)(\})/g,
    (_m, open: string, body: string, close: string) => {
      return open + body.replace(/("[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/g, `$1"${REDACTED}"`) + close;
    },
  );
  return json
    .split(/^(?=---\s*$)/m)
    .map((doc) => (/^\s*kind:\s*["']?Secret["']?\s*$/m.test(doc) ? redactYamlSecretDoc(doc) : doc))
    .join("");
}

function redactYamlSecretDoc(doc: string): string {
  const lines = doc.split("\n");
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === "" || indent > blockIndent) {
        const m = /^(\s*[^\s:#][^:]*:)(\s*)(\S.*)?$/.exec(line);
        if (m && indent > blockIndent) lines[i] = m[3] === undefined ? line : `${m[1]}${m[2]}${REDACTED}`;
        else if (line.trim() !== "" && indent > blockIndent) lines[i] = `${" ".repeat(indent)}${REDACTED}`;
        continue;
      }
      blockIndent = -1;
    }
    const open = /^(\s*)(data|stringData):\s*(\{.*\})?\s*$/.exec(line);
    if (open) {
      if (open[3]) lines[i] = `${open[1]}${open[2]}: {${REDACTED}}`;
      else blockIndent = open[1]!.length;
    }
  }
  return lines.join("\n");
}

/** A deep copy with sensitive keys, Secret data and credential-looking strings redacted. */
export function redactObject<T>(obj: T): T {
  return walk(obj, new WeakMap()) as T;
}

function walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof Error) {
    const copy = new Error(redact(value.message));
    copy.name = value.name;
    seen.set(value, copy);
    return copy;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(walk(item, seen));
    return copy;
  }
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  const isSecret = source.kind === "Secret";
  for (const [key, v] of Object.entries(source)) {
    if (isSecret && (key === "data" || key === "stringData") && v && typeof v === "object") {
      copy[key] = Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
    } else if (SENSITIVE_KEY_SET.has(key.toLowerCase()) && v !== null && v !== undefined && v !== "") {
      copy[key] = REDACTED;
    } else if (key.toLowerCase() === "authorization" || key.toLowerCase() === "headers") {
      copy[key] = key.toLowerCase() === "authorization" ? REDACTED : walkHeaders(v, seen);
    } else {
      copy[key] = walk(v, seen);
    }
  }
  return copy;
}

function walkHeaders(v: unknown, seen: WeakMap<object, unknown>): unknown {
  if (!v || typeof v !== "object" || Array.isArray(v)) return walk(v, seen);
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([k, val]) => [
      k,
      /^(authorization|cookie|x-api-key|proxy-authorization)$/i.test(k) ? REDACTED : walk(val, seen),
    ]),
  );
}
