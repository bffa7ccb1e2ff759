/**
 * The file extractor end to end: the CLI as a user runs it, against the embedded PostgreSQL,
 * checked against what the generator says it wrote.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeKaramadMonth, type MonthTruth } from "../extract/samples/karamad.ts";
import { freshDatabase, queryRows, runCli } from "./support/warehouse.ts";

let url: string;
let dir: string;
let cp1256: MonthTruth;
let bomSemicolon: MonthTruth;

const count = async (sql: string, params: unknown[] = []) => Number((await queryRows<{ n: string }>(url, sql, params))[0].n);

beforeAll(async () => {
  url = await freshDatabase("extract");
  dir = mkdtempSync(path.join(tmpdir(), "karamad-"));
  cp1256 = await writeKaramadMonth(path.join(dir, "arabic-1256.csv"), {
    jalaliYear: 1403, jalaliMonth: 12, lines: 400, encoding: "windows-1256", headerStyle: "arabic", lineEnding: "\r\n", brokenRows: 4,
  });
  bomSemicolon = await writeKaramadMonth(path.join(dir, "bom-semicolon.csv"), {
    jalaliYear: 1404, jalaliMonth: 1, lines: 300, encoding: "utf-8-bom", delimiter: ";", digits: "persian", headerStyle: "aliases", brokenRows: 2,
  });
});

describe("salesdw extract karamad", () => {
  it("lands a Windows-1256 file with Arabic letter forms in its headers, in full", async () => {
    const bytes = readFileSync(cp1256.file);
    expect(bytes.includes(Buffer.from([0xed]))).toBe(true); // ي in Windows-1256, so the file really is not UTF-8
    const result = await runCli(["extract", "karamad", cp1256.file], { WAREHOUSE_URL: url });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const [ledger] = await queryRows(url, "select * from raw._loads where file_name = 'arabic-1256.csv'");
    expect(ledger).toMatchObject({ status: "loaded", rows_loaded: String(cp1256.rawRows), rows_rejected: String(cp1256.rejectedRows) });
    expect(ledger.details).toMatchObject({ encoding: "windows-1256", delimiter: "," });
    expect(await count("select count(*) n from raw.karamad__sales_line where _load_id = $1", [ledger.load_id])).toBe(cp1256.rawRows);
    // Decoded, not mojibake: the Persian document type arrives in Arabic letter forms, verbatim.
    expect(await count("select count(*) n from raw.karamad__sales_line where _load_id = $1 and document_type in ('فروش', 'برگشت از فروش')", [ledger.load_id])).toBe(cp1256.rawRows);
  });

  it("lands a UTF-8-with-BOM semicolon file with Persian digits and alias headers, in full", async () => {
    const result = await runCli(["extract", "karamad", bomSemicolon.file], { WAREHOUSE_URL: url });
    expect(result.code).toBe(0);
    const [ledger] = await queryRows(url, "select * from raw._loads where file_name = 'bom-semicolon.csv'");
    expect(ledger).toMatchObject({ status: "loaded", rows_loaded: String(bomSemicolon.rawRows), rows_rejected: "2" });
    expect(ledger.details).toMatchObject({ encoding: "utf-8-bom", delimiter: ";" });
    const [first] = await queryRows<Record<string, string>>(url, "select * from raw.karamad__sales_line where _load_id = $1 order by _source_row::int limit 1", [ledger.load_id]);
    expect(first.invoice_number).toMatch(/^[۰-۹]+-[۰-۹]+$/); // verbatim: raw keeps Persian digits
    expect(first.net_amount).toMatch(/٬/);
    expect(first._source_row).toBe("2");
    expect(first.invoice_date).toMatch(/^۱۴۰۴\/۰?۱\//);
  });

  it("keeps broken rows verbatim in raw._rejects with their line numbers", async () => {
    const rejects = await queryRows<Record<string, string>>(url, "select * from raw._rejects where file_name = 'arabic-1256.csv' order by source_row::int");
    expect(rejects).toHaveLength(cp1256.rejectedRows);
    const lines = readFileSync(cp1256.file, "latin1").split("\r\n");
    for (const reject of rejects) {
      expect(reject.reason).toMatch(new RegExp(`^line ${reject.source_row} has 19 fields but the header has 18, and the extra fields are not empty`));
      // The reject holds exactly the text of that line of the file.
      const original = (await import("iconv-lite")).default.decode(Buffer.from(lines[Number(reject.source_row) - 1], "latin1"), "windows-1256");
      expect(reject.raw_record).toBe(original);
    }
  });

  it("loads the same bytes only once and says so", async () => {
    const before = await count("select count(*) n from raw.karamad__sales_line");
    const again = await runCli(["extract", "karamad", cp1256.file, bomSemicolon.file], { WAREHOUSE_URL: url });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/arabic-1256\.csv: already loaded \(load \d+/);
    expect(again.stdout).toMatch(/0 loaded, 2 already loaded, 0 failed/);
    expect(await count("select count(*) n from raw.karamad__sales_line")).toBe(before);
    expect(await count("select count(*) n from raw._loads where status = 'loaded'")).toBe(2);
  });

  it("refuses a file without تاریخ فاکتور by name, loads nothing of it, and still loads the other files", async () => {
    const full = await writeKaramadMonth(path.join(dir, "source.csv"), { jalaliYear: 1404, jalaliMonth: 2, lines: 50 });
    const rows = readFileSync(full.file, "utf8").trimEnd().split("\n").map((line) => line.split(","));
    const dateColumn = rows[0].indexOf("تاریخ فاکتور");
    // Drop the date column; amounts with thousands separators are quoted, so split only the simple lines.
    const withoutDate = rows.filter((r) => r.length === 18 || r === rows[0]).map((r) => r.filter((_, i) => i !== dateColumn).join(","));
    const refused = path.join(dir, "no-date.csv");
    writeFileSync(refused, withoutDate.join("\n") + "\n");
    const other = await writeKaramadMonth(path.join(dir, "other.csv"), { jalaliYear: 1404, jalaliMonth: 3, lines: 40 });
    const before = await count("select count(*) n from raw.karamad__sales_line");

    const result = await runCli(["extract", "karamad", refused, other.file], { WAREHOUSE_URL: url });
    expect(result.code).not.toBe(0);
    const errorLines = result.stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/no-date\.csv: required header "تاریخ فاکتور" \(invoice_date\) not found/);
    expect(result.stdout).toMatch(/other\.csv: loaded 40 rows/);
    expect(await count("select count(*) n from raw.karamad__sales_line")).toBe(before + 40);
    const [ledger] = await queryRows(url, "select status, message from raw._loads where file_name = 'no-date.csv'");
    expect(ledger.status).toBe("failed");
    expect(ledger.message).toMatch(/تاریخ فاکتور/);
  });

  it("keeps columns the contract does not know in _extra", async () => {
    const file = path.join(dir, "extra-column.csv");
    const base = await writeKaramadMonth(path.join(dir, "base.csv"), { jalaliYear: 1404, jalaliMonth: 4, lines: 5, delimiter: "\t" });
    const lines = readFileSync(base.file, "utf8").trimEnd().split("\n");
    writeFileSync(file, lines.map((line, i) => `${line}\t${i === 0 ? "توضیحات" : `note ${i}`}`).join("\n") + "\n");
    const result = await runCli(["extract", "karamad", file], { WAREHOUSE_URL: url });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/extra-column\.csv: 1 column\(s\) not in contracts\/karamad\/sales_line\.yaml, kept in _extra: توضیحات/);
    const rows = await queryRows<{ extra: Record<string, string>; row: string }>(
      url,
      `select r._extra as extra, r._source_row as row from raw.karamad__sales_line r
        where r._load_id = (select load_id from raw._loads where file_name = 'extra-column.csv') order by r._source_row::int`,
    );
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ extra: { توضیحات: "note 1" }, row: "2" });
  });
});
