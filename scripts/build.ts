/**
 * `npm run build` (run by `prepare`, so by `npm ci` and `npm pack`):
 * 1. compiles src/ into dist/src/ (the library API, its declarations, and the entry points
 *    the local provider starts as processes);
 * 2. precompiles the scenario schema's validator from the compiled plug-ins, so that
 *    `validate` and `run` do not compile it at start-up;
 * 3. bundles the CLI into dist/cli/ (one file per command, loaded when it runs), so that
 *    it starts without resolving and reading some 300 modules;
 * 4. stamps dist/.built, which bin/kubedrill.js compares with the sources.
 */
import { execFileSync } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
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

/** Packages bundled into the CLI: yaml is some 70 CommonJS files and reads nothing from its folder. */
const BUNDLED = new Set(["yaml"]);
const CLI_DIR = join(dist, "cli");

/**
 * In the bundle, each module's `import.meta.url` names its compiled file in dist/src/, so
 * that what a module finds beside itself (the package root, the entry points the local
 * provider starts, the precompiled validator) is where it is without the bundle.
 */
const compiledLocations: Plugin = {
  name: "compiled-locations",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("node:") || BUNDLED.has(args.path) ? undefined : { path: args.path, external: true },
    );
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const js = join(dist, relative(PACKAGE_ROOT, args.path)).replace(/\.ts$/, ".js");
      const url = `new URL(${JSON.stringify(relative(CLI_DIR, js).split("\\").join("/"))}, import.meta.url).href`;
      return { contents: text.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

await build({
  entryPoints: [join(PACKAGE_ROOT, "src", "cli", "main.ts")],
  outdir: CLI_DIR,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Every chunk in one folder: the URLs compiledLocations writes are relative to it.
  chunkNames: "[name]-[hash]",
  sourcemap: "linked",
  sourcesContent: false,
  // Error and class names as in the sources.
  keepNames: true,
  // The bundled CommonJS (yaml) requires Node's built-in modules.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  plugins: [compiledLocations],
  logLevel: "warning",
});

await writeFile(join(dist, ".built"), new Date().toISOString());
