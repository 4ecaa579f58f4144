// Integration: `kubedrill cluster up --nodes real`: real kubelets, containerd and pod networking
// in network namespaces, and nothing left on the host after `cluster down`.
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { realNodeSupport } from "../src/providers/local/nodes/support.ts";
import { APP_IMAGE } from "../src/providers/local/nodes/images.ts";
import { CLUSTER_DNS_IP } from "../src/providers/local/nodes/dns-objects.ts";
import { Ledger } from "../src/providers/local/nodes/ledger.ts";
import { kubedrill } from "./support/cli.ts";
import { cidrContains } from "./support/cidr.ts";
import { added, cgroupFolders, hostSnapshot, processesInCgroup, type HostSnapshot } from "./support/host-snapshot.ts";
import { waitUntil } from "./support/wait.ts";
import { httpGet } from "../src/util/http.ts";
import { readState } from "../src/providers/local/state.ts";
import { localActions } from "../src/providers/local/actions.ts";
import { createKube } from "../src/k8s/client.ts";
import { deployment, pod, pullSecret } from "./support/workloads.ts";
import {
  AUTH_REGISTRY_CREDENTIALS,
  AUTH_REGISTRY_HOST,
  PRIVATE_APP_IMAGE,
} from "../src/providers/shared/images/names.ts";
import { connectFromPod, elapsedUntil, lookupFromPod, podPid } from "./support/pod-net.ts";

/** An ingress policy on the pod labelled role=server: no rules denies all, `rules` admits what they name. */
const policy = (name: string, rules: { ingress?: unknown[] }) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace: "default" },
  spec: { podSelector: { matchLabels: { role: "server" } }, policyTypes: ["Ingress"], ...rules },
});

interface Pod {
  name: string;
  uid: string;
  node: string;
  ip: string;
}

describe("local provider with real nodes", function () {
  this.timeout(20 * 60_000); // the first run builds kubelet and kube-proxy
  const name = `it-real-${process.pid}`;
  let hostBefore: HostSnapshot;
  let kubeconfig = "";
  let pods: Pod[] = [];
  const kubectl = (...args: string[]) => execa("kubectl", ["--kubeconfig", kubeconfig, ...args], { reject: false });
  const apply = async (...items: object[]) => {
    const r = await execa("kubectl", ["--kubeconfig", kubeconfig, "apply", "-f", "-"], {
      input: JSON.stringify({ apiVersion: "v1", kind: "List", items }),
      reject: false,
    });
    expect(r.exitCode, r.stderr).to.equal(0);
  };
  const podJSON = async (n: string) => JSON.parse((await kubectl("get", "pod", n, "-o", "json")).stdout);
  const readyPod = (selector: string) =>
    waitUntil(`a Ready pod ${selector}`, 120_000, async () => {
      const items = JSON.parse((await kubectl("get", "pods", "-l", selector, "-o", "json")).stdout).items;
      const p = items.find((x: { status: { conditions?: { type: string; status: string }[] } }) =>
        (x.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
      );
      return p ? { name: p.metadata.name as string, ip: p.status.podIP as string } : undefined;
    });
  const pullFailure = (n: string) =>
    waitUntil(`a failed pull of ${n}`, 60_000, async () => {
      const events = JSON.parse(
        (await kubectl("get", "events", "--field-selector", `involvedObject.name=${n},reason=Failed`, "-o", "json"))
          .stdout,
      ).items as { message: string }[];
      const status = (await podJSON(n)).status.containerStatuses?.[0]?.state?.waiting?.reason;
      const pulled = events.find((e) => e.message.startsWith("Failed to pull image"));
      return pulled && ["ErrImagePull", "ImagePullBackOff"].includes(status) ? pulled.message : undefined;
    });
  /** kube-router's chains and sets are in the server's node namespace, and none of them on the host. */
  const expectFirewallOnlyInNode = async (node: string) => {
    const ledger = Ledger.read(path.dirname(kubeconfig))!;
    const holder = ledger.data.processes.find((p) => p.name === `${node}-netns`)!;
    const routers = ledger.data.processes.filter((p) => p.name.endsWith("-kube-router"));
    expect(routers.map((p) => readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0")[0])).to.deep.equal(
      Array(6).fill(routers[0]!.binary),
    );
    const inNode = async (cmd: string, ...args: string[]) =>
      (await execa("nsenter", ["-t", String(holder.pid), "-n", "--", cmd, ...args])).stdout;
    const nodeSets = (await inNode("ipset", "list", "-n")).split("\n").filter(Boolean);
    expect(nodeSets, "ipsets in the node").to.not.deep.equal([]);
    expect(await inNode("iptables-save")).to.match(/KUBE-POD-FW-/);
    const hostSets = new Set((await execa("ipset", ["list", "-n"])).stdout.split("\n"));
    expect(
      nodeSets.filter((s) => hostSets.has(s)),
      "node ipsets on the host",
    ).to.deep.equal([]);
    expect((await execa("iptables-save")).stdout).to.not.match(/KUBE-ROUTER|KUBE-POD-FW-/);
    const rssMiB = (pid: number | string) => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
      } catch {
        return 0; // exited while we looked
      }
    };
    const perNode = routers.map((p) => {
      const n = p.name.replace(/-kube-router$/, "");
      const total = processesInCgroup(`/kubedrill/${name}/${n}/`).reduce((sum, l) => sum + rssMiB(l.split(" ")[0]!), 0);
      return `${n} ${total.toFixed(0)} (kube-router ${rssMiB(p.pid).toFixed(0)})`;
    });
    console.log(`    memory per node, MiB RSS of all its processes and pods: ${perNode.join(", ")}`);
  };

  before(async function (this: Mocha.Context) {
    const support = realNodeSupport();
    if (!support.ok) {
      console.log(`    skipped: this host cannot run real nodes: ${support.reason}`);
      this.skip();
    }
    hostBefore = await hostSnapshot();
    const up = await kubedrill(["cluster", "up", "--name", name, "--nodes", "real"]);
    expect(up.exitCode, up.all).to.equal(0);
    console.log(`    ${up.all?.split("\n").find((l) => l.includes("nodes Ready"))}`);
    kubeconfig = (await kubedrill(["cluster", "kubeconfig", "--name", name])).stdout.trim();
  });

  after(async () => {
    if (kubeconfig) await kubedrill(["cluster", "down", "--name", name]);
  });

  it("has 6 Ready real nodes in 3 zones, each with its pod CIDR", async () => {
    const nodes = JSON.parse((await kubectl("get", "nodes", "-o", "json")).stdout).items;
    expect(nodes).to.have.length(6);
    const zones: Record<string, number> = {};
    for (const n of nodes) {
      const ready = n.status.conditions.find((c: { type: string }) => c.type === "Ready");
      expect(ready?.status, `node ${n.metadata.name} Ready`).to.equal("True");
      expect(n.status.nodeInfo.containerRuntimeVersion).to.match(/^containerd:\/\//);
      expect(cidrContains("10.244.0.0/16", n.spec.podCIDR), n.spec.podCIDR).to.equal(true);
      const zone = n.metadata.labels["topology.kubernetes.io/zone"];
      zones[zone] = (zones[zone] ?? 0) + 1;
    }
    expect(zones).to.deep.equal({ "zone-a": 2, "zone-b": 2, "zone-c": 2 });
  });

  it("runs pods with IPs inside their node's pod CIDR", async () => {
    const manifest = {
      apiVersion: "v1",
      kind: "List",
      items: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web", namespace: "default" },
          spec: {
            replicas: 6,
            selector: { matchLabels: { app: "web" } },
            template: {
              metadata: { labels: { app: "web" } },
              spec: {
                topologySpreadConstraints: [
                  {
                    maxSkew: 1,
                    topologyKey: "kubernetes.io/hostname",
                    whenUnsatisfiable: "DoNotSchedule",
                    labelSelector: { matchLabels: { app: "web" } },
                  },
                ],
                containers: [
                  {
                    name: "web",
                    image: APP_IMAGE,
                    args: ["serve", "-port", "8080"],
                    readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 1 },
                  },
                ],
              },
            },
          },
        },
        {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: "web", namespace: "default" },
          spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
        },
      ],
    };
    const apply = await execa("kubectl", ["--kubeconfig", kubeconfig, "apply", "-f", "-"], {
      input: JSON.stringify(manifest),
      reject: false,
    });
    expect(apply.exitCode, apply.stderr).to.equal(0);
    const nodes = JSON.parse((await kubectl("get", "nodes", "-o", "json")).stdout).items;
    const cidrOf = new Map<string, string>(
      nodes.map((n: { metadata: { name: string }; spec: { podCIDR: string } }) => [n.metadata.name, n.spec.podCIDR]),
    );
    pods = await waitUntil("6 web pods Ready", 120_000, async () => {
      const items = JSON.parse((await kubectl("get", "pods", "-l", "app=web", "-o", "json")).stdout).items;
      const ready = items.filter((p: { status: { conditions?: { type: string; status: string }[] } }) =>
        (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
      );
      return ready.length === 6
        ? ready.map(
            (p: {
              metadata: { name: string; uid: string };
              spec: { nodeName: string };
              status: { podIP: string };
            }) => ({
              name: p.metadata.name,
              uid: p.metadata.uid,
              node: p.spec.nodeName,
              ip: p.status.podIP,
            }),
          )
        : undefined;
    });
    for (const p of pods)
      expect(
        cidrContains(cidrOf.get(p.node)!, p.ip),
        `${p.name} ${p.ip} on ${p.node} (${cidrOf.get(p.node)})`,
      ).to.equal(true);
    expect(new Set(pods.map((p) => p.node)).size).to.equal(6);
  });

  it("connects pod to pod across nodes, and refuses a closed port", async () => {
    const [a, b] = pods as [Pod, Pod];
    const ok = await kubectl("exec", a.name, "--", "/bin/app", "connect", "-addr", `${b.ip}:8080`, "-http");
    expect(ok.exitCode, ok.stdout + ok.stderr).to.equal(0);
    expect(ok.stdout).to.include(`hello from ${b.name}`);
    const closed = await kubectl("exec", a.name, "--", "/bin/app", "connect", "-addr", `${b.ip}:9`, "-timeout", "2s");
    expect(closed.exitCode).to.equal(1);
    expect(closed.stdout).to.match(/refused/);
  });

  it("reaches the pods through a ClusterIP Service", async () => {
    const ip = (await kubectl("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}")).stdout.trim();
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await kubectl("exec", pods[0]!.name, "--", "/bin/app", "connect", "-addr", `${ip}:80`, "-http");
      expect(r.exitCode, r.stdout + r.stderr).to.equal(0);
      seen.add(/hello from (\S+)/.exec(r.stdout)?.[1] ?? "");
    }
    for (const s of seen) expect(pods.map((p) => p.name)).to.include(s);
  });

  it("enforces NetworkPolicy across nodes: a deny-all blocks, an allow rule admits, deletion restores", async () => {
    const [client, server, other] = pods as [Pod, Pod, Pod];
    for (const [p, role] of [
      [client, "client"],
      [server, "server"],
    ] as const)
      expect((await kubectl("label", "pod", p.name, `role=${role}`)).exitCode).to.equal(0);
    const clientPid = podPid(client.uid);
    const otherPid = podPid(other.uid);
    const reaches = async (pid: number) => (await connectFromPod(pid, server.ip, 8080, 500)) === "connected";
    expect(await reaches(clientPid), "client -> server before any policy").to.equal(true);
    expect(await reaches(otherPid), "other -> server before any policy").to.equal(true);

    await apply(policy("deny-server", {}));
    const denyMs = await elapsedUntil(
      "deny-all blocks client -> server",
      15_000,
      async () => !(await reaches(clientPid)),
    );
    expect(await reaches(otherPid), "other -> server under deny-all").to.equal(false);
    await expectFirewallOnlyInNode(server.node);

    await apply(
      policy("allow-client", { ingress: [{ from: [{ podSelector: { matchLabels: { role: "client" } } }] }] }),
    );
    const allowMs = await elapsedUntil("the allow rule admits client -> server", 15_000, () => reaches(clientPid));
    expect(await reaches(otherPid), "other -> server (not admitted by the allow rule)").to.equal(false);
    const viaExec = await kubectl(
      "exec",
      client.name,
      "--",
      "/bin/app",
      "connect",
      "-addr",
      `${server.ip}:8080`,
      "-http",
    );
    expect(viaExec.stdout).to.include(`hello from ${server.name}`);
    const blocked = await kubectl("exec", other.name, "--", "/bin/app", "connect", "-addr", `${server.ip}:8080`);
    expect(blocked.exitCode, blocked.stdout).to.equal(1);

    expect((await kubectl("delete", "networkpolicy", "deny-server", "allow-client")).exitCode).to.equal(0);
    const deleteMs = await elapsedUntil("deleting the policies admits other -> server", 15_000, () =>
      reaches(otherPid),
    );
    console.log(`    NetworkPolicy enforced after: deny ${denyMs} ms, allow ${allowMs} ms, delete ${deleteMs} ms`);
  });

  it("resolves Service names through CoreDNS at the cluster DNS IP, from pods", async () => {
    await waitUntil("2 CoreDNS replicas available", 120_000, async () => {
      const d = JSON.parse((await kubectl("-n", "kube-system", "get", "deploy", "coredns", "-o", "json")).stdout);
      return d.status?.availableReplicas === 2 || undefined;
    });
    const dnsIP = (await kubectl("-n", "kube-system", "get", "svc", "kube-dns", "-o", "jsonpath={.spec.clusterIP}"))
      .stdout;
    expect(dnsIP).to.equal(CLUSTER_DNS_IP);
    const webIP = (await kubectl("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}")).stdout.trim();
    const client = pods[0]!;
    for (const addr of ["web.default.svc.cluster.local:80", "web:80"]) {
      const r = await kubectl("exec", client.name, "--", "/bin/app", "connect", "-addr", addr, "-http");
      expect(r.exitCode, `${addr}: ${r.stdout}${r.stderr}`).to.equal(0);
      expect(r.stdout).to.match(/hello from web-/);
    }
    const unknown = await kubectl(
      "exec",
      client.name,
      "--",
      "/bin/app",
      "connect",
      "-addr",
      "nosuch.default.svc.cluster.local:80",
    );
    expect(unknown.exitCode).to.equal(1);
    expect(unknown.stdout).to.match(/no such host/);
    const looked = await lookupFromPod(podPid(client.uid), CLUSTER_DNS_IP, "web.default.svc.cluster.local", 20);
    expect(looked.addresses).to.deep.equal([webIP]);
    const sorted = [...looked.ms].sort((a, b) => a - b);
    console.log(
      `    DNS lookup from a pod: first ${looked.ms[0]!.toFixed(1)} ms, p50 ${sorted[10]!.toFixed(1)} ms, max ${sorted[19]!.toFixed(1)} ms`,
    );
  });

  it("serves kubectl logs and exec, with the command's exit status", async () => {
    const logs = await kubectl("logs", pods[1]!.name);
    expect(logs.stdout).to.include("serving HTTP on :8080");
    const exit = await kubectl("exec", pods[1]!.name, "--", "/bin/app", "exit", "-code", "3");
    expect(exit.exitCode).to.equal(3);
    expect(exit.stdout).to.include("exiting with status 3");
  });

  it("pulls nginx:1.27 and podinfo:6.7.1 stand-ins from the local registry; they answer on their ports and health paths", async () => {
    await apply(
      deployment("nginx", "nginx:1.27", { port: 80, ready: { path: "/", port: 80 } }),
      deployment("podinfo", "ghcr.io/stefanprodan/podinfo:6.7.1", {
        port: 9898,
        ready: { path: "/readyz", port: 9898 },
        live: { path: "/healthz", port: 9898 },
      }),
      pod("client", "busybox", { command: ["sleep", "3600"] }),
    );
    const [nginx, podinfo] = [await readyPod("app=nginx"), await readyPod("app=podinfo")];
    await waitUntil("the busybox client Running", 60_000, async () =>
      (await podJSON("client")).status.phase === "Running" ? true : undefined,
    );
    // busybox's own applets: nc for raw HTTP, wget without -T (it crashes inside containers)
    const get = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${nginx.ip} 80`;
    const web = await kubectl("exec", "client", "--", "sh", "-c", get);
    expect(web.stdout, web.stderr).to.match(/^HTTP\/1\.[01] 200 OK/);
    expect(web.stdout).to.include("Welcome to nginx!");
    const info = await kubectl("exec", "client", "--", "wget", "-q", "-O", "-", `http://${podinfo.ip}:9898/`);
    expect(JSON.parse(info.stdout).hostname, info.stderr).to.equal(podinfo.name);
    const health = await kubectl("exec", "client", "--", "wget", "-q", "-O", "-", `http://${podinfo.ip}:9898/healthz`);
    expect(JSON.parse(health.stdout)).to.deep.equal({ status: "OK" });
    const busybox = await kubectl("exec", "client", "--", "busybox");
    expect(busybox.stdout).to.match(/BusyBox v1\.\d+/);
  });

  it("fails an image the registry lacks with its real not found (ErrImagePull)", async () => {
    await apply(pod("missing", "kubedrill-no-such-image:1.0"));
    const message = await pullFailure("missing");
    expect(message).to.include('"docker.io/library/kubedrill-no-such-image:1.0"');
    expect(message).to.match(/docker\.io\/library\/kubedrill-no-such-image:1\.0: not found$/);
  });

  it("pulls from the authenticated registry only with an image pull Secret", async () => {
    const { user, password } = AUTH_REGISTRY_CREDENTIALS;
    await apply(
      pullSecret("drill-pull", AUTH_REGISTRY_HOST, user, password),
      pod("private-denied", PRIVATE_APP_IMAGE),
      pod("private-allowed", PRIVATE_APP_IMAGE, { pullSecret: "drill-pull" }),
    );
    expect(await pullFailure("private-denied")).to.include("401 Unauthorized");
    await waitUntil("private-allowed Running", 60_000, async () =>
      (await podJSON("private-allowed")).status.phase === "Running" ? true : undefined,
    );
  });

  it("routes HTTP through the Ingress controller by ingress-nginx's rules: longest prefix, oldest Ingress, 404", async () => {
    const ingress = (n: string, paths: [string, string][]) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: n, namespace: "default" },
      spec: {
        ingressClassName: "nginx",
        rules: [
          {
            host: "shop.test",
            http: {
              paths: paths.map(([p, svc]) => ({
                path: p,
                pathType: "Prefix",
                backend: { service: { name: svc, port: { number: 80 } } },
              })),
            },
          },
        ],
      },
    });
    const web = (n: string) => [
      deployment(n, "ghcr.io/stefanprodan/podinfo:6.7.1", { port: 9898, ready: { path: "/readyz", port: 9898 } }),
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: n, namespace: "default" },
        spec: { selector: { app: n }, ports: [{ port: 80, targetPort: 9898 }] },
      },
    ];
    await apply(...web("shop-api"), ...web("shop-test"), ingress("shop", [["/api", "shop-api"]]));
    const [prod, test] = [await readyPod("app=shop-api"), await readyPod("app=shop-test")];
    const state = JSON.parse(readFileSync(path.join(path.dirname(kubeconfig), "state.json"), "utf8"));
    const url = state.ingressURL as string;
    expect(url, "the Ingress controller listens on the router's bridge, not on the host's addresses").to.match(
      /^http:\/\/10\.250\.\d+\.1:80$/,
    );
    const hostname = async (p: string) => {
      const r = await httpGet(`${url}${p}`, { headers: { Host: "shop.test" } });
      return r.status === 200 ? (JSON.parse(await r.text()).hostname as string) : `HTTP ${r.status}`;
    };
    expect(
      await waitUntil("the Ingress served", 30_000, async () =>
        (await hostname("/api/orders")) === prod.name ? true : undefined,
      ),
    ).to.equal(true);
    // a younger Ingress: its identical /api is ignored, its more specific /api/orders wins
    await apply(
      ingress("shop-test", [
        ["/api", "shop-test"],
        ["/api/orders", "shop-test"],
      ]),
    );
    // polled every 200 ms (a tight loop of new connections can run the host out of ports)
    const changedAt = Date.now();
    await waitUntil("/api/orders routed to the younger Ingress", 60_000, async () =>
      (await hostname("/api/orders/7")) === test.name ? true : undefined,
    );
    const switched = Date.now() - changedAt;
    expect(await hostname("/api/users")).to.equal(prod.name);
    expect(await hostname("/apiv2")).to.equal("HTTP 404");
    const other = await httpGet(`${url}/api`, { headers: { Host: "elsewhere.test" } });
    expect(other.status, "a host no rule names").to.equal(404);
    console.log(`    Ingress change routed through nginx after ${switched} ms`);
  });

  it("fills a node's disk for real: DiskPressure, its taint, new pods refused; freeing it recovers", async () => {
    const state = (await readState(path.dirname(kubeconfig)))!;
    const actions = localActions(state, createKube(kubeconfig));
    const node = "worker6";
    const condition = async () =>
      (
        JSON.parse((await kubectl("get", "node", node, "-o", "json")).stdout).status.conditions as {
          type: string;
          status: string;
        }[]
      ).find((c) => c.type === "DiskPressure")?.status;
    const pinned = (n: string) => {
      const p = pod(n, "redis:7.4") as { spec: Record<string, unknown> };
      p.spec.nodeName = node; // past the scheduler, as a DaemonSet's pods come
      p.spec.tolerations = [{ operator: "Exists" }];
      return p;
    };
    const fill = await actions.fillDisk(node);
    const filledAt = Date.now();
    try {
      expect(fill.simulated).to.equal(false);
      await waitUntil("DiskPressure=True", 60_000, async () => ((await condition()) === "True" ? true : undefined));
      console.log(`    DiskPressure=True ${Date.now() - filledAt} ms after the disk filled`);
      await waitUntil("the disk-pressure taint", 30_000, async () =>
        (await kubectl("get", "node", node, "-o", "jsonpath={.spec.taints[*].key}")).stdout.includes(
          "node.kubernetes.io/disk-pressure",
        )
          ? true
          : undefined,
      );
      await apply(pinned("on-full-disk"));
      const refused = await waitUntil("the kubelet to refuse the pod", 60_000, async () => {
        const st = (await podJSON("on-full-disk")).status;
        return st.phase === "Failed" ? st : undefined;
      });
      expect(refused.reason).to.equal("Evicted");
      expect(refused.message).to.include("The node had condition: [DiskPressure]");
    } finally {
      await fill.revert();
    }
    await waitUntil("DiskPressure=False", 90_000, async () => ((await condition()) === "False" ? true : undefined));
    await apply(pinned("after-free"));
    await waitUntil("a new pod Running on the freed node", 120_000, async () =>
      (await podJSON("after-free")).status.phase === "Running" ? true : undefined,
    );
  });

  it("leaves no process, namespace, link, route, mount, firewall rule, cgroup or folder after down", async () => {
    const dir = path.dirname(kubeconfig);
    expect(processesInCgroup(`/kubedrill/${name}/`)).to.have.length.above(6); // the check below can see them
    const down = await kubedrill(["cluster", "down", "--name", name]);
    expect(down.exitCode, down.all).to.equal(0);
    kubeconfig = "";
    expect(processesInCgroup(`/kubedrill/${name}/`)).to.deep.equal([]);
    expect(cgroupFolders(`kubedrill/${name}`)).to.deep.equal([]);
    expect(existsSync(dir), dir).to.equal(false);
    expect(added(hostBefore, await hostSnapshot())).to.deep.equal([]);
  });
});
