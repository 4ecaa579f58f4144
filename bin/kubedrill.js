#!/usr/bin/env node
// Runs the compiled CLI (dist/cli/, bundled by scripts/build.ts, which `npm ci` and `npm pack`
// run through the `prepare` script). In a git checkout it does so only while dist/ is up to
// date with the sources, and otherwise runs the TypeScript sources through tsx, so that a
// checkout being edited never runs stale code. An installed package (no .git: npm never packs
// it) always runs dist/, whatever times the installer gave the files. KUBEDRILL_FROM_SOURCE=1
// forces the sources.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const stamp = `${root}dist/.built`;

/** The newest modification time of the .ts and .json files under src/ (skipping the Go modules). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "go") newest = Math.max(newest, newestSource(path));
    } else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function compiledIsFresh() {
  if (process.env.KUBEDRILL_FROM_SOURCE === "1") return false;
  try {
    const built = statSync(stamp).mtimeMs;
    return !existsSync(`${root}.git`) || built >= newestSource(`${root}src`);
  } catch {
    return false;
  }
}

if (compiledIsFresh()) {
  process.setSourceMapsEnabled(true);
  await import("../dist/cli/main.js");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
