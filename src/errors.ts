/**
 * One base class for every error kubedrill raises on purpose. The CLI maps these
 * classes to exit codes in one place (src/cli/exit.ts); everything else throws.
 */
export class KubedrillError extends Error {
  override readonly name: string = "KubedrillError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bad input from the user: a flag, a scenario file, a manifest. Exit status 2. */
export class UsageError extends KubedrillError {
  override readonly name: string = "UsageError";
}

/** One problem in a scenario file, located precisely. */
export interface SourceProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted field path, e.g. `spec.detect.signals[0].event.reason`. */
  field: string;
  message: string;
}

/** A scenario (or several) failed validation; carries every problem found. Exit status 2. */
export class ValidationError extends UsageError {
  override readonly name: string = "ValidationError";
  constructor(
    readonly problems: SourceProblem[],
    options?: { cause?: unknown },
  ) {
    super(problems.map(formatProblem).join("\n"), options);
  }
}

export function formatProblem(p: SourceProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.field ? `${p.field} ` : ""}${p.message}`;
}

/** Something did not happen within its deadline. */
export class TimeoutError extends KubedrillError {
  override readonly name: string = "TimeoutError";
  constructor(
    message: string,
    readonly elapsedMs: number,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A cluster could not be built, started, reached or stopped. */
export class ClusterError extends KubedrillError {
  override readonly name: string = "ClusterError";
}

/** A provider that cannot be used here; `reason` says why (shown to the user). */
export class NotApplicableError extends ClusterError {
  override readonly name: string = "NotApplicableError";
}

/** Building a binary from Go modules failed; carries the tail of Go's output. */
export class BuildError extends ClusterError {
  override readonly name: string = "BuildError";
  constructor(
    readonly component: string,
    readonly outputTail: string,
    options?: { cause?: unknown },
  ) {
    super(`building ${component} failed:\n${outputTail}`, options);
  }
}

/** The run was interrupted (SIGINT/SIGTERM). Exit status 130. */
export class AbortedError extends KubedrillError {
  override readonly name: string = "AbortedError";
}

/**
 * An abort guard (spec.abortWhen) failed: the attempt stops and reverts everything; its
 * report status is "aborted" with `abortedBy` set, and the run exits 5 (src/cli/exit.ts).
 */
export class GuardTrippedError extends AbortedError {
  override readonly name: string = "GuardTrippedError";
  constructor(
    message: string,
    readonly guard: { field: string; probe: string; evidence: string; at: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A destructive action against a cluster that was not explicitly allowed. Exit status 2. */
export class SafetyError extends UsageError {
  override readonly name: string = "SafetyError";
}

/** Prefixes context onto an error's message while keeping it as the cause. */
export function withContext(context: string, err: unknown): KubedrillError {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof KubedrillError) {
    const Ctor = err.constructor as new (m: string, o?: { cause?: unknown }) => KubedrillError;
    try {
      const copy = Object.assign(Object.create(Object.getPrototypeOf(err)), err) as KubedrillError;
      copy.message = `${context}: ${message}`;
      return copy;
    } catch {
      return new Ctor(`${context}: ${message}`, { cause: err });
    }
  }
  return new KubedrillError(`${context}: ${message}`, { cause: err });
}
