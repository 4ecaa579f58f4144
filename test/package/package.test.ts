import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import pkg from "../../package.json" with { type: "json" };

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** What `npm pack` would put in the tarball (scripts skipped: no build here). */
function packedFiles(): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [info] = JSON.parse(out) as { files: { path: string }[] }[];
  return info!.files.map((f) => f.path);
}

describe("the published package", function () {
  this.timeout(60_000);
  let files: string[];
  before(() => {
    files = packedFiles();
  });

  it("ships no tests, integration specs, benchmarks, scripts or repository config", () => {
    const top = new Set(files.map((f) => f.split("/")[0]));
    for (const unwanted of [
      "test",
      "harness",
      "bench",
      "scripts",
      "reports",
      ".ci",
      "tsconfig.json",
      "eslint.config.js",
    ])
      expect(top.has(unwanted), unwanted).to.equal(false);
    expect(files.filter((f) => /(^|\/)[^/]+\.(test|spec)\.ts$/.test(f))).to.deep.equal([]);
  });

  it("ships what runs: the CLI, the compiled code, and every asset read from the package at run time", () => {
    for (const needed of [
      "package.json",
      "README.md",
      "bin/kubedrill.js",
      "kind-config.yaml", // the kind provider's default config
      "schema/scenario.schema.json", // init and the shipped scenarios' $schema line
      "scenarios/quota-exhaustion.yaml", // found by name from any folder
      "src/providers/local/go/etcd/go.mod", // the Go wrapper modules the local provider builds
      "src/providers/local/kwok/stages.yaml",
      "docs/reference.md",
      "deploy/rbac/README.md",
    ])
      expect(files, needed).to.include(needed);
    expect(files.filter((f) => f.startsWith("scenarios/manifests/"))).to.not.deep.equal([]);
    expect(pkg.files).to.include("dist/");
    if (existsSync(join(ROOT, "dist", ".built"))) {
      // Built here: the compiled API, its declarations, the bundled CLI, the precompiled
      // scenario validator and the stamp bin/kubedrill.js reads ship too.
      for (const built of [
        "dist/.built",
        "dist/src/api/index.js",
        "dist/src/api/index.d.ts",
        "dist/cli/main.js",
        "dist/src/scenario/scenario-validator.generated.cjs",
      ])
        expect(files, built).to.include(built);
    }
  });

  it("points bin, exports and types at files the package ships or the build emits", () => {
    const emitted = (target: string) => {
      // tsconfig.build.json compiles src/X.ts (rootDir .) to dist/src/X.js and X.d.ts.
      const m = /^\.\/dist\/(src\/.+)\.(js|d\.ts)$/.exec(target);
      return m ? files.includes(`${m[1]}.ts`) : files.includes(target.replace(/^\.\//, ""));
    };
    const root = pkg.exports["."];
    for (const target of [
      pkg.bin.kubedrill,
      root.types,
      root.default,
      pkg.types,
      ...Object.values(pkg.exports).slice(1),
    ])
      expect(emitted(String(target)), String(target)).to.equal(true);
  });

  it("does not depend on testcontainers: an optional peer the k3s provider loads when chosen", () => {
    const deps = pkg.dependencies as Record<string, string>;
    for (const name of ["testcontainers", "@testcontainers/k3s"]) {
      expect(deps[name], name).to.equal(undefined);
      expect((pkg.peerDependencies as Record<string, string>)[name], name).to.match(/^\^11\./);
      expect((pkg.peerDependenciesMeta as Record<string, { optional: boolean }>)[name]).to.deep.equal({
        optional: true,
      });
    }
  });
});

describe("without testcontainers installed", function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "kd-no-tc-"));
    // A resolve hook that makes the k3s packages missing, as after a plain `npm install kubedrill`.
    await writeFile(
      join(dir, "hide.mjs"),
      `export async function resolve(specifier, context, next) {
        if (specifier === "testcontainers" || specifier.startsWith("@testcontainers/")) {
          const err = new Error("Cannot find package '" + specifier + "'");
          err.code = "ERR_MODULE_NOT_FOUND";
          throw err;
        }
        return next(specifier, context);
      }`,
    );
    await writeFile(
      join(dir, "register.mjs"),
      `import { register } from "node:module"; register(${JSON.stringify(new URL(`file://${join(dir, "hide.mjs")}`).href)});`,
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const run = (code: string) =>
    spawnSync(
      process.execPath,
      ["--import", join(dir, "register.mjs"), "--import", "tsx", "--input-type=module", "-e", code],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );

  it("the API and every other provider load; choosing k3s says what to install", () => {
    const r = run(`
      const api = await import("./src/api/index.ts");
      const v = await api.validateScenarios(["quota-exhaustion"]);
      console.log("valid", v.valid, v.scenarios.map((s) => s.metadata.name).join());
      const { resolveProvider } = await import("./src/providers/index.ts");
      const log = api.quietLogger();
      try { await resolveProvider({ provider: "k3s", name: "x", log }); console.log("applicable?"); }
      catch (err) { console.log(err.name + ": " + err.message); }
    `);
    expect(r.stderr).to.equal("");
    expect(r.stdout.split("\n")).to.deep.equal([
      "valid true quota-exhaustion",
      "NotApplicableError: --provider k3s cannot be used here: the k3s provider needs testcontainers and @testcontainers/k3s, which kubedrill does not install by default: run `npm install testcontainers@^11 @testcontainers/k3s@^11` where kubedrill is installed (add -g for a global install)",
      "",
    ]);
  });
});

describe("bin/kubedrill.js", function () {
  this.timeout(30_000);
  let pkgDir: string;
  const old = new Date("2020-01-01T00:00:00Z");
  const recent = new Date("2024-01-01T00:00:00Z");

  beforeEach(async () => {
    // A package layout whose compiled and source entry points say which of them ran.
    pkgDir = await mkdtemp(join(tmpdir(), "kd-bin-"));
    await cp(join(ROOT, "bin"), join(pkgDir, "bin"), { recursive: true });
    await mkdir(join(pkgDir, "dist", "cli"), { recursive: true });
    await mkdir(join(pkgDir, "src", "cli"), { recursive: true });
    await writeFile(join(pkgDir, "dist", "cli", "main.js"), 'console.log("dist");\n');
    await writeFile(join(pkgDir, "src", "cli", "main.ts"), 'const from: string = "src";\nconsole.log(from);\n');
    await writeFile(join(pkgDir, "dist", ".built"), "stamp");
    await writeFile(join(pkgDir, "package.json"), JSON.stringify({ name: "kubedrill", type: "module" }));
    await symlink(join(ROOT, "node_modules"), join(pkgDir, "node_modules"));
  });
  afterEach(() => rm(pkgDir, { recursive: true, force: true }));

  const ran = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(pkgDir, "bin", "kubedrill.js")], {
      encoding: "utf8",
      env: { ...process.env, KUBEDRILL_FROM_SOURCE: "", ...env },
    }).stdout.trim();
  const age = async (built: Date, source: Date) => {
    await utimes(join(pkgDir, "dist", ".built"), built, built);
    await utimes(join(pkgDir, "src", "cli", "main.ts"), source, source);
  };

  it("an installed package (no .git) runs dist/ even when the installer made the sources look newer", async () => {
    await age(old, recent);
    expect(ran()).to.equal("dist");
    expect(ran({ KUBEDRILL_FROM_SOURCE: "1" })).to.equal("src");
  });

  it("a git checkout runs the sources while dist/ is older than them, dist/ once it is rebuilt", async () => {
    await writeFile(join(pkgDir, ".git"), "gitdir: /elsewhere\n"); // a worktree's .git is a file
    await age(old, recent);
    expect(ran()).to.equal("src");
    await age(recent, old);
    expect(ran()).to.equal("dist");
    await rm(join(pkgDir, "dist", ".built"));
    expect(ran()).to.equal("src");
  });
});
