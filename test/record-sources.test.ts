/**
 * The path API and database sources will use: records (not file lines) encoded for COPY by
 * `encodeRecords` and landed by the same loader. NULL stays NULL, '' stays '', awkward text
 * survives, unknown fields land in _extra, rejects are kept, the same content twice is a no-op.
 */
import { describe, expect, it } from "vitest";
import { findContract } from "../extract/contracts/contracts.ts";
import { landBatch } from "../extract/loader/loader.ts";
import { encodeRecords, type LandedRecord, type RejectedRecord, type SourceBatch } from "../extract/sources/source.ts";
import { connect } from "../extract/warehouse/warehouse.ts";
import { freshDatabase, queryRows } from "./support/warehouse.ts";

const contract = findContract("karamad");
const awkward = 'a "quoted", comma\nnew line\\backslash\ttab';

function batch(records: (LandedRecord | RejectedRecord)[]): SourceBatch {
  return {
    contract,
    origin: "api:/invoices?page=1",
    fingerprint: "page-1-etag",
    details: { endpoint: "/invoices" },
    warnings: [],
    ...encodeRecords(contract, async function* () {
      yield* records;
    }),
  };
}

describe("record-yielding sources", () => {
  it("land through the same loader, values intact", async () => {
    const url = await freshDatabase("records");
    const values = contract.columns.map((c) => (c.name === "customer_name" ? awkward : c.name === "region" ? "" : c.name === "branch" ? null : `v-${c.name}`));
    const records: (LandedRecord | RejectedRecord)[] = [
      { kind: "row", sourceRow: "INV-1/1", values, extra: { currency_rate: "1.0", note: awkward } },
      { kind: "reject", sourceRow: "INV-2/1", raw: '{"broken": true', reason: "invoice INV-2 has no lines array" },
      { kind: "row", sourceRow: "INV-3/1", values, extra: null },
    ];
    const client = await connect(url);
    try {
      const first = await landBatch(client, batch(records));
      expect(first).toMatchObject({ status: "loaded", rowsLoaded: 2, rowsRejected: 1 });
      const again = await landBatch(client, batch(records));
      expect(again.status).toBe("skipped");
    } finally {
      await client.end();
    }
    const rows = await queryRows<Record<string, unknown>>(url, "select customer_name, region, branch, _extra, _source_row from raw.karamad__sales_line order by _source_row");
    expect(rows).toEqual([
      { customer_name: awkward, region: "", branch: null, _extra: { currency_rate: "1.0", note: awkward }, _source_row: "INV-1/1" },
      { customer_name: awkward, region: "", branch: null, _extra: null, _source_row: "INV-3/1" },
    ]);
    const rejects = await queryRows<Record<string, string>>(url, "select source_row, reason, raw_record, file_name from raw._rejects");
    expect(rejects).toEqual([{ source_row: "INV-2/1", reason: "invoice INV-2 has no lines array", raw_record: '{"broken": true', file_name: "api:/invoices?page=1" }]);
  });
});

describe("spooled record batches", () => {
  it("have a content fingerprint, land once, and store their cursor in the same transaction", async () => {
    const { spoolRecords } = await import("../extract/sources/records.ts");
    const { readSyncState } = await import("../extract/loader/loader.ts");
    const url = await freshDatabase("spool");
    const values = contract.columns.map((c) => (c.name === "customer_name" ? awkward : `v-${c.name}`));
    const spool = (cursor: string, n = 3) =>
      spoolRecords({
        contract,
        origin: "api:/invoices",
        records: (async function* () {
          for (let i = 1; i <= n; i++) yield { kind: "row" as const, sourceRow: `INV-${i}`, values, extra: i === 2 ? { note: awkward } : null };
        })(),
        syncState: () => ({ source: "karamad", entity: "sales_line", cursor: { updated_since: cursor } }),
      });
    const client = await connect(url);
    try {
      expect(await readSyncState(client, "karamad", "sales_line")).toBeUndefined();
      const first = await spool("2025-01-01T00:00:00Z");
      const second = await spool("2025-01-02T00:00:00Z");
      const different = await spool("2025-01-03T00:00:00Z", 4);
      expect(second.fingerprint).toBe(first.fingerprint);
      expect(different.fingerprint).not.toBe(first.fingerprint);
      expect(await landBatch(client, first)).toMatchObject({ status: "loaded", rowsLoaded: 3 });
      expect(await readSyncState(client, "karamad", "sales_line")).toEqual({ updated_since: "2025-01-01T00:00:00Z" });
      expect((await landBatch(client, second)).status).toBe("skipped");
      expect(await readSyncState(client, "karamad", "sales_line")).toEqual({ updated_since: "2025-01-02T00:00:00Z" });
      for (const batch of [first, second, different]) await batch.dispose();
    } finally {
      await client.end();
    }
    const rows = await queryRows<{ n: string; extra: string }>(url, "select count(*) as n, max(_extra->>'note') as extra from raw.karamad__sales_line");
    expect(rows[0]).toEqual({ n: "3", extra: awkward });
  });
});
