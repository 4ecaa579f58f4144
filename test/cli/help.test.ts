import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/kubedrill.js", import.meta.url));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe("kubedrill --help, completion and typos", function () {
  this.timeout(60_000);

  it("does not cut lines at 80 columns when the output is not a terminal", () => {
    const { code, out } = cli("run", "--help");
    expect(code).to.equal(0);
    const line = out.split("\n").find((l) => l.includes("--allow-context"))!;
    expect(line).to.include(
      "Contexts kubedrill may break things in: NAME, or NAME@SERVER to bind it to the API server",
    );
    expect(Math.max(...out.split("\n").map((l) => l.length))).to.be.greaterThan(80);
  });

  it("shows examples for the main commands and lists the new ones", () => {
    const top = cli("--help").out;
    expect(top).to.match(/Examples:\n\s+kubedrill list/);
    for (const c of ["list", "describe <scenario>", "init <name>", "completion"])
      expect(top).to.include(`kubedrill ${c}`);
    expect(cli("run", "--help").out).to.match(/kubedrill run --rerun-failed reports\/latest\s+only what failed/);
    expect(cli("list", "--help").out).to.include("kubedrill list drills/ --tag network");
  });

  it("prints a completion script", () => {
    const { code, out } = cli("completion");
    expect(code).to.equal(0);
    expect(out).to.include("--get-yargs-completions");
    expect(out).to.include("kubedrill");
  });

  it("suggests the command a typo meant, exit status 2", () => {
    const { code, err } = cli("lsit");
    expect(code).to.equal(2);
    expect(err).to.include("Did you mean list?");
  });
});
