import { expect } from "chai";
import {
  formatFor,
  formatQuantity,
  parseQuantity,
  tryParseQuantity,
  unitOf,
} from "../../src/diagnose/util/quantity.ts";

const N = 1_000_000_000n;

describe("diagnose/util/quantity", () => {
  it("parses decimal SI suffixes and millis exactly", () => {
    expect(parseQuantity("500m")).to.equal(N / 2n);
    expect(parseQuantity("2")).to.equal(2n * N);
    expect(parseQuantity("2000m")).to.equal(parseQuantity("2"));
    expect(parseQuantity("1k")).to.equal(1000n * N);
    expect(parseQuantity("4G")).to.equal(4_000_000_000n * N);
    expect(parseQuantity("1M")).to.equal(1_000_000n * N);
    expect(parseQuantity("100n")).to.equal(100n);
    expect(parseQuantity("5u")).to.equal(5000n);
    expect(parseQuantity("1E")).to.equal(10n ** 18n * N);
  });

  it("parses binary suffixes", () => {
    expect(parseQuantity("1Ki")).to.equal(1024n * N);
    expect(parseQuantity("512Mi")).to.equal(512n * 1024n * 1024n * N);
    expect(parseQuantity("4Gi")).to.equal(4n * 2n ** 30n * N);
    expect(parseQuantity("1.5Gi")).to.equal(3n * 2n ** 29n * N);
    expect(parseQuantity("16283460Ki")).to.equal(16283460n * 1024n * N);
  });

  it("parses exponents, fractions and signs", () => {
    expect(parseQuantity("1e3")).to.equal(1000n * N);
    expect(parseQuantity("1E3")).to.equal(1000n * N);
    expect(parseQuantity("12e-3")).to.equal(12_000_000n);
    expect(parseQuantity("0.1")).to.equal(N / 10n);
    expect(parseQuantity(".5")).to.equal(N / 2n);
    expect(parseQuantity("-1")).to.equal(-N);
    expect(parseQuantity(3)).to.equal(3n * N);
  });

  it("sums without float drift: 3 x 100m equals 300m", () => {
    expect(parseQuantity("100m") * 3n).to.equal(parseQuantity("300m"));
    expect(parseQuantity("0.1") + parseQuantity("0.2")).to.equal(parseQuantity("0.3"));
  });

  it("rejects what is not a quantity, naming the value", () => {
    expect(tryParseQuantity("1e")).to.equal(undefined);
    expect(tryParseQuantity("abc")).to.equal(undefined);
    expect(tryParseQuantity("1 Gi")).to.equal(undefined);
    expect(tryParseQuantity("1GB")).to.equal(undefined);
    expect(tryParseQuantity(undefined)).to.equal(undefined);
    expect(() => parseQuantity("12x")).to.throw(/"12x" is not a Kubernetes quantity/);
  });

  it("knows the unit of a resource name", () => {
    expect(unitOf("cpu")).to.equal("cpu");
    expect(unitOf("requests.cpu")).to.equal("cpu");
    expect(unitOf("limits.memory")).to.equal("bytes");
    expect(unitOf("requests.storage")).to.equal("bytes");
    expect(unitOf("ephemeral-storage")).to.equal("bytes");
    expect(unitOf("hugepages-2Mi")).to.equal("bytes");
    expect(unitOf("pods")).to.equal("count");
    expect(unitOf("count/deployments.apps")).to.equal("count");
  });

  it("formats for people", () => {
    expect(formatQuantity(parseQuantity("500m"), "cpu")).to.equal("500m");
    expect(formatQuantity(parseQuantity("2000m"), "cpu")).to.equal("2");
    expect(formatQuantity(parseQuantity("4Gi"), "bytes")).to.equal("4Gi");
    expect(formatQuantity(parseQuantity("1.5Gi"), "bytes")).to.equal("1536Mi");
    expect(formatQuantity(parseQuantity("4G"), "bytes")).to.equal("4G");
    expect(formatQuantity(parseQuantity("1000001"), "bytes")).to.equal("976.57Ki");
    expect(formatQuantity(parseQuantity("12"), "count")).to.equal("12");
    expect(formatFor("limits.memory", parseQuantity("16Gi") - parseQuantity("12Gi"))).to.equal("4Gi");
    expect(formatFor("requests.cpu", -parseQuantity("250m"))).to.equal("-250m");
  });
});
