/**
 * Reckon history end to end: the generated extracts (every quirk of the real files) through
 * `salesdw extract reckon` and `dataform run`, compared with figures this test computes from
 * the rows the generator wrote (never from what the warehouse printed before).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as jalaali from "jalaali-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataform } from "../../extract/dataform.ts";
import { startXeroSandbox, type XeroSandbox } from "../../extract/sandbox/xero/server.ts";
import { writeKaramadMonth, type MonthTruth } from "../../extract/samples/karamad.ts";
import {
  NON_SALES_GROUPS, RECKON_HEADERS, RECKON_STYLES, reckonRows, writeReckonFile, writeReckonSample,
  type ReckonDocument, type ReckonLine, type ReckonSample,
} from "../../extract/samples/reckon.ts";
import { freshDatabase, queryRows, runCli, withClient } from "../support/warehouse.ts";

let url: string;
let dir: string;
let sample: ReckonSample;
let karamad: MonthTruth;

const one = async <T = Record<string, string>>(sql: string, params: unknown[] = []) => (await queryRows<T>(url, sql, params))[0];

// Exact decimal arithmetic on the texts the files hold (float noise included): scaled BigInts.
const SCALE = 24;
function dec(text: string | number | null): bigint {
  if (text === null) return 0n;
  const s = String(text);
  expect(s, "a plain decimal").toMatch(/^-?\d+(\.\d+)?$/);
  const negative = s.startsWith("-");
  const [whole, fraction = ""] = s.replace("-", "").split(".");
  const value = BigInt(whole + fraction.padEnd(SCALE, "0").slice(0, SCALE));
  expect(fraction.length).toBeLessThanOrEqual(SCALE);
  return negative ? -value : value;
}
const sumDec = (texts: string[]) => texts.reduce((total, t) => total + dec(t), 0n);

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** PostgreSQL's `date - interval 'n years'`: the same month and day, the month's last day when shorter (29 Feb). */
function yearsEarlier(iso: string, years: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const last = new Date(Date.UTC(y - years, m, 0)).getUTCDate();
  return `${y - years}-${String(m).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

function fromJalali(jy: number, jm: number, jd: number): string {
  const g = jalaali.toGregorian(jy, jm, jd);
  return `${g.gy}-${String(g.gm).padStart(2, "0")}-${String(g.gd).padStart(2, "0")}`;
}

async function runModels(extra: string[] = []) {
  const run = await dataform("run", url, extra);
  expect(run.failedActions, run.output).toEqual([]);
  expect(run.assertionsFailed, run.output).toEqual([]);
  expect(run.code, run.output).toBe(0);
  return run;
}

async function extract(files: string[], extra: string[] = []) {
  return runCli(["extract", "reckon", ...files, ...extra], { WAREHOUSE_URL: url });
}

const productsById = () => new Map(sample.products.map((p) => [p.id, p]));
const customersById = () => new Map(sample.customers.map((c) => [c.id, c]));
const isSalesLine = (line: ReckonLine) => productsById().get(line.productId)!.isSales;

beforeAll(async () => {
  url = await freshDatabase("reckon");
  dir = mkdtempSync(path.join(tmpdir(), "reckon-"));
  sample = writeReckonSample(path.join(dir, "history"));
  // A little Karamad data in the same warehouse: other currency, no Reckon attributes.
  karamad = await writeKaramadMonth(path.join(dir, "karamad.csv"), { jalaliYear: 1403, jalaliMonth: 10, lines: 40, seed: 5 });
  const landed = await runCli(["extract", "karamad", karamad.file], { WAREHOUSE_URL: url });
  expect(landed.code, landed.stderr).toBe(0);
});

describe("salesdw extract reckon", () => {
  it("the generated files carry every quirk of the real extracts", () => {
    const text = (entity: keyof ReckonSample["files"]) => readFileSync(sample.files[entity], "utf8");
    expect(text("invoices").startsWith("\r\ninvoice_number,")).toBe(true); // an empty line before the header, CRLF
    expect(text("invoices").endsWith("\r\n")).toBe(false); // no final newline
    expect(text("sales_lines").startsWith("\ninvoice_number,")).toBe(true);
    expect(text("sales_lines").endsWith("\n") && !text("sales_lines").includes("\r")).toBe(true); // LF
    expect(text("customers").includes("\r\n") && !text("customers").endsWith("\n")).toBe(true);
    expect(text("cluster_summary").includes("\r") || text("cluster_summary").endsWith("\n")).toBe(false);
    expect(text("customer_clusters").split("\r\n")[0]).toBe(RECKON_HEADERS.customer_clusters.join(","));
    expect(sample.lines.some((l) => /\.\d*0000000000\d$|\.\d*9999999999\d$/.test(l.amountText))).toBe(true); // float noise
    expect(sample.documents.some((d) => d.netText.length > 12 && /\.\d{6,}/.test(d.netText))).toBe(true);
    expect(text("customers")).toMatch(/Local - 1:Farmlands:Wellsford/);
    expect(text("products")).toMatch(/Kiwi Klip:Coloured:Carton/);
    expect(sample.documents.map((d) => d.number)).toContain("610428_1");
    expect(sample.documents.map((d) => d.number)).toContain("610428");
    const repeated = sample.documents.filter((d) => new Set(d.lines.map((l) => l.productId)).size < d.lines.length);
    expect(repeated.length).toBeGreaterThan(10);
    const mostOfOneProduct = (d: ReckonDocument) => Math.max(...d.lines.map((l) => d.lines.filter((m) => m.productId === l.productId).length));
    expect(Math.max(...sample.documents.map(mostOfOneProduct))).toBeGreaterThan(24); // dozens of times on one invoice
    expect(sample.customers.filter((c) => c.copyOf !== null && c.accountNumber).length).toBeGreaterThan(10);
    // Ids that sort wrongly as text ("1045" < "176" < "7" < "72").
    expect(sample.customers.map((c) => c.id)).toEqual(expect.arrayContaining([72, 176, 1045, 7]));
    expect(sample.products.filter((p) => !p.isSales).map((p) => p.group)).toEqual(expect.arrayContaining(NON_SALES_GROUPS));
    expect(sample.documents.some((d) => d.type === "Adjustment Note" && d.lines.every((l) => l.cents < 0))).toBe(true);
  });

  it("lands all six extracts in full, each recognised from its header, with no rejects", async () => {
    const result = await extract(Object.values(sample.files));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const rows = reckonRows(sample);
    const ledger = await queryRows<Record<string, string>>(url, "select * from raw._loads where source = 'reckon' order by load_id");
    expect(ledger.map((l) => [l.entity, l.status, Number(l.rows_loaded), Number(l.rows_rejected)])).toEqual(
      Object.keys(sample.files).map((entity) => [entity, "loaded", rows[entity as keyof typeof rows].length, 0]),
    );
    // Verbatim: every line amount as written, float noise included, in file order.
    const amounts = await queryRows<{ line_amount: string; invoice_number: string }>(url, "select line_amount, invoice_number from raw.reckon__sales_lines order by _source_row::int");
    expect(amounts.map((a) => a.line_amount)).toEqual(sample.lines.map((l) => l.amountText));
    const [first] = await queryRows<{ _source_row: string }>(url, "select min(_source_row::int)::text as _source_row from raw.reckon__invoices");
    expect(first._source_row).toBe("3"); // line 1 empty, line 2 the header
    const issues = await queryRows(url, "select 1 from raw._rejects where raw_table like 'reckon%'");
    expect(issues).toHaveLength(0);
  });

  it("refuses a file whose header holds no extract, or several, naming the file and the candidates; --entity forces one", async () => {
    const none = path.join(dir, "mystery.csv");
    writeFileSync(none, "when,what,how much\n2024-01-01,apples,3\n");
    const several = path.join(dir, "both.csv");
    writeFileSync(several, [[...RECKON_HEADERS.customers, ...RECKON_HEADERS.products].join(","), Array(17).fill("1").join(",")].join("\n"));
    // A customers extract without the fax column: no layout fits until --entity names it.
    const withoutFax = path.join(dir, "customers-no-fax.csv");
    const header = RECKON_HEADERS.customers.filter((h) => h !== "fax");
    writeFileSync(withoutFax, [header.join(","), "5005,Local - 2:Farmlands:Kaitaia,,,,,0,Local - 2,Farmlands Co-operative,"].join("\r\n"));

    const refused = await extract([none, several, withoutFax]);
    expect(refused.code).toBe(1);
    const errors = refused.stderr.trim().split("\n");
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^error: mystery\.csv: the header matches none of the Reckon extracts \((\w+, ){5}\w+\); closest: .*--entity/);
    expect(errors[1]).toMatch(/^error: both\.csv: the header holds the columns of several Reckon extracts \(customers, products\); load it with --entity customers\|products/);
    expect(errors[2]).toMatch(/^error: customers-no-fax\.csv: the header matches none .*closest: customers lacks fax;/);
    const failed = await queryRows<{ file_name: string; entity: string }>(url, "select file_name, entity from raw._loads where status = 'failed' and source = 'reckon' order by load_id");
    expect(failed).toEqual([
      { file_name: "mystery.csv", entity: "unrecognised" },
      { file_name: "both.csv", entity: "unrecognised" },
      { file_name: "customers-no-fax.csv", entity: "unrecognised" },
    ]);

    const forced = await extract([withoutFax], ["--entity", "customers"]);
    expect(forced.code, forced.stderr).toBe(0);
    const [row] = await queryRows<Record<string, string | null>>(url, "select customer_id, fax from raw.reckon__customers where customer_id = '5005'");
    expect(row).toEqual({ customer_id: "5005", fax: null });
    // The forced load is the latest customers load: put the full extract back on top (a reload, as a user would).
    const reload = path.join(dir, "history", "reckon-customers-again.csv");
    writeFileSync(reload, readFileSync(sample.files.customers, "utf8") + "\r\n");
    expect((await extract([reload])).code).toBe(0);
  });
});

// Tests that run Dataform (a full run takes a minute or more on a busy 2-core machine) get room for it.
const DATAFORM_RUN_MS = 300_000;

describe("dataform run over the Reckon history", () => {
  beforeAll(async () => {
    await runModels();
  }, DATAFORM_RUN_MS);

  it("puts every line in canonical.sales_line: signed as in the file, NZD, a line per position (repeated products all count)", async () => {
    const totals = await one(`
      select count(*) as lines, sum(net_amount)::text as net, round(sum(net_amount), 2)::text as net_cents,
        count(*) filter (where event_type = 'RETURN') as returns, bool_and(net_amount < 0) filter (where event_type = 'RETURN') as returns_negative,
        count(distinct currency) as currencies, min(currency) as currency
      from canonical.sales_line where source_system = 'reckon'`);
    expect(Number(totals.lines)).toBe(sample.lines.length);
    expect(dec(totals.net)).toBe(sumDec(sample.lines.map((l) => l.amountText)));
    expect(dec(totals.net_cents)).toBe(dec((sample.lines.reduce((s, l) => s + l.cents, 0) / 100).toFixed(2)));
    expect(Number(totals.returns)).toBe(sample.lines.filter((l) => l.documentType === "Adjustment Note").length);
    expect(totals.returns_negative).toBe(true);
    expect([totals.currencies, totals.currency]).toEqual(["1", "NZD"]);

    // Per line: its invoice and position, product and exact amount.
    const rows = await queryRows<Record<string, string>>(url, `
      select document_id, line_number, product_code, net_amount::text as net, event_type, event_date::text as event_date
      from canonical.sales_line where source_system = 'reckon'`);
    const got = new Map(rows.map((r) => [`${r.document_id}#${r.line_number}`, r]));
    for (const line of sample.lines) {
      const row = got.get(`${line.invoiceNumber}#${line.position}`);
      expect(row, `${line.invoiceNumber} line ${line.position}`).toBeDefined();
      expect([row!.product_code, dec(row!.net), row!.event_type, row!.event_date]).toEqual([
        String(line.productId), dec(line.amountText), line.documentType === "Tax Invoice" ? "SALE" : "RETURN", line.date,
      ]);
    }
    // The invoice with the same product dozens of times, identical lines included.
    const big = sample.documents.reduce((a, b) => (b.lines.length > a.lines.length ? b : a));
    const bigRows = rows.filter((r) => r.document_id === big.number);
    expect(bigRows).toHaveLength(big.lines.length);
    expect(bigRows.filter((r) => r.product_code === "3").length).toBe(big.lines.filter((l) => l.productId === 3).length);
    // 610428 and 610428_1 are two documents.
    const clash = await queryRows<{ document_id: string; n: string }>(url, "select document_id, count(*) as n from canonical.sales_line where document_id in ('610428', '610428_1') group by 1 order by 1");
    expect(clash.map((c) => [c.document_id, Number(c.n)])).toEqual(
      ["610428", "610428_1"].map((n) => [n, sample.documents.find((d) => d.number === n)!.lines.length]),
    );
  });

  it("gives dw.fct_invoice each document's line count and net, equal to the invoices extract within half a cent", async () => {
    const rows = await queryRows<{ document_id: string; line_count: string; net: string }>(url, "select document_id, line_count, net_amount::text as net from dw.fct_invoice where source_system = 'reckon'");
    expect(rows).toHaveLength(sample.documents.length);
    const byNumber = new Map(sample.documents.map((d) => [d.number, d]));
    const halfCent = dec("0.005");
    for (const row of rows) {
      const doc = byNumber.get(row.document_id)!;
      expect(Number(row.line_count)).toBe(doc.lines.length);
      expect(dec(row.net)).toBe(sumDec(doc.lines.map((l) => l.amountText)));
      const diff = dec(row.net) - dec(doc.netText);
      expect(diff < halfCent && diff > -halfCent).toBe(true);
    }
  });

  it("parses the hierarchy in names, joins clusters by account number and by name, keeps ids as numbers", async () => {
    const rows = await queryRows<Record<string, string | number | null>>(url, `
      select customer_code, market, parent_customer, branch, merchant_group, cluster, account_number
      from dw.dim_customer where source_system = 'reckon' and not is_unknown`);
    const customers = customersById();
    const sellers = sample.customers.filter((c) => c.copyOf === null);
    expect(rows.map((r) => Number(r.customer_code)).sort((a, b) => a - b)).toEqual(sellers.map((c) => c.id).sort((a, b) => a - b));
    for (const row of rows) {
      const c = customers.get(Number(row.customer_code))!;
      expect(row, c.name).toEqual({
        customer_code: String(c.id), market: c.market, parent_customer: c.parent, branch: c.branch,
        merchant_group: c.merchantGroup, cluster: c.cluster === null ? null : String(c.cluster), account_number: c.accountNumber,
      });
    }
    // Every customer of the file, the Xero-side copies included, with its cluster; ids sort as numbers.
    const all = await queryRows<{ customer_id: string; cluster: string | null; is_xero_side_copy: boolean }>(url, "select customer_id, cluster, is_xero_side_copy from canonical.reckon_customer order by customer_id");
    expect(all.map((r) => Number(r.customer_id))).toEqual(sample.customers.map((c) => c.id).sort((a, b) => a - b));
    for (const row of all) {
      const c = customers.get(Number(row.customer_id))!;
      expect([row.cluster === null ? null : Number(row.cluster), row.is_xero_side_copy]).toEqual([c.cluster, c.copyOf !== null]);
    }
    const [types] = await queryRows<Record<string, string>>(url, "select pg_typeof(customer_id)::text as id, pg_typeof(cluster)::text as cluster from canonical.reckon_customer limit 1");
    expect(types).toEqual({ id: "bigint", cluster: "bigint" });
  });

  it("flags non-sales product groups and leaves them out of revenue KPIs, kept in the facts", async () => {
    const products = await queryRows<{ product_code: string; product_group: string; product_group_path: string | null; is_sales_product: boolean }>(
      url, "select product_code, product_group, product_group_path, is_sales_product from dw.dim_product where source_system = 'reckon'");
    const byId = productsById();
    for (const p of products) {
      const expected = byId.get(Number(p.product_code))!;
      expect([p.product_group, p.product_group_path, p.is_sales_product]).toEqual([expected.group, expected.groupPath, expected.isSales]);
    }
    const facts = await one("select count(*) filter (where not p.is_sales_product) as non_sales from dw.fct_sales_line f join dw.dim_product p using (product_key) where f.source_system = 'reckon'");
    expect(Number(facts.non_sales)).toBe(sample.lines.filter((l) => !isSalesLine(l)).length);
    expect(Number(facts.non_sales)).toBeGreaterThan(50);

    const daily = await queryRows<{ date: string; net_sales: string; currency: string }>(url, "select date::text as date, net_sales::text as net_sales, currency from mart.kpi_daily where source_system = 'reckon'");
    const expected = new Map<string, bigint>();
    for (const line of sample.lines.filter(isSalesLine)) expected.set(line.date, (expected.get(line.date) ?? 0n) + dec(line.amountText));
    expect(daily).toHaveLength(expected.size);
    for (const row of daily) {
      expect(row.currency).toBe("NZD");
      expect(dec(row.net_sales), row.date).toBe(expected.get(row.date));
    }
    const finance = await queryRows<{ date: string; net_sales: string }>(url, "select day::text as date, net_sales::text as net_sales from mart.kpi_net_sales_daily where source_system = 'reckon' and currency = 'NZD'");
    expect(finance).toHaveLength(expected.size);
    for (const row of finance) expect(dec(row.net_sales), row.date).toBe(expected.get(row.date));
    const nonSalesRows = await one("select count(*) as n from mart.kpi_return_rate_by_product_month r join dw.dim_product p on p.source_system = r.source_system and p.product_code = r.product_code where not p.is_sales_product");
    expect(nonSalesRows.n).toBe("0");
  });

  it("enriches mart.sales_enriched with market, parent, cluster, merchant group and product group (NULL for sources without them)", async () => {
    const groups = await queryRows<{ market: string | null; cluster: string | null; product_group: string | null; net: string; n: string }>(url, `
      select market, cluster::text as cluster, product_group, sum(net_amount)::text as net, count(*) as n
      from mart.sales_enriched where source_system = 'reckon' group by 1, 2, 3`);
    const customers = customersById();
    const products = productsById();
    const expected = new Map<string, { net: bigint; n: number }>();
    for (const line of sample.lines) {
      const c = customers.get(line.customerId)!;
      const key = `${c.market}|${c.cluster}|${products.get(line.productId)!.group}`;
      const entry = expected.get(key) ?? { net: 0n, n: 0 };
      expected.set(key, { net: entry.net + dec(line.amountText), n: entry.n + 1 });
    }
    expect(groups).toHaveLength(expected.size);
    for (const g of groups) {
      expect({ net: dec(g.net), n: Number(g.n) }).toEqual(expected.get(`${g.market}|${g.cluster}|${g.product_group}`));
    }
    const parents = await queryRows<{ parent_customer: string; merchant_group: string; n: string }>(url,
      "select parent_customer, merchant_group, count(*) as n from mart.sales_enriched where source_system = 'reckon' group by 1, 2");
    for (const p of parents) {
      expect(Number(p.n)).toBe(sample.lines.filter((l) => customers.get(l.customerId)!.parent === p.parent_customer && customers.get(l.customerId)!.merchantGroup === p.merchant_group).length);
    }
    const karamadLines = await one(`select count(*) as n, count(market) + count(parent_customer) + count(cluster) + count(merchant_group) + count(product_group) as attributes,
      bool_and(is_sales_product) as sales, min(currency) as currency from mart.sales_enriched where source_system = 'karamad'`);
    expect(karamadLines).toEqual({ n: String(karamad.lines), attributes: "0", sales: true, currency: "IRR" });
  });

  it("compares WTD, MTD and YTD with one and two years earlier per source and currency (the week crossing New Year)", async () => {
    const netByDay = new Map<string, bigint>();
    for (const line of sample.lines.filter(isSalesLine)) netByDay.set(line.date, (netByDay.get(line.date) ?? 0n) + dec(line.amountText));
    const between = (from: string, to: string) => [...netByDay].filter(([d]) => d >= from && d <= to).reduce((s, [, n]) => s + n, 0n);
    const asOf = [...netByDay.keys()].sort().at(-1)!;
    expect(asOf).toBe("2025-01-02");
    const weekday = ((new Date(`${asOf}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const monday = addDays(asOf, 1 - weekday);
    expect(monday).toBe("2024-12-30"); // the ISO week began in the previous year
    const j = jalaali.toJalaali(2025, 1, 2);
    const sinceSaturday = (weekday + 1) % 7;
    const jalaliSameDay = (back: number) => (back === 0 ? asOf : fromJalali(j.jy - back, j.jm, Math.min(j.jd, jalaali.jalaaliMonthLength(j.jy - back, j.jm))));
    const spans = (calendar: string, period: string, back: number): [string, string] => {
      if (calendar === "gregorian") {
        const start = period === "WTD" ? monday : period === "MTD" ? `${asOf.slice(0, 8)}01` : `${asOf.slice(0, 5)}01-01`;
        return [yearsEarlier(start, back), yearsEarlier(asOf, back)];
      }
      const end = jalaliSameDay(back);
      const start = period === "WTD" ? addDays(end, -sinceSaturday) : period === "MTD" ? fromJalali(j.jy - back, j.jm, 1) : fromJalali(j.jy - back, 1, 1);
      return [start, end];
    };
    const rows = await queryRows<Record<string, string>>(url, `
      select calendar, period, as_of::text, current_start::text, current_end::text, prior_start::text, prior_end::text,
        prior2_start::text, prior2_end::text, current_net::text, prior_net::text, prior2_net::text
      from mart.kpi_period_comparison where source_system = 'reckon' and currency = 'NZD'`);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const [c, p1, p2] = [0, 1, 2].map((back) => spans(row.calendar, row.period, back));
      expect([row.as_of, row.current_start, row.current_end, row.prior_start, row.prior_end, row.prior2_start, row.prior2_end], `${row.calendar} ${row.period}`)
        .toEqual([asOf, ...c, ...p1, ...p2]);
      expect([dec(row.current_net), dec(row.prior_net), dec(row.prior2_net)], `${row.calendar} ${row.period}`).toEqual([between(...c), between(...p1), between(...p2)]);
    }
    expect(rows.every((r) => dec(r.prior_net) !== 0n && dec(r.prior2_net) !== 0n)).toBe(true);
    // Karamad keeps its own rows, in rials, as of its own last day: never added to NZD.
    const others = await queryRows<{ source_system: string; currency: string; n: string }>(url, "select source_system, currency, count(*) as n from mart.kpi_period_comparison group by 1, 2 order by 1");
    expect(others).toEqual([{ source_system: "karamad", currency: "IRR", n: "6" }, { source_system: "reckon", currency: "NZD", n: "6" }]);
  });

  it("finds nothing to report in clean extracts: every staging check passes, invoices agree with their lines", async () => {
    const findings = await queryRows<{ check_name: string; n: string }>(url, `
      select check_name, count(*) as n from dq.issues
      where (table_name like '%reckon%' or load_id in (select load_id from raw._loads where source = 'reckon')) and check_name <> 'load_checked'
        -- Identity findings (near duplicates, customers and clusters rows that match nothing) are about the
        -- data as it really is, copies included: test/sources/reckon-xero.test.ts checks them.
        and check_name not in ('near_duplicate_customer', 'customer_matches_nothing', 'cluster_row_matches_nothing')
      group by 1`);
    expect(findings).toEqual([{ check_name: "failed_load", n: "3" }]); // the three refused files above
  });

  it("suggests Reckon customers and their Xero-side copies by account number and by folded name, merging nothing", async () => {
    const rows = (await queryRows<{ reckon_customer_id: string; candidate_id: string; reason: string }>(url,
      "select reckon_customer_id::text, candidate_id, reason from mart.identity_suggestions"))
      .sort((a, b) => Number(a.reckon_customer_id) - Number(b.reckon_customer_id));
    const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
    const expected = sample.customers
      .filter((copy) => copy.copyOf !== null)
      .map((copy) => {
        const reckon = customersById().get(copy.copyOf!)!;
        const reasons = [
          reckon.accountNumber && reckon.accountNumber === copy.accountNumber ? "account_number" : "",
          fold(`${reckon.parent} ${reckon.branch}`) === fold(copy.name) ? "folded_name" : "",
        ].filter(Boolean);
        return { reckon_customer_id: String(reckon.id), candidate_id: String(copy.id), reason: reasons.join("+") };
      })
      .sort((a, b) => Number(a.reckon_customer_id) - Number(b.reckon_customer_id));
    expect(rows).toEqual(expected);
    expect(new Set(rows.map((r) => r.reason))).toEqual(new Set(["account_number", "folded_name", "account_number+folded_name"]));
    const merged = await one("select count(distinct unified_customer_key) as keys, count(*) as n from dw.dim_customer where source_system = 'reckon' and not is_unknown");
    expect(merged.keys).toBe(merged.n);
  });
});

describe("corrections and users' edits", () => {
  it("a corrected sales-lines file supersedes the previous load: lines it dropped leave canonical, facts and marts", async () => {
    // The correction: one invoice removed, one invoice loses its last line, one line's amount fixed, one invoice added.
    const documents: ReckonDocument[] = sample.documents.map((d) => ({ ...d, lines: d.lines.map((l) => ({ ...l })) }));
    const removed = documents.splice(documents.findIndex((d) => d.type === "Tax Invoice" && d.lines.length > 3), 1)[0];
    const shortened = documents.find((d) => d.type === "Tax Invoice" && d.lines.length > 4 && d.number !== removed.number)!;
    shortened.lines.pop();
    const fixed = documents.find((d) => d.type === "Tax Invoice" && d !== shortened)!.lines[0];
    fixed.qty += 1;
    fixed.cents = fixed.qty * fixed.unitPriceCents;
    fixed.amountText = String(fixed.qty * (fixed.unitPriceCents / 100));
    const added: ReckonDocument = { ...documents.at(-1)!, number: "699999", lines: [] };
    added.lines = [{ ...documents.at(-1)!.lines[0], invoiceNumber: "699999", position: 1 }];
    documents.push(added);
    const corrected = { ...sample, documents };
    const file = path.join(dir, "reckon-sales-lines-corrected.csv");
    writeReckonFile(file, "sales_lines", reckonRows(corrected).sales_lines, RECKON_STYLES.sales_lines);
    const landed = await extract([file]);
    expect(landed.code, landed.stderr).toBe(0);
    await runModels();

    const lines = documents.flatMap((d) => d.lines);
    const totals = await one("select count(*) as n, sum(net_amount)::text as net, count(distinct _load_id) as loads from canonical.sales_line where source_system = 'reckon'");
    expect([Number(totals.n), dec(totals.net), totals.loads]).toEqual([lines.length, sumDec(lines.map((l) => l.amountText)), "1"]);
    const facts = await one("select count(*) as n, sum(net_amount)::text as net from dw.fct_sales_line where source_system = 'reckon'");
    expect([Number(facts.n), dec(facts.net)]).toEqual([lines.length, sumDec(lines.map((l) => l.amountText))]);
    const invoices = await queryRows<{ document_id: string; line_count: string; net: string }>(url,
      "select document_id, line_count, net_amount::text as net from dw.fct_invoice where source_system = 'reckon' and document_id in ($1, $2, $3)", [removed.number, shortened.number, "699999"]);
    expect(invoices.map((i) => [i.document_id, Number(i.line_count), dec(i.net)]).sort()).toEqual(
      [shortened, added].map((d) => [d.number, d.lines.length, sumDec(d.lines.map((l) => l.amountText))]).sort(),
    );
    const fixedRow = await one("select net_amount::text as net from canonical.sales_line where source_system = 'reckon' and document_id = $1 and line_number = 1", [fixed.invoiceNumber]);
    expect(dec(fixedRow.net)).toBe(dec(fixed.amountText));
    const [kpi] = await queryRows<{ net: string }>(url, "select sum(net_sales)::text as net from mart.kpi_daily where source_system = 'reckon'");
    const salesIds = new Set(sample.products.filter((p) => p.isSales).map((p) => p.id));
    expect(dec(kpi.net)).toBe(sumDec(lines.filter((l) => salesIds.has(l.productId)).map((l) => l.amountText)));
    // The invoices extract was not corrected: dq.issues says which documents no longer agree with their lines.
    const findings = await queryRows<{ check_name: string; detail: string }>(url, `
      select check_name, detail from dq.issues
      where check_name in ('invoice_total_mismatch', 'invoice_line_count_mismatch', 'line_without_invoice')`);
    expect(findings.map((f) => `${f.check_name} ${/invoice (\S+?):? /.exec(f.detail)![1]}`).sort()).toEqual([
      `invoice_line_count_mismatch ${removed.number}`, `invoice_line_count_mismatch ${shortened.number}`,
      `invoice_total_mismatch ${fixed.invoiceNumber}`, `invoice_total_mismatch ${removed.number}`, `invoice_total_mismatch ${shortened.number}`,
      "line_without_invoice 699999",
    ].sort());
    // Raw keeps both loads as received.
    const raw = await one("select count(distinct _load_id) as loads from raw.reckon__sales_lines");
    expect(raw.loads).toBe("2");
    sample = { ...corrected, lines };
  }, DATAFORM_RUN_MS);

  it("a user's mapping edit survives dataform run (and a full refresh) and merges two customers", async () => {
    const [a, b] = [72, 176];
    await queryRows(url, `insert into admin.customer_map (source_system, source_customer_id, customer_key, note, updated_by, updated_at)
      values ('reckon', ' 072', 'FARMLANDS-GROUP', 'same buyer', 'ana', now()), ('reckon', '176', 'FARMLANDS-GROUP', 'same buyer', 'ana', now())`);
    // And a suggested pair confirmed: a Reckon customer and its Xero-side copy.
    const copy = sample.customers.find((c) => c.copyOf === 7)!;
    await queryRows(url, `insert into admin.customer_map (source_system, source_customer_id, customer_key, updated_by) values ('reckon', '7', $1, 'ana'), ('reckon', $2, $1, 'ana')`,
      [copy.accountNumber, String(copy.id)]);
    const before = await queryRows(url, "select * from admin.customer_map order by source_customer_id");
    await runModels();
    await runModels(["--full-refresh"]);
    expect(await queryRows(url, "select * from admin.customer_map order by source_customer_id")).toEqual(before);

    const keys = await queryRows<{ customer_code: string; unified_customer_key: string }>(url,
      "select customer_code, unified_customer_key from dw.dim_customer where source_system = 'reckon' and customer_code in ('72', '176', '7', '1045') order by customer_code");
    expect(keys).toEqual([
      { customer_code: "1045", unified_customer_key: "reckon:1045" },
      { customer_code: "176", unified_customer_key: "FARMLANDS-GROUP" },
      { customer_code: "7", unified_customer_key: copy.accountNumber },
      { customer_code: "72", unified_customer_key: "FARMLANDS-GROUP" },
    ]);
    const merged = await one("select count(*) as n, sum(net_amount)::text as net from mart.sales_enriched where unified_customer_key = 'FARMLANDS-GROUP'");
    const theirs = sample.lines.filter((l) => l.customerId === a || l.customerId === b);
    expect([Number(merged.n), dec(merged.net)]).toEqual([theirs.length, sumDec(theirs.map((l) => l.amountText))]);
    const suggestions = await queryRows<{ reckon_customer_id: string }>(url, "select reckon_customer_id::text from mart.identity_suggestions");
    expect(suggestions.map((s) => s.reckon_customer_id)).not.toContain("7");
    expect(suggestions.length).toBe(sample.customers.filter((c) => c.copyOf !== null).length - 1);
  }, 2 * DATAFORM_RUN_MS);
});

describe("Reckon and Xero as one business", () => {
  let sandbox: XeroSandbox | undefined;
  afterAll(async () => sandbox?.close());

  it("suggests Reckon customers for Xero contacts; a mapping gives the contact its Reckon attributes; Xero freight is not revenue", async () => {
    // Seed 1: the sandbox organisation has contacts named like two of the generated Reckon branches.
    sandbox = await startXeroSandbox({ seed: 1, invoices: 150, creditNotes: 10, perMinute: 100_000, perDay: 1_000_000 });
    const synced = await runCli(["extract", "xero", "--page-size", "100"], {
      ...sandbox.settings, XERO_TOKEN_FILE: path.join(dir, "xero-token.json"), XERO_TENANT_ID: "", XERO_GRANT: "", WAREHOUSE_URL: url,
    });
    expect(synced.code, synced.stderr).toBe(0);
    await runModels();

    const fold = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
    const contacts = sandbox.data.contacts.filter((c) => c.IsCustomer);
    const expected = sample.customers
      .filter((r) => r.copyOf === null)
      .flatMap((r) => contacts.map((x) => ({ r, x, reasons: [
        r.accountNumber && r.accountNumber === x.AccountNumber.toUpperCase() ? "account_number" : "",
        fold(`${r.parent} ${r.branch ?? ""}`) === fold(x.Name) ? "folded_name" : "",
      ].filter(Boolean) })))
      .filter((pair) => pair.reasons.length)
      .map((pair) => `${pair.r.id} ${pair.x.ContactID} ${pair.reasons.join("+")}`)
      .sort();
    expect(expected.length).toBeGreaterThan(1);
    const suggested = await queryRows<{ pair: string }>(url,
      "select reckon_customer_id || ' ' || candidate_id || ' ' || reason as pair from mart.identity_suggestions where candidate_source_system = 'xero'");
    expect(suggested.map((s) => s.pair).sort()).toEqual(expected);

    // Xero contacts get their cluster from the clusters file (Xero's contact layout): account number, then folded name.
    const clusterOf = (x: (typeof contacts)[number]) =>
      sample.clusters.find((c) => c.accountNumber && c.accountNumber === x.AccountNumber.toUpperCase())?.cluster ??
      sample.clusters.filter((c) => fold(c.contactName) === fold(x.Name)).map((c) => c.cluster).sort((a, b) => a - b)[0] ?? null;
    const clustered = await queryRows<{ contact_id: string; cluster: string | null }>(url, "select contact_id, cluster from canonical.xero_contact");
    expect(clustered).toHaveLength(sandbox.data.contacts.length);
    for (const row of clustered) {
      const contact = sandbox.data.contacts.find((c) => c.ContactID === row.contact_id)!;
      expect(row.cluster === null ? null : Number(row.cluster), contact.Name).toBe(clusterOf(contact));
    }

    // A user confirms one pair whose Xero contact has sales: the contact joins Reckon customer 7 (key FL01, mapped earlier).
    const onLines = new Set((await queryRows<{ c: string }>(url, "select distinct customer_code as c from canonical.sales_line where source_system = 'xero'")).map((r) => r.c));
    const pair = suggested.map((s) => s.pair.split(" ")).find(([reckonId, contactId]) => reckonId === "7" && onLines.has(contactId));
    expect(pair, "a suggested Xero contact for Reckon customer 7 with sales").toBeDefined();
    await queryRows(url, "insert into admin.customer_map (source_system, source_customer_id, customer_key, updated_by) values ('xero', $1, 'FL01', 'ana')", [pair![1]]);
    await runModels();
    const reckon7 = customersById().get(7)!;
    const [contactRow] = await queryRows<Record<string, string | null>>(url,
      "select unified_customer_key, market, parent_customer, branch, merchant_group from dw.dim_customer where source_system = 'xero' and customer_code = $1", [pair![1]]);
    expect(contactRow).toEqual({ unified_customer_key: "FL01", market: reckon7.market, parent_customer: reckon7.parent, branch: reckon7.branch, merchant_group: reckon7.merchantGroup });
    const oneCustomer = await queryRows<{ source_system: string; n: string }>(url,
      "select source_system, count(*) as n from mart.sales_enriched where unified_customer_key = 'FL01' group by 1 order by 1");
    const [{ n: xeroLines }] = await queryRows<{ n: string }>(url, "select count(*) as n from canonical.sales_line where source_system = 'xero' and customer_code = $1", [pair![1]]);
    expect(oneCustomer).toEqual([
      { source_system: "reckon", n: String(sample.lines.filter((l) => l.customerId === 7).length) },
      { source_system: "xero", n: xeroLines },
    ]);
    expect(await queryRows(url, "select 1 from mart.identity_suggestions where candidate_id = $1 and reckon_customer_id = 7", [pair![1]])).toHaveLength(0);

    // Freight and consumables are not revenue on the Xero side either.
    const groups = new Set(["freight", "consumables", "pallet wrapping", "pallets"]);
    const notSales = sandbox.data.items
      .filter((item) => groups.has(fold(([item.Name, item.Description].find((n) => n.includes(":")) ?? item.Name).split(":")[0])))
      .map((item) => item.Code)
      .sort();
    expect(notSales).toEqual(["FREIGHT", "PALLET-WRAP"]);
    const flagged = await queryRows<{ product_code: string }>(url, "select product_code from dw.dim_product where source_system = 'xero' and not is_sales_product order by 1");
    const sold = new Set((await queryRows<{ c: string }>(url, "select distinct product_code as c from canonical.sales_line where source_system = 'xero'")).map((r) => r.c));
    expect(flagged.map((f) => f.product_code)).toEqual(notSales.filter((code) => sold.has(code)));
    expect(flagged.length).toBeGreaterThan(0);
    const [kpi] = await queryRows<{ kpi: string; lines: string }>(url, `
      select (select sum(net_sales) from mart.kpi_net_sales_daily where source_system = 'xero')::text as kpi,
             (select sum(net_amount) from canonical.sales_line where source_system = 'xero' and product_code <> all($1))::text as lines`, [notSales]);
    expect(kpi.kpi).toBe(kpi.lines);
  }, 3 * DATAFORM_RUN_MS);
});

describe("the mapping tables under least privilege", () => {
  it("Dataform's role may read admin.customer_map and cannot write it; the tool's role keeps it", async () => {
    const roles = await runCli(["warehouse", "roles"], { WAREHOUSE_URL: url });
    expect(roles.code, roles.stderr).toBe(0);
    const login = (user: string) => {
      const u = new URL(url);
      u.username = user;
      u.password = `pw-${user}`;
      return u.toString();
    };
    await withClient(url, async (client) => {
      for (const [user, role] of [["reckon_dataform", "salesdw_transformer"], ["reckon_etl", "salesdw_loader"]]) {
        await client.query(`drop role if exists ${user}`);
        await client.query(`create role ${user} login password 'pw-${user}' in role ${role}`);
        await client.query(`alter role ${user} set role ${role}`);
      }
    });
    const attempt = async (user: string, sql: string) =>
      withClient(login(user), (client) => client.query(sql)).then(() => "allowed", (error: Error) => error.message);
    expect(await attempt("reckon_dataform", "select count(*) from admin.customer_map")).toBe("allowed");
    expect(await attempt("reckon_dataform", "update admin.customer_map set customer_key = 'x'")).toMatch(/permission denied/);
    expect(await attempt("reckon_dataform", "drop table admin.product_map")).toMatch(/must be owner/);
    expect(await attempt("reckon_etl", "update admin.customer_map set note = note")).toBe("allowed");
  });
});
