/**
 * Identifiers from contracts and files are validated and quoted; values travel as bound
 * parameters or inside COPY. A hostile header, file name or contract name runs no SQL.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../extract/config.ts";
import { findContract, parseContract } from "../extract/contracts/contracts.ts";
import { quoteIdent, rawTableDdl } from "../extract/loader/raw-schema.ts";
import { writeKaramadMonth } from "../extract/samples/karamad.ts";
import { freshDatabase, queryRows, runCli } from "./support/warehouse.ts";

let url: string;
let dir: string;

beforeAll(async () => {
  url = await freshDatabase("sqlsafety");
  dir = mkdtempSync(path.join(tmpdir(), "sqlsafety-"));
});

describe("SQL safety", () => {
  it("refuses a contract whose names are not plain identifiers, naming the field", () => {
    const contract = readFileSync(path.join(projectRoot, findContract("karamad").file), "utf8");
    expect(() => parseContract(contract.replace("source: karamad", 'source: "karamad; drop table raw._loads; --"'), "evil.yaml")).toThrow(/evil\.yaml: source: must be lower case/);
    expect(() => parseContract(contract.replace("- name: region", '- name: "region\\" text); drop table raw._loads; --"'), "evil.yaml")).toThrow(
      new RegExp(`evil\\.yaml: columns\\[${findContract("karamad").columns.findIndex((c) => c.name === "region")}\\]\\.name`),
    );
  });

  it("refuses to put an unchecked name into SQL even if a contract slipped through", () => {
    expect(() => quoteIdent('x"; drop table raw._loads; --')).toThrow(/unsafe SQL identifier/);
    const forged = { ...findContract("karamad"), rawTable: "karamad__sales_line; drop table raw._loads" };
    expect(() => rawTableDdl(forged)).toThrow(/unsafe SQL identifier/);
  });

  it("lands a file whose name and headers are SQL, and runs none of it", async () => {
    const base = await writeKaramadMonth(path.join(dir, "base.csv"), { jalaliYear: 1404, jalaliMonth: 1, lines: 10 });
    const lines = readFileSync(base.file, "utf8").trimEnd().split("\n");
    const evilHeader = `"x""); drop table raw._loads; --"`;
    const evilName = path.join(dir, "o'brien'); drop table raw._loads; --.csv");
    writeFileSync(evilName, lines.map((line, i) => `${line},${i === 0 ? evilHeader : `'); delete from raw._rejects; --`}`).join("\n") + "\n");
    const result = await runCli(["extract", "karamad", evilName], { WAREHOUSE_URL: url });
    expect(result.code).toBe(0);
    const [ledger] = await queryRows<Record<string, unknown>>(url, "select file_name, rows_loaded, details from raw._loads");
    expect(ledger.file_name).toBe("o'brien'); drop table raw._loads; --.csv");
    expect(ledger.rows_loaded).toBe("10");
    const extras = await queryRows<{ extra: Record<string, string> }>(url, "select _extra as extra from raw.karamad__sales_line limit 1");
    expect(extras[0].extra).toEqual({ 'x"); drop table raw._loads; --': "'); delete from raw._rejects; --" });
  });
});
