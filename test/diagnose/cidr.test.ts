import { expect } from "chai";
import {
  contains,
  containsIp,
  formatIp,
  formatRange,
  intersection,
  overlaps,
  parseCidr,
  parseCidrList,
  sameRange,
  tryParseCidr,
  tryParseIp,
} from "../../src/diagnose/util/cidr.ts";

describe("diagnose/util/cidr", () => {
  it("parses IPv4 CIDRs and clears host bits", () => {
    const c = parseCidr("10.96.0.0/12");
    expect(formatRange(c)).to.equal("10.96.0.0-10.111.255.255");
    expect(formatRange(parseCidr("10.244.1.7/24"))).to.equal("10.244.1.0-10.244.1.255");
    expect(formatRange(parseCidr("192.168.0.1"))).to.equal("192.168.0.1-192.168.0.1");
    expect(formatRange(parseCidr("0.0.0.0/0"))).to.equal("0.0.0.0-255.255.255.255");
  });

  it("parses IPv6, including :: and embedded IPv4", () => {
    expect(formatRange(parseCidr("fd00:10:96::/108"))).to.equal("fd00:10:96::-fd00:10:96::f:ffff");
    expect(tryParseIp("::1")?.value).to.equal(1n);
    expect(tryParseIp("::")?.value).to.equal(0n);
    expect(tryParseIp("::ffff:10.0.0.1")?.value).to.equal((0xffffn << 32n) | 0x0a000001n);
    expect(formatIp(6, tryParseIp("2001:db8:0:0:1:0:0:1")!.value)).to.equal("2001:db8::1:0:0:1");
    expect(tryParseIp("fe80::1%eth0")?.family).to.equal(6);
  });

  it("rejects malformed input", () => {
    for (const bad of [
      "10.0.0.0/33",
      "10.0.0/8",
      "256.1.1.1/8",
      "1::2::3",
      "fd00::/129",
      "10.0.0.0/x",
      "",
      "1:2:3:4:5:6:7:8:9",
    ]) {
      expect(tryParseCidr(bad), bad).to.equal(undefined);
    }
    expect(() => parseCidr("nope")).to.throw(/"nope" is not a CIDR/);
  });

  it("overlaps, contains and sameRange", () => {
    const pod = parseCidr("10.244.0.0/16");
    expect(overlaps(pod, parseCidr("10.244.128.0/17"))).to.equal(true);
    expect(contains(pod, parseCidr("10.244.128.0/17"))).to.equal(true);
    expect(contains(parseCidr("10.244.128.0/17"), pod)).to.equal(false);
    expect(overlaps(pod, parseCidr("10.245.0.0/16"))).to.equal(false);
    expect(overlaps(parseCidr("10.96.0.0/12"), parseCidr("10.100.0.0/16"))).to.equal(true);
    expect(sameRange(pod, parseCidr("10.244.3.4/16"))).to.equal(true);
    expect(overlaps(parseCidr("fd00::/8"), parseCidr("10.0.0.0/8"))).to.equal(false);
    expect(overlaps(parseCidr("fd00:10:244::/56"), parseCidr("fd00:10:244:1::/64"))).to.equal(true);
  });

  it("containsIp and intersection", () => {
    expect(containsIp(parseCidr("172.18.0.0/16"), tryParseIp("172.18.0.5")!)).to.equal(true);
    expect(containsIp(parseCidr("172.18.0.0/16"), tryParseIp("172.19.0.5")!)).to.equal(false);
    expect(intersection(parseCidr("10.96.0.0/12"), parseCidr("10.100.0.0/14"))).to.equal("10.100.0.0-10.103.255.255");
    expect(intersection(parseCidr("10.0.0.0/16"), parseCidr("10.1.0.0/16"))).to.equal(undefined);
  });

  it("reads dual-stack lists", () => {
    const list = parseCidrList("10.96.0.0/12, fd00:10:96::/108,garbage");
    expect(list.map((c) => c.family)).to.deep.equal([4, 6]);
    expect(parseCidrList(undefined)).to.deep.equal([]);
  });
});
