/**
 * Runs one task per key at a time, in the order they were asked for; a caller whose
 * signal aborts while it waits leaves the queue (rejecting with the signal's reason).
 */
export function oneAtATime(): <T>(key: string, task: () => Promise<T>, signal?: AbortSignal) => Promise<T> {
  const tails = new Map<string, Promise<void>>();
  return async (key, task, signal) => {
    const before = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    tails.set(key, tail);
    try {
      await untilAborted(before, signal);
      return await task();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

function untilAborted(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  const reason = () => (signal.reason instanceof Error ? signal.reason : new Error("aborted"));
  if (signal.aborted) return Promise.reject(reason());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(reason());
    signal.addEventListener("abort", onAbort, { once: true });
    void p.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
