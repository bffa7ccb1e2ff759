/**
 * `npm start` / `salesdw demo`: the main job end to end on the embedded warehouse with no
 * configuration: start the warehouse, write sample Karamad exports, then `salesdw run` over them
 * (the same code path as a scheduled run: extract, dataform run, assertions, run log), and a
 * summary of the layers a person reads in a few seconds. Run it again and it finds nothing new,
 * changes nothing, and says so.
 */
import path from "node:path";
import type { SandboxTable } from "./sandbox/concord/db.ts";
import type pg from "pg";
import { projectRoot } from "./config.ts";
import { info } from "./log.ts";
import type { RunConfig } from "./run/config.ts";
import { runWarehouse } from "./run/run.ts";
import { writeSampleDetail, writeSampleMonths } from "./samples/months.ts";
import { printSellerBalances } from "./sources/events/demo.ts";
import { writeReckonSample } from "./samples/reckon.ts";
import { writeSellerEventSample } from "./samples/events.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { SERVE_DEFAULTS } from "./serve/command.ts";
import { connect, ensureWarehouse, writeDataformCredentials } from "./warehouse/warehouse.ts";

export const SAMPLE_DIR = path.join(projectRoot, "samples", "karamad");
const SAMPLES = path.join(projectRoot, "samples");

export interface DemoOptions {
  months?: number;
  rowsPerMonth?: number;
  sampleDir?: string;
}

/** The demo's salesdw.yaml: the sample files of every file source; API and database sources come from their sandboxes' settings. */
function demoConfig(): RunConfig {
  const file = (files: string[]) => ({ files, options: {} });
  return {
    label: "the demo's: sample files and local sandboxes",
    baseDir: SAMPLES,
    timezone: "Asia/Tehran",
    sources: {
      karamad: file(["karamad/*.csv"]),
      reckon: file(["reckon/*.csv"]),
      events: file(["events/seller-events-*.csv"]),
      "events-opening-balances": file(["events/seller-opening-balances.csv"]),
      xero: { files: [], options: {} },
      iiko: { files: [], options: {} },
      concord: { files: [], options: {} },
    },
    alerts: { onFailure: false, onStale: false },
  };
}

/**
 * The sandbox generates decimal(30,14) prices of 20 digits, some negative, to test exactness; the
 * demo's ConcordDb sales reach canonical.sales_line and the dashboards, so they get shop prices
 * (10 to 4,900 UAH ex VAT, 20% VAT on top) instead.
 */
function giveShopPrices(items: SandboxTable): void {
  for (const row of [...items.scan()]) {
    const id = row[items.columns.findIndex((c) => c.name === "ID")] as bigint;
    const tenKopiykas = ((id * 7919n) % 49_000n) + 100n;
    items.update(id, { PricePerItemWithoutVat: tenKopiykas * 10n ** 13n, PricePerItem: tenKopiykas * 12n * 10n ** 12n }, { touchUpdated: false });
  }
}

/**
 * Local stand-ins for the sources that cannot run here (Xero, iiko, SQL Server), each saying
 * it is a sandbox; their settings go into this process's environment only, so the real clients
 * run against them unchanged. Tokens the sandbox rotates live in the temp folder.
 */
async function startSandboxes(): Promise<() => Promise<void>> {
  const { startXeroSandbox } = await import("./sandbox/xero/server.ts");
  const { startIikoSandbox } = await import("./sandbox/iiko/server.ts");
  const { startConcordSandbox } = await import("./sandbox/concord/sandbox.ts");
  const xero = await startXeroSandbox({});
  const iiko = await startIikoSandbox({});
  const concord = await startConcordSandbox({ sales: 200 });
  giveShopPrices(concord.db.table("OrderItem"));
  const tokenDir = mkdtempSync(path.join(tmpdir(), "salesdw-demo-"));
  Object.assign(process.env, xero.settings, { XERO_TOKEN_FILE: path.join(tokenDir, "xero-token.json") }, iiko.env(), { CONCORD_URL: concord.url });
  info(`Sandboxes (local imitations with generated data, not the real services): Xero ${xero.url}, iiko ${iiko.servers.map((s) => s.url).join(" ")}, SQL Server (ConcordDb, as \`salesdw sandbox mssql --sales 200\`) 127.0.0.1:${concord.port}`);
  return async () => {
    await Promise.all([xero.close(), iiko.close(), concord.close()]);
    rmSync(tokenDir, { recursive: true, force: true });
  };
}

export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const url = await ensureWarehouse(info);
  if (!process.env.WAREHOUSE_URL) writeDataformCredentials(url);

  const sampleDir = options.sampleDir ?? SAMPLE_DIR;
  info(`Sample files in ${path.relative(process.cwd(), SAMPLES) || "."} (generated, deterministic): Karamad exports in both layouts, Reckon history, seller events`);
  await writeSampleMonths(sampleDir, { months: options.months ?? 15, rowsPerMonth: options.rowsPerMonth ?? 2000 });
  // The last months also as the real 61-column sales-detail export (other invoice numbers).
  await writeSampleDetail(sampleDir, { months: 3, rowsPerMonth: options.rowsPerMonth ?? 2000, start: { jalaliYear: 1403, jalaliMonth: 11 } });
  writeReckonSample(path.join(SAMPLES, "reckon"), {});
  await writeSellerEventSample(path.join(SAMPLES, "events"), { sellers: 10, days: 14 });

  const stopSandboxes = await startSandboxes();
  let code: number;
  try {
    const config = demoConfig();
    code = await runWarehouse({ only: Object.keys(config.sources) }, { url, config });
  } finally {
    await stopSandboxes();
  }
  const client = await connect(url);
  try {
    await printSummary(client);
    await printSellerBalances(client);
  } finally {
    await client.end();
  }
  info(`\nDashboard and API: create the first user with \`npx salesdw users add NAME --role admin\` (it asks for a password),`);
  info(`then run \`npx salesdw serve\`, open http://127.0.0.1:${SERVE_DEFAULTS.port}/ and sign in (API docs at /api/v1/docs).`);
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
  // The last three months of each source, per currency: amounts in different currencies are never added.
  const months = await client.query(`
    select * from (
      select source_system, currency, jalali_year, jalali_month, sum(gross_sales) as sales, sum(returns) as returns, sum(net_sales) as net,
        dense_rank() over (partition by source_system, currency order by jalali_year desc, jalali_month desc) as recent
      from mart.kpi_net_sales_daily group by 1, 2, 3, 4) m
    where recent <= 3 order by source_system, currency, jalali_year, jalali_month`);
  const issues = await client.query(
    "select severity, check_name, count(*) as n from dq.issues where check_name <> 'load_checked' group by 1, 2 order by 1, 3 desc",
  );

  info("\n── The warehouse ───────────────────────────────────────");
  info("Rows per layer:");
  for (const row of counts.rows) info(`  ${row.layer.padEnd(10)}${row.relation.padEnd(42)}${number(row.rows).padStart(10)}`);
  info("Net sales, the last three Jalali months of each source (mart.kpi_net_sales_daily; each in its own currency):");
  for (const m of months.rows) {
    const label = `${m.source_system.padEnd(8)} ${m.currency} ${m.jalali_year}/${String(m.jalali_month).padStart(2, "0")}`;
    info(`  ${label}  sales ${number(m.sales).padStart(18)}  returns ${number(m.returns).padStart(16)}  net ${number(m.net).padStart(18)}`);
  }
  info(`Data-quality findings (dq.issues): ${issues.rows.map((i) => `${i.n} ${i.check_name} (${i.severity})`).join(", ") || "none"}`);
  info(`Connect: psql "$(npx salesdw warehouse url)"   ·   past runs: npx salesdw runs`);
  info("Your own exports: copy salesdw.example.yaml to salesdw.yaml, point it at them, then npx salesdw run.");
}
