/**
 * A value computed at most once per `ttlMs` (concurrent callers share the one computation). A
 * failure, or a value `keep` refuses (say, "no data yet"), is not remembered: the next call asks again.
 */
export function cached<T>(ttlMs: number, compute: () => Promise<T>, keep: (value: T) => boolean = () => true): () => Promise<T> {
  let entry: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!entry || Date.now() - entry.at > ttlMs) {
      const value = compute();
      const current = { at: Date.now(), value };
      entry = current;
      value.then(
        (v) => {
          if (!keep(v) && entry === current) entry = undefined;
        },
        () => {
          if (entry === current) entry = undefined;
        },
      );
    }
    return entry.value;
  };
}
