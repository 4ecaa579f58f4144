import { ClusterError } from "../../errors.ts";
import type { Logger } from "../../util/log.ts";
import { revertible, type Revertible } from "../../sdk/revertible.ts";
import { describeFailure, type ProcessRunner } from "../../util/process.ts";

interface ContainerStopOptions {
  /** The container runtime CLI: docker (default), podman or nerdctl take the same verbs. */
  binary?: string;
  log?: Logger;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Stops node containers one by one (`docker stop <name>`): their kubelets stop
 * heartbeating, a real node outage. If one fails, the ones already stopped are started
 * again and the error is thrown. Revert runs `docker start` for each (a running
 * container is fine: start is a no-op for it), tries all, and reports every failure.
 */
export async function stopContainers(
  run: ProcessRunner,
  containers: string[],
  opts: ContainerStopOptions = {},
): Promise<Revertible> {
  const binary = opts.binary ?? "docker";
  const stopped: string[] = [];
  const start = async (names: string[]) => {
    const failures: string[] = [];
    for (const name of names) {
      const r = await run([binary, "start", name], { timeoutMs: opts.timeoutMs ?? 120_000 });
      if (r.exitCode !== 0 && !/already (running|started)/i.test(r.stderr))
        failures.push(describeFailure(r, opts.timeoutMs));
      else opts.log?.info(`started node container ${name}`, { node: name });
    }
    if (failures.length > 0)
      throw new ClusterError(
        `could not start ${failures.length} of ${names.length} node containers again:\n${failures.join("\n")}`,
      );
  };
  for (const name of containers) {
    const r = await run([binary, "stop", name], { timeoutMs: opts.timeoutMs ?? 120_000, signal: opts.signal });
    if (r.exitCode !== 0) {
      const error = new ClusterError(`stopping node container ${name}: ${describeFailure(r, opts.timeoutMs)}`);
      // The daemon may finish stopping `name` although the CLI failed, timed out or was
      // interrupted: start it too (starting a running container is harmless).
      await start([...stopped, name]).catch((e: unknown) =>
        opts.log?.error(`undo after a failed stop: ${e instanceof Error ? e.message : String(e)}`),
      );
      throw error;
    }
    stopped.push(name);
    opts.log?.info(`stopped node container ${name}`, { node: name });
  }
  return revertible(() => start(stopped));
}
