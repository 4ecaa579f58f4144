import { expect } from "chai";
import { durationStats, median, percentile } from "../../src/report/stats.ts";

describe("report/stats", () => {
  it("median of odd and even counts", () => {
    expect(median([5, 1, 3])).to.equal(3);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(median([])).to.equal(null);
  });

  it("p95 by nearest rank", () => {
    const xs = Array.from({ length: 20 }, (_, i) => (i + 1) * 100); // 100..2000
    expect(percentile(xs, 95)).to.equal(1900);
    expect(percentile([7], 95)).to.equal(7);
    expect(percentile([1, 2, 3], 95)).to.equal(3);
    expect(percentile([10, 20, 30, 40], 50)).to.equal(20);
    expect(percentile([30, 10, 20], 0)).to.equal(10);
  });

  it("durationStats leaves out runs that measured nothing, and values that are not finite", () => {
    expect(durationStats([1200, null, 800, 1000])).to.deep.equal({ count: 3, median: 1000, p95: 1200, max: 1200 });
    expect(durationStats([1, 2, 3, 4])).to.deep.equal({ count: 4, median: 2.5, p95: 4, max: 4 });
    expect(durationStats([5, Number.NaN, Infinity])).to.deep.equal({ count: 1, median: 5, p95: 5, max: 5 });
    expect(durationStats([null, null])).to.deep.equal({ count: 0, median: null, p95: null, max: null });
  });
});
