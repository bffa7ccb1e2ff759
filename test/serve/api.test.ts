/**
 * /api/v1 through a real server on 127.0.0.1: every list endpoint against stand-in marts whose
 * rows this test generated (expected answers are computed here from those rows), paging by
 * cursor, CSV, parameter errors, keys and roles (keys made with the CLI), rate limits, the
 * OpenAPI document and the documentation page in a real browser.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { gunzipSync } from "node:zlib";
import SwaggerParser from "@apidevtools/swagger-parser";
import { parse } from "csv-parse/sync";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, queryRows, runCli } from "../support/warehouse.ts";
import { allPages, call, createKey, query, startApi, type RunningApi } from "./api-support.ts";
import { createStandInMarts, jalaaliOf, money, type Marts, type Row } from "./stand-in-marts.ts";

let db: string;
let marts: Marts;
let server: RunningApi;
const keys: Record<string, string> = {};

beforeAll(async () => {
  db = await freshDatabase("api");
  marts = await createStandInMarts(db);
  // The reader role reads mart; `warehouse roles` grants it what exists (as an administrator would).
  expect((await runCli(["warehouse", "roles"], { WAREHOUSE_URL: db })).code).toBe(0);
  keys.viewer = await createKey(db, "viewer", "dashboard");
  keys.admin = await createKey(db, "admin", "ops");
  keys.revoked = await createKey(db, "viewer", "old-laptop");
  const revoke = await runCli(["keys", "revoke", "old-laptop"], { WAREHOUSE_URL: db });
  expect(revoke.stdout).toContain('Revoked key "old-laptop"');
  // No source can be synced here: sync jobs have their own test file.
  server = await startApi(db, { jobs: { command: () => undefined } });
});

afterAll(async () => {
  await server?.close();
});

/** What the API should answer for a stand-in row: its values, with numerics the API types as integers as numbers. */
function expected(row: Row, columns: string[], asNumber: string[] = []): Row {
  return Object.fromEntries(
    columns.map((name) => {
      const value = row[name];
      if (value === null || value === undefined) return [name, null];
      if (asNumber.includes(name)) return [name, Number(value)];
      return [name, value];
    }),
  );
}

function sortByKey(rows: Row[], key: string[], descending = false): Row[] {
  const compare = (a: Row, b: Row) => {
    for (const name of key) {
      const x = a[name] ?? "";
      const y = b[name] ?? "";
      if (x < y) return descending ? 1 : -1;
      if (x > y) return descending ? -1 : 1;
    }
    return 0;
  };
  return [...rows].sort(compare);
}

interface ListCase {
  path: string;
  mart: string;
  key: string[];
  descending?: boolean;
  params: Record<string, string | number>;
  keep: (row: Row) => boolean;
  limit: number;
  asNumber?: string[];
}

const inRange = (value: unknown, from: string, to: string) => typeof value === "string" && value.slice(0, 10) >= from && value.slice(0, 10) <= to;

/** Whether a Jalali 'YYYY-MM' holds a day between two Gregorian days (by jalaali-js, not the API's own code). */
function jalaliMonthBetween(value: unknown, from: string, to: string): boolean {
  const label = (iso: string) => {
    const j = jalaaliOf(iso);
    return `${j.jy}-${String(j.jm).padStart(2, "0")}`;
  };
  return typeof value === "string" && value >= label(from) && value <= label(to);
}

const RETURN_KEY = ["calendar", "month", "source_system", "currency", "product_code"];
const TOP_KEY = ["calendar", "month", "source_system", "currency", "rank_in_month", "customer_code"];
const SALESPERSON_KEY = ["calendar", "month", "source_system", "currency", "salesperson"];
const PERIOD_KEY = ["source_system", "currency", "calendar", "period"];

const LIST_CASES: ListCase[] = [
  {
    path: "/kpi/net-sales-daily", mart: "kpi_net_sales_daily", key: ["day", "source_system", "currency"], limit: 7,
    params: { from: "2025-02-10", to: "2025-03-20", source: "karamad", currency: "IRR" },
    keep: (r) => inRange(r.day, "2025-02-10", "2025-03-20") && r.source_system === "karamad" && r.currency === "IRR",
  },
  {
    path: "/kpi/net-sales-daily", mart: "kpi_net_sales_daily", key: ["day", "source_system", "currency"], limit: 100,
    params: {}, keep: () => true,
  },
  {
    path: "/kpi/return-rate-by-product-month", mart: "kpi_return_rate_by_product_month", key: RETURN_KEY, limit: 9,
    params: { from: "2025-02-15", to: "2025-04-10", source: "reckon" },
    keep: (r) => r.calendar === "gregorian" && inRange(r.month, "2025-02-01", "2025-04-10") && r.source_system === "reckon",
  },
  {
    path: "/kpi/return-rate-by-product-month", mart: "kpi_return_rate_by_product_month", key: RETURN_KEY, limit: 5,
    params: { product: "P007", currency: "IRR" }, keep: (r) => r.calendar === "gregorian" && r.product_code === "P007" && r.currency === "IRR",
  },
  {
    // 2025-01-10 is 21 Dey 1403 and 2025-03-25 is 5 Farvardin 1404: Jalali months 1403-10 to 1404-01.
    path: "/kpi/return-rate-by-product-month", mart: "kpi_return_rate_by_product_month", key: RETURN_KEY, limit: 8,
    params: { calendar: "jalali", from: "2025-01-10", to: "2025-03-25" },
    keep: (r) => r.calendar === "jalali" && jalaliMonthBetween(r.jalali_month, "2025-01-10", "2025-03-25"),
  },
  {
    path: "/kpi/top-customers-month", mart: "kpi_top_customers_month", key: TOP_KEY, limit: 4,
    params: { from: "2025-03-01", to: "2025-05-31", top: 3 },
    keep: (r) => r.calendar === "gregorian" && inRange(r.month, "2025-03-01", "2025-05-31") && Number(r.rank_in_month) <= 3,
  },
  {
    path: "/kpi/top-customers-month", mart: "kpi_top_customers_month", key: TOP_KEY, limit: 3,
    params: { customer: "C06", source: "karamad" }, keep: (r) => r.calendar === "gregorian" && r.customer_code === "C06" && r.source_system === "karamad",
  },
  {
    path: "/kpi/top-customers-month", mart: "kpi_top_customers_month", key: TOP_KEY, limit: 5,
    params: { calendar: "jalali", to: "2025-02-20", top: 2 }, // 2025-02-20 is 2 Esfand 1403
    keep: (r) => r.calendar === "jalali" && jalaliMonthBetween(r.jalali_month, "2000-01-01", "2025-02-20") && Number(r.rank_in_month) <= 2,
  },
  {
    path: "/kpi/salesperson-performance-month", mart: "kpi_salesperson_performance_month", key: SALESPERSON_KEY, limit: 5,
    params: { from: "2025-01-01", to: "2025-06-30" }, keep: (r) => r.calendar === "gregorian",
  },
  {
    path: "/kpi/salesperson-performance-month", mart: "kpi_salesperson_performance_month", key: SALESPERSON_KEY, limit: 2,
    params: { salesperson: "رضا", calendar: "jalali" }, keep: (r) => r.calendar === "jalali" && r.salesperson === "رضا",
  },
  {
    path: "/kpi/period-comparison", mart: "kpi_period_comparison", key: PERIOD_KEY, limit: 4, params: {}, keep: () => true,
  },
  {
    path: "/kpi/period-comparison", mart: "kpi_period_comparison", key: PERIOD_KEY, limit: 2, params: { calendar: "jalali", from: "2025-04-30", to: "2025-04-30" },
    keep: (r) => r.calendar === "jalali" && r.as_of === "2025-04-30",
  },
  {
    path: "/kpi/period-comparison", mart: "kpi_period_comparison", key: PERIOD_KEY, limit: 10, params: { currency: "AUD", period: "YTD" },
    keep: (r) => r.currency === "AUD" && r.period === "YTD",
  },
  {
    path: "/sales/summary", mart: "sales_summary_daily", key: ["business_day", "source_server", "department", "currency"], limit: 11,
    params: { from: "2025-03-10", to: "2025-04-05", source: "tehran-1", department: "کافه" },
    keep: (r) => inRange(r.business_day, "2025-03-10", "2025-04-05") && r.source_server === "tehran-1" && r.department === "کافه",
  },
  {
    path: "/sales/summary", mart: "sales_summary_daily", key: ["business_day", "source_server", "department", "currency"], limit: 50,
    params: { currency: "AED" }, keep: (r) => r.currency === "AED",
  },
  {
    path: "/sales/hourly", mart: "sales_by_hour", key: ["business_day", "source_server", "department", "hour"], limit: 13,
    params: { from: "2025-03-02", to: "2025-03-05", department: "Bar" }, keep: (r) => inRange(r.business_day, "2025-03-02", "2025-03-05") && r.department === "Bar",
  },
  {
    path: "/sales/hourly", mart: "sales_by_hour", key: ["business_day", "source_server", "department", "hour"], limit: 3,
    params: { hour: 13, source: "shiraz" }, keep: (r) => r.hour === 13 && r.source_server === "shiraz",
  },
  {
    path: "/sellers/balances", mart: "seller_balance_daily", key: ["day", "seller_id", "currency"], limit: 6,
    params: { from: "2025-02-05", to: "2025-02-25", seller: "S2" }, keep: (r) => inRange(r.day, "2025-02-05", "2025-02-25") && r.seller_id === "S2",
  },
  {
    path: "/sellers/balances", mart: "seller_balance_daily", key: ["day", "seller_id", "currency"], limit: 100, params: { currency: "USD" }, keep: (r) => r.currency === "USD",
  },
  {
    path: "/freshness", mart: "data_freshness", key: ["source_system"], limit: 2, asNumber: ["raw_rows", "rejected_rows"], params: {}, keep: () => true,
  },
  {
    path: "/freshness", mart: "data_freshness", key: ["source_system"], limit: 2, asNumber: ["raw_rows", "rejected_rows"],
    params: { from: "2025-04-01", to: "2025-04-30" }, keep: (r) => inRange(r.last_load_at, "2025-04-01", "2025-04-30"),
  },
  {
    path: "/runs", mart: "load_runs", key: ["load_id"], descending: true, limit: 4,
    params: { from: "2025-03-03", to: "2025-03-09", source: "karamad" }, keep: (r) => inRange(r.started_at, "2025-03-03", "2025-03-09") && r.source_system === "karamad",
  },
  {
    path: "/runs", mart: "load_runs", key: ["load_id"], descending: true, limit: 3, params: { status: "failed" }, keep: (r) => r.status === "failed",
  },
  {
    path: "/dq/issues", mart: "dq_issues", key: ["detected_at", "issue_key"], descending: true, limit: 4,
    params: { from: "2025-03-02", to: "2025-03-08", severity: "error" }, keep: (r) => inRange(r.detected_at, "2025-03-02", "2025-03-08") && r.severity === "error",
  },
  {
    path: "/dq/issues", mart: "dq_issues", key: ["detected_at", "issue_key"], descending: true, limit: 1,
    params: { check: "unparseable_date", source: "karamad", load: 2 }, keep: (r) => r.check_name === "unparseable_date" && r.source_system === "karamad" && r.load_id === 2,
  },
];

describe("list endpoints", () => {
  it.each(LIST_CASES.map((c) => [`${c.path} ${JSON.stringify(c.params)}`, c] as const))("%s: every page, in key order, equals the rows computed here", async (_, c) => {
    const rows = marts[c.mart];
    const columns = Object.keys(rows[0]);
    const want = sortByKey(rows.filter(c.keep), c.key, c.descending).map((r) => expected(r, columns, c.asNumber));
    expect(want.length).toBeGreaterThan(0); // a filter that keeps nothing would prove little
    const { rows: got, pages } = await allPages(server.base, `/api/v1${c.path}`, keys.viewer, c.params, c.limit);
    expect(got).toEqual(want);
    expect(pages).toBe(Math.max(1, Math.ceil(want.length / c.limit)));
  });

  it("the default page is 100 rows and the largest 10,000", async () => {
    const total = marts.kpi_net_sales_daily.length;
    expect(total).toBeGreaterThan(100);
    const first = await call(server.base, "/api/v1/kpi/net-sales-daily", { key: keys.viewer });
    expect(first.body.data).toHaveLength(100);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const all = await call(server.base, "/api/v1/kpi/net-sales-daily?limit=10000", { key: keys.viewer });
    expect(all.body.data).toHaveLength(total);
    expect(all.body.next_cursor).toBeNull();
  });

  it("an answer kept for a URL is read again as soon as the mart changes (any commit: a dataform run, a load)", async () => {
    const path = "/api/v1/kpi/net-sales-daily?limit=10000&source=karamad";
    const before = marts.kpi_net_sales_daily.filter((r) => r.source_system === "karamad").length;
    expect((await call(server.base, path, { key: keys.viewer })).body.data).toHaveLength(before);
    expect((await call(server.base, path, { key: keys.viewer })).body.data).toHaveLength(before); // kept
    await queryRows(db, "insert into mart.kpi_net_sales_daily (source_system, currency, day, net_sales) values ('karamad', 'IRR', '2031-01-01', 7)");
    try {
      const after = (await call(server.base, path, { key: keys.viewer })).body.data;
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)).toMatchObject({ day: "2031-01-01", net_sales: "7" });
    } finally {
      await queryRows(db, "delete from mart.kpi_net_sales_daily where day = '2031-01-01'");
    }
    expect((await call(server.base, path, { key: keys.viewer })).body.data).toHaveLength(before);
  });

  it("a cursor keeps its place when rows are added before it (keyset, not offset)", async () => {
    const path = "/api/v1/runs?limit=5";
    const first = await call(server.base, path, { key: keys.viewer });
    const ids = first.body.data.map((r: Row) => r.load_id);
    const newest = Math.max(...marts.load_runs.map((r) => Number(r.load_id)));
    expect(ids).toEqual([newest, newest - 1, newest - 2, newest - 3, newest - 4]);
    await queryRows(db, "insert into mart.load_runs (load_id, source_system, entity, file_name, status, rows_loaded, rows_rejected, started_at) values ($1, 'karamad', 'sales_line', 'late.csv', 'loaded', 1, 0, now())", [newest + 1]);
    try {
      const second = await call(server.base, `${path}&cursor=${first.body.next_cursor}`, { key: keys.viewer });
      expect(second.body.data.map((r: Row) => r.load_id)).toEqual([newest - 5, newest - 6, newest - 7, newest - 8, newest - 9]);
    } finally {
      await queryRows(db, "delete from mart.load_runs where load_id = $1", [newest + 1]);
    }
  });

  it.each([
    [{ from: "2025-03-05", to: "2025-04-12" }, (r: Row) => inRange(r.business_day, "2025-03-05", "2025-04-12")],
    [{ source: "tehran-1", department: "Kitchen" }, (r: Row) => r.source_server === "tehran-1" && r.department === "Kitchen"],
    [{ currency: "AED", to: "2025-03-20" }, (r: Row) => r.currency === "AED" && inRange(r.business_day, "2000-01-01", "2025-03-20")],
  ] as const)("/sales/stats %j: totals, averages, best and worst days per currency, computed here", async (params, keep) => {
    const want = expectedStats(marts.sales_summary_daily.filter(keep));
    expect(want.length).toBeGreaterThan(0);
    const got = await call(server.base, `/api/v1/sales/stats${query(params)}`, { key: keys.viewer });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ data: want, next_cursor: null });
  });
});

/** /sales/stats from the generated daily rows: per currency, days summed over servers and departments. */
function expectedStats(rows: Row[]) {
  const units = (value: unknown) => BigInt(String(value).replace(".", "")); // cents, or thousandths for quantity
  const roundDiv = (a: bigint, b: bigint) => (2n * a + b) / (2n * b); // half up, as PostgreSQL rounds positive numerics
  const currencies = [...new Set(rows.map((r) => String(r.currency)))].sort();
  return currencies.map((currency) => {
    const byDay = new Map<string, Row[]>();
    for (const r of rows.filter((r) => r.currency === currency)) byDay.set(String(r.business_day), [...(byDay.get(String(r.business_day)) ?? []), r]);
    const days = [...byDay.entries()].map(([day, list]) => ({ day, revenue: list.reduce((s, r) => s + units(r.revenue), 0n) }));
    const all = rows.filter((r) => r.currency === currency);
    const total = (column: string) => all.reduce((s, r) => s + units(r[column]), 0n);
    const count = (column: string) => all.reduce((s, r) => s + BigInt(Number(r[column])), 0n);
    const revenue = total("revenue");
    const quantity = total("quantity");
    const ranked = [...days].sort((a, b) => (a.revenue === b.revenue ? (a.day < b.day ? -1 : 1) : a.revenue > b.revenue ? -1 : 1));
    const lowest = [...days].sort((a, b) => (a.revenue === b.revenue ? (a.day < b.day ? -1 : 1) : a.revenue < b.revenue ? -1 : 1));
    const sortedDays = days.map((d) => d.day).sort();
    return {
      currency, days: days.length, first_day: sortedDays[0], last_day: sortedDays.at(-1),
      revenue: money(revenue), gross_amount: money(total("gross_amount")), discount_amount: money(total("discount_amount")),
      orders: Number(count("orders")), guests: Number(count("guests")), quantity: `${quantity / 1000n}.${String(quantity % 1000n).padStart(3, "0")}`,
      average_daily_revenue: money(roundDiv(revenue, BigInt(days.length))), average_order_value: money(roundDiv(revenue, count("orders"))),
      average_guest_spend: money(roundDiv(revenue, count("guests"))),
      best_day: ranked[0].day, best_day_revenue: money(ranked[0].revenue), worst_day: lowest[0].day, worst_day_revenue: money(lowest[0].revenue),
    };
  });
}

describe("CSV", () => {
  it("Accept: text/csv answers the same rows as CSV, formulas neutralised, the next cursor in a header", async () => {
    const path = "/api/v1/kpi/top-customers-month?limit=60";
    const json = await call(server.base, path, { key: keys.viewer });
    const csv = await call(server.base, path, { key: keys.viewer, accept: "text/csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const records = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(json.body.data.length);
    expect(Object.keys(records[0])).toEqual(Object.keys(json.body.data[0]));
    const unformula = (value: unknown) => (typeof value === "string" && /^[=+\-@]/.test(value) ? `'${value}` : value);
    records.forEach((record, i) => {
      const row = json.body.data[i];
      expect(record.customer_name).toBe(unformula(row.customer_name));
      expect(record.net_sales).toBe(row.net_sales); // a negative amount is a number, not a formula
      expect(Number(record.rank_in_month)).toBe(row.rank_in_month);
    });
    expect(json.body.next_cursor).toEqual(expect.any(String));
    const all = await call(server.base, "/api/v1/kpi/top-customers-month?limit=10000", { key: keys.viewer, accept: "text/csv" });
    const names = new Set((parse(all.text, { columns: true }) as Record<string, string>[]).map((r) => r.customer_name));
    for (const neutralised of ['\'=HYPERLINK("http://example.invalid")', "'+98 Trading", "'@home", 'Comma, "Quoted" & Co', "فروشگاه آلفا"]) expect(names).toContain(neutralised);
    expect((parse(all.text, { columns: true }) as Record<string, string>[]).some((r) => r.net_sales.startsWith("-"))).toBe(true);
    expect(csv.headers.get("x-next-cursor")).toBe(json.body.next_cursor);
    const next = await call(server.base, `${path}&cursor=${csv.headers.get("x-next-cursor")}`, { key: keys.viewer, accept: "text/csv" });
    const nextJson = await call(server.base, `${path}&cursor=${json.body.next_cursor}`, { key: keys.viewer });
    expect(parse(next.text, { columns: true })).toHaveLength(nextJson.body.data.length);
    expect(csv.headers.get("link")).toContain('rel="next"');
  });

  it("JSON wins when the client prefers it or accepts anything", async () => {
    for (const accept of ["application/json", "*/*", "text/csv;q=0.5, application/json", "text/html"]) {
      const answer = await call(server.base, "/api/v1/freshness", { key: keys.viewer, accept });
      expect(answer.headers.get("content-type"), accept).toMatch(/^application\/json/);
    }
  });

  it("a client that accepts gzip gets the same answer gzipped; one that does not, plain", async () => {
    // node:http, not fetch: fetch asks for gzip by itself and hides the encoding.
    const raw = (path: string, headers: Record<string, string>) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http.get(server.base + path, { headers: { authorization: `Bearer ${keys.viewer}`, ...headers } }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve({ headers: response.headers, body: Buffer.concat(chunks) })).on("error", reject);
        }).on("error", reject);
      });
    for (const accept of ["application/json", "text/csv"]) {
      const path = "/api/v1/kpi/net-sales-daily?limit=10000";
      const plain = await raw(path, { accept });
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(1024);
      for (const acceptEncoding of ["gzip", "gzip, deflate, br", "br;q=1, gzip;q=0.8"]) {
        const zipped = await raw(path, { accept, "accept-encoding": acceptEncoding });
        expect(zipped.headers["content-encoding"], acceptEncoding).toBe("gzip");
        expect(zipped.headers.vary).toMatch(/accept-encoding/i);
        expect(zipped.body.length).toBeLessThan(plain.body.length);
        expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
      }
      expect((await raw(path, { accept, "accept-encoding": "gzip;q=0, identity" })).headers["content-encoding"]).toBeUndefined();
    }
  });

  it("errors stay JSON when CSV is asked for", async () => {
    const answer = await call(server.base, "/api/v1/freshness?limit=0", { key: keys.viewer, accept: "text/csv" });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: "invalid_parameter", parameter: "limit" });
  });
});

describe("parameter errors name the parameter", () => {
  const otherRouteCursor = () => Buffer.from(JSON.stringify({ r: "/kpi/net-sales-daily", k: ["2025-01-01", "karamad", "IRR"] })).toString("base64url");
  it.each([
    ["/kpi/net-sales-daily?limit=0", "limit", /limit must be >= 1/],
    ["/kpi/net-sales-daily?limit=10001", "limit", /limit must be <= 10000/],
    ["/kpi/net-sales-daily?limit=many", "limit", /limit must be integer/],
    ["/kpi/net-sales-daily?from=2025-02-30", "from", /from is not valid: First day/],
    ["/kpi/net-sales-daily?from=20250101", "from", /from is not valid/],
    ["/kpi/net-sales-daily?from=2025-03-01&to=2025-02-01", "from", /from \(2025-03-01\) is after to \(2025-02-01\)/],
    ["/kpi/net-sales-daily?currency=usd", "currency", /currency is not valid: Currency, an ISO 4217 code/],
    ["/kpi/net-sales-daily?curency=USD", "curency", /Unknown query parameter "curency"; this endpoint takes: from, to, source, currency, limit, cursor/],
    ["/kpi/net-sales-daily?cursor=not-a-cursor", "cursor", /cursor is not a cursor this endpoint gave out/],
    ["/sales/summary?cursor=CURSOR", "cursor", /cursor is not a cursor this endpoint gave out/],
    ["/sales/hourly?hour=24", "hour", /hour must be <= 23/],
    ["/kpi/top-customers-month?top=0", "top", /top must be >= 1/],
    ["/runs?status=running", "status", /status must be equal to one of the allowed values/],
    ["/kpi/period-comparison?period=QTD", "period", /period must be equal to one of the allowed values/],
  ])("%s → 400 naming %s", async (path, parameter, message) => {
    const answer = await call(server.base, `/api/v1${path.replace("CURSOR", otherRouteCursor())}`, { key: keys.viewer });
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(answer.body).toMatchObject({ error: "invalid_parameter", parameter });
    expect(answer.body.message).toMatch(message);
  });

  it("a damaged cursor value is refused, not sent to SQL", async () => {
    const damaged = Buffer.from(JSON.stringify({ r: "/kpi/net-sales-daily", k: ["'; drop table x; --", "karamad", "IRR"] })).toString("base64url");
    const answer = await call(server.base, `/api/v1/kpi/net-sales-daily?cursor=${damaged}`, { key: keys.viewer });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ parameter: "cursor" });
  });

  it("an unknown endpoint is a JSON 404", async () => {
    const answer = await call(server.base, "/api/v1/kpi/nothing", { key: keys.viewer });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: "not_found" });
  });
});

describe("keys and roles", () => {
  it("no key, a malformed, unknown or revoked key: 401 with one and the same body", async () => {
    const unknown = "sdw_" + "A".repeat(43);
    const answers = await Promise.all(
      [undefined, "not-a-key", unknown, keys.revoked].map((key) => call(server.base, "/api/v1/kpi/net-sales-daily", { key })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const bodies = new Set(answers.map((a) => a.text));
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0])).toEqual({ error: "unauthorized", message: expect.stringContaining("Authorization: Bearer") });
    expect([...bodies][0]).not.toMatch(/revoked|unknown|exist/i);
  });

  it("a viewer key is refused admin routes (403); an admin key may do everything a viewer may", async () => {
    const sync = await call(server.base, "/api/v1/sync", { key: keys.viewer, body: { source: "karamad" } });
    expect(sync.status).toBe(403);
    expect(sync.body).toEqual({ error: "forbidden", message: "This needs a key with the admin role." });
    expect((await call(server.base, "/api/v1/jobs", { key: keys.viewer })).status).toBe(403);
    expect((await call(server.base, "/api/v1/jobs/1", { key: keys.viewer })).status).toBe(403);
    expect((await call(server.base, "/api/v1/kpi/net-sales-daily", { key: keys.admin })).status).toBe(200);
    // Past the role check, the admin meets the route's own validation.
    const adminSync = await call(server.base, "/api/v1/sync", { key: keys.admin, body: { source: "nothing_here" } });
    expect(adminSync.status).toBe(400);
    expect(adminSync.body).toMatchObject({ parameter: "source" });
  });

  it("keys list shows names, roles, use and revocation, never a key or its hash; only hashes are stored", async () => {
    const list = await runCli(["keys", "list"], { WAREHOUSE_URL: db });
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^id\s+name\s+role\s+created\s+last used\s+revoked$/);
    const line = (name: string) => lines.find((l) => l.split(/\s{2,}/)[1] === name)!;
    expect(line("dashboard")).toMatch(/viewer .*UTC .*UTC\s+-$/); // used, not revoked
    expect(line("ops")).toMatch(/admin/);
    expect(line("old-laptop")).toMatch(/viewer .*UTC\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/); // never used, revoked
    for (const key of Object.values(keys)) {
      const hash = createHash("sha256").update(key).digest("hex");
      expect(list.stdout + list.stderr).not.toContain(key);
      expect(list.stdout).not.toContain(hash);
      const stored = await queryRows(db, "select * from app.api_keys where key_hash = $1", [hash]);
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(key);
    }
  });

  it("the reader pool cannot read the keys (schema app)", async () => {
    await expect(server.readerPool.query("select * from app.api_keys")).rejects.toThrow(/permission denied/);
  });

  it("revoking works by id too, and says when a key was revoked already", async () => {
    const key = await createKey(db, "viewer", "temp");
    expect((await call(server.base, "/api/v1/freshness", { key })).status).toBe(200);
    const [{ id }] = await queryRows<{ id: string }>(db, "select id from app.api_keys where name = 'temp'");
    expect((await runCli(["keys", "revoke", String(id)], { WAREHOUSE_URL: db })).stdout).toContain('Revoked key "temp"');
    expect((await runCli(["keys", "revoke", "temp"], { WAREHOUSE_URL: db })).stdout).toContain("was already revoked");
    expect((await call(server.base, "/api/v1/freshness", { key })).status).toBe(401);
    const missing = await runCli(["keys", "revoke", "nobody"], { WAREHOUSE_URL: db });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No API key with name "nobody"');
    const badRole = await runCli(["keys", "create", "--role", "owner"], { WAREHOUSE_URL: db });
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/Allowed choices are viewer, admin/);
  });

  it("each key has its own rate limit", async () => {
    const limited = await startApi(db, { jobs: { command: () => undefined }, rateLimit: { max: 3, timeWindow: "10 minutes" } });
    try {
      for (let i = 0; i < 3; i++) expect((await call(limited.base, "/api/v1/freshness", { key: keys.viewer })).status).toBe(200);
      const refused = await call(limited.base, "/api/v1/freshness", { key: keys.viewer });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ error: "rate_limited" });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await call(limited.base, "/api/v1/freshness", { key: keys.admin })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("OpenAPI and /docs", () => {
  const LISTS = [
    "/kpi/net-sales-daily", "/kpi/return-rate-by-product-month", "/kpi/top-customers-month", "/kpi/salesperson-performance-month",
    "/kpi/period-comparison", "/sales/summary", "/sales/hourly", "/sales/stats", "/sellers/balances", "/freshness", "/runs", "/dq/issues",
  ];

  it("the document validates as OpenAPI 3, lists every route, and carries the schemas that validate requests", async () => {
    const answer = await call(server.base, "/api/v1/openapi.json");
    expect(answer.status).toBe(200);
    const doc = answer.body;
    await SwaggerParser.validate(structuredClone(doc) as unknown as Parameters<typeof SwaggerParser.validate>[0]);
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    for (const path of [...LISTS, "/sync", "/jobs", "/jobs/{id}"]) expect(paths).toContain(`/api/v1${path}`);
    const limit = doc.paths["/api/v1/kpi/net-sales-daily"].get.parameters.find((p: { name: string }) => p.name === "limit");
    expect(limit).toMatchObject({ in: "query", schema: { type: "integer", minimum: 1, maximum: 10000, default: 100 } });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/api/v1/sync"].post.requestBody.content["application/json"].schema.required).toEqual(["source"]);
    // The same document the UI reads.
    expect((await call(server.base, "/api/v1/docs/json")).body.paths).toEqual(doc.paths);
  });

  it("the docs page renders in a browser and loads nothing from outside this server", { timeout: 400_000 }, async () => {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      const consoleErrors: string[] = [];
      page.on("request", (request) => requested.push(request.url()));
      page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
      // Generous waits: Swagger UI renders slowly on a busy machine.
      await page.goto(`${server.base}/api/v1/docs`, { waitUntil: "networkidle", timeout: 180_000 });
      await page.waitForSelector(".opblock-summary-path", { timeout: 180_000 });
      const shown = await page.$$eval(".opblock-summary-path", (nodes) => nodes.map((n) => n.textContent?.replace(/\u200b/g, "")));
      expect(shown).toContain("/api/v1/kpi/net-sales-daily");
      expect(shown).toContain("/api/v1/sync");
      expect(requested.length).toBeGreaterThan(3);
      const outside = requested.filter((url) => !url.startsWith("data:") && new URL(url).hostname !== "127.0.0.1");
      expect(outside).toEqual([]);
      expect(consoleErrors).toEqual([]); // nothing blocked by the page's content security policy either
    } finally {
      await browser.close();
    }
  });
});

describe("a warehouse without the marts", () => {
  let empty: string;
  let bare: RunningApi;
  let key: string;
  const LISTS: [string, string][] = [
    ["/kpi/net-sales-daily", "kpi_net_sales_daily"], ["/kpi/return-rate-by-product-month", "kpi_return_rate_by_product_month"],
    ["/kpi/top-customers-month", "kpi_top_customers_month"], ["/kpi/salesperson-performance-month", "kpi_salesperson_performance_month"],
    ["/kpi/period-comparison", "kpi_period_comparison"], ["/sales/summary", "sales_summary_daily"], ["/sales/hourly", "sales_by_hour"],
    ["/sales/stats", "sales_summary_daily"], ["/sellers/balances", "seller_balance_daily"], ["/freshness", "data_freshness"],
    ["/runs", "load_runs"], ["/dq/issues", "dq_issues"],
  ];

  beforeAll(async () => {
    empty = await freshDatabase("api_empty");
    expect((await runCli(["warehouse", "roles"], { WAREHOUSE_URL: empty })).code).toBe(0);
    key = await createKey(empty, "viewer", "early");
    bare = await startApi(empty, { jobs: { command: () => undefined } });
  });
  afterAll(async () => {
    await bare?.close();
  });

  it.each(LISTS)("%s answers 200, an empty list and a note naming mart.%s", async (path, mart) => {
    const answer = await call(bare.base, `/api/v1${path}?from=2025-01-01&to=2025-12-31`, { key });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: [], next_cursor: null, note: expect.stringContaining(`mart.${mart} does not exist`) });
    const csv = await call(bare.base, `/api/v1${path}`, { key, accept: "text/csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("x-note")).toContain(`mart.${mart}`);
  });

  it("a mart the reader role may not read is a 503 that says how to grant it", async () => {
    await queryRows(empty, "create table mart.seller_balance_daily (seller_id text, day date, currency text, inflow numeric, outflow numeric, net numeric, opening_balance numeric, closing_balance numeric)");
    // As a table made by a login whose default privileges do not cover the reader.
    await queryRows(empty, "revoke select on mart.seller_balance_daily from salesdw_reader");
    const answer = await call(bare.base, "/api/v1/sellers/balances", { key });
    expect(answer.status).toBe(503);
    expect(answer.body.message).toMatch(/salesdw warehouse roles/);
    expect((await runCli(["warehouse", "roles"], { WAREHOUSE_URL: empty })).code).toBe(0);
    const granted = await call(bare.base, "/api/v1/sellers/balances", { key });
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({ data: [], next_cursor: null });
  });
});
