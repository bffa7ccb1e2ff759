/**
 * The hostile-file corpus through `salesdw extract karamad`: no crash, no hang, one clear
 * message naming the file (and line), what could not be used kept in raw._rejects, and the
 * warehouse unchanged where a file is refused.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findContract } from "../extract/contracts/contracts.ts";
import { hostileCorpus } from "./support/hostile-corpus.ts";
import { freshDatabase, queryRows, runCli } from "./support/warehouse.ts";

const contract = findContract("karamad");
const header = contract.columns.map((c) => c.headers[0]);
const sample: Record<string, string> = {
  invoice_number: "140401-000001", line_number: "1", invoice_date: "1404/01/18", document_type: "فروش", customer_code: "C00001",
  customer_name: "علی کریمی", product_code: "P0001", product_name: "برنج طارم", quantity: "2", unit: "کیلوگرم",
  unit_price: "1,850,000", gross_amount: "3,700,000", discount_amount: "0", tax_amount: "370,000", net_amount: "4,070,000",
  branch: "کرج", salesperson: "لیلا صادقی", region: "غرب",
};
const row = contract.columns.map((c) => sample[c.name]);
const corpus = hostileCorpus(header, row, contract.columns.findIndex((c) => c.name === "customer_name"), "تاریخ فاکتور");

let url: string;
let dir: string;

beforeAll(async () => {
  url = await freshDatabase("hostile");
  dir = mkdtempSync(path.join(tmpdir(), "hostile-"));
  for (const file of corpus) writeFileSync(path.join(dir, file.name), file.bytes);
});

const rawRows = async () => Number((await queryRows<{ n: string }>(url, "select count(*) as n from raw.karamad__sales_line").catch(() => [{ n: "0" }]))[0].n);

describe("hostile and broken files", () => {
  for (const file of corpus) {
    it(`${file.name}: ${file.outcome}${file.outcome === "loaded" ? ` (${file.rows} rows, ${file.rejects} rejected)` : ""}`, async () => {
      const before = await rawRows();
      const result = await runCli(["extract", "karamad", path.join(dir, file.name)], { WAREHOUSE_URL: url });
      expect(result.signal).toBeNull();
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace: a message, not a crash
      const ledger = await queryRows<Record<string, string>>(url, "select * from raw._loads where file_name = $1", [file.name]);
      expect(ledger).toHaveLength(1);

      if (file.outcome === "refused") {
        expect(result.code).toBe(1);
        const errors = result.stderr.split("\n").filter((l) => l.startsWith("error:"));
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(file.message);
        expect(ledger[0].status).toBe("failed");
        expect(await rawRows()).toBe(before);
        return;
      }

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(file.message);
      expect(ledger[0]).toMatchObject({ status: "loaded", rows_loaded: String(file.rows), rows_rejected: String(file.rejects) });
      expect(await rawRows()).toBe(before + file.rows!);
      const rejects = await queryRows<Record<string, string>>(url, "select * from raw._rejects where load_id = $1 order by source_row::int", [ledger[0].load_id]);
      expect(rejects).toHaveLength(file.rejects!);
      if (file.rejectReason) expect(rejects[0].reason).toMatch(file.rejectReason);
    });
  }

  it("keeps values verbatim: a 10 MB field, formula-like cells, SQL-looking headers as _extra keys", async () => {
    const [big] = await queryRows<{ n: number }>(url, "select max(length(customer_name)) as n from raw.karamad__sales_line r join raw._loads l on l.load_id = r._load_id where l.file_name = 'ten-megabyte-field.csv'");
    expect(big.n).toBe(10 * 1024 * 1024);
    const formulas = await queryRows<{ v: string }>(url, "select customer_name as v from raw.karamad__sales_line r join raw._loads l on l.load_id = r._load_id where l.file_name = 'formula-cells.csv' order by r._source_row::int");
    expect(formulas.map((f) => f.v)).toEqual(["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]);
    const [sql] = await queryRows<{ extra: Record<string, string> }>(url, "select _extra as extra from raw.karamad__sales_line r join raw._loads l on l.load_id = r._load_id where l.file_name = 'sql-looking-headers.csv'");
    expect(sql.extra).toEqual({ '"; drop table raw._loads; --': "1", "x'); delete from raw._loads; --": "2" });
    const [wide] = await queryRows<{ n: number }>(url, "select count(*)::int as n from raw.karamad__sales_line r join raw._loads l on l.load_id = r._load_id, jsonb_object_keys(r._extra) where l.file_name = 'five-thousand-columns.csv'");
    expect(wide.n).toBe(2 * (5000 - header.length));
    // The ledger survived the SQL-looking headers.
    expect((await queryRows(url, "select 1 from raw._loads")).length).toBe(corpus.length);
  });
});
