import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError } from "../../errors.ts";
import type { RunReport } from "../../report/types.ts";
import { writeFileAtomic } from "../../reporters/atomic.ts";
import { renderOpenMetrics } from "../../reporters/openmetrics.ts";
import { compareReports, parseMargin } from "../../results/compare.ts";
import { renderComparison } from "../../results/compare-table.ts";
import { pushMetrics, pushTarget, type PushFetch } from "../../results/pushgateway.ts";
import { readRunReport } from "../../results/read-report.ts";
import { redactObject } from "../../util/redact.ts";
import type { CliIO } from "../command.ts";
import { EXIT } from "../exit.ts";
import type { RunArgs } from "./run-options.ts";

/** The default --max-rto-regression with --baseline. */
export const DEFAULT_RTO_MARGIN = "20%";

export interface RunResults {
  /**
   * After the reports are written: writes --metrics-file, pushes to --pushgateway (a failure
   * is logged; the status stays the report's) and compares with --baseline. Returns the exit
   * status: `status`, or 1 instead of 0 when the RTO regressed beyond the margin.
   */
  finish(report: RunReport, status: number): Promise<number>;
}

/**
 * Checks the result options before any cluster work (a bad value is a usage error, exit 2,
 * and nothing runs): reads the --baseline report, parses the margin and the Pushgateway URL.
 */
export async function prepareResults(
  args: Pick<RunArgs, "metricsFile" | "pushgateway" | "baseline" | "maxRtoRegression">,
  io: CliIO,
  o: { fetch?: PushFetch } = {},
): Promise<RunResults> {
  if (args.maxRtoRegression !== undefined && args.baseline === undefined)
    throw new UsageError("--max-rto-regression needs --baseline REPORT (the run to compare with)");
  const margin = parseMargin(args.maxRtoRegression ?? DEFAULT_RTO_MARGIN);
  const baseline = args.baseline !== undefined ? await readRunReport(args.baseline, io.cwd, "--baseline") : undefined;
  if (args.pushgateway !== undefined) {
    try {
      pushTarget(args.pushgateway);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const metricsFile = args.metricsFile !== undefined ? resolve(io.cwd, args.metricsFile) : undefined;
  return {
    async finish(runReport, status) {
      const report = redactObject(runReport);
      if (metricsFile) {
        await mkdir(dirname(metricsFile), { recursive: true });
        await writeFileAtomic(metricsFile, renderOpenMetrics(report));
        io.out(metricsFile);
      }
      if (args.pushgateway !== undefined) {
        try {
          const url = await pushMetrics(args.pushgateway, report, o.fetch ? { fetch: o.fetch } : {});
          io.log.info(`metrics pushed to ${url}`);
        } catch (err) {
          io.log.error(`${(err as Error).message} (the run's status is unchanged)`);
        }
      }
      if (!baseline) return status;
      const c = compareReports(baseline.report, report, { maxRtoRegression: margin });
      io.out(renderComparison(c, { base: baseline.file, next: `run ${report.runId}` }).trimEnd());
      if (c.regressions.length === 0) return status;
      io.log.error(`RTO regressed beyond ${args.maxRtoRegression ?? DEFAULT_RTO_MARGIN} against the baseline`);
      return status === EXIT.ok ? EXIT.failed : status;
    },
  };
}
