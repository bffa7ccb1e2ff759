/**
 * The machinery a ConcordDb table lands through: rows from the driver's callbacks (`eachRow`),
 * waiting when the consumer asks, and the streamed load (`landStreamed`) that COPYs them while
 * they are read, with its fingerprint, its no-op for content already landed and its all-or-nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConcordSandbox, type ConcordSandbox } from "../../extract/sandbox/concord/sandbox.ts";
import { ConcordError, eachRow, openConcord, type ConcordPool } from "../../extract/sources/concord/client.ts";
import { concordSettings } from "../../extract/sources/concord/settings.ts";
import { concordContracts } from "../../extract/sources/concord/discover.ts";
import { landStreamed, type RowSink } from "../../extract/loader/stream-load.ts";
import { connect } from "../../extract/warehouse/warehouse.ts";
import { freshDatabase, queryRows } from "../support/warehouse.ts";

const TABLE = "ClientBankDetailAccountNumber";
const ROWS = 3000;
const statement = `SELECT TOP (@n) [ID], [AccountNumber] FROM [dbo].[${TABLE}] WHERE [ID] > @after ORDER BY [ID]`;
const params = (n: number, after: bigint | number) => [
  { name: "n", type: "int" as const, value: n },
  { name: "after", type: "bigint" as const, value: after },
];
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("eachRow: the driver's rows, in order, waiting when the consumer asks", () => {
  let sandbox: ConcordSandbox;
  let pool: ConcordPool;
  beforeAll(async () => {
    sandbox = await startConcordSandbox({ rows: { [TABLE]: ROWS }, changeTracking: "none" });
    pool = await openConcord(concordSettings({ CONCORD_URL: sandbox.url }));
  });
  afterAll(async () => {
    await pool?.close();
    await sandbox?.close();
  });

  it("hands every row once and in order, and resolves only after the last one was handled, however often the consumer makes it wait", async () => {
    const expected = [...sandbox.db.table(TABLE).scan()].map((row) => String(row[0]));
    expect(expected).toHaveLength(ROWS);
    const seen: string[] = [];
    let handled = 0;
    const count = await eachRow(pool, statement, params(ROWS + 10, 0), (row) => {
      seen.push(String(row[0]));
      // Every 7th row makes the driver wait; the rows that arrive meanwhile must wait their turn.
      if (seen.length % 7 === 0 || seen.length === ROWS) {
        return pause(seen.length % 2 ? 1 : 0).then(() => void handled++);
      }
      handled++;
    });
    expect(count).toBe(ROWS);
    expect(handled).toBe(ROWS);
    expect(seen).toEqual(expected);
  });

  it("stops at the consumer's error, rejects with it, and leaves the pool usable", async () => {
    const refused = new Error("the consumer refuses row 1500");
    let after = 0;
    await expect(
      eachRow(pool, statement, params(ROWS, 0), (row) => {
        if (++after === 1500) throw refused;
        return after % 100 === 0 ? pause(0) : undefined;
      }),
    ).rejects.toBe(refused);
    expect(after).toBe(1500);
    expect(await eachRow(pool, statement, params(10, 0), () => undefined)).toBe(10);
  });

  it("turns a server error into a ConcordError that names it", async () => {
    const error = await eachRow(pool, "SELECT TOP (@n) [ID] FROM [dbo].[NoSuchTable] WHERE [ID] > @after ORDER BY [ID]", params(1, 0), () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcordError);
    expect((error as Error).message).toContain("NoSuchTable");
  });
});

describe("landStreamed: COPY while reading, one transaction with the cursor", () => {
  const [contract] = concordContracts([TABLE.toLowerCase()]);
  const width = contract.columns.length;
  /** Row i of a synthetic table: every column's text says which row and column it is; quotes, commas and newlines included. */
  const valuesOf = (i: number) => contract.columns.map((_, c) => (c === 0 ? String(i) : c === 1 ? `"a, b"\n№${i}` : `r${i}c${c}`));

  async function writeRows(sink: RowSink, n: number, failAt?: number): Promise<void> {
    for (let i = 1; i <= n; i++) {
      if (i === failAt) throw new Error(`the source broke at row ${i}`);
      const waiting = sink.row(valuesOf(i), i % 3 === 0 ? { NewColumn: `x${i}` } : null, String(i));
      if (waiting) await waiting;
    }
  }

  it("lands every row exactly while making the source wait for COPY, saves the cursor with them, is a no-op for the same rows again, and keeps nothing of a failed read", async () => {
    const url = await freshDatabase("concord_stream");
    const client = await connect(url);
    try {
      const batch = (n: number, cursor: string, failAt?: number) => ({
        contract,
        origin: `test:${TABLE}`,
        details: { n },
        read: (sink: RowSink) => writeRows(sink, n, failAt),
        syncState: () => ({ source: "concord-stream-test", entity: TABLE, cursor: { at: cursor } }),
      });
      const rows = 20_000;
      // A one-byte queue: every chunk makes the source wait until COPY has taken it.
      const first = await landStreamed(client, batch(rows, "first"), { queueBytes: 1 });
      expect(first).toMatchObject({ status: "loaded", rowsLoaded: rows, records: rows });
      const landed = await queryRows<Record<string, string | null>>(url, `select * from raw."${contract.rawTable}" order by _source_row::int`);
      expect(landed).toHaveLength(rows);
      const names = contract.columns.map((c) => c.name);
      const problems = landed.flatMap((row, k) => {
        const i = k + 1;
        const want = valuesOf(i);
        const bad = names.filter((name, c) => row[name] !== want[c]);
        const extra = i % 3 === 0 ? { NewColumn: `x${i}` } : null;
        if (JSON.stringify(row._extra) !== JSON.stringify(extra)) bad.push("_extra");
        if (row._source_row !== String(i) || String(row._load_id) !== String(first.loadId)) bad.push("lineage");
        return bad.length ? [`row ${i}: ${bad.join(", ")}`] : [];
      });
      expect(problems).toEqual([]);
      expect(width).toBeGreaterThan(3);
      const ledger = await queryRows<{ sha256: string; rows_loaded: string; details: { n: number } }>(url, "select sha256, rows_loaded, details from raw._loads order by load_id");
      expect(ledger).toEqual([{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), rows_loaded: String(rows), details: { n: rows } }]);
      const cursor = async () => (await queryRows<{ cursor: { at: string } }>(url, "select cursor from raw._sync_state where source = 'concord-stream-test'"))[0]?.cursor.at;
      expect(await cursor()).toBe("first");

      // The same rows again: nothing new lands, the cursor that came with them is saved.
      const again = await landStreamed(client, batch(rows, "again"));
      expect(again).toMatchObject({ status: "skipped", loadId: first.loadId, records: rows });
      expect(await cursor()).toBe("again");

      // A read that breaks half-way: its error comes back, nothing of it stays, the cursor does not move.
      await expect(landStreamed(client, batch(rows + 5, "broken", 15_000), { queueBytes: 1 })).rejects.toThrow("the source broke at row 15000");
      const [count] = await queryRows<{ n: number; loads: number }>(url, `select (select count(*)::int from raw."${contract.rawTable}") as n, (select count(*)::int from raw._loads) as loads`);
      expect(count).toEqual({ n: rows, loads: 1 });
      expect(await cursor()).toBe("again");

      // A different set of rows lands as a load of its own.
      const more = await landStreamed(client, batch(rows + 5, "more"));
      expect(more).toMatchObject({ status: "loaded", rowsLoaded: rows + 5 });
      expect(await cursor()).toBe("more");
    } finally {
      await client.end();
    }
  }, 300_000);
});
