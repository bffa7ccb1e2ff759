/**
 * `npm run bench [-- --rows N]`: measures the load path and the models on a generated Karamad
 * file, in a database of its own (salesdw_bench, recreated each time):
 *   1. the extractor (a child process, as a user runs it): rows/s, MB/s, peak RSS;
 *   2. a plain `COPY … (FORMAT csv)` of the same file into an all-text table: the engine's limit;
 *   3. the build as users run it (`salesdw run --skip-extract`, a child process: compile, the
 *      model build, the assertions): the first, full one, then after one more file of 1% of the
 *      rows the one that builds only what that load feeds;
 *   4. (unless --api-seconds 0) the API: p95 under 50 concurrent clients (bench-api.ts).
 * Prints the figures and writes them as JSON to bench-results/.
 */
import { spawn } from "node:child_process";
import { createReadStream, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { projectRoot, UserError } from "./config.ts";
import { dataform } from "./dataform.ts";
import { info } from "./log.ts";
import { quoteIdent } from "./loader/raw-schema.ts";
import { writeKaramadMonth } from "./samples/karamad.ts";
import { DETAIL_HEADERS, writeKaramadDetail } from "./samples/karamad-detail.ts";

/** Columns of the short monthly layout the first part measures. */
const STANDARD_WIDTH = 18;
import { connect, ensureWarehouse } from "./warehouse/warehouse.ts";

const BENCH_DATABASE = "salesdw_bench";

export async function runBench(rows: number, options: { apiSeconds?: number } = {}): Promise<number> {
  if (rows < 1000) throw new UserError("--rows must be at least 1000.");
  const baseUrl = await ensureWarehouse(info);
  const url = await recreateDatabase(baseUrl);
  const dir = path.join(projectRoot, "bench-results");
  mkdirSync(dir, { recursive: true });

  info(`Generating ${rows.toLocaleString("en-US")} Karamad rows …`);
  const file = path.join(dir, `karamad-${rows}.csv`);
  // No broken rows here: the plain COPY baseline would stop at the first one.
  await writeKaramadMonth(file, { jalaliYear: 1403, jalaliMonth: 6, lines: rows, seed: 42, invoicePrefix: "B" });
  const bytes = statSync(file).size;

  info("Extractor (salesdw extract karamad, child process) …");
  const extractor = await timeExtractor(file, url);
  info("Plain COPY of the same file into an all-text table …");
  const copySeconds = await timePlainCopy(file, url, STANDARD_WIDTH);

  info("salesdw run --skip-extract (the first build: everything) …");
  const full = await timeBuild(url);
  const increment = Math.max(1, Math.round(rows / 100));
  const smallFile = path.join(dir, `karamad-${rows}-increment.csv`);
  await writeKaramadMonth(smallFile, { jalaliYear: 1403, jalaliMonth: 7, lines: increment, seed: 43, invoicePrefix: "I" });
  const smallExtract = await timeExtractor(smallFile, url);
  info(`salesdw run --skip-extract after one more file of ${increment.toLocaleString("en-US")} rows …`);
  const incremental = await timeBuild(url);

  info(`Generating ${rows.toLocaleString("en-US")} rows of the 61-column sales-detail layout …`);
  const detailFile = path.join(dir, `karamad-detail-${rows}.csv`);
  await writeKaramadDetail(detailFile, { jalaliYear: 1403, jalaliMonth: 8, rows, seed: 44, invoicePrefix: "W", keepLines: false, ragged: false });
  const detailBytes = statSync(detailFile).size;
  info("Extractor on the sales-detail layout …");
  const detailExtractor = await timeExtractor(detailFile, url);
  info("Plain COPY of the same file into a 61-column text table …");
  const detailCopySeconds = await timePlainCopy(detailFile, url, DETAIL_HEADERS.length);

  // Last, on the warehouse built above: the API's p95 under 50 concurrent clients.
  const api = options.apiSeconds ? await (await import("./bench-api.ts")).benchApi(url, { seconds: options.apiSeconds }) : undefined;

  const mb = bytes / 1e6;
  const figures = {
    rows,
    file_mb: round(mb),
    extractor: { seconds: round(extractor.seconds), rows_per_s: Math.round(rows / extractor.seconds), mb_per_s: round(mb / extractor.seconds), peak_rss_mb: round(extractor.peakRssMb) },
    plain_copy: { seconds: round(copySeconds), rows_per_s: Math.round(rows / copySeconds), mb_per_s: round(mb / copySeconds) },
    extractor_vs_copy: round(copySeconds / extractor.seconds),
    dataform_full_run_s: round(full.seconds),
    full_build: full.steps,
    increment_rows: increment,
    increment_extract_s: round(smallExtract.seconds),
    dataform_incremental_run_s: round(incremental.seconds),
    incremental_build: incremental.steps,
    incremental_vs_full: round(incremental.seconds / full.seconds),
    detail_layout: {
      columns: DETAIL_HEADERS.length,
      file_mb: round(detailBytes / 1e6),
      extractor: { seconds: round(detailExtractor.seconds), rows_per_s: Math.round(rows / detailExtractor.seconds), mb_per_s: round(detailBytes / 1e6 / detailExtractor.seconds), peak_rss_mb: round(detailExtractor.peakRssMb) },
      plain_copy: { seconds: round(detailCopySeconds), rows_per_s: Math.round(rows / detailCopySeconds) },
      extractor_vs_copy: round(detailCopySeconds / detailExtractor.seconds),
    },
    api,
    targets: { extractor_vs_copy: ">= 0.67", peak_rss_mb: "<= 300", incremental_vs_full: "<= 0.15", api_p95_ms: "<= 50" },
    measured_at: new Date().toISOString(),
  };
  const out = path.join(dir, `bench-${rows}.json`);
  writeFileSync(out, JSON.stringify(figures, null, 2) + "\n");

  info(`
Benchmark, ${rows.toLocaleString("en-US")} rows (${figures.file_mb} MB):
  extractor        ${figures.extractor.rows_per_s.toLocaleString("en-US")} rows/s, ${figures.extractor.mb_per_s} MB/s, peak RSS ${figures.extractor.peak_rss_mb} MB
  plain COPY       ${figures.plain_copy.rows_per_s.toLocaleString("en-US")} rows/s, ${figures.plain_copy.mb_per_s} MB/s
  extractor/COPY   ${figures.extractor_vs_copy}   (target >= 0.67)
  sales-detail layout (${DETAIL_HEADERS.length} columns, ${figures.detail_layout.file_mb} MB):
    extractor      ${figures.detail_layout.extractor.rows_per_s.toLocaleString("en-US")} rows/s, ${figures.detail_layout.extractor.mb_per_s} MB/s, peak RSS ${figures.detail_layout.extractor.peak_rss_mb} MB
    plain COPY     ${figures.detail_layout.plain_copy.rows_per_s.toLocaleString("en-US")} rows/s
    extractor/COPY ${figures.detail_layout.extractor_vs_copy}   (target >= 0.67)
  salesdw run      full ${figures.dataform_full_run_s} s (${describeBuild(full.steps)}); after a ${increment.toLocaleString("en-US")}-row file ${figures.dataform_incremental_run_s} s (${describeBuild(incremental.steps)}); ratio ${figures.incremental_vs_full}   (target <= 0.15)
${api ? `  API, ${api.range.from} … ${api.range.to}, 50 clients (autocannon):\n${api.endpoints.map((e) => `    ${e.path.padEnd(28)} p95 ${e.p95_ms} ms, ${e.p95_vs_target}× the 50 ms target (p50 ${e.p50_ms}, p99 ${e.p99_ms} ms; ${e.requests.toLocaleString("en-US")} requests, ${e.non_2xx} not 2xx; ${e.rows_per_answer} rows, ${e.kb_per_answer} kB an answer; CPU: server ${e.server_cpu_pct}%, autocannon ${e.autocannon_cpu_pct}% of a core)`).join("\n")}\n` : ""}Written to ${path.relative(process.cwd(), out)}`);
  return 0;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export async function recreateDatabase(baseUrl: string): Promise<string> {
  const client = await connect(baseUrl);
  try {
    await client.query(`drop database if exists ${quoteIdent(BENCH_DATABASE)} with (force)`);
    await client.query(`create database ${quoteIdent(BENCH_DATABASE)}`);
  } finally {
    await client.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

/** Runs the real CLI in a child process, as a user runs it; the child reports its own peak RSS. */
export function timeCli(args: string[], env: Record<string, string>): Promise<{ seconds: number; peakRssMb: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(projectRoot, "bin", "salesdw.mjs"), ...args], {
      env: { ...process.env, ...env, SALESDW_REPORT_PEAK_RSS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /peak_rss_kb=(\d+)/.exec(stderr);
      if (code !== 0 || !rss) return reject(new Error(`salesdw ${args.slice(0, 2).join(" ")} failed (${code}): ${stderr}`));
      resolve({ seconds, peakRssMb: Number(rss[1]) / 1024, stdout });
    });
  });
}

const timeExtractor = (file: string, url: string) => timeCli(["extract", "karamad", file], { WAREHOUSE_URL: url });

/** The baseline: PostgreSQL's own COPY of the same file into an all-text table as wide as the file. */
async function timePlainCopy(file: string, url: string, width: number): Promise<number> {
  const client = await connect(url);
  const table = `plain_copy_${width}`;
  try {
    const columns = Array.from({ length: width }, (_, i) => `c${i + 1} text`).join(", ");
    await client.query(`create table public.${quoteIdent(table)} (${columns})`);
    const started = process.hrtime.bigint();
    await pipeline(createReadStream(file), client.query(copyFrom(`copy public.${quoteIdent(table)} from stdin (format csv, header true)`)));
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await client.end();
  }
}

export async function timeDataform(url: string): Promise<number> {
  const started = process.hrtime.bigint();
  const run = await dataform("run", url);
  if (run.code !== 0) throw new Error(`dataform run failed during the benchmark:\n${run.output}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

interface BuildSteps {
  models_s: number;
  checks_s: number;
  models_built: number;
  /** The sources a scoped build was for (absent: the whole project). */
  sources?: string[];
}

/** `salesdw run --skip-extract` in a child process, what a user runs; its steps' timings come from the run log. */
async function timeBuild(url: string): Promise<{ seconds: number; steps: BuildSteps }> {
  const run = await timeCli(["run", "--skip-extract"], { WAREHOUSE_URL: url, SALESDW_ALERT_WEBHOOK: "" });
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ steps: { step: string; seconds: number; built?: number; sources?: string[] }[] }>("select steps from raw._runs order by run_id desc limit 1");
    const models = rows[0].steps.find((s) => s.step === "models");
    const checks = rows[0].steps.find((s) => s.step === "checks");
    return {
      seconds: run.seconds,
      steps: { models_s: round(models?.seconds ?? 0), checks_s: round(checks?.seconds ?? 0), models_built: models?.built ?? 0, ...(models?.sources ? { sources: models.sources } : {}) },
    };
  } finally {
    await client.end();
  }
}

const describeBuild = (s: BuildSteps) => `${s.models_built} models${s.sources ? ` for ${s.sources.join(", ")}` : ""} ${s.models_s} s, checks ${s.checks_s} s`;
