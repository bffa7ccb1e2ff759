/**
 * `npm run bench -- --events N`: the seller-balance models at scale, in the benchmark's own
 * database (salesdw_bench, recreated):
 *   1. the generator writes N events (weekly files, both layouts, every quirk): time, peak RSS;
 *   2. `salesdw extract events` lands them (a child process, as a user runs it): rows/s, peak RSS;
 *   3. a full build of the seller-balance models (`dataform run` of SELLER_BALANCE_ACTIONS and
 *      what they depend on);
 *   4. one late event for one seller on a day in the middle, landed, and the same run again:
 *      its cost against the full build (target <= 0.1), and how many balance rows it rewrote.
 * Both runs build only the seller-balance models: a whole-project run adds Dataform's fixed cost
 * of the other sources' ~200 (here empty) actions to both, which is not the models' own work.
 * Prints the figures and writes them as JSON to bench-results/.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot, UserError } from "./config.ts";
import { recreateDatabase, timeCli } from "./bench.ts";
import { dataform } from "./dataform.ts";
import { info } from "./log.ts";
import { connect, ensureWarehouse } from "./warehouse/warehouse.ts";

const DAYS = 90;

/** The seller-balance models and their checks; `--include-deps` adds staging, the helpers and canonical. */
const SELLER_BALANCE_ACTIONS = [
  "mart.seller_balance_daily",
  "dw.dim_seller",
  "dq.seller_event_issues",
  "dq_assertions.assert_seller_ledger_event_signs",
  "dq_assertions.assert_canonical_seller_ledger_event_unique_event_id",
  "dq_assertions.assert_dw_fct_seller_balance_daily_unique_seller_id_currency_day",
  "dq_assertions.dw_fct_seller_balance_daily_assertions_rowConditions",
  "dq_assertions.assert_seller_balance_matches_events",
  "dq_assertions.dw_dim_seller_assertions_uniqueKey_0",
  "dq_assertions.dw_dim_seller_assertions_rowConditions",
];
const SELLER_BALANCE_RUN = [...SELLER_BALANCE_ACTIONS.flatMap((action) => ["--actions", action]), "--include-deps"];

export async function runEventsBench(events: number): Promise<number> {
  if (events < 10_000) throw new UserError("--events must be at least 10000.");
  const sellers = Math.max(10, Math.round(events / 2_500));
  const baseUrl = await ensureWarehouse(info);
  const url = await recreateDatabase(baseUrl);
  const results = path.join(projectRoot, "bench-results");
  const dir = path.join(results, `events-${events}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  info(`Generating ${events.toLocaleString("en-US")} seller events (${sellers} sellers, ${DAYS} days) …`);
  const generator = await timeCli(["samples", "events", "--out", dir, "--sellers", String(sellers), "--days", String(DAYS), "--events", String(events), "--seed", "42"], { WAREHOUSE_URL: url });
  const files = generator.stdout.match(/event files, [\d,]+ rows: (.*)/)![1].split(", ");
  const rows = Number(generator.stdout.match(/event files, ([\d,]+) rows/)![1].replace(/,/g, ""));
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);

  info("Extractor (salesdw extract events, child process) …");
  const extract = await timeCli(["extract", "events", ...files], { WAREHOUSE_URL: url });
  await timeCli(["extract", "events-opening-balances", path.join(dir, "seller-opening-balances.csv")], { WAREHOUSE_URL: url });

  info("dataform run of the seller-balance models (full build) …");
  const full = await timeDataform(url, path.join(dir, "dataform-full.log"));
  const facts = await factRows(url);

  // One event for one seller, on a day in the middle of the period, arriving after everything else.
  const lateDay = new Date(Date.parse("2025-07-01T12:00:00Z") + Math.floor(DAYS / 2) * 86_400_000).toISOString().slice(0, 19);
  const lateFile = path.join(dir, "late-event.csv");
  writeFileSync(lateFile, `event_id,event_ts,seller_id,event_type,currency,amount,source_system\nbench-late-000001,${lateDay},S${"1".padStart(Math.max(3, String(sellers).length), "0")},order,RUB,123.45,orders\n`);
  await snapshotRowVersions(url);
  await timeCli(["extract", "events", lateFile], { WAREHOUSE_URL: url });
  info("dataform run after one late event …");
  const incremental = await timeDataform(url, path.join(dir, "dataform-late-event.log"));
  const rewritten = await rewrittenRows(url);

  const mb = bytes / 1e6;
  const figures = {
    events: rows,
    sellers,
    days: DAYS,
    files: files.length,
    file_mb: round(mb),
    generator: { seconds: round(generator.seconds), peak_rss_mb: round(generator.peakRssMb) },
    extractor: { seconds: round(extract.seconds), rows_per_s: Math.round(rows / extract.seconds), mb_per_s: round(mb / extract.seconds), peak_rss_mb: round(extract.peakRssMb) },
    balance_rows: facts,
    dataform_full_run_s: round(full.seconds),
    dataform_full_compile_s: round(full.compileSeconds),
    late_event_day: lateDay.slice(0, 10),
    dataform_after_late_event_s: round(incremental.seconds),
    dataform_after_late_event_compile_s: round(incremental.compileSeconds),
    balance_rows_rewritten: rewritten,
    incremental_vs_full: round(incremental.seconds / full.seconds),
    // The same, leaving out starting Dataform and compiling the project (a fixed cost of every run).
    incremental_vs_full_after_compile: round((incremental.seconds - incremental.compileSeconds) / (full.seconds - full.compileSeconds)),
    targets: { incremental_vs_full: "<= 0.1" },
    measured_at: new Date().toISOString(),
  };
  const out = path.join(results, `bench-events-${events}.json`);
  writeFileSync(out, JSON.stringify(figures, null, 2) + "\n");

  info(`
Seller balances benchmark, ${rows.toLocaleString("en-US")} events (${sellers.toLocaleString("en-US")} sellers, ${DAYS} days, ${files.length} files, ${figures.file_mb} MB):
  generator        ${figures.generator.seconds} s, peak RSS ${figures.generator.peak_rss_mb} MB
  extractor        ${figures.extractor.rows_per_s.toLocaleString("en-US")} rows/s, ${figures.extractor.mb_per_s} MB/s, peak RSS ${figures.extractor.peak_rss_mb} MB
  dataform run     full build ${figures.dataform_full_run_s} s, of which starting and compiling ${figures.dataform_full_compile_s} s (${facts.toLocaleString("en-US")} daily balance rows)
  late event       one event on ${figures.late_event_day}: run ${figures.dataform_after_late_event_s} s, of which starting and compiling ${figures.dataform_after_late_event_compile_s} s; ${rewritten.toLocaleString("en-US")} balance rows rewritten
  ratio            ${figures.incremental_vs_full}   (target <= 0.1); without them ${figures.incremental_vs_full_after_compile}
Written to ${path.relative(process.cwd(), out)}`);
  return 0;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * A `dataform run` of the seller-balance models: its seconds, and how many of them went to
 * starting Dataform and compiling the project before any action ran (a fixed cost of any run). Its output
 * goes to `log`, each line prefixed with the seconds elapsed (where the time went).
 */
async function timeDataform(url: string, log: string): Promise<{ seconds: number; compileSeconds: number }> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const lines: string[] = [];
  let compileSeconds = NaN;
  const run = await dataform("run", url, SELLER_BALANCE_RUN, (line) => {
    if (Number.isNaN(compileSeconds) && /Compiled successfully/.test(line)) compileSeconds = elapsed();
    lines.push(`${elapsed().toFixed(1).padStart(7)}  ${line}`);
  });
  const seconds = elapsed();
  writeFileSync(log, lines.join("\n") + "\n");
  if (run.code !== 0) throw new Error(`dataform run failed during the benchmark (output in ${log}):\n${run.output}`);
  return { seconds, compileSeconds };
}

async function factRows(url: string): Promise<number> {
  const client = await connect(url);
  try {
    return Number((await client.query("select count(*) as n from dw.fct_seller_balance_daily")).rows[0].n);
  } finally {
    await client.end();
  }
}

/** Row versions (xmin) of the balance fact before the late event, to count the rows the run rewrote. */
async function snapshotRowVersions(url: string): Promise<void> {
  const client = await connect(url);
  try {
    await client.query("create table public.balance_versions as select seller_id, currency, day, xmin::text as version from dw.fct_seller_balance_daily");
  } finally {
    await client.end();
  }
}

async function rewrittenRows(url: string): Promise<number> {
  const client = await connect(url);
  try {
    const { rows } = await client.query(`
      select count(*) as n from dw.fct_seller_balance_daily f
      left join public.balance_versions v using (seller_id, currency, day)
      where v.version is distinct from f.xmin::text`);
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}
