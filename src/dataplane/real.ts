import type { KObject } from "../k8s/types.ts";
import type { ClusterSnapshot } from "../diagnose/types.ts";
import type {
  ConnectivityParams,
  DataPlane,
  DataPlaneContext,
  LoadMeasurement,
  LoadParams,
  ProbeResult,
  RequestParams,
  RouteParams,
} from "../sdk/types.ts";
import type { ProcessRunner } from "../util/process.ts";
import { labelMatcher } from "../sdk/selector.ts";
import { matchesMap } from "../diagnose/util/selectors.ts";
import { oneAtATime } from "../util/one-at-a-time.ts";
import { measureLoad, type LoadFetch } from "./load.ts";

interface RealDataPlaneOptions {
  kubeconfig: string;
  context?: string;
  run: ProcessRunner;
  /** Where the Ingress controller listens for this machine (kind: http://127.0.0.1:80). */
  ingressURL?: string;
  fetch?: LoadFetch;
  /** Requests per route check: a conflict sends only part of the traffic astray. */
  routeRequests?: number;
}

const result = (ok: boolean, message: string): ProbeResult => ({ ok, message, simulated: false });

/**
 * A TCP connection test that works with every nc a client image is likely to have: `nc -z`
 * where nc knows it (busybox with its extras, netcat-openbsd), else connect and run `true`
 * (busybox built without -z, such as Debian's busybox-static). Arguments: host, port.
 */
export const CONNECT =
  'if nc --help 2>&1 | grep -q -- "-z"; then exec nc -z -w 3 "$0" "$1"; fi; exec nc -w 3 "$0" "$1" -e true';
const running = (p: KObject) => p.status?.phase === "Running" && !p.metadata.deletionTimestamp;

/**
 * The data plane of a cluster that has one (kind): connectivity is a TCP connection made
 * from inside a client pod (`kubectl exec ... nc`), routing is real HTTP through the
 * Ingress controller, and the answering pod (podinfo and most demo servers report their
 * hostname) tells which Service the request reached.
 */
export function realDataPlane(o: RealDataPlaneOptions): DataPlane {
  const kubectl = (args: string[], signal?: AbortSignal) =>
    o.run(["kubectl", "--kubeconfig", o.kubeconfig, ...(o.context ? ["--context", o.context] : []), ...args], {
      timeoutMs: 15_000,
      ...(signal ? { signal } : {}),
    });
  const loadTurn = oneAtATime();
  return {
    async connectivity(p: ConnectivityParams, ctx: DataPlaneContext): Promise<ProbeResult> {
      const ns = p.to.namespace ?? p.namespace;
      const matches = labelMatcher(p.from);
      const client = ctx
        .snapshot()
        .pods.find((x) => x.metadata.namespace === p.namespace && matches(x.metadata.labels ?? {}) && running(x));
      if (!client) return result(false, `no running pod in ${p.namespace} matches ${p.from}`);
      const host = `${p.to.service}.${ns}.svc.cluster.local`;
      const r = await kubectl(
        ["exec", "-n", p.namespace, client.metadata.name!, "--", "sh", "-c", CONNECT, host, String(p.to.port)],
        ctx.signal,
      );
      if (r.exitCode === 0) return result(true, `pod ${client.metadata.name} connected to ${host}:${p.to.port}`);
      const why = (r.stderr || r.stdout).trim().split("\n").slice(-2).join(" ");
      return result(
        false,
        `pod ${client.metadata.name} cannot connect to ${host}:${p.to.port} (exit ${r.exitCode}${why ? `: ${why}` : ""})`,
      );
    },

    async route(p: RouteParams, ctx: DataPlaneContext): Promise<ProbeResult> {
      if (!o.ingressURL || !o.fetch) return result(false, "no Ingress controller address is known for this cluster");
      const want = `${p.namespace}/${p.expectService}`;
      const seen = new Map<string, number>();
      const n = o.routeRequests ?? 20;
      for (let i = 0; i < n; i++) {
        const res = await o.fetch(`${o.ingressURL}${p.path}`, {
          headers: p.host ? { Host: p.host } : {},
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        const backend =
          res.status >= 500 || res.status === 404 ? `HTTP ${res.status}` : serviceOf(await res.text(), ctx.snapshot());
        seen.set(backend, (seen.get(backend) ?? 0) + 1);
      }
      const summary = [...seen].map(([b, c]) => `${c}/${n} -> ${b}`).join(", ");
      const astray = n - (seen.get(want) ?? 0);
      const share = astray === 0 ? "" : `; ${Math.round((100 * astray) / n)}% did not reach ${want}`;
      return result(astray === 0, `${p.host ?? "*"}${p.path}: ${summary} (expected ${want}${share})`);
    },

    /**
     * One window per host at a time, in call order: the steady-state, probeFails and
     * recover monitors (and a wait step) may all evaluate a load probe on the same
     * service at once, and their windows side by side would multiply the load and
     * measure queueing the scenario did not ask for. The host names the service under
     * test (two windows on one host would add up on its workers whatever their paths).
     */
    load(p: LoadParams, ctx: DataPlaneContext): Promise<LoadMeasurement> {
      const { ingressURL, fetch } = o;
      if (!ingressURL || !fetch)
        return Promise.reject(new Error("no Ingress controller address is known for this cluster"));
      const want = p.expectService && `${p.namespace}/${p.expectService}`;
      // pod name -> backend, looked up once per pod the watch cache knows (a pod it does
      // not know yet, just started, is looked up again on its next answer)
      const backends = new Map<string, string>();
      const strayBackend = (body: string) => {
        const pod = hostnameOf(body);
        if (pod === undefined) return "an unidentified backend";
        const backend = backends.get(pod) ?? backendOf(pod, ctx.snapshot());
        if (backend !== `pod ${pod}`) backends.set(pod, backend);
        return backend === want ? undefined : backend;
      };
      return loadTurn(
        p.host ?? "",
        () =>
          measureLoad({
            url: `${ingressURL}${p.path}`,
            headers: p.host ? { Host: p.host } : {},
            rps: p.rps,
            durationMs: p.durationMs,
            timeoutMs: p.timeoutMs,
            fetch,
            ...(want ? { strayBackend } : {}),
            ...(ctx.signal ? { signal: ctx.signal } : {}),
          }),
        ctx.signal,
      );
    },

    async request(p: RequestParams, ctx: DataPlaneContext): Promise<{ status: number; body: string }> {
      if (!o.ingressURL || !o.fetch) throw new Error("no Ingress controller address is known for this cluster");
      const res = await o.fetch(`${o.ingressURL}${p.path}`, {
        headers: p.host ? { Host: p.host } : {},
        method: p.method,
        timeoutMs: p.timeoutMs,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      return { status: res.status, body: await res.text() };
    },
  };
}

/** The Service whose selector matches the pod named in the answer's `hostname`. */
export function serviceOf(body: string, snap: ClusterSnapshot): string {
  const hostname = hostnameOf(body);
  return hostname ? backendOf(hostname, snap) : "an unidentified backend";
}

/** The pod an answer names: podinfo's JSON `hostname`, or a `hostname: x` line. */
function hostnameOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { hostname?: string }).hostname || undefined;
  } catch {
    return /hostname["\s:=]+([\w.-]+)/i.exec(body)?.[1];
  }
}

/** `namespace/service` of the Service that selects the pod, else `pod ...`. */
function backendOf(hostname: string, snap: ClusterSnapshot): string {
  const pod = snap.pods.find((x) => x.metadata.name === hostname);
  if (!pod) return `pod ${hostname}`;
  const svc = snap.services.find(
    (s) => s.metadata.namespace === pod.metadata.namespace && matchesMap(s.spec?.selector, pod.metadata.labels ?? {}),
  );
  return svc ? `${svc.metadata.namespace}/${svc.metadata.name}` : `pod ${pod.metadata.namespace}/${hostname}`;
}
