/** The sandbox image kubelet 1.34 expects; our own pause program is imported under this name. */
export const SANDBOX_IMAGE = "registry.k8s.io/pause:3.10.1";

export interface ContainerdPaths {
  root: string;
  state: string;
  socket: string;
  runcRoot: string;
  cniConfDir: string;
  /** The CNI plugins' folder (writeCniBin). */
  cniBinDir: string;
  /** hosts.toml folder (registry mirrors) */
  registryConfigDir?: string;
}

/**
 * A node's containerd (1.6, config version 2): private root, state, socket and runc root;
 * the CRI plugin with `restrict_oom_score_adj` (root here lacks CAP_SYS_RESOURCE, without it
 * every sandbox fails) and our own sandbox image.
 */
export function containerdConfig(p: ContainerdPaths): string {
  const cri = '[plugins."io.containerd.grpc.v1.cri"]';
  return `version = 2
root = ${q(p.root)}
state = ${q(p.state)}
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = ${q(p.socket)}

${cri}
  sandbox_image = ${q(SANDBOX_IMAGE)}
  restrict_oom_score_adj = true
  enable_selinux = false
  disable_apparmor = true
  stats_collect_period = 10

${cri.slice(0, -1)}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

${cri.slice(0, -1)}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

${cri.slice(0, -1)}.containerd.runtimes.runc.options]
  SystemdCgroup = false
  Root = ${q(p.runcRoot)}

${cri.slice(0, -1)}.cni]
  bin_dir = ${q(p.cniBinDir)}
  conf_dir = ${q(p.cniConfDir)}
  max_conf_num = 1
${p.registryConfigDir ? `\n${cri.slice(0, -1)}.registry]\n  config_path = ${q(p.registryConfigDir)}\n` : ""}`;
}

const q = (s: string) => JSON.stringify(s);
