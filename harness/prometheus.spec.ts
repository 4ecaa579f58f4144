// Integration: the `prometheus` signal and probe against a real Prometheus server (built from
// the Go module proxy and cached like the control plane: PROMETHEUS_COMPONENT). Prometheus
// scrapes a small exporter this spec serves, evaluates an alerting rule, and the plug-ins see
// the real value and the real firing alert through its HTTP API. No cluster is needed.
import { expect } from "chai";
import { execa, type ResultPromise } from "execa";
import http from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRegistries } from "../src/pipeline/registries.ts";
import { ensureBinaries } from "../src/providers/local/build.ts";
import { PROMETHEUS_COMPONENT } from "../src/providers/local/components.ts";
import type { BuildEnv, Detector, EvalContext, Probe } from "../src/sdk/types.ts";
import { createLogger } from "../src/util/log.ts";
import { waitUntil } from "./support/wait.ts";

const log = createLogger({ write: (l) => process.stderr.write(`    ${l}\n`) });

/** A free TCP port on 127.0.0.1 (the OS picks it; Prometheus is then told to listen there). */
async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe("prometheus signal and probe against a real Prometheus", function () {
  this.timeout(20 * 60_000); // the first run builds Prometheus (minutes); later runs use the cache
  let dir: string;
  let ratio = "0.01";
  let exporter: http.Server;
  let prometheus: ResultPromise | undefined;
  let url: string;
  const reg = defaultRegistries();
  const abort = new AbortController();
  // The prometheus plug-ins read only fetch, signal and log from the evaluation context.
  const ctx = { fetch: (u, init) => fetch(u, init), signal: abort.signal, log } as Pick<
    EvalContext,
    "fetch" | "signal" | "log"
  > as EvalContext;
  const env = (): BuildEnv => ({
    namespace: "kd-prom",
    runId: "it",
    file: join(dir, "s.yaml"),
    dir,
    loc: { file: "s.yaml", line: 1, column: 1, field: "spec.detect.signals[0].prometheus" },
    probe: () => {
      throw new Error("no nested probes here");
    },
    manifests: () => [],
  });
  const signal = (params: Record<string, unknown>): Detector =>
    reg.signals.create({ type: "prometheus", params: { url, interval: "500ms", ...params }, loc: env().loc }, env());
  const probe = (params: Record<string, unknown>): Probe =>
    reg.probes.create({ type: "prometheus", params: { url, ...params }, loc: env().loc }, env());

  before(async () => {
    const { prometheus: bin } = await ensureBinaries({ log, components: [PROMETHEUS_COMPONENT] });
    dir = await mkdtemp(join(tmpdir(), "kd-prom-it-"));
    exporter = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(
        `# HELP kd_demo_errors_ratio Share of checkout requests that failed.\n# TYPE kd_demo_errors_ratio gauge\nkd_demo_errors_ratio{service="checkout"} ${ratio}\n`,
      );
    });
    await new Promise<void>((r) => exporter.listen(0, "127.0.0.1", r));
    const exporterPort = (exporter.address() as AddressInfo).port;
    await writeFile(
      join(dir, "rules.yml"),
      [
        "groups:",
        "  - name: kubedrill-it",
        "    interval: 1s",
        "    rules:",
        "      - alert: CheckoutErrors",
        "        expr: kd_demo_errors_ratio > 0.05",
        "        labels: { severity: page }",
        "",
      ].join("\n"),
    );
    await writeFile(
      join(dir, "prometheus.yml"),
      [
        "global: { scrape_interval: 1s, evaluation_interval: 1s }",
        "rule_files: [rules.yml]",
        "scrape_configs:",
        "  - job_name: demo",
        `    static_configs: [{ targets: ["127.0.0.1:${exporterPort}"] }]`,
        "",
      ].join("\n"),
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = execa(
      bin!,
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { cwd: dir, all: true, reject: false, buffer: true },
    );
    await waitUntil("Prometheus to be ready", 60_000, async () => {
      if (prometheus!.exitCode !== null) throw new Error(`prometheus exited: ${String((await prometheus!).all)}`);
      const r = await fetch(`${url}/-/ready`).catch(() => undefined);
      return r?.status === 200 ? true : undefined;
    });
  });

  after(async () => {
    abort.abort();
    if (prometheus) {
      prometheus.kill("SIGTERM");
      const r = await prometheus;
      expect(r.exitCode === 0 || r.signal === "SIGTERM", `prometheus stopped: ${r.exitCode} ${r.signal}`).to.equal(
        true,
      );
    }
    await new Promise<void>((r) => (exporter ? exporter.close(() => r()) : r()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the probe holds on a real scraped value; the signal sees it pass the threshold, with the value as evidence", async () => {
    const healthy = probe({ query: 'kd_demo_errors_ratio{service="checkout"}', op: "<", value: 0.05 });
    const held = await waitUntil("the first scrape", 30_000, async () => {
      const r = await healthy.evaluate(ctx);
      return r.ok ? r : undefined;
    });
    expect(held.message).to.match(/holds: 0\.01 \{.*service="checkout"/);
    const high = signal({ query: "kd_demo_errors_ratio", op: ">", value: 0.05 });
    expect(await high.match(ctx, undefined)).to.equal(undefined);
    ratio = "0.4";
    const seen = await waitUntil("the signal on the new value", 30_000, () =>
      Promise.resolve(high.match(ctx, undefined)),
    );
    expect(seen.kind).to.equal("prometheus");
    expect(seen.text).to.match(/^kd_demo_errors_ratio = 0\.4 \{.*job="demo".*service="checkout".*\} \(> 0\.05\)$/);
    expect((await healthy.evaluate(ctx)).ok).to.equal(false);
  });

  it("a real alert: the signal is seen once it fires, the probe holds again once it resolves", async () => {
    ratio = "0.4";
    const fires = signal({ alert: "CheckoutErrors", labels: { severity: "page" } });
    const seen = await waitUntil("CheckoutErrors to fire", 60_000, () => Promise.resolve(fires.match(ctx, undefined)));
    expect(seen.text).to.match(
      /^alert CheckoutErrors firing: \{alertname="CheckoutErrors", .*severity="page".*active since /,
    );
    const quiet = probe({ alert: "CheckoutErrors" });
    expect((await quiet.evaluate(ctx)).ok).to.equal(false);
    ratio = "0.01";
    await waitUntil("CheckoutErrors to resolve", 60_000, async () =>
      (await quiet.evaluate(ctx)).ok ? true : undefined,
    );
    expect(await fires.match(ctx, undefined)).to.equal(undefined);
  });

  it("a query Prometheus rejects is reported with its own error", async () => {
    const r = await probe({ query: "rate(kd_demo_errors_ratio[", op: "<", value: 1 }).evaluate(ctx);
    expect(r.ok).to.equal(false);
    expect(r.message).to.match(/HTTP 400, bad_data: /);
  });
});
