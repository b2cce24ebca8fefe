/**
 * Many independent reads, at most `limit` of them started at a time: `limit` workers take the items in order, one at
 * a time, and the results come back in the items' order. Nothing is built for an item before its turn — neither the
 * read's chain of suspended calls nor a queued closure — so a collector with thousands of reads holds only the ones
 * in flight. The first failure rejects the whole map (as Promise.all does); the other workers finish their current
 * read and take no new one.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
