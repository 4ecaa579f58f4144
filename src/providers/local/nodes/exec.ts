import { execa } from "execa";
import { ClusterError } from "../../../errors.ts";

/** Runs a host command; a failure names the command line and the tail of its output. */
export async function run(cmd: string, args: string[], opts: { input?: string; cwd?: string } = {}): Promise<string> {
  try {
    const r = await execa(cmd, args, { all: true, ...opts });
    return r.stdout;
  } catch (err) {
    const e = err as { all?: string; shortMessage?: string };
    const tail = (e.all ?? "").trim().split("\n").slice(-4).join(" | ");
    throw new ClusterError(`${cmd} ${args.join(" ")} failed: ${tail || e.shortMessage}`, { cause: err });
  }
}

/** Runs a command inside the network (and, for node namespaces, mount) namespace of `pid`. */
export function inNs(
  pid: number,
  cmd: string,
  args: string[],
  opts: { mount?: boolean; input?: string } = {},
): Promise<string> {
  const ns = opts.mount ? ["-n", "-m"] : ["-n"];
  return run("nsenter", ["-t", String(pid), ...ns, "--", cmd, ...args], { input: opts.input });
}
