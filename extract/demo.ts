/**
 * `npm start` / `salesdw demo`: the main job end to end on the embedded warehouse with no
 * configuration: start the warehouse, write sample Karamad exports and seller events, then
 * `salesdw run` over them (the same code path as a scheduled run: extract, dataform run,
 * assertions, run log), and a summary of the layers a person reads in a few seconds. Run it
 * again and it finds nothing new, changes nothing, and says so.
 */
import path from "node:path";
import type pg from "pg";
import { convertPathToPattern } from "tinyglobby";
import { projectRoot } from "./config.ts";
import { info } from "./log.ts";
import type { RunConfig } from "./run/config.ts";
import { runWarehouse } from "./run/run.ts";
import { writeSampleDetail, writeSampleMonths } from "./samples/months.ts";
import { EVENTS_SAMPLE_DIR, printSellerBalances } from "./sources/events/demo.ts";
import { writeSellerEventSample } from "./samples/events.ts";
import { SERVE_DEFAULTS } from "./serve/command.ts";
import { connect, ensureWarehouse, writeDataformCredentials } from "./warehouse/warehouse.ts";

export const SAMPLE_DIR = path.join(projectRoot, "samples", "karamad");

export interface DemoOptions {
  months?: number;
  rowsPerMonth?: number;
  sampleDir?: string;
}

/** The demo's salesdw.yaml: the sample files of each file source (and, as they come, the sources' sandboxes). */
function demoConfig(karamadDir: string, eventsDir: string): RunConfig {
  const files = (dir: string, pattern: string) => ({ files: [`${convertPathToPattern(dir)}/${pattern}`], options: {} });
  return {
    label: "the demo's: the sample files",
    baseDir: projectRoot,
    timezone: "Asia/Tehran",
    sources: {
      karamad: files(karamadDir, "*.csv"),
      events: files(eventsDir, "seller-events-*.csv"),
      "events-opening-balances": files(eventsDir, "seller-opening-balances.csv"),
    },
    alerts: { onFailure: false, onStale: false },
  };
}

export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const url = await ensureWarehouse(info);
  if (!process.env.WAREHOUSE_URL) writeDataformCredentials(url);

  const sampleDir = options.sampleDir ?? SAMPLE_DIR;
  info(`Sample Karamad exports in ${path.relative(process.cwd(), sampleDir) || "."} and seller events in ${path.relative(process.cwd(), EVENTS_SAMPLE_DIR)} (generated, deterministic)`);
  await writeSampleMonths(sampleDir, { months: options.months ?? 15, rowsPerMonth: options.rowsPerMonth ?? 2000 });
  // The last months also as the real 61-column sales-detail export (other invoice numbers).
  await writeSampleDetail(sampleDir, { months: 3, rowsPerMonth: options.rowsPerMonth ?? 2000, start: { jalaliYear: 1403, jalaliMonth: 11 } });
  await writeSellerEventSample(EVENTS_SAMPLE_DIR, { sellers: 10, days: 14 });

  const config = demoConfig(sampleDir, EVENTS_SAMPLE_DIR);
  const code = await runWarehouse({ only: Object.keys(config.sources) }, { url, config });
  if (code === 0) {
    const client = await connect(url);
    try {
      await printSummary(client);
      await printSellerBalances(client);
    } finally {
      await client.end();
    }
    info(`\nDashboard: npx salesdw serve, then open http://127.0.0.1:${SERVE_DEFAULTS.port}/`);
  }
  return code;
}

const number = (value: unknown) => Number(value ?? 0).toLocaleString("en-US");

async function printSummary(client: pg.Client): Promise<void> {
  const counts = await client.query(`
    select 'raw' as layer, 'raw.karamad__sales_line' as relation, (select count(*) from raw.karamad__sales_line) as rows
    union all select 'raw', 'raw._rejects', (select count(*) from raw._rejects)
    union all select 'staging', 'staging.stg_karamad__sales_line', (select count(*) from staging.stg_karamad__sales_line)
    union all select 'canonical', 'canonical.sales_line', (select count(*) from canonical.sales_line)
    union all select 'dw', 'dw.fct_sales_line', (select count(*) from dw.fct_sales_line)
    union all select 'dw', 'dw.fct_invoice', (select count(*) from dw.fct_invoice)
    union all select 'dw', 'dw.dim_customer / dim_product / dim_date',
      (select count(*) from dw.dim_customer) + (select count(*) from dw.dim_product) + (select count(*) from dw.dim_date)
    union all select 'mart', 'mart.kpi_daily', (select count(*) from mart.kpi_daily)
    union all select 'dq', 'dq.issues', (select count(*) from dq.issues)`);
  const months = await client.query(`
    select jalali_year, jalali_month, min(date) as first_day, sum(sales_net) as sales, sum(returns_net) as returns, sum(net_sales) as net
    from mart.kpi_daily group by 1, 2 order by 1, 2`);
  const issues = await client.query(
    "select severity, check_name, count(*) as n from dq.issues where check_name <> 'load_checked' group by 1, 2 order by 1, 3 desc",
  );

  info("\n── The warehouse ───────────────────────────────────────");
  info("Rows per layer:");
  for (const row of counts.rows) info(`  ${row.layer.padEnd(10)}${row.relation.padEnd(42)}${number(row.rows).padStart(10)}`);
  info("Net sales per Jalali month (rials; returns negative):");
  for (const m of months.rows) {
    const label = `${m.jalali_year}/${String(m.jalali_month).padStart(2, "0")}`;
    info(`  ${label}  sales ${number(m.sales).padStart(15)}  returns ${number(m.returns).padStart(14)}  net ${number(m.net).padStart(15)}`);
  }
  info(`Data-quality findings (dq.issues): ${issues.rows.map((i) => `${i.n} ${i.check_name} (${i.severity})`).join(", ") || "none"}`);
  info(`Connect: psql "$(npx salesdw warehouse url)"   ·   past runs: npx salesdw runs`);
  info("Your own exports: copy salesdw.example.yaml to salesdw.yaml, point it at them, then npx salesdw run.");
}
