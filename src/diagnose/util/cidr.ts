import { KubedrillError } from "../../errors.ts";

/** IPv4 and IPv6 addresses and CIDR ranges as bigints, for overlap maths. */
type Family = 4 | 6;

interface IpAddress {
  family: Family;
  value: bigint;
}

export interface Cidr {
  family: Family;
  /** First address (host bits cleared). */
  first: bigint;
  /** Last address. */
  last: bigint;
  prefix: number;
  /** As written. */
  text: string;
}

const bitsOf = (family: Family): number => (family === 4 ? 32 : 128);

function parseV4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseV6(text: string): bigint | undefined {
  let s = text.toLowerCase();
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".")) {
    // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hex groups.
    const v4 = lastColon >= 0 ? parseV4(s.slice(lastColon + 1)) : undefined;
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const split = (h: string | undefined): string[] => (h ? h.split(":") : []);
  const head = split(halves[0]);
  const rest = halves.length === 2 ? split(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

export function tryParseIp(text: string): IpAddress | undefined {
  const t = text.trim();
  if (t.includes(":")) {
    const v = parseV6(t);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseV4(t);
  return v === undefined ? undefined : { family: 4, value: v };
}

export function tryParseCidr(text: string): Cidr | undefined {
  const t = text.trim();
  const slash = t.indexOf("/");
  const ip = tryParseIp(slash >= 0 ? t.slice(0, slash) : t);
  if (!ip) return undefined;
  const bits = bitsOf(ip.family);
  const prefixText = slash >= 0 ? t.slice(slash + 1) : String(bits);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return undefined;
  const prefix = Number(prefixText);
  const hostBits = BigInt(bits - prefix);
  const first = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, first, last: first + (1n << hostBits) - 1n, prefix, text: t };
}

export function parseCidr(text: string): Cidr {
  const c = tryParseCidr(text);
  if (!c) throw new KubedrillError(`"${text}" is not a CIDR (expected e.g. 10.96.0.0/12 or fd00:10:96::/108)`);
  return c;
}

/** Comma-separated CIDR lists (dual-stack flags: "10.96.0.0/12,fd00::/108"); bad entries are skipped. */
export function parseCidrList(text: string | undefined): Cidr[] {
  if (!text) return [];
  return text
    .split(",")
    .map((s) => tryParseCidr(s))
    .filter((c): c is Cidr => c !== undefined);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** Whether `outer` holds every address of `inner`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

export function sameRange(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first === b.first && a.last === b.last;
}

export function containsIp(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && cidr.first <= ip.value && ip.value <= cidr.last;
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 0xffn).toString()).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.len).join(":")}`;
}

/** "10.96.0.0-10.111.255.255". */
export function formatRange(c: Cidr): string {
  return `${formatIp(c.family, c.first)}-${formatIp(c.family, c.last)}`;
}

/** The range two CIDRs share, as a CIDR-like range text (first-last). */
export function intersection(a: Cidr, b: Cidr): string | undefined {
  if (!overlaps(a, b)) return undefined;
  const first = a.first > b.first ? a.first : b.first;
  const last = a.last < b.last ? a.last : b.last;
  return `${formatIp(a.family, first)}-${formatIp(a.family, last)}`;
}
