/**
 * Independent reads made together (one round trip's wait instead of one per read), with a deterministic
 * answer when several fail: every promise settles, then the first rejection in argument order is thrown,
 * as if the reads had been made one after the other.
 */
export async function allInOrder<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
