import type { RunReport } from "../report/types.ts";

/** One report format: renders the report model as it is, computing no figures of its own. */
export interface Reporter {
  /** File name it writes in the report directory, e.g. "junit.xml". */
  readonly fileName: string;
  render(report: RunReport): string;
}
