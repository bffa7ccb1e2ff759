/**
 * The snapshot cache's shared snapshot reads on the embedded PostgreSQL: concurrent callers share
 * queries, and a caller never gets a snapshot read before it asked (it could predate a commit).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SnapshotCache } from "../../extract/serve/snapshot-cache.ts";
import { freshDatabase, queryRows } from "../support/warehouse.ts";

let pool: pg.Pool;
let db: string;

beforeAll(async () => {
  db = await freshDatabase("snapshots");
  pool = new pg.Pool({ connectionString: db, max: 4 });
  await pool.query("create table counter (n int)");
});

afterAll(async () => {
  await pool?.end();
});

/** The pool, counting queries; each answer is held back until `release()` (the query itself has run). */
function heldPool() {
  const gates: (() => void)[] = [];
  let queries = 0;
  let read = 0;
  const held = {
    query: async (sql: string) => {
      queries++;
      const result = await pool.query(sql);
      read++;
      await new Promise<void>((resolve) => gates.push(resolve));
      return result;
    },
  } as unknown as pg.Pool;
  return {
    pool: held,
    queries: () => queries,
    /** Queries whose snapshot has been read (their answers may still be held back). */
    read: () => read,
    release: async () => {
      while (!gates.length) await new Promise((r) => setTimeout(r, 5));
      gates.shift()!();
    },
  };
}

describe("SnapshotCache.snapshot", () => {
  it("twenty concurrent callers share two queries: the running one, and the next for those who came after it started", async () => {
    const held = heldPool();
    const cache = new SnapshotCache(held.pool);
    const first = cache.snapshot();
    const rest = Array.from({ length: 19 }, () => cache.snapshot());
    await held.release();
    await held.release();
    const values = await Promise.all([first, ...rest]);
    expect(held.queries()).toBe(2);
    expect(new Set(values.slice(1)).size).toBe(1);
  });

  it("a caller who asks after a commit never gets a snapshot read before it", async () => {
    const held = heldPool();
    const cache = new SnapshotCache(held.pool);
    const before = cache.snapshot(); // its query has read the snapshot; its answer is held back
    while (held.read() === 0) await new Promise((r) => setTimeout(r, 5));
    const [{ xid }] = await queryRows<{ xid: string }>(db, "insert into counter values (1) returning pg_current_xact_id()::text as xid"); // a commit
    const after = cache.snapshot(); // asked after the commit, while the older query still runs
    await held.release();
    await held.release();
    const [old, fresh] = await Promise.all([before, after]);
    // Other work on the cluster moves snapshots too: ask what each one sees of this commit.
    const sees = async (snapshot: string) =>
      (await queryRows<{ sees: boolean }>(db, "select pg_visible_in_snapshot($1::xid8, $2::pg_snapshot) as sees", [xid, snapshot]))[0].sees;
    expect(await sees(old)).toBe(false);
    expect(await sees(fresh)).toBe(true);
  });
});
