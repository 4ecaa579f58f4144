import { expect } from "chai";
import { classifyPullError, imagePullFailureAnalyser } from "../../src/diagnose/analysers/image-pull-failure.ts";
import { emptySnapshot, event, pod } from "./fixtures/builders.ts";

const IMG = "registry.example.com/shop/app:1.4.2";
const AUTH = `Failed to pull image "${IMG}": failed to pull and unpack image "${IMG}": failed to resolve reference "${IMG}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
const NOT_FOUND =
  'Failed to pull image "nginx:1.99-nope": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99-nope": failed to resolve reference "docker.io/library/nginx:1.99-nope": docker.io/library/nginx:1.99-nope: not found';
const NO_SPACE = `Failed to pull image "${IMG}": failed to pull and unpack image "${IMG}": failed to extract layer sha256:5f1d2a3b: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/123/fs/usr/lib/libtorch.so: no space left on device: unknown`;
const UNAUTHORIZED =
  'Failed to pull image "ghcr.io/acme/private:1.0": failed to resolve reference "ghcr.io/acme/private:1.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fprivate%3Apull&service=ghcr.io: 401 Unauthorized';
const TIMEOUT = `Failed to pull image "${IMG}": failed to resolve reference "${IMG}": failed to do request: Head "https://registry.example.com/v2/shop/app/manifests/1.4.2": dial tcp 10.0.0.5:443: i/o timeout`;

function pulling(name: string, reason: "ErrImagePull" | "ImagePullBackOff", message: string, image = IMG) {
  return pod(name, "shop", {
    node: "worker-1",
    phase: "Pending",
    ready: false,
    containers: [{ image }],
    containerStatuses: [
      {
        name: "app",
        image,
        imageID: "",
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason, message } },
        lastState: {},
      },
    ],
  });
}

describe("diagnose: ImagePullFailure", () => {
  it("classifies pull errors", () => {
    expect(classifyPullError([AUTH]).cause).to.equal("auth");
    expect(classifyPullError([UNAUTHORIZED]).cause).to.equal("auth");
    expect(classifyPullError([NOT_FOUND]).cause).to.equal("notFound");
    expect(
      classifyPullError([
        "rpc error: code = Unknown desc = Error response from daemon: manifest for x:1 not found: manifest unknown: manifest unknown",
      ]).cause,
    ).to.equal("notFound");
    expect(classifyPullError([NO_SPACE]).cause).to.equal("noSpace");
    expect(classifyPullError([TIMEOUT]).cause).to.equal("network");
    expect(classifyPullError(["something odd"]).cause).to.equal("other");
  });

  it("no space left on device: names the node and the image GC remedy", () => {
    const p = pulling("model-0", "ErrImagePull", NO_SPACE.replace(/^Failed to pull image "[^"]+": /, ""));
    const ev = event("shop", { kind: "Pod", name: "model-0" }, "Failed", NO_SPACE, { component: "kubelet" });
    const [f, ...rest] = imagePullFailureAnalyser.analyse(emptySnapshot({ pods: [p], events: [ev] }));
    expect(rest).to.deep.equal([]);
    expect(f?.message).to.equal(
      `pod shop/model-0 container app cannot pull ${IMG}: the node's disk is full (no space left on device) on node worker-1 [ErrImagePull]`,
    );
    expect(f?.evidence).to.include(`Failed: ${NO_SPACE}`);
    expect(f?.remedy).to.match(/image garbage collection/);
    expect(f?.severity).to.equal("critical");
  });

  it("ImagePullBackOff takes the cause from the events; auth notes the missing imagePullSecrets", () => {
    const p = pulling("api-1", "ImagePullBackOff", `Back-off pulling image "${IMG}"`);
    const evs = [
      event("shop", { kind: "Pod", name: "api-1" }, "Failed", AUTH, { component: "kubelet" }),
      event("shop", { kind: "Pod", name: "api-1" }, "Failed", "Error: ErrImagePull", { component: "kubelet" }),
    ];
    const [f] = imagePullFailureAnalyser.analyse(emptySnapshot({ pods: [p], events: evs }));
    expect(f?.message).to.equal(
      `pod shop/api-1 container app cannot pull ${IMG}: the registry refused the credentials (authentication/authorization) (the pod has no imagePullSecrets) [ImagePullBackOff]`,
    );
    expect(f?.remedy).to.match(/pull Secret/);
  });

  it("a referenced pull Secret that does not exist counts as auth", () => {
    const p = pulling("api-2", "ImagePullBackOff", `Back-off pulling image "${IMG}"`);
    p.spec.imagePullSecrets = [{ name: "regcred" }];
    const ev = event(
      "shop",
      { kind: "Pod", name: "api-2" },
      "FailedToRetrieveImagePullSecret",
      "Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.",
      { component: "kubelet" },
    );
    const [f] = imagePullFailureAnalyser.analyse(emptySnapshot({ pods: [p], events: [ev] }));
    expect(f?.message).to.contain("(imagePullSecrets: regcred)");
  });

  it("image not found, and events about other images are not mixed in", () => {
    const p = pulling(
      "web-1",
      "ErrImagePull",
      NOT_FOUND.replace(/^Failed to pull image "[^"]+": /, ""),
      "nginx:1.99-nope",
    );
    const unrelated = event("shop", { kind: "Pod", name: "web-1" }, "Failed", NO_SPACE, { component: "kubelet" });
    const [f] = imagePullFailureAnalyser.analyse(emptySnapshot({ pods: [p], events: [unrelated] }));
    expect(f?.message).to.contain("the image or tag does not exist in the registry");
    expect(f?.evidence.join("\n")).to.not.contain("no space");
  });

  it("is silent for running pods and other waiting reasons", () => {
    const creating = pod("c", "shop", {
      node: "n",
      phase: "Pending",
      containerStatuses: [
        { name: "app", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } },
      ],
    });
    expect(
      imagePullFailureAnalyser.analyse(emptySnapshot({ pods: [pod("r", "shop", { node: "n" }), creating] })),
    ).to.deep.equal([]);
  });

  it("InvalidImageName and ErrImageNeverPull are failures with their own cause and remedy", () => {
    const bad = "registry.example.com/Shop/App:1.4.2";
    const invalid = pulling(
      "bad-name",
      "ImagePullBackOff",
      `Failed to apply default image tag "${bad}": couldn't parse image name "${bad}": invalid reference format: repository name must be lowercase`,
      bad,
    );
    invalid.status.containerStatuses[0].state.waiting.reason = "InvalidImageName";
    const never = pulling(
      "never",
      "ImagePullBackOff",
      `Container image "${IMG}" is not present with pull policy of Never`,
    );
    never.status.containerStatuses[0].state.waiting.reason = "ErrImageNeverPull";
    const ev = event(
      "shop",
      { kind: "Pod", name: "never" },
      "ErrImageNeverPull",
      `Container image "${IMG}" is not present with pull policy of Never`,
      { component: "kubelet" },
    );
    const found = imagePullFailureAnalyser.analyse(emptySnapshot({ pods: [invalid, never], events: [ev] }));
    expect(found.map((f) => f.message)).to.deep.equal([
      `pod shop/bad-name container app cannot use the image ${bad}: the image reference is not a valid image name [InvalidImageName]`,
      `pod shop/never container app cannot pull ${IMG}: imagePullPolicy is Never and the image is not present on the node [ErrImageNeverPull]`,
    ]);
    expect(found[0]?.evidence[0]).to.contain("invalid reference format");
    expect(found[1]?.evidence).to.include(
      `ErrImageNeverPull: Container image "${IMG}" is not present with pull policy of Never`,
    );
    expect(found[0]?.remedy).to.match(/image reference/);
    expect(found[1]?.remedy).to.match(/IfNotPresent/);
    expect(found.every((f) => f.severity === "critical")).to.equal(true);
  });
});
