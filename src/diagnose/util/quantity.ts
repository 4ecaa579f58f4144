import { KubedrillError } from "../../errors.ts";

/**
 * Kubernetes resource quantities ("500m", "1.5Gi", "2e3", "4G") as exact integers of
 * nano-units (bigint), so sums and comparisons never suffer float rounding. Values finer
 * than a nano-unit are rounded up, as the API server does.
 */
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
const NANO = 1_000_000_000n;

type QuantityUnit = "cpu" | "bytes" | "count";

export function tryParseQuantity(input: string | number | undefined | null): bigint | undefined {
  if (input === undefined || input === null) return undefined;
  const text = String(input).trim();
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [, sign, number = "0", exponent, suffix = ""] = m;
  const [whole = "", fraction = ""] = number.split(".");
  let value = BigInt((whole || "0") + fraction);
  let power10 = 9 - fraction.length;
  if (exponent) power10 += Number(exponent.slice(1));
  else if (suffix in BINARY) value *= 2n ** BigInt(BINARY[suffix] ?? 0);
  else power10 += DECIMAL[suffix] ?? 0;
  if (power10 >= 0) value *= 10n ** BigInt(power10);
  else {
    const div = 10n ** BigInt(-power10);
    value = value / div + (value % div === 0n ? 0n : 1n);
  }
  return sign === "-" ? -value : value;
}

export function parseQuantity(input: string | number): bigint {
  const v = tryParseQuantity(input);
  if (v === undefined)
    throw new KubedrillError(`"${String(input)}" is not a Kubernetes quantity (expected e.g. 500m, 2, 1.5Gi, 4G, 1e3)`);
  return v;
}

/** How a resource name's quantities read best: cores, bytes or plain counts. */
export function unitOf(resource: string): QuantityUnit {
  const base = resource.replace(/^(requests|limits)\./, "");
  if (base === "cpu" || base.endsWith(".cpu")) return "cpu";
  if (/(^|\.|-)(memory|storage)$/.test(base) || base.startsWith("hugepages-")) return "bytes";
  return "count";
}

function decimal(nano: bigint, div: bigint, digits: number): string {
  const scaled = (nano * 10n ** BigInt(digits) + div - 1n) / div;
  const s = scaled.toString().padStart(digits + 1, "0");
  const out = `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  return out.replace(/\.?0+$/, "");
}

/** Formats nano-units for people: "500m" / "2" cores, "4Gi" / "1.5Gi" bytes, "10" pods. */
export function formatQuantity(nano: bigint, unit: QuantityUnit): string {
  if (nano < 0n) return `-${formatQuantity(-nano, unit)}`;
  if (unit === "cpu") {
    if (nano % NANO === 0n) return (nano / NANO).toString();
    return `${(nano + 999_999n) / 1_000_000n}m`;
  }
  if (unit === "bytes") {
    const bytes = (nano + NANO - 1n) / NANO;
    // The shortest exact form: "4G" rather than "3906250Ki", "1536Mi" rather than bytes.
    const exact: string[] = [];
    for (const [suffix, bits] of Object.entries(BINARY).reverse()) {
      const size = 2n ** BigInt(bits);
      if (bytes >= size && bytes % size === 0n) {
        exact.push(`${bytes / size}${suffix}`);
        break;
      }
    }
    for (const [suffix, exp] of [
      ["E", 18],
      ["P", 15],
      ["T", 12],
      ["G", 9],
      ["M", 6],
      ["k", 3],
    ] as const) {
      const size = 10n ** BigInt(exp);
      if (bytes >= size && bytes % size === 0n) {
        exact.push(`${bytes / size}${suffix}`);
        break;
      }
    }
    const shortest = exact.sort((a, b) => a.length - b.length)[0];
    if (shortest) return shortest;
    for (const [suffix, bits] of [
      ["Ti", 40],
      ["Gi", 30],
      ["Mi", 20],
      ["Ki", 10],
    ] as const) {
      const size = 2n ** BigInt(bits);
      if (bytes >= size) return `${decimal(bytes, size, 2)}${suffix}`;
    }
    return bytes.toString();
  }
  return nano % NANO === 0n ? (nano / NANO).toString() : decimal(nano, NANO, 3);
}

/** Formats a resource's quantity by its name: formatFor("requests.cpu", q). */
export function formatFor(resource: string, nano: bigint): string {
  return formatQuantity(nano, unitOf(resource));
}
