/** Remedy texts for pod, workload and node findings (spread into REMEDIES). */
export const POD_REMEDIES = {
  PodStuckOnLostNode:
    "once the node is known to be gone for good (powered off, deleted from the cloud), taint it node.kubernetes.io/out-of-service=nodeshutdown:NoExecute so Kubernetes force-deletes its pods and detaches their volumes (or delete the pod with --grace-period=0 --force); never do so while the machine may still run the pod, or two copies of a StatefulSet member can run at once",
  UntoleratedTaint:
    "add a toleration for the taint to the pod template if the workload belongs on those nodes, or remove the taint (kubectl taint nodes NODE KEY-) if it was left behind; otherwise add untainted nodes",
  /** For AffinityUnsatisfiable when the cause is required pod anti-affinity. */
  PodAntiAffinity:
    "make the anti-affinity preferred (preferredDuringSchedulingIgnoredDuringExecution) or spread with topologySpreadConstraints (whenUnsatisfiable: ScheduleAnyway), or add nodes/zones so each replica gets its own topology domain; or run fewer replicas",
  SchedulingGated:
    "whatever owns the gate (a queue controller such as Kueue, or an operator) must remove it from spec.schedulingGates; if nothing will, remove the gate yourself (only removal is allowed) or install the controller",
  ReadinessProbeFailing:
    "make the readiness probe match the application (path, port, scheme, initialDelaySeconds/timeoutSeconds), or fix what the application waits for (dependency, configuration); until then the pod gets no traffic",
  PodEvicted: {
    ephemeral:
      "give the containers ephemeral-storage requests and limits that match what they write (logs, temp files), move large scratch data to a volume, and clean up the evicted pods (kubectl delete pod --field-selector=status.phase=Failed)",
    emptyDir:
      "raise the emptyDir sizeLimit to real use or write less into it (move data to a PersistentVolume); then delete the evicted pods",
    pressure:
      "the node ran short and kubelet evicted pods: set requests that match real use so the scheduler does not overcommit the node, add capacity, and delete the evicted pods",
  },
  SandboxCreationFailed: {
    runtimeClass:
      "configure the runtime handler the RuntimeClass names on the nodes (containerd runtimes section) or point spec.runtimeClassName at a RuntimeClass whose handler exists; schedule such pods only on nodes with the handler (RuntimeClass scheduling.nodeSelector)",
    network:
      "the pod network could not be set up: check the CNI plugin's pods on the node, free IP addresses in the node's pod CIDR / IP pool, and the CNI configuration in /etc/cni/net.d",
    other: "read the sandbox error in the evidence; check the container runtime and the CNI plugin on the node",
  },
  ContainerConfigError:
    "create the ConfigMap or Secret (and key) the container references, fix the name or key in env/envFrom/volumes, or mark the reference optional: true",
  ContainerFailed:
    "read the container's logs (kubectl logs POD -c CONTAINER) and fix the command, arguments or input; a Job retries up to its backoffLimit, a bare pod with restartPolicy Never does not retry",
  OOMKilled:
    "raise the container's memory limit to its real peak use (and the request with it), or reduce its memory use (heap size such as -Xmx, cache sizes, concurrency)",
  StatefulSetServiceMissing:
    "create the headless Service (clusterIP: None) the StatefulSet names in spec.serviceName, selecting its pods, so that each pod gets its stable DNS name",
  PodCreateRejected: {
    serviceAccount:
      "create the ServiceAccount the pod template names (spec.serviceAccountName), or fix the name; the controller retries and creates the pods",
    podSecurity:
      "make the pod template meet the namespace's Pod Security level (securityContext: runAsNonRoot, allowPrivilegeEscalation: false, capabilities drop ALL, seccompProfile RuntimeDefault), or relabel the namespace (pod-security.kubernetes.io/enforce) if the workload really needs more",
    runtimeClass: "create the RuntimeClass the pod template names in spec.runtimeClassName, or fix the name",
    limitRange:
      "fit the containers' requests and limits inside the namespace's LimitRange (min/max per container, maxLimitRequestRatio), or change the LimitRange",
    webhook:
      "read the webhook's denial in the evidence and change the pod template to satisfy the policy, or fix the webhook",
    other: "read the admission error in the evidence and change the pod template to satisfy it",
  },
  JobFailed: {
    backoff:
      "read the failed pods' logs and exit codes, fix the cause, then re-create the Job; raise spec.backoffLimit only for failures that are really transient (podFailurePolicy can ignore disruptions)",
    deadline:
      "the Job ran longer than spec.activeDeadlineSeconds: make it faster, give it more resources or parallelism, or raise the deadline; then re-create it",
    other: "read the Job's Failed condition and its pods' logs, fix the cause and re-create the Job",
  },
  NodeProblem:
    "fix the problem the condition names on the node (a kernel deadlock or read-only filesystem needs a reboot or replacement), and drain it meanwhile (kubectl drain); node-problem-detector clears the condition once the problem is gone",
} as const;
