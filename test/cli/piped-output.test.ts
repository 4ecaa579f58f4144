import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/kubedrill.js", import.meta.url));

/** Runs the CLI with stdout on a pipe that nobody reads until `readAfterMs` has passed. */
function runSlowReader(args: string[], readAfterMs: number): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => child.stdout.on("data", (c: Buffer) => chunks.push(c)).resume(), readAfterMs);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(chunks).toString("utf8") }));
  });
}

describe("the CLI's standard output on a pipe", function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "kd-pipe-"));
    for (let i = 0; i < 600; i++)
      await writeFile(
        join(dir, `s${i}.yaml`),
        `apiVersion: kubedrill.io/v1alpha1\nkind: Scenario\nmetadata: {name: s${i}}\nspec: {bogus: 1}\n`,
      );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("is written whole before the process exits, even when the reader is slow", async () => {
    const { code, stdout } = await runSlowReader(["validate", dir, "--output", "json"], 1500);
    expect(code).to.equal(2);
    expect(stdout.length, "more than a pipe buffer holds").to.be.greaterThan(256 * 1024);
    const parsed = JSON.parse(stdout) as { files?: unknown[] };
    expect(parsed).to.be.an("object");
  });
});
