/**
 * Karamad's sales-detail export as it really looks (61 columns, BOM, CRLF, no line numbers,
 * returns in both sign conventions, reference dates, ragged rows, unknown columns) lands with
 * the shipped contract, unedited; canonical and the four KPI views equal figures this test
 * computes itself from the lines the generator says it wrote.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dataform } from "../../extract/dataform.ts";
import { writeKaramadDetail, type DetailLine, type DetailTruth } from "../../extract/samples/karamad-detail.ts";
import * as jalaali from "jalaali-js";
import { freshDatabase, queryRows, runCli } from "../support/warehouse.ts";

let url: string;
const truths: DetailTruth[] = [];
let lines: DetailLine[] = [];

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
const jalaliMonth = (isoDay: string) => {
  const [y, m, d] = isoDay.split("-").map(Number);
  const j = jalaali.toJalaali(y, m, d);
  return `${j.jy}-${String(j.jm).padStart(2, "0")}`;
};

beforeAll(async () => {
  url = await freshDatabase("detail");
  const dir = mkdtempSync(path.join(tmpdir(), "karamad-detail-"));
  for (const [jy, jm] of [[1403, 12], [1404, 1]]) {
    truths.push(await writeKaramadDetail(path.join(dir, `detail-${jy}-${jm}.csv`), { jalaliYear: jy, jalaliMonth: jm, rows: 1200 }));
  }
  lines = truths.flatMap((t) => t.lines);
  const extract = await runCli(["extract", "karamad", ...truths.map((t) => t.file)], { WAREHOUSE_URL: url });
  expect(extract.stderr).not.toMatch(/error/);
  expect(extract.code).toBe(0);
  const run = await dataform("run", url);
  expect(run.failedActions).toEqual([]);
  expect(run.assertionsFailed).toEqual([]);
  expect(run.code).toBe(0);
});

describe("Karamad sales-detail export (61 columns)", () => {
  it("lands every row, ragged ones included, with no rejects; the ledger counts trimmed and padded rows", async () => {
    for (const truth of truths) {
      const [ledger] = await queryRows<Record<string, string>>(
        url,
        "select rows_loaded, rows_rejected, rows_trimmed, rows_padded, jsonb_array_length(details -> 'unknown_headers') as unknown from raw._loads where file_name = $1",
        [path.basename(truth.file)],
      );
      expect(ledger).toEqual({
        rows_loaded: String(truth.rawRows), rows_rejected: "0", rows_trimmed: String(truth.trimmedRows),
        rows_padded: String(truth.shortRows), unknown: 43,
      });
    }
    const [extra] = await queryRows<{ n: string }>(url, "select count(*) as n from raw.karamad__sales_line where _extra ? 'نام سرپرست'");
    expect(Number(extra.n)).toBeGreaterThan(0);
  });

  it("puts every usable line in canonical, signed by the return rule, dated by the event-date rule", async () => {
    const rows = await queryRows<{ document_id: string; event_type: string; event_date: string; product_code: string; quantity: string; net_amount: string; gross_amount: string }>(
      url,
      "select document_id, event_type, event_date::text, product_code, quantity::text, net_amount::text, gross_amount::text from canonical.sales_line",
    );
    expect(rows).toHaveLength(lines.length);
    const key = (r: { document_id: string; event_type: string; event_date: string; product_code: string; net_amount: string }) =>
      [r.document_id, r.event_type, r.event_date, r.product_code, r.net_amount].join("|");
    const expected = lines.map((l) => key({ document_id: l.invoice, event_type: l.eventType, event_date: l.eventDate, product_code: l.product, net_amount: String(l.net) })).sort();
    expect(rows.map(key).sort()).toEqual(expected);
    // The same product on several lines of one invoice: every line counts.
    const repeated = [...groupBy(lines, (l) => `${l.invoice}|${l.product}`).values()].filter((g) => g.length > 1);
    expect(repeated.length).toBeGreaterThan(5);
    expect(sum(rows.map((r) => BigInt(r.net_amount)))).toBe(sum(truths.map((t) => t.signedNet)));
    expect(rows.filter((r) => r.event_type === "RETURN").every((r) => Number(r.quantity) < 0 && Number(r.net_amount) < 0 && Number(r.gross_amount) < 0)).toBe(true);
  });

  it("reports sign mismatches, fallback dates, short rows and unusable rows in dq.issues", async () => {
    const counts = Object.fromEntries(
      (await queryRows<{ check_name: string; n: string }>(url, "select check_name, count(*) as n from dq.issues group by check_name")).map((r) => [r.check_name, Number(r.n)]),
    );
    const total = (field: keyof DetailTruth) => truths.reduce((n, t) => n + Number(t[field]), 0);
    expect(counts.sign_mismatch).toBe(total("signMismatches"));
    expect(counts.fallback_event_date).toBe(total("fallbackDates"));
    expect(counts.short_row).toBe(total("shortRows"));
    expect(counts.missing_required_value).toBe(total("unusableRows"));
    expect(counts.rejected_row).toBeUndefined();
  });

  it("kpi_net_sales_daily: net = sales − returns per day, returns positive, distinct invoices", async () => {
    const rows = await queryRows<Record<string, string>>(url, "select day::text, net_sales::text, gross_sales::text, returns::text, invoices::text, lines::text from mart.kpi_net_sales_daily where source_system = 'karamad' and currency = 'IRR'");
    const expected = [...groupBy(lines, (l) => l.eventDate)].map(([day, group]) => ({
      day,
      net_sales: String(sum(group.map((l) => l.net))),
      gross_sales: String(sum(group.filter((l) => l.eventType === "SALE").map((l) => l.net))),
      returns: String(-sum(group.filter((l) => l.eventType === "RETURN").map((l) => l.net))),
      invoices: String(new Set(group.map((l) => `${l.eventType}|${l.invoice}`)).size),
      lines: String(group.length),
    }));
    expect(rows.sort((a, b) => a.day.localeCompare(b.day))).toEqual(expected.sort((a, b) => a.day.localeCompare(b.day)));
  });

  it("kpi_return_rate_by_product_month: quantities and rates per product and Gregorian month", async () => {
    const rows = await queryRows<Record<string, string>>(url, "select month::text, product_code, quantity_sold::float8 as sold, quantity_returned::float8 as returned, return_rate_quantity::float8 as rate, sale_lines::text, return_lines::text from mart.kpi_return_rate_by_product_month where calendar = 'gregorian'");
    const groups = groupBy(lines, (l) => `${l.eventDate.slice(0, 7)}-01|${l.product}`);
    expect(rows).toHaveLength(groups.size);
    for (const row of rows) {
      const group = groups.get(`${row.month}|${row.product_code}`)!;
      const sold = Number(sum(group.filter((l) => l.eventType === "SALE").map((l) => l.quantityThousandths))) / 1000;
      const returned = -Number(sum(group.filter((l) => l.eventType === "RETURN").map((l) => l.quantityThousandths))) / 1000;
      expect(Number(row.sold)).toBeCloseTo(sold, 6);
      expect(Number(row.returned)).toBeCloseTo(returned, 6);
      if (sold === 0) expect(row.rate).toBeNull();
      else expect(Number(row.rate)).toBeCloseTo(returned / sold, 9);
      expect(row.sale_lines).toBe(String(group.filter((l) => l.eventType === "SALE").length));
      expect(row.return_lines).toBe(String(group.filter((l) => l.eventType === "RETURN").length));
    }
  });

  it("kpi_top_customers_month: net, returns and rank per customer and Jalali month", async () => {
    const rows = await queryRows<Record<string, string>>(url, "select jalali_month, customer_code, net_sales::text, returns::text, active_days::text, rank_in_month::text from mart.kpi_top_customers_month where calendar = 'jalali'");
    const months = groupBy(lines, (l) => jalaliMonth(l.eventDate));
    for (const [month, monthLines] of months) {
      const perCustomer = [...groupBy(monthLines, (l) => l.customer)].map(([customer, group]) => ({
        customer, net: sum(group.map((l) => l.net)), returns: -sum(group.filter((l) => l.eventType === "RETURN").map((l) => l.net)),
        days: new Set(group.map((l) => l.eventDate)).size,
      }));
      const monthRows = rows.filter((r) => r.jalali_month === month);
      expect(monthRows).toHaveLength(perCustomer.length);
      for (const expected of perCustomer) {
        const row = monthRows.find((r) => r.customer_code === expected.customer)!;
        expect(row).toMatchObject({ net_sales: String(expected.net), returns: String(expected.returns), active_days: String(expected.days) });
        expect(Number(row.rank_in_month)).toBe(1 + perCustomer.filter((c) => c.net > expected.net).length);
      }
    }
  });

  it("kpi_salesperson_performance_month: net, invoices and customers per salesperson and Gregorian month", async () => {
    const rows = await queryRows<Record<string, string>>(url, "select month::text, salesperson, net_sales::text, gross_sales::text, invoices::text, customers::text from mart.kpi_salesperson_performance_month where calendar = 'gregorian'");
    const groups = groupBy(lines, (l) => `${l.eventDate.slice(0, 7)}-01|${l.salesperson}`);
    expect(rows).toHaveLength(groups.size);
    for (const row of rows) {
      const group = groups.get(`${row.month}|${row.salesperson}`)!;
      expect(row).toMatchObject({
        net_sales: String(sum(group.map((l) => l.net))),
        gross_sales: String(sum(group.filter((l) => l.eventType === "SALE").map((l) => l.net))),
        invoices: String(new Set(group.filter((l) => l.eventType === "SALE").map((l) => l.invoice)).size),
        customers: String(new Set(group.map((l) => l.customer)).size),
      });
    }
  });
});
