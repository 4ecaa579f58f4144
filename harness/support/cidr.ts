/** IPv4 CIDR containment, for assertions (the product's own CIDR maths lives in src/diagnose). */
function toInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

export function cidrContains(cidr: string, ipOrCidr: string): boolean {
  const [base, bits] = cidr.split("/") as [string, string];
  const [ip, innerBits] = ipOrCidr.split("/") as [string, string | undefined];
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  if (innerBits !== undefined && Number(innerBits) < Number(bits)) return false;
  return (toInt(ip) & mask) >>> 0 === (toInt(base) & mask) >>> 0;
}
