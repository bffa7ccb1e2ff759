/**
 * `npm start` / `salesdw demo`: the main job end to end on the embedded warehouse with no
 * configuration: start the warehouse, write sample Karamad exports, land them, build every
 * layer with Dataform, and print a summary a person reads in a few seconds. Run it again and
 * it finds nothing new, changes nothing, and says so.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { projectRoot, UserError } from "./config.ts";
import { generatedContractsAreCurrent } from "./contracts/generate.ts";
import { dataform, isInterestingLine } from "./dataform.ts";
import { extractFiles } from "./extract.ts";
import { info } from "./log.ts";
import { writeSampleDetail, writeSampleMonths } from "./samples/months.ts";
import { connect, ensureWarehouse, writeDataformCredentials } from "./warehouse/warehouse.ts";

export const SAMPLE_DIR = path.join(projectRoot, "samples", "karamad");

export interface DemoOptions {
  months?: number;
  rowsPerMonth?: number;
  sampleDir?: string;
}

export async function runDemo(options: DemoOptions = {}): Promise<number> {
  if (!generatedContractsAreCurrent()) {
    throw new UserError("includes/contracts.js is stale: run `npm run contracts:generate` first.");
  }
  const url = await ensureWarehouse(info);
  if (!process.env.WAREHOUSE_URL) writeDataformCredentials(url);

  const sampleDir = options.sampleDir ?? SAMPLE_DIR;
  info(`\n1/3 Sample Karamad exports in ${path.relative(process.cwd(), sampleDir) || "."} (generated, deterministic)`);
  await writeSampleMonths(sampleDir, { months: options.months ?? 15, rowsPerMonth: options.rowsPerMonth ?? 2000 });
  // The last months also as the real 61-column sales-detail export (other invoice numbers).
  await writeSampleDetail(sampleDir, { months: 3, rowsPerMonth: options.rowsPerMonth ?? 2000, start: { jalaliYear: 1403, jalaliMonth: 11 } });
  const files = readdirSync(sampleDir).filter((f) => f.endsWith(".csv")).sort().map((f) => path.join(sampleDir, f));

  info("\n2/3 Extract: land the files in raw");
  const loads = await extractFiles("karamad", files, { url, progress: true });
  const failedLoads = loads.filter((l) => l.status === "failed").length;

  info("\n3/3 Transform: dataform run");
  const client = await connect(url);
  try {
    let assertionSummary: string;
    let runFailed = false;
    if (await everyLoadModelled(client)) {
      assertionSummary = "not re-run: no new loads since the last dataform run, so the warehouse is unchanged";
      info("Nothing new to model: every load is already in the warehouse. Nothing changed.");
    } else {
      const run = await dataform("run", url, [], (line) => {
        if (isInterestingLine(line) && !/Assertion passed/.test(line)) info(`  ${line.trim()}`);
      });
      runFailed = run.code !== 0;
      assertionSummary = `${run.assertionsPassed.length} passed, ${run.assertionsFailed.length} failed`;
      if (run.failedActions.length) assertionSummary += `; failed actions: ${run.failedActions.join(", ")}`;
    }
    await printSummary(client, assertionSummary);
    return failedLoads || runFailed ? 1 : 0;
  } finally {
    await client.end();
  }
}

/** True when every successful load has reached dq.run_stats, the last model of the DAG. */
async function everyLoadModelled(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query("select to_regclass('dq.run_stats') is not null as modelled");
  if (!rows[0].modelled) return false;
  const { rows: missing } = await client.query(
    "select count(*)::int as n from raw._loads l where not exists (select 1 from dq.run_stats s where s.load_id = l.load_id)",
  );
  return missing[0].n === 0;
}

const number = (value: unknown) => Number(value ?? 0).toLocaleString("en-US");

async function printSummary(client: pg.Client, assertionSummary: string): Promise<void> {
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

  info("\n── Summary ─────────────────────────────────────────────");
  info("Rows per layer:");
  for (const row of counts.rows) info(`  ${row.layer.padEnd(10)}${row.relation.padEnd(42)}${number(row.rows).padStart(10)}`);
  info(`Assertions: ${assertionSummary}`);
  info("Net sales per Jalali month (rials; returns negative):");
  for (const m of months.rows) {
    const label = `${m.jalali_year}/${String(m.jalali_month).padStart(2, "0")}`;
    info(`  ${label}  sales ${number(m.sales).padStart(15)}  returns ${number(m.returns).padStart(14)}  net ${number(m.net).padStart(15)}`);
  }
  info(`Data-quality findings (dq.issues): ${issues.rows.map((i) => `${i.n} ${i.check_name} (${i.severity})`).join(", ") || "none"}`);
  info(`Connect: psql "$(npx salesdw warehouse url)"   ·   models: npx dataform run --track=false   ·   checks: npx salesdw check`);
}
