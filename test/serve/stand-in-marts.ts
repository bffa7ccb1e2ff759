/**
 * Stand-in marts for the API tests: tables with exactly the columns of the real marts, filled
 * with generated rows that the tests keep, so every expected answer is computed here and never
 * read back from the warehouse.
 */
import * as jalaali from "jalaali-js";
import { withClient } from "../support/warehouse.ts";
import { seededRandom } from "../../extract/samples/random.ts";

export type Row = Record<string, string | number | null>;


const pad = (n: number) => String(n).padStart(2, "0");

export function jalaaliOf(isoDay: string): { jy: number; jm: number; jd: number } {
  const [gy, gm, gd] = isoDay.split("-").map(Number);
  return jalaali.toJalaali(gy, gm, gd);
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Amount in cents (an integer) as PostgreSQL prints a numeric of scale 2. */
export function money(cents: bigint | number): string {
  const c = BigInt(cents);
  const sign = c < 0n ? "-" : "";
  const abs = c < 0n ? -c : c;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/** Thousandths as a numeric of scale 3. */
export function thousandths(value: bigint | number): string {
  const v = BigInt(value);
  return `${v / 1000n}.${String(v % 1000n).padStart(3, "0")}`;
}

interface TableSpec {
  name: string;
  columns: [string, string][];
}

const TABLES: TableSpec[] = [
  {
    name: "kpi_net_sales_daily",
    columns: [["source_system", "text"], ["currency", "text"], ["day", "date"], ["jalali_year", "int"], ["jalali_month", "int"],
      ["jalali_date", "text"], ["net_sales", "numeric"], ["gross_sales", "numeric"], ["returns", "numeric"], ["invoices", "bigint"], ["lines", "bigint"]],
  },
  {
    name: "kpi_return_rate_by_product_month",
    columns: [["source_system", "text"], ["currency", "text"], ["calendar", "text"], ["month", "date"], ["jalali_month", "text"],
      ["product_code", "text"], ["product_name", "text"], ["quantity_sold", "numeric"], ["quantity_returned", "numeric"],
      ["amount_sold", "numeric"], ["amount_returned", "numeric"], ["return_rate_quantity", "numeric"],
      ["return_rate_amount", "numeric"], ["sale_lines", "bigint"], ["return_lines", "bigint"]],
  },
  {
    name: "kpi_top_customers_month",
    columns: [["source_system", "text"], ["currency", "text"], ["calendar", "text"], ["month", "date"], ["jalali_month", "text"],
      ["customer_code", "text"], ["customer_name", "text"], ["net_sales", "numeric"], ["gross_sales", "numeric"], ["returns", "numeric"], ["invoices", "bigint"],
      ["active_days", "bigint"], ["rank_in_month", "bigint"]],
  },
  {
    name: "kpi_salesperson_performance_month",
    columns: [["source_system", "text"], ["currency", "text"], ["calendar", "text"], ["month", "date"], ["jalali_month", "text"], ["salesperson", "text"],
      ["net_sales", "numeric"], ["gross_sales", "numeric"], ["returns", "numeric"], ["invoices", "bigint"], ["customers", "bigint"],
      ["average_invoice_value", "numeric"]],
  },
  {
    name: "kpi_period_comparison",
    columns: [["source_system", "text"], ["currency", "text"], ["calendar", "text"], ["period", "text"], ["as_of", "date"],
      ["current_start", "date"], ["current_end", "date"], ["prior_start", "date"], ["prior_end", "date"], ["current_net", "numeric"],
      ["prior_net", "numeric"], ["change_pct", "numeric"], ["prior2_start", "date"], ["prior2_end", "date"], ["prior2_net", "numeric"],
      ["change_pct_2y", "numeric"]],
  },
  {
    name: "sales_summary_daily",
    columns: [["source_server", "text"], ["department", "text"], ["business_day", "date"], ["currency", "text"], ["revenue", "numeric"],
      ["gross_amount", "numeric"], ["discount_amount", "numeric"], ["orders", "bigint"], ["guests", "bigint"], ["quantity", "numeric"]],
  },
  {
    name: "sales_by_hour",
    columns: [["source_server", "text"], ["department", "text"], ["business_day", "date"], ["hour", "int"], ["revenue", "numeric"],
      ["orders", "bigint"], ["quantity", "numeric"]],
  },
  {
    name: "seller_balance_daily",
    columns: [["seller_id", "text"], ["day", "date"], ["currency", "text"], ["inflow", "numeric"], ["outflow", "numeric"], ["net", "numeric"],
      ["opening_balance", "numeric"], ["closing_balance", "numeric"]],
  },
  {
    name: "data_freshness",
    columns: [["source_system", "text"], ["last_event_date", "date"], ["days_since_last_event", "int"], ["last_load_at", "timestamptz"],
      ["loads", "bigint"], ["failed_loads", "bigint"], ["raw_rows", "numeric"], ["rejected_rows", "numeric"], ["canonical_lines", "bigint"]],
  },
  {
    name: "load_runs",
    columns: [["load_id", "bigint"], ["source_system", "text"], ["entity", "text"], ["file_name", "text"], ["status", "text"],
      ["rows_loaded", "bigint"], ["rows_rejected", "bigint"], ["message", "text"], ["started_at", "timestamptz"], ["finished_at", "timestamptz"],
      ["seconds", "numeric"]],
  },
  {
    name: "dq_issues",
    columns: [["issue_key", "text"], ["check_name", "text"], ["severity", "text"], ["table_name", "text"], ["record_key", "text"],
      ["detail", "text"], ["load_id", "bigint"], ["source_system", "text"], ["detected_at", "timestamptz"]],
  },
];

export type Marts = Record<string, Row[]>;

const persianNames = ["فروشگاه آلفا", "شرکت بتا", "بازرگانی گاما", "کافه دلتا", "هتل اپسیلون"];

function generate(): Marts {
  const rnd = seededRandom(42);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const marts: Marts = {};

  marts.kpi_net_sales_daily = [];
  for (const source of ["karamad", "reckon"]) {
    for (const currency of ["IRR", "AUD"]) {
      for (let d = 0; d < 120; d++) {
        if (rnd() < 0.2) continue; // days without sales
        const gross = int(100_000, 9_000_000);
        const returns = int(0, 50_000);
        const day = addDays("2025-01-01", d);
        const j = jalaaliOf(day);
        marts.kpi_net_sales_daily.push({
          source_system: source, currency, day, jalali_year: j.jy, jalali_month: j.jm, jalali_date: `${j.jy}/${pad(j.jm)}/${pad(j.jd)}`,
          net_sales: money(gross - returns), gross_sales: money(gross), returns: money(returns), invoices: int(1, 40), lines: int(1, 200),
        });
      }
    }
  }

  // Monthly marts hold each month once per calendar: Gregorian January–June 2025, Jalali Dey 1403–Khordad 1404.
  const gregorianMonths = ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01"];
  const jalaliMonths: [number, number][] = [[1403, 10], [1403, 11], [1403, 12], [1404, 1], [1404, 2], [1404, 3]];
  const periods: { calendar: string; month: string; jalali_month: string | null }[] = [
    ...gregorianMonths.map((month) => ({ calendar: "gregorian", month, jalali_month: null })),
    ...jalaliMonths.map(([jy, jm]) => {
      const g = jalaali.toGregorian(jy, jm, 1);
      return { calendar: "jalali", month: `${g.gy}-${pad(g.gm)}-${pad(g.gd)}`, jalali_month: `${jy}-${pad(jm)}` };
    }),
  ];

  marts.kpi_return_rate_by_product_month = [];
  for (const period of periods) {
    for (const [source, currency] of [["karamad", "IRR"], ["reckon", "AUD"]]) {
      for (let p = 1; p <= 12; p++) {
        if (rnd() < 0.25) continue;
        const sold = int(1_000, 500_000);
        const returned = int(0, sold / 10);
        const amountSold = int(10_000, 9_000_000);
        const amountReturned = int(0, amountSold / 10);
        marts.kpi_return_rate_by_product_month.push({
          source_system: source, currency, ...period, product_code: `P${String(p).padStart(3, "0")}`, product_name: `کالای ${p}`,
          quantity_sold: thousandths(sold), quantity_returned: thousandths(returned), amount_sold: money(amountSold), amount_returned: money(amountReturned),
          return_rate_quantity: (returned / sold).toFixed(4), return_rate_amount: (amountReturned / amountSold).toFixed(4), sale_lines: int(1, 90), return_lines: int(0, 9),
        });
      }
    }
  }

  marts.kpi_top_customers_month = [];
  const customerNames = [...persianNames, '=HYPERLINK("http://example.invalid")', "Comma, \"Quoted\" & Co", "+98 Trading", "@home", "Plain Ltd"];
  for (const period of periods) {
    for (const [source, currency] of [["karamad", "IRR"], ["karamad", "USD"], ["reckon", "AUD"]]) {
      const group = customerNames
        // "@home" always has a negative net: a CSV cell that starts with "-" but is a number.
        .map((name, i) => ({ name, code: `C${String(i + 1).padStart(2, "0")}`, net: name === "@home" ? -int(1, 50_000) : int(-5_000, 3_000_000) }))
        .filter(() => rnd() > 0.2)
        .sort((a, b) => b.net - a.net || (a.code < b.code ? -1 : 1));
      group.forEach((c, i) => {
        const returns = int(0, 10_000);
        marts.kpi_top_customers_month.push({
          source_system: source, currency, ...period, customer_code: c.code, customer_name: c.name,
          net_sales: money(c.net), gross_sales: money(c.net + returns), returns: money(returns), invoices: int(1, 30), active_days: int(1, 28),
          rank_in_month: i + 1,
        });
      });
    }
  }

  marts.kpi_salesperson_performance_month = [];
  for (const period of periods) {
    for (const salesperson of ["Ali", "Sara", "رضا", null]) {
      const net = int(10_000, 2_000_000);
      const invoices = int(1, 50);
      marts.kpi_salesperson_performance_month.push({
        source_system: "karamad", currency: "IRR", ...period, salesperson, net_sales: money(net),
        gross_sales: money(net + 500), returns: money(500), invoices, customers: int(1, invoices), average_invoice_value: money(Math.round(net / invoices)),
      });
    }
  }

  marts.kpi_period_comparison = [];
  for (const [source, currency, asOf] of [["karamad", "IRR", "2025-04-30"], ["reckon", "AUD", "2025-03-31"]]) {
    for (const calendar of ["gregorian", "jalali"]) {
      for (const period of ["WTD", "MTD", "YTD"]) {
        const current = int(1_000, 9_000_000);
        const prior = period === "WTD" && calendar === "jalali" ? 0 : int(1_000, 9_000_000);
        const prior2 = int(1_000, 9_000_000);
        const pct = (base: number) => (base ? ((100 * (current - base)) / base).toFixed(2) : null);
        marts.kpi_period_comparison.push({
          source_system: source, currency, calendar, period, as_of: asOf, current_start: "2025-03-01", current_end: asOf,
          prior_start: "2024-03-01", prior_end: asOf.replace("2025", "2024"), current_net: money(current), prior_net: money(prior), change_pct: pct(prior),
          prior2_start: "2023-03-01", prior2_end: asOf.replace("2025", "2023"), prior2_net: money(prior2), change_pct_2y: pct(prior2),
        });
      }
    }
  }

  marts.sales_summary_daily = [];
  for (const [server, currency] of [["tehran-1", "IRR"], ["shiraz", "IRR"], ["dubai", "AED"]]) {
    for (const department of ["Kitchen", "Bar", "کافه"]) {
      for (let d = 0; d < 60; d++) {
        if (rnd() < 0.15) continue;
        const gross = int(50_000, 4_000_000);
        const discount = int(0, 20_000);
        marts.sales_summary_daily.push({
          source_server: server, department, business_day: addDays("2025-03-01", d), currency, revenue: money(gross - discount),
          gross_amount: money(gross), discount_amount: money(discount), orders: int(1, 80), guests: int(1, 120), quantity: thousandths(int(1_000, 400_000)),
        });
      }
    }
  }

  marts.sales_by_hour = [];
  for (const server of ["tehran-1", "shiraz"]) {
    for (const department of ["Kitchen", "Bar"]) {
      for (let d = 0; d < 8; d++) {
        for (let hour = 10; hour <= 22; hour++) {
          if (rnd() < 0.3) continue;
          marts.sales_by_hour.push({
            source_server: server, department, business_day: addDays("2025-03-01", d), hour, revenue: money(int(1_000, 300_000)),
            orders: int(1, 12), quantity: thousandths(int(1_000, 30_000)),
          });
        }
      }
    }
  }

  marts.seller_balance_daily = [];
  for (const [seller, currency] of [["S1", "IRR"], ["S2", "IRR"], ["S2", "USD"], ["S3", "IRR"]]) {
    let balance = int(0, 1_000_000);
    for (let d = 0; d < 40; d++) {
      if (rnd() < 0.3) continue;
      const inflow = int(0, 200_000);
      const outflow = int(0, 200_000);
      const opening = balance;
      balance += inflow - outflow;
      marts.seller_balance_daily.push({
        seller_id: seller, day: addDays("2025-02-01", d), currency, inflow: money(inflow), outflow: money(outflow), net: money(inflow - outflow),
        opening_balance: money(opening), closing_balance: money(balance),
      });
    }
  }

  marts.data_freshness = [
    { source_system: "karamad", last_event_date: "2025-04-30", days_since_last_event: 3, last_load_at: "2025-05-01T08:00:00.123456Z", loads: 15, failed_loads: 1, raw_rows: "30000", rejected_rows: "12", canonical_lines: 29_900 },
    { source_system: "reckon", last_event_date: "2025-03-31", days_since_last_event: 33, last_load_at: "2025-04-02T10:30:00.000000Z", loads: 2, failed_loads: 0, raw_rows: "5000", rejected_rows: "0", canonical_lines: 5_000 },
    { source_system: "iiko", last_event_date: null, days_since_last_event: null, last_load_at: null, loads: 0, failed_loads: 3, raw_rows: "0", rejected_rows: "0", canonical_lines: 0 },
  ];

  marts.load_runs = [];
  for (let id = 1; id <= 37; id++) {
    const failed = rnd() < 0.15;
    const at = (second: string) => `2025-03-${String(1 + Math.floor(id / 3)).padStart(2, "0")}T06:${String(id).padStart(2, "0")}:${second}.123456Z`;
    marts.load_runs.push({
      load_id: id, source_system: id % 3 ? "karamad" : "reckon", entity: "sales_line", file_name: `export-${id}.csv`, status: failed ? "failed" : "loaded",
      rows_loaded: failed ? 0 : int(10, 5000), rows_rejected: failed ? 0 : int(0, 5), message: failed ? `export-${id}.csv: missing header` : null,
      started_at: at("00"), finished_at: at("07"), seconds: "7.000",
    });
  }

  marts.dq_issues = [];
  const checks = ["net_mismatch", "unparseable_date", "rejected_row", "schema_drift"];
  for (let i = 1; i <= 53; i++) {
    const check = checks[i % checks.length];
    // Several findings share a detection time (one run finds many): the key's second column orders them.
    const detected = `2025-03-${String(1 + Math.floor(i / 5)).padStart(2, "0")}T09:15:00.${i % 5 === 0 ? "000010" : "000000"}Z`;
    marts.dq_issues.push({
      issue_key: `k${String(int(0, 1e9)).padStart(10, "0")}`, check_name: check, severity: check === "schema_drift" ? "info" : check === "net_mismatch" ? "warning" : "error",
      table_name: "staging.stg_karamad__sales_line", record_key: `load ${1 + (i % 9)} line ${i}`, detail: `finding ${i}`, load_id: 1 + (i % 9),
      source_system: i % 4 ? "karamad" : "reckon", detected_at: detected,
    });
  }
  return marts;
}

/** Creates the stand-in tables (only those named, or all) in schema mart and fills them. */
export async function createStandInMarts(url: string, only?: string[]): Promise<Marts> {
  const marts = generate();
  await withClient(url, async (client) => {
    await client.query("create schema if not exists mart");
    for (const table of TABLES) {
      if (only && !only.includes(table.name)) continue;
      await client.query(`create table mart.${table.name} (${table.columns.map(([n, t]) => `${n} ${t}`).join(", ")})`);
      await client.query(`insert into mart.${table.name} select * from json_populate_recordset(null::mart.${table.name}, $1::json)`, [JSON.stringify(marts[table.name])]);
    }
  });
  return marts;
}

export const STAND_IN_TABLES = TABLES.map((t) => t.name);
