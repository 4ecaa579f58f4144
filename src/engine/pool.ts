/** One item whose work threw. */
interface PoolFailure<T> {
  item: T;
  error: unknown;
}

/**
 * Runs `work` over `items` with at most `limit` at a time; stops starting new ones once
 * `stop()` says so. A failing item does not stop the others: every worker goes on, and
 * only when all have finished does it throw — the one error, or an AggregateError of
 * them all (each still carrying its item in `failures`). Callers that can report a
 * failure per item (runSuite: an "error" attempt) catch inside `work`, so nothing
 * reaches here unless even that failed.
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const failures: PoolFailure<T>[] = [];
  const worker = async () => {
    while (next < items.length && !stop()) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failures.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failures.length === 1) throw failures[0]!.error;
  if (failures.length > 1) {
    const errors = failures.map((f) => f.error);
    throw Object.assign(
      new AggregateError(
        errors,
        `${failures.length} of ${items.length} items failed: ${errors.map((e) => (e as Error).message).join("; ")}`,
      ),
      { failures },
    );
  }
}
