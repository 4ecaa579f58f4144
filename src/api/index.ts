/**
 * kubedrill's programmatic API (the package's main export): load and validate scenarios,
 * plan and run them, render the reports, and diagnose a cluster, with the same pipeline
 * and engine as the command line. Scenario models, reports and findings are typed.
 *
 *   import { runScenario, writeReports } from "kubedrill";
 *   const report = await runScenario("quota-exhaustion", { provider: "kind" });
 *   await writeReports(report, "reports/");
 */
export {
  loadScenarios,
  quietLogger,
  resolveScenarios,
  validateScenarios,
  type ScenarioOptions,
  type Validation,
} from "./scenarios.ts";
export { planScenarios, runScenario, runScenarios, type RunOptions } from "./run.ts";
export { diagnose, type DiagnoseOptions, type Diagnosis } from "./diagnose.ts";
export { writeReports, renderHtml, renderJson, renderJunit, renderMarkdown } from "../reporters/index.ts";
export { BUNDLED_DIR as BUNDLED_SCENARIOS_DIR } from "../catalogue/locate.ts";
export { createLogger, type Logger, type LogFormat } from "../util/log.ts";
export {
  AbortedError,
  BuildError,
  ClusterError,
  KubedrillError,
  NotApplicableError,
  SafetyError,
  TimeoutError,
  UsageError,
  ValidationError,
  formatProblem,
  type SourceProblem,
} from "../errors.ts";
export type { Scenario } from "../scenario/types.ts";
export { CAPABILITIES, CAPABILITY_NAMES, type CapabilityName } from "../providers/capabilities.ts";
export type {
  Evidence,
  Phase,
  RunReport,
  ScenarioAggregate,
  ScenarioRun,
  ScenarioStatus,
  TimelineEntry,
} from "../report/types.ts";
export type { Finding, FindingCode, Severity } from "../diagnose/index.ts";
