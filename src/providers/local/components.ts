/**
 * What the local control plane is built from. Each component is built once per
 * (version, Go toolchain, wrapper sources) into its own cache folder.
 */
export const KUBERNETES_VERSION = "v1.34.4";
export const ETCD_VERSION = "v3.6.16";
export const KWOK_VERSION = "v0.8.0";

export interface Component {
  /** Cache folder prefix and the name used in messages. */
  id: string;
  version: string;
  /** Binaries it produces. */
  binaries: string[];
  /**
   * How to build: `module` builds packages from a wrapper module in src/providers/local/go/<dir>;
   * `install` runs `go install pkg@version` outside any module.
   */
  recipe:
    | { kind: "module"; dir: string; packages: string[]; ldflags: string }
    | { kind: "install"; packages: string[]; ldflags: string };
}

export function kubeVersionLdflags(v: string): string {
  const [major, minor] = v.replace(/^v/, "").split(".");
  const pkgs = ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"];
  const vars: Record<string, string> = {
    gitVersion: v,
    gitMajor: major!,
    gitMinor: minor!,
    gitTreeState: "clean",
    buildDate: "1970-01-01T00:00:00Z",
  };
  return pkgs.flatMap((p) => Object.entries(vars).map(([k, val]) => `-X ${p}.${k}=${val}`)).join(" ");
}

export const COMPONENTS: Component[] = [
  {
    id: "kubernetes",
    version: KUBERNETES_VERSION,
    binaries: ["kube-apiserver", "kube-controller-manager", "kube-scheduler"],
    recipe: {
      kind: "module",
      dir: "kube",
      packages: [
        "k8s.io/kubernetes/cmd/kube-apiserver",
        "k8s.io/kubernetes/cmd/kube-controller-manager",
        "k8s.io/kubernetes/cmd/kube-scheduler",
      ],
      ldflags: `-s -w ${kubeVersionLdflags(KUBERNETES_VERSION)}`,
    },
  },
  {
    id: "etcd",
    version: ETCD_VERSION,
    binaries: ["etcd"],
    recipe: { kind: "module", dir: "etcd", packages: ["."], ldflags: "-s -w" },
  },
  {
    id: "kwok",
    version: KWOK_VERSION,
    binaries: ["kwok"],
    recipe: { kind: "install", packages: [`sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}`], ldflags: "-s -w" },
  },
];

export const PROMETHEUS_VERSION = "v0.316.0";

/**
 * Prometheus, for the integration spec of the `prometheus` signal and probe only (never part
 * of a cluster): built from the Go module proxy like kwok, cached the same way. Its module
 * version v0.316.0 is Prometheus 3.16; the web UI's assets are not embedded (the HTTP API,
 * which is all kubedrill reads, does not need them).
 */
export const PROMETHEUS_COMPONENT: Component = {
  id: "prometheus",
  version: PROMETHEUS_VERSION,
  binaries: ["prometheus"],
  recipe: {
    kind: "install",
    packages: [`github.com/prometheus/prometheus/cmd/prometheus@${PROMETHEUS_VERSION}`],
    ldflags: "-s -w",
  },
};
