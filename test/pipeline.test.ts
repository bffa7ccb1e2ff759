/**
 * Extract → dataform run → marts, on a fresh database, compared with figures computed here
 * from the generator's own numbers (never from what the warehouse printed before).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as jalaali from "jalaali-js";
import { beforeAll, describe, expect, it } from "vitest";
import { dataform } from "../extract/dataform.ts";
import { writeKaramadMonth, type MonthTruth } from "../extract/samples/karamad.ts";
import { writeSampleMonths } from "../extract/samples/months.ts";
import { freshDatabase, queryRows, runCli } from "./support/warehouse.ts";

let url: string;
let dir: string;
let months: MonthTruth[];

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
const one = async <T = Record<string, string>>(sql: string, params: unknown[] = []) => (await queryRows<T>(url, sql, params))[0];

function isoOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoOf(d);
}

function fromJalali(jy: number, jm: number, jd: number): string {
  const g = jalaali.toGregorian(jy, jm, jd);
  return `${g.gy}-${String(g.gm).padStart(2, "0")}-${String(g.gd).padStart(2, "0")}`;
}

/** Net sales between two ISO days inclusive, from the generator's per-day figures. */
function netBetween(netByDay: Map<string, bigint>, from: string, to: string): bigint {
  let total = 0n;
  for (const [day, net] of netByDay) if (day >= from && day <= to) total += net;
  return total;
}

function mergedNetByDay(truths: MonthTruth[]): Map<string, bigint> {
  const merged = new Map<string, bigint>();
  for (const t of truths) for (const [day, net] of t.netByDay) merged.set(day, (merged.get(day) ?? 0n) + net);
  return merged;
}

async function runModels() {
  const run = await dataform("run", url);
  expect(run.failedActions).toEqual([]);
  expect(run.assertionsFailed).toEqual([]);
  expect(run.code).toBe(0);
  return run;
}

beforeAll(async () => {
  url = await freshDatabase("pipeline");
  dir = mkdtempSync(path.join(tmpdir(), "pipeline-"));
  // 14 months from Bahman 1402: every export style, Nowruz twice-crossed, and a year-earlier span for comparisons.
  months = await writeSampleMonths(dir, { months: 14, rowsPerMonth: 300 });
  const extract = await runCli(["extract", "karamad", ...months.map((m) => m.file)], { WAREHOUSE_URL: url });
  expect(extract.code).toBe(0);
  const run = await runModels();
  expect(run.assertionsPassed.length).toBeGreaterThan(15);
});

describe("dataform run over landed Karamad exports", () => {
  it("puts every usable line in canonical.sales_line with signed totals that match the generator", async () => {
    const totals = await one(`
      select count(*) as lines,
        count(*) filter (where event_type = 'SALE') as sales,
        count(*) filter (where event_type = 'RETURN') as returns,
        sum(net_amount) as signed_net,
        sum(net_amount) filter (where event_type = 'SALE') as sales_net,
        sum(net_amount) filter (where event_type = 'RETURN') as returns_net,
        sum(gross_amount) as signed_gross,
        sum(quantity * 1000) as signed_quantity_thousandths,
        min(event_date)::text as first_day, max(event_date)::text as last_day
      from canonical.sales_line`);
    expect(Number(totals.lines)).toBe(months.reduce((n, m) => n + m.lines, 0));
    expect(Number(totals.sales)).toBe(months.reduce((n, m) => n + m.saleLines, 0));
    expect(Number(totals.returns)).toBe(months.reduce((n, m) => n + m.returnLines, 0));
    expect(BigInt(totals.signed_net)).toBe(sum(months.map((m) => m.signedNet)));
    expect(BigInt(totals.sales_net)).toBe(sum(months.map((m) => m.salesNet)));
    expect(BigInt(totals.returns_net)).toBe(-sum(months.map((m) => m.returnsNet)));
    expect(BigInt(totals.signed_gross)).toBe(sum(months.map((m) => m.signedGross)));
    expect(BigInt(totals.signed_quantity_thousandths.replace(/\.0+$/, ""))).toBe(sum(months.map((m) => m.signedQuantityThousandths)));
    expect(totals.first_day).toBe(months.map((m) => m.firstDay).sort()[0]);
    expect(totals.last_day).toBe(months.map((m) => m.lastDay).sort().at(-1));
  });

  it("gives mart.kpi_daily the same net per day as the generator", async () => {
    const rows = await queryRows<{ date: string; net_sales: string }>(url, "select date::text as date, net_sales from mart.kpi_daily order by date");
    const expected = mergedNetByDay(months);
    expect(rows.length).toBe(expected.size);
    for (const row of rows) expect(BigInt(row.net_sales)).toBe(expected.get(row.date));
  });

  it("compares week, month and year to date with a year earlier, in both calendars", async () => {
    const netByDay = mergedNetByDay(months);
    const asOf = [...netByDay.keys()].sort().at(-1)!;
    const asOfDate = new Date(`${asOf}T00:00:00Z`);
    const priorAsOf = `${asOfDate.getUTCFullYear() - 1}${asOf.slice(4)}`;
    const isoWeekday = ((asOfDate.getUTCDay() + 6) % 7) + 1; // Monday = 1
    const j = jalaali.toJalaali(asOfDate.getUTCFullYear(), asOfDate.getUTCMonth() + 1, asOfDate.getUTCDate());
    const priorDay = Math.min(j.jd, jalaali.jalaaliMonthLength(j.jy - 1, j.jm));
    const jalaliPriorEnd = fromJalali(j.jy - 1, j.jm, priorDay);
    const daysSinceSaturday = (isoWeekday + 1) % 7;
    const expected: Record<string, [string, string, string, string]> = {
      "gregorian WTD": [addDays(asOf, 1 - isoWeekday), asOf, `${Number(addDays(asOf, 1 - isoWeekday).slice(0, 4)) - 1}${addDays(asOf, 1 - isoWeekday).slice(4)}`, priorAsOf],
      "gregorian MTD": [`${asOf.slice(0, 8)}01`, asOf, `${priorAsOf.slice(0, 8)}01`, priorAsOf],
      "gregorian YTD": [`${asOf.slice(0, 5)}01-01`, asOf, `${priorAsOf.slice(0, 5)}01-01`, priorAsOf],
      "jalali WTD": [addDays(asOf, -daysSinceSaturday), asOf, addDays(jalaliPriorEnd, -daysSinceSaturday), jalaliPriorEnd],
      "jalali MTD": [fromJalali(j.jy, j.jm, 1), asOf, fromJalali(j.jy - 1, j.jm, 1), jalaliPriorEnd],
      "jalali YTD": [fromJalali(j.jy, 1, 1), asOf, fromJalali(j.jy - 1, 1, 1), jalaliPriorEnd],
    };
    const rows = await queryRows<Record<string, string>>(url, `
      select calendar, period, current_start::text, current_end::text, prior_start::text, prior_end::text, current_net, prior_net
      from mart.kpi_period_comparison`);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const [currentStart, currentEnd, priorStart, priorEnd] = expected[`${row.calendar} ${row.period}`];
      expect([row.current_start, row.current_end, row.prior_start, row.prior_end]).toEqual([currentStart, currentEnd, priorStart, priorEnd]);
      expect(BigInt(row.current_net)).toBe(netBetween(netByDay, currentStart, currentEnd));
      expect(BigInt(row.prior_net)).toBe(netBetween(netByDay, priorStart, priorEnd));
    }
    // The data spans more than a year, so the year-earlier spans are not empty.
    expect(rows.every((r) => BigInt(r.prior_net) !== 0n)).toBe(true);
  });

  it("records every dirty, inconsistent and rejected row in dq.issues and per-load figures in dq.run_stats", async () => {
    const counts = Object.fromEntries(
      (await queryRows<{ check_name: string; n: string }>(url, "select check_name, count(*) as n from dq.issues group by 1")).map((r) => [r.check_name, Number(r.n)]),
    );
    expect(counts.unparseable_date).toBe(months.reduce((n, m) => n + m.dirtyRows, 0));
    expect(counts.net_mismatch).toBe(months.reduce((n, m) => n + m.inconsistentRows, 0));
    expect(counts.rejected_row).toBe(months.reduce((n, m) => n + m.rejectedRows, 0));
    const stats = await queryRows<Record<string, string>>(url, "select * from dq.run_stats order by load_id");
    expect(stats).toHaveLength(months.length);
    for (const [i, stat] of stats.entries()) {
      expect(Number(stat.rows_loaded)).toBe(months[i].rawRows);
      expect(Number(stat.canonical_lines)).toBe(months[i].lines);
      expect(Number(stat.errors)).toBe(months[i].dirtyRows + months[i].rejectedRows);
    }
  });

  it("dim_date carries the Jalali calendar, as jalaali-js has it", async () => {
    const rows = await queryRows<Record<string, string | number>>(url, "select date::text as date, jalali_year, jalali_month, jalali_day, jalali_month_name from dw.dim_date where date in ('2024-03-19', '2024-03-20', '2025-03-20', '2025-03-21')");
    for (const row of rows) {
      const [y, m, d] = String(row.date).split("-").map(Number);
      const j = jalaali.toJalaali(y, m, d);
      expect([row.jalali_year, row.jalali_month, row.jalali_day]).toEqual([j.jy, j.jm, j.jd]);
    }
    expect(rows.find((r) => r.date === "2025-03-21")?.jalali_month_name).toBe("فروردین");
  });

  it("passes dataform test (SQLX unit tests)", async () => {
    const tests = await dataform("test", url);
    expect(tests.testsFailed).toEqual([]);
    expect(tests.testsPassed.sort()).toEqual(["canonical_sales_line_test", "stg_karamad__sales_line__typed_test"]);
    expect(tests.code).toBe(0);
  });

  it("a second run over the same loads changes nothing", async () => {
    const fingerprint = async () =>
      one(`select (select md5(string_agg(sales_line_key || ':' || net_amount || ':' || _load_id, ',' order by sales_line_key)) from canonical.sales_line) as canonical,
                  (select md5(string_agg(issue_key, ',' order by issue_key)) from dq.issues) as issues,
                  (select count(*) from dw.fct_sales_line) as facts`);
    const before = await fingerprint();
    await runModels();
    expect(await fingerprint()).toEqual(before);
    const tests = await dataform("test", url);
    expect(tests.testsFailed).toEqual([]);
    expect(tests.code).toBe(0);
  });

  it("processes only the new loads on the next run; a re-exported line replaces the earlier one and is reported", async () => {
    // A re-export of the first 20 lines of the first month (the same documents, before any broken row).
    const source = readFileSync(months[0].file, "utf8").split("\n");
    const header = source[0];
    const corrected = source.slice(1, 21);
    const correction = path.join(dir, "correction.csv");
    writeFileSync(correction, [header, ...corrected].join("\n") + "\n");
    const extra = await writeKaramadMonth(path.join(dir, "next.csv"), { jalaliYear: 1404, jalaliMonth: 1, lines: 60, invoicePrefix: "NEXT" });
    const linesBefore = Number((await one("select count(*) as n from canonical.sales_line")).n);
    const extract = await runCli(["extract", "karamad", correction, extra.file], { WAREHOUSE_URL: url });
    expect(extract.code).toBe(0);
    await runModels();
    const after = await one("select count(*) as n, sum(net_amount) as net from canonical.sales_line");
    // The corrections replace lines already there; the new month adds its own.
    expect(Number(after.n)).toBe(linesBefore + extra.lines);
    expect(BigInt(after.net)).toBe(sum(months.map((m) => m.signedNet)) + extra.signedNet);
    const replaced = await one<{ n: string }>(
      "select count(*) as n from canonical.sales_line where _load_id = (select load_id from raw._loads where file_name = 'correction.csv')",
    );
    expect(Number(replaced.n)).toBe(corrected.length);
    const duplicates = await one<{ n: string }>("select count(*) as n from dq.issues where check_name = 'duplicate_line_across_files'");
    expect(Number(duplicates.n)).toBe(corrected.length);
  });

  it("salesdw check runs only the assertions and fails when a blocking rule breaks", async () => {
    const clean = await runCli(["check"], { WAREHOUSE_URL: url });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/(\d+) passed, 0 failed/);
    const [before] = await queryRows<{ n: string }>(url, "select count(*) as n from dw.fct_sales_line");
    await queryRows(url, "drop index dw.fct_sales_line__key");
    await queryRows(url, "update dw.fct_sales_line set product_key = 'no-such-product' where sales_line_key = (select min(sales_line_key) from dw.fct_sales_line)");
    const broken = await runCli(["check"], { WAREHOUSE_URL: url });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/failed: dq_assertions\.assert_dw_fct_sales_line_unique_sales_line_key/);
    expect(broken.stderr).toMatch(/failed: dq_assertions\.assert_fct_sales_line_dimensions/);
    expect(broken.stdout).toMatch(/\d+ passed, 2 failed/);
    // Nothing was rebuilt by the check.
    const [after] = await queryRows<{ n: string; bad: string }>(url, "select count(*) as n, count(*) filter (where product_key = 'no-such-product') as bad from dw.fct_sales_line");
    expect(after).toEqual({ n: before.n, bad: "1" });
  });
});
