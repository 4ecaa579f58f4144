/** Polls `check` until it returns a value, or fails naming what and the limit. For tests only. */
export async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  intervalMs = 200,
): Promise<T> {
  const start = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() - start > timeoutMs)
      throw new Error(
        `${what}: not reached after ${Date.now() - start}ms (limit ${timeoutMs}ms)${lastError ? `; last error: ${String(lastError)}` : ""}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
