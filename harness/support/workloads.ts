/** Small manifests for the real-node tests. */

export interface Probe {
  path: string;
  port: number;
}

/** A one-replica Deployment of `image` whose readiness (and liveness) are HTTP probes. */
export function deployment(name: string, image: string, o: { port: number; ready: Probe; live?: Probe }) {
  const http = (p: Probe) => ({ httpGet: { path: p.path, port: p.port }, periodSeconds: 1 });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name,
              image,
              ports: [{ containerPort: o.port }],
              readinessProbe: http(o.ready),
              ...(o.live ? { livenessProbe: http(o.live) } : {}),
            },
          ],
        },
      },
    },
  };
}

/** A bare pod; `pullSecret` names an image pull Secret. */
export function pod(name: string, image: string, o: { command?: string[]; pullSecret?: string } = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: {
      restartPolicy: "Never",
      terminationGracePeriodSeconds: 0,
      containers: [{ name, image, ...(o.command ? { command: o.command } : {}) }],
      ...(o.pullSecret ? { imagePullSecrets: [{ name: o.pullSecret }] } : {}),
    },
  };
}

/** A kubernetes.io/dockerconfigjson Secret for `server`. */
export function pullSecret(name: string, server: string, user: string, password: string) {
  const auth = Buffer.from(`${user}:${password}`).toString("base64");
  const config = { auths: { [server]: { username: user, password, auth } } };
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: "default" },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": Buffer.from(JSON.stringify(config)).toString("base64") },
  };
}
