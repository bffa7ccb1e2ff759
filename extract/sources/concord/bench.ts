/**
 * `npm run bench -- --concord N`: a ConcordDb snapshot of an N-row table from the sandbox (run
 * as a child process, as a user runs it), against a bare client that sends the same keyset
 * statements through the same driver and throws the rows away: the extractor lands
 * rows/s ÷ the bare client's rows/s (target ≥ 0.8), with its peak RSS (target ≤ 300 MB).
 * The table is ClientBankDetailAccountNumber (7 columns: bigint, nvarchar(max), datetime2 ×3,
 * uniqueidentifier, bit), in a database of its own (salesdw_bench, recreated).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot, UserError } from "../../config.ts";
import { info } from "../../log.ts";
import { recreateDatabase, timeCli } from "../../bench.ts";
import { ensureWarehouse } from "../../warehouse/warehouse.ts";
import { readCatalog, findTable } from "./catalog.ts";
import { eachRow, openConcord } from "./client.ts";
import { concordContracts } from "./discover.ts";
import { planTable } from "./plan.ts";
import { quoteName } from "./columns.ts";
import { concordSettings } from "./settings.ts";

const TABLE = "ClientBankDetailAccountNumber";
const PAGE_SIZE = 20_000;
const cli = path.join(projectRoot, "bin", "salesdw.mjs");

function startSandbox(rows: number): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "sandbox", "concord", "--rows", `${TABLE}=${rows}`, "--change-tracking", "none"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const match = /CONCORD_URL='([^']+)'/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`the sandbox stopped (${code}): ${out}`)));
  });
}

/** The bare client: the extractor's own keyset statements, read the same way (`eachRow`), rows counted and dropped. */
async function timeBareClient(concordUrl: string): Promise<{ seconds: number; rows: number }> {
  const pool = await openConcord(concordSettings({ CONCORD_URL: concordUrl }));
  try {
    const catalog = await readCatalog(pool);
    const [contract] = concordContracts([TABLE.toLowerCase()]);
    const table = findTable(catalog, TABLE);
    if (!contract || !table) throw new UserError(`no contract or table for ${TABLE}`);
    const plan = planTable(table, contract);
    const statement = `SELECT TOP (@n) ${plan.columns.map((c) => c.reader.select()).join(", ")} FROM [dbo].${quoteName(TABLE)} WHERE [ID] > @after ORDER BY [ID]`;
    const started = process.hrtime.bigint();
    let rows = 0;
    let after = -(2n ** 63n);
    for (;;) {
      const page = await eachRow(pool, statement, [
        { name: "n", type: "int", value: PAGE_SIZE },
        { name: "after", type: "bigint", value: after },
      ], (row) => {
        after = BigInt(String(row[0]));
      });
      rows += page;
      if (page < PAGE_SIZE) break;
    }
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows };
  } finally {
    await pool.close();
  }
}

const timeExtractor = (concordUrl: string, warehouseUrl: string) =>
  timeCli(["extract", "concord", "--tables", TABLE, "--page-size", String(PAGE_SIZE)], { WAREHOUSE_URL: warehouseUrl, CONCORD_URL: concordUrl });

const round = (n: number) => Math.round(n * 1000) / 1000;

export async function runConcordBench(rows: number): Promise<number> {
  if (rows < 1000) throw new UserError("--concord must be at least 1000 rows.");
  const url = await recreateDatabase(await ensureWarehouse(info));
  info(`Starting the ConcordDb sandbox with ${rows.toLocaleString("en-US")} rows in dbo.${TABLE} …`);
  const sandbox = await startSandbox(rows);
  try {
    info("Bare client (the same keyset statements through mssql, rows dropped) …");
    const bare = await timeBareClient(sandbox.url);
    if (bare.rows !== rows) throw new Error(`the bare client read ${bare.rows} rows, expected ${rows}`);
    info("Extractor (salesdw extract concord, child process) …");
    const extractor = await timeExtractor(sandbox.url, url);
    if (!extractor.stdout.includes(`loaded ${rows} rows`)) throw new Error(`the extractor did not land ${rows} rows: ${extractor.stdout}`);
    const figures = {
      rows,
      table: `dbo.${TABLE}`,
      bare_client: { seconds: round(bare.seconds), rows_per_s: Math.round(rows / bare.seconds) },
      extractor: { seconds: round(extractor.seconds), rows_per_s: Math.round(rows / extractor.seconds), peak_rss_mb: round(extractor.peakRssMb) },
      extractor_vs_bare_client: round(bare.seconds / extractor.seconds),
      targets: { extractor_vs_bare_client: ">= 0.8", peak_rss_mb: "<= 300" },
      measured_at: new Date().toISOString(),
    };
    const dir = path.join(projectRoot, "bench-results");
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, `bench-concord-${rows}.json`);
    writeFileSync(out, JSON.stringify(figures, null, 2) + "\n");
    info(`
ConcordDb snapshot benchmark, ${rows.toLocaleString("en-US")} rows of dbo.${TABLE} from the sandbox:
  bare client      ${figures.bare_client.rows_per_s.toLocaleString("en-US")} rows/s
  extractor        ${figures.extractor.rows_per_s.toLocaleString("en-US")} rows/s (read and landed together, cursor saved), peak RSS ${figures.extractor.peak_rss_mb} MB   (target <= 300)
  extractor/bare   ${figures.extractor_vs_bare_client}   (target >= 0.8)
Written to ${path.relative(process.cwd(), out)}`);
    return 0;
  } finally {
    sandbox.child.kill("SIGTERM");
  }
}
