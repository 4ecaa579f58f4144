/** Every report format, and writing them all into a run's report directory. */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { KubedrillError, withContext } from "../errors.ts";
import { replaceSymlink, writeFileAtomic } from "./atomic.ts";
import { htmlReporter } from "./html.ts";
import { jsonReporter } from "./json.ts";
import { junitReporter } from "./junit.ts";
import { markdownReporter } from "./markdown.ts";
import type { RunReport } from "../report/types.ts";
import type { Reporter } from "./reporter.ts";
import { redactObject } from "../util/redact.ts";

export { renderHtml } from "./html.ts";
export { renderJson } from "./json.ts";
export { renderJunit } from "./junit.ts";
export { renderMarkdown } from "./markdown.ts";

/** report.json, junit.xml, summary.md, report.html, in that order. */
export const reporters: Reporter[] = [jsonReporter, junitReporter, markdownReporter, htmlReporter];

/**
 * Creates `dir` and writes every report into it atomically; returns the written paths
 * (absolute, in `reporters` order). Credentials are redacted from every string first. When the parent directory is named `reports`, points
 * `<parent>/latest` at `dir` (best effort: a failure to link is ignored, a failure to
 * write is not).
 */
export async function writeReports(runReport: RunReport, dir: string): Promise<string[]> {
  // Every string of every format passes the redactor: evidence, command output, messages.
  const report = redactObject(runReport);
  const abs = path.resolve(dir);
  try {
    await mkdir(abs, { recursive: true });
  } catch (err) {
    throw new KubedrillError(
      `cannot create report directory ${abs}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const written: string[] = [];
  for (const reporter of reporters) {
    const file = path.join(abs, reporter.fileName);
    let text: string;
    try {
      text = reporter.render(report);
    } catch (err) {
      throw withContext(`rendering ${reporter.fileName}`, err);
    }
    await writeFileAtomic(file, text);
    written.push(file);
  }
  const parent = path.dirname(abs);
  if (path.basename(parent) === "reports") await replaceSymlink(path.basename(abs), path.join(parent, "latest"));
  return written;
}
