import { KubedrillError } from "../errors.ts";
import { systemClock, type Clock } from "../util/clock.ts";
import type { Undo } from "../util/disposable.ts";

/** Undoes one change; idempotent; disposing reverts. */
export interface Revertible extends AsyncDisposable {
  revert(): Promise<void>;
}

export interface RevertOptions {
  clock?: Clock;
  /** Told before each wait between attempts (for a log line). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** How often and how patiently a transient failure of a revert is tried again. */
export const REVERT_RETRY = { attempts: 4, firstDelayMs: 1000 } as const;

/** A revert that kept failing with a transient error; `cause` is the last one. Never retried again. */
export class RevertGaveUpError extends KubedrillError {
  override readonly name: string = "RevertGaveUpError";
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`${cause instanceof Error ? cause.message : String(cause)} (gave up after ${attempts} attempts)`, { cause });
  }
}

const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Whether an error is worth trying again: the API server answered 429 or 5xx, or the
 * connection failed (reset, refused, timed out). An answer 400-499 other than 429 (not
 * found, forbidden, conflict, invalid) is final, and so is any other error (a failed
 * command, a bug). Causes are followed, so context added by `withContext` does not hide it;
 * a RevertGaveUpError on the way is final (its retries are spent).
 */
export function isTransient(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 8; e = (e as Error).cause, depth++) {
    if (e instanceof RevertGaveUpError) return false;
    const status = (e as { statusCode?: unknown }).statusCode;
    if (typeof status === "number" && status > 0) return status === 429 || status >= 500;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
  }
  return false;
}

/**
 * The one revert primitive. Its rule for a failed revert:
 * - concurrent calls share one run, and once a run has succeeded later calls do nothing;
 * - within a run, a transient error (`isTransient`: 429, 5xx, connection reset, refused or
 *   timed out) is tried again, up to REVERT_RETRY.attempts attempts in all, waiting 1s, 2s,
 *   4s on the clock between them, then fails with a RevertGaveUpError (which no enclosing
 *   revert retries again); any other error (a 4xx, a failed command) ends the run at once,
 *   as it is;
 * - a run that failed leaves the change not reverted: the next call (the cleanup stack, a
 *   caller after fixing the cause) runs `undo` again from the start. So `undo` must be
 *   safe to repeat after a partial failure (delete tolerates "not found", start tolerates
 *   "already running").
 */
export function revertible(undo: Undo, opts: RevertOptions = {}): Revertible {
  const clock = opts.clock ?? systemClock;
  let done = false;
  let running: Promise<void> | undefined;
  const attempt = async (): Promise<void> => {
    for (let n = 1; ; n++) {
      try {
        return await undo();
      } catch (err) {
        if (!isTransient(err)) throw err;
        if (n >= REVERT_RETRY.attempts) throw new RevertGaveUpError(n, err);
        const delayMs = REVERT_RETRY.firstDelayMs * 2 ** (n - 1);
        opts.onRetry?.(err, n, delayMs);
        await clock.sleep(delayMs);
      }
    }
  };
  const revert = (): Promise<void> => {
    if (done) return Promise.resolve();
    running ??= attempt().then(
      () => {
        done = true;
        running = undefined;
      },
      (err: unknown) => {
        running = undefined;
        throw err;
      },
    );
    return running;
  };
  return { revert, [Symbol.asyncDispose]: revert };
}
