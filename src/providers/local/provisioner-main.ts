// The local cluster's volume provisioner as its own process, started and stopped with
// the cluster like the control-plane components: node provisioner-main.ts <kubeconfig>
import { createKube } from "../../k8s/client.ts";
import { createLogger } from "../../util/log.ts";
import { LocalProvisioner } from "./provisioner.ts";

const kubeconfig = process.argv[2];
if (!kubeconfig) throw new Error("usage: provisioner-main.ts <kubeconfig>");
const log = createLogger({ format: "json", write: (l) => process.stdout.write(l + "\n") });
const stop = await new LocalProvisioner(createKube(kubeconfig), log).start();
log.info(`provisioner ${"kubedrill.io/local-volume"} running`);
// Stopping the watches leaves nothing to keep the process alive: it ends by itself.
for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, stop);
