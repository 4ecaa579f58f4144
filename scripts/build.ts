/**
 * `npm run build` (run by `prepare`, so by `npm ci` and `npm pack`):
 * 1. compiles src/ into dist/src/ (the library API, its declarations, and the entry points
 *    the local provider starts as processes);
 * 2. precompiles the scenario schema's validator from the compiled plug-ins, so that
 *    `validate` and `run` do not compile it at start-up;
 * 3. stamps dist/.built, which bin/kubedrill.js compares with the sources.
 */
import { execFileSync } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../src/util/package-root.ts";

const dist = join(PACKAGE_ROOT, "dist");
await rm(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: PACKAGE_ROOT, stdio: "inherit" });

// From dist/, not the sources: the validator must match the schema the compiled code generates.
const compiled = <T>(module: string): Promise<T> => import(pathToFileURL(join(dist, "src", module)).href);
const { scenarioSchema } = await compiled<typeof import("../src/scenario/catalogue.ts")>("scenario/catalogue.js");
const { PRECOMPILED_VALIDATOR } =
  await compiled<typeof import("../src/scenario/validator.ts")>("scenario/validator.js");
const { writePrecompiledValidator } =
  await compiled<typeof import("../src/scenario/validator-code.ts")>("scenario/validator-code.js");
writePrecompiledValidator(scenarioSchema, PRECOMPILED_VALIDATOR);

await writeFile(join(dist, ".built"), new Date().toISOString());
