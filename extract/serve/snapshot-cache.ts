/**
 * Answers read from the warehouse, kept while the warehouse's data stays as it was: each entry is
 * keyed by the MVCC snapshot (`pg_current_snapshot()`) the answer was read under. Two equal
 * snapshots see exactly the same committed transactions, so an answer served from here is never
 * older than a fresh read: any commit (a `dataform run` rebuilding a mart, a load, an admin edit)
 * gives a new snapshot, and the next request reads again. A request costs one tiny round trip
 * when the answer is kept, instead of the query and its serialisation.
 *
 * Only for answers that depend on the data alone: an answer that reads the clock (current_date,
 * now()) may change without any commit, and must not be kept here.
 *
 * Hand-written: the caches on npm expire by time or size, not by the database's visibility.
 */
import type { Queryable } from "./app-schema.ts";

export interface SnapshotCacheOptions {
  /** Entries kept for the current snapshot (the oldest are dropped past it). */
  maxEntries?: number;
  /** Characters (bodies are strings) kept for the current snapshot. */
  maxChars?: number;
}

/** What a computation returns: its value, and its size in characters for the bound. */
export interface Sized<T> {
  value: T;
  chars: number;
}

const SNAPSHOT_SQL = "select pg_current_snapshot()::text as snapshot";
const settled = () => undefined;

export class SnapshotCache {
  private generation = "";
  private entries = new Map<string, Promise<unknown>>();
  private sizes = new Map<string, number>();
  private chars = 0;
  private readonly maxEntries: number;
  private readonly maxChars: number;

  constructor(private readonly pool: Queryable, options: SnapshotCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 500;
    this.maxChars = options.maxChars ?? 64 * 1024 * 1024;
  }

  private running?: Promise<string>;
  private waiting?: Promise<string>;

  /**
   * The warehouse's visible state right now, as text (equal text: the same committed data).
   * Concurrent callers share one query, but never one that started before they asked (it could
   * predate a commit they have seen): a caller arriving while a query runs waits for the next one,
   * which serves everybody who arrived meanwhile. Under load that is one round trip per round trip
   * instead of one per request.
   */
  snapshot(): Promise<string> {
    if (!this.running) return this.readSnapshot();
    this.waiting ??= this.running.then(settled, settled).then(() => {
      this.waiting = undefined;
      return this.readSnapshot();
    });
    return this.waiting;
  }

  private readSnapshot(): Promise<string> {
    const reading = this.pool.query(SNAPSHOT_SQL).then(({ rows }) => rows[0].snapshot as string);
    this.running = reading;
    const done = () => {
      if (this.running === reading) this.running = undefined;
    };
    reading.then(done, done);
    return reading;
  }

  /**
   * The value for `key` under the current snapshot: kept, or computed now (concurrent callers
   * with the same key share one computation). A computed value is kept only when the snapshot
   * after it equals the one before it: then no commit happened while it ran, and every query it
   * made (on any connection of the pool, in parallel or not) saw exactly that snapshot's data.
   */
  async get<T>(key: string, compute: () => Promise<Sized<T>>): Promise<T> {
    const before = await this.snapshot();
    if (before !== this.generation) {
      this.generation = before;
      this.entries = new Map();
      this.sizes = new Map();
      this.chars = 0;
    }
    const kept = this.entries.get(key);
    if (kept) return kept as Promise<T>;
    const entries = this.entries;
    const pending = compute().then(async ({ value, chars }) => {
      const after = await this.snapshot();
      if (after !== before || entries !== this.entries) {
        if (entries.get(key) === pending) entries.delete(key);
      } else {
        this.sizes.set(key, chars);
        this.chars += chars;
        this.bound();
      }
      return value;
    });
    entries.set(key, pending);
    pending.catch(() => {
      if (entries.get(key) === pending) entries.delete(key);
    });
    return pending;
  }

  /** Drops the oldest entries beyond the bounds (a Map iterates in insertion order). */
  private bound(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) return;
      this.entries.delete(key);
      this.chars -= this.sizes.get(key) ?? 0;
      this.sizes.delete(key);
    }
  }
}
