import { expect } from "chai";
import yargs from "yargs";
import { clusterCommand } from "../../src/cli/commands/cluster.ts";
import { checkWorkersOption, runOptions, type RunArgs } from "../../src/cli/commands/run-options.ts";
import { createRunCommand } from "../../src/cli/commands/run.ts";
import { UsageError } from "../../src/errors.ts";
import { resolveProvider } from "../../src/providers/index.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { args, doubles, ok } from "./run-doubles.ts";

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("expected a rejection"),
    (e: unknown) => e as Error,
  );

describe("--workers (local cluster scale mode)", () => {
  it("accepts a whole number from 3 to 512 with kwok or auto nodes, and nothing when absent", () => {
    expect(checkWorkersOption({})).to.equal(undefined);
    expect(checkWorkersOption({ workers: 300, nodes: "kwok" })).to.equal(300);
    expect(checkWorkersOption({ workers: 3, nodes: "auto" })).to.equal(3);
  });

  it("refuses real nodes, fractions, and counts the pod range cannot hold, naming the value", () => {
    expect(() => checkWorkersOption({ workers: 30, nodes: "real" })).to.throw(
      UsageError,
      /--workers 30 is for kwok nodes/,
    );
    expect(() => checkWorkersOption({ workers: 2.5 })).to.throw(
      UsageError,
      /--workers must be a whole number >= 1 \(got 2\.5\)/,
    );
    expect(() => checkWorkersOption({ workers: Number.NaN })).to.throw(UsageError, /--workers must be a whole number/);
    expect(() => checkWorkersOption({ workers: 1000 })).to.throw(UsageError, /from 3 .* to 512 \(got 1000\)/);
  });

  it("is parsed as a number by `run`", async () => {
    const parsed = (await runOptions(yargs(["--workers", "300"]).exitProcess(false).fail(false)).parse()) as RunArgs;
    expect(parsed.workers).to.equal(300);
  });

  it("`run` hands it to the provider, and refuses it before any cluster work when it is bad", async () => {
    const d = doubles([ok()]);
    await createRunCommand(d.deps).run(args({ workers: 30, nodes: "kwok" }), d.io());
    expect(d.seen.startOptions[0]).to.deep.include({ workers: 30, nodes: "kwok" });
    const d2 = doubles([ok()]);
    const err = await rejection(createRunCommand(d2.deps).run(args({ workers: 30, nodes: "real" }), d2.io()));
    expect(err).to.be.instanceOf(UsageError);
    expect(d2.seen.startOptions).to.deep.equal([]);
    expect(d2.seen.loaded).to.deep.equal([]);
  });

  it("is refused with another provider or an existing cluster", async () => {
    const log = memoryLogger();
    for (const o of [
      { provider: "kind", why: /not --provider kind/ },
      { provider: "kubeconfig", why: /not an existing cluster/ },
      { provider: "auto", kubeconfig: "/x/config", why: /not an existing cluster/ },
    ]) {
      const { why, ...rest } = o;
      const err = await rejection(resolveProvider({ ...rest, name: "kd", workers: 30, log, env: {} }));
      expect(err, o.provider).to.be.instanceOf(UsageError).with.property("message").that.matches(why);
    }
  });

  it("`cluster` takes it only for `up`", async () => {
    const io = { out: () => undefined, log: memoryLogger(), signal: new AbortController().signal, env: {}, cwd: "/" };
    const base = { provider: "local", name: "kd", nodes: "auto" as const };
    for (const action of ["status", "down", "kubeconfig"] as const) {
      const err = await rejection(clusterCommand.run({ ...base, action, workers: 30 }, io));
      expect(err, action)
        .to.be.instanceOf(UsageError)
        .with.property("message")
        .that.includes("--workers is for `cluster up`");
    }
    const real = await rejection(clusterCommand.run({ ...base, action: "up", nodes: "real", workers: 30 }, io));
    expect(real).to.be.instanceOf(UsageError).with.property("message").that.includes("is for kwok nodes");
  });
});
