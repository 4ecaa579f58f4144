import type { Applicability } from "../provider.ts";
import { describeFailure, findOnPath, type ProcessRunner } from "../../util/process.ts";

const INSTALL_HINTS: Record<string, string> = {
  kind: "https://kind.sigs.k8s.io/docs/user/quick-start/#installation",
  docker: "https://docs.docker.com/engine/install/",
  kubectl: "https://kubernetes.io/docs/tasks/tools/",
};

/**
 * Can kind work here? Every binary must be on PATH and `docker info` must answer
 * within `timeoutMs` (a docker CLI without a running engine is the common failure).
 * No side effects.
 */
export async function kindApplicable(opts: {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  binaries: string[];
  timeoutMs: number;
}): Promise<Applicability> {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const bin of opts.binaries) {
    const path = await findOnPath(bin, opts.env);
    if (path) found[bin] = path;
    else missing.push(bin);
  }
  if (missing.length > 0) {
    const hints = missing.map((b) => `${b}: ${INSTALL_HINTS[b] ?? "install it"}`).join("; ");
    return { ok: false, reason: `${missing.join(" and ")} not found on PATH (install ${hints})` };
  }
  const info = await opts.run(["docker", "info", "--format", "{{.ServerVersion}}"], { timeoutMs: opts.timeoutMs });
  if (info.exitCode !== 0) {
    return {
      ok: false,
      reason: `docker is installed (${found.docker}) but the Docker engine does not answer: ${describeFailure(info, opts.timeoutMs)}`,
    };
  }
  const version = info.stdout.trim().split("\n")[0] || "unknown version";
  return { ok: true, detail: `kind at ${found.kind}, Docker engine ${version}` };
}
