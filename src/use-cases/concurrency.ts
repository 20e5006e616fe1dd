/**
 * How many times a change of one consignment is decided again after losing a race with another
 * (every change is conditional on the version it was decided on); beyond it, 409 ConsignmentBusy.
 */
export const RACE_RETRIES = 5;

/**
 * Runs `fn` over `items` with at most `limit` in flight, keeping results in input order. After a
 * failure no new item is started; the ones in flight are awaited, then the first error is thrown,
 * so that when the caller answers with the error nothing more is changing behind it.
 */
export async function mapInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
  return results;
}
