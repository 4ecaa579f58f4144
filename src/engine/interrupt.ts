import { AbortedError, KubedrillError } from "../errors.ts";

/**
 * Why a run's signal was aborted, as the attempt reports it. A signal (SIGINT, SIGTERM, the
 * launcher gone: an AbortedError, or a plain abort()) makes the attempt "aborted"; any
 * other KubedrillError (main.ts aborts with one when an internal error escaped) makes it
 * "error", so that the report and the exit status say that kubedrill failed, not the user.
 */
/** `during`: the phase, and what else the message should say about the moment. */
export function interruptedError(signal: AbortSignal, during: string, cause?: unknown): Error {
  const reason: unknown = signal.reason;
  const opts = { cause: cause ?? reason };
  if (reason instanceof KubedrillError && !(reason instanceof AbortedError))
    return new KubedrillError(`stopped during ${during}: ${reason.message}`, opts);
  return new AbortedError(`aborted during ${during}`, opts);
}
