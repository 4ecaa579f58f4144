import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { BuildError } from "../../errors.ts";
import type { Logger } from "../../util/log.ts";
import { formatMs } from "../../util/duration.ts";
import { COMPONENTS, type Component } from "./components.ts";
import { cacheDir, goSourceDir } from "./paths.ts";
import { acquireDirLock } from "./lock.ts";

export interface BuildOptions {
  log: Logger;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** For tests: build only these component ids. */
  only?: string[];
  /** What to build; the control plane's COMPONENTS unless given. */
  components?: Component[];
}

/** Binary name -> absolute path. */
export type BinaryPaths = Record<string, string>;

/**
 * Makes sure every control-plane binary is built and cached; returns their paths.
 * A second call is a no-op; two concurrent calls (even from two processes) build once.
 */
export async function ensureBinaries(opts: BuildOptions): Promise<BinaryPaths> {
  const env = opts.env ?? process.env;
  const goVersion = await goToolchainVersion(env);
  const paths: BinaryPaths = {};
  for (const c of (opts.components ?? COMPONENTS).filter((c) => !opts.only || opts.only.includes(c.id))) {
    const dir = path.join(cacheDir(env), "bin", await componentKey(c, goVersion));
    if (!isComplete(dir, c)) await buildComponent(c, dir, goVersion, opts);
    for (const b of c.binaries) paths[b] = path.join(dir, b);
  }
  return paths;
}

/** `kubernetes-v1.34.4-go1.26.8-1a2b3c4d`: version, toolchain and a hash of the wrapper sources. */
export async function componentKey(c: Component, goVersion: string): Promise<string> {
  const h = createHash("sha256").update(JSON.stringify(c.recipe));
  if (c.recipe.kind === "module") {
    await hashTree(h, path.join(goSourceDir(), c.recipe.dir), "");
  }
  return `${c.id}-${c.version}-${goVersion}-${h.digest("hex").slice(0, 8)}`;
}

/** File names (relative, `/`-separated) and contents, sorted; a flat folder hashes as it always did. */
async function hashTree(h: ReturnType<typeof createHash>, dir: string, prefix: string): Promise<void> {
  for (const e of (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory()) await hashTree(h, path.join(dir, e.name), `${prefix}${e.name}/`);
    else h.update(prefix + e.name).update(await fs.readFile(path.join(dir, e.name)));
  }
}

function isComplete(dir: string, c: Component): boolean {
  return c.binaries.every((b) => existsSync(path.join(dir, b)));
}

async function goToolchainVersion(env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await execa("go", ["env", "GOVERSION"], { env: { ...env, GOTOOLCHAIN: "local" } });
    return stdout.trim();
  } catch (err) {
    throw new BuildError(
      "the Go toolchain",
      "`go` was not found on PATH or does not run; the local provider builds Kubernetes from Go modules and needs Go >= 1.24",
      { cause: err },
    );
  }
}

async function buildComponent(c: Component, finalDir: string, goVersion: string, opts: BuildOptions): Promise<void> {
  const env = opts.env ?? process.env;
  const binRoot = path.dirname(finalDir);
  await fs.mkdir(binRoot, { recursive: true });
  const lock = await acquireDirLock(`${finalDir}.lock`, {
    log: opts.log,
    what: `${c.id} ${c.version}`,
    done: () => isComplete(finalDir, c),
    signal: opts.signal,
  });
  if (!lock) return; // another process finished the same build while we waited
  const tmp = `${finalDir}.tmp-${process.pid}`;
  try {
    await fs.rm(tmp, { recursive: true, force: true });
    await fs.mkdir(tmp, { recursive: true });
    const started = Date.now();
    opts.log.info(
      `building ${c.binaries.join(", ")} ${c.version} with ${goVersion} (first time only; a cold build takes minutes)`,
    );
    await runGo(c, tmp, env, opts);
    for (const b of c.binaries) {
      if (!existsSync(path.join(tmp, b))) throw new BuildError(c.id, `go finished but ${b} was not produced in ${tmp}`);
    }
    await fs.rm(finalDir, { recursive: true, force: true });
    await fs.rename(tmp, finalDir);
    opts.log.info(`built ${c.id} ${c.version} in ${formatMs(Date.now() - started)} -> ${finalDir}`);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
    await lock.release();
  }
}

async function runGo(c: Component, outDir: string, env: NodeJS.ProcessEnv, opts: BuildOptions): Promise<void> {
  const goEnv = { ...env, CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "-buildvcs=false" };
  const r = c.recipe;
  const cwd = r.kind === "module" ? path.join(goSourceDir(), r.dir) : outDir;
  const args =
    r.kind === "module"
      ? ["build", "-v", "-trimpath", "-ldflags", r.ldflags, "-o", outDir + path.sep, ...r.packages]
      : ["install", "-v", "-trimpath", "-ldflags", r.ldflags, ...r.packages];
  const runEnv = r.kind === "install" ? { ...goEnv, GOBIN: outDir } : goEnv;
  const tail: string[] = [];
  let compiled = 0;
  const started = Date.now();
  const ticker = setInterval(
    () => opts.log.info(`  ${c.id}: ${compiled} packages compiled, ${formatMs(Date.now() - started)} elapsed`),
    15_000,
  );
  try {
    const child = execa("go", args, {
      cwd,
      env: runEnv,
      all: true,
      cancelSignal: opts.signal,
      reject: false,
      buffer: false,
    });
    child.all?.setEncoding("utf8");
    let partial = "";
    child.all?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (/^[\w.\-/]+$/.test(line)) compiled++;
        else if (!line.startsWith("go: downloading")) tail.push(line);
        else if (compiled === 0 && tail.length === 0) opts.log.debug(line);
        if (tail.length > 40) tail.shift();
      }
    });
    const result = await child;
    if (partial) tail.push(partial);
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (result.exitCode !== 0) {
      throw new BuildError(
        `${c.id} (${r.packages.join(" ")})`,
        tail.slice(-25).join("\n") || `go ${args[0]} exited with status ${result.exitCode}`,
      );
    }
  } finally {
    clearInterval(ticker);
  }
}
