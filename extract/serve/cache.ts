/** A value computed at most once per `ttlMs` (concurrent callers share the one computation). */
export function cached<T>(ttlMs: number, compute: () => Promise<T>): () => Promise<T> {
  let entry: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!entry || Date.now() - entry.at > ttlMs) {
      const value = compute();
      entry = { at: Date.now(), value };
      value.catch(() => (entry = undefined)); // a failure is not remembered
    }
    return entry.value;
  };
}
