import type { ProcessResult } from "../../src/util/process.ts";

/** A ProcessResult for fake runners: exit 0 with no output unless told otherwise. */
export function processResult(r: Partial<ProcessResult> = {}): ProcessResult {
  return {
    command: "fake",
    exitCode: 0,
    stdout: "",
    stderr: "",
    output: "",
    timedOut: false,
    canceled: false,
    ...r,
  };
}
