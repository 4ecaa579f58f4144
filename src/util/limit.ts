/** How many independent requests of one action (a node each, say) go to the API server at once. */
export const API_CONCURRENCY = 8;

/**
 * Runs `work` over `items`, at most `limit` at a time, and settles every one (as
 * Promise.allSettled does), the results in the items' order. For independent API calls
 * (one per node of a zone, say) that would otherwise wait on each other's round trips.
 */
export async function settleLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await work(items[i]!) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
