import pkg from "../../../package.json" with { type: "json" };
import { analyseAll } from "../../diagnose/index.ts";
import { createRunCommand } from "../../engine/run-command.ts";
import { createKube } from "../../k8s/client.ts";
import { startCluster } from "../../providers/index.ts";
import { writeReports } from "../../reporters/index.ts";
import { loadScenarios } from "../../scenario/load.ts";

/**
 * `kubedrill run [paths..]` wired to the real modules: the scenario loader, the cluster
 * providers, the Kube client, the diagnose analysers and the reporters. The command's
 * logic lives in src/engine/run-command.ts (tested with doubles).
 */
export const runCommand = createRunCommand({
  loadScenarios,
  startCluster,
  createKube,
  writeReports,
  analyse: (snapshot) => analyseAll(snapshot),
  version: pkg.version,
});
