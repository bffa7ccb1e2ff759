/**
 * The load path never loses or doubles a row, whatever happens mid-run: the extractor killed
 * during COPY, PostgreSQL stopped during a load, two loads of the same file at once, a
 * `dataform run` during a load or killed half-way. Written against `salesdw extract` and the
 * generator, so a new file source runs the same checks with its own files.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../extract/config.ts";
import { dataform, dataformArgv } from "../extract/dataform.ts";
import { writeKaramadMonth, type MonthTruth } from "../extract/samples/karamad.ts";
import { startEmbedded, stopEmbedded } from "../extract/warehouse/embedded.ts";
import { prepareRawLayer, writeDataformCredentials } from "../extract/warehouse/warehouse.ts";
import { freePort } from "./support/net.ts";
import { cliPath, freshDatabase, queryRows, runCli } from "./support/warehouse.ts";

let dir: string;
let big: MonthTruth;
let small: MonthTruth[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "guarantees-"));
  chmodSync(dir, 0o755);
  big = await writeKaramadMonth(path.join(dir, "big.csv"), { jalaliYear: 1403, jalaliMonth: 7, lines: 300_000, brokenRows: 5, invoicePrefix: "BIG" });
  small = [
    await writeKaramadMonth(path.join(dir, "m1.csv"), { jalaliYear: 1403, jalaliMonth: 1, lines: 3000, brokenRows: 2, dirtyRows: 2 }),
    await writeKaramadMonth(path.join(dir, "m2.csv"), { jalaliYear: 1403, jalaliMonth: 2, lines: 3000, inconsistentRows: 2 }),
    await writeKaramadMonth(path.join(dir, "m3.csv"), { jalaliYear: 1403, jalaliMonth: 3, lines: 3000, encoding: "windows-1256" }),
  ];
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startExtract(url: string, files: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [cliPath, "extract", "karamad", ...files], {
    cwd: projectRoot,
    env: { ...process.env, WAREHOUSE_URL: url, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until a COPY into raw is running on the server (so a kill lands mid-load). */
async function untilCopyRuns(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await queryRows(url, "select 1 from pg_stat_activity where query ilike 'copy raw.%' and state = 'active'");
    if (rows.length) return;
    await sleep(20);
  }
  throw new Error("the COPY never started");
}

/** Waits until no extractor session is left on the server (a killed client's transaction is rolled back). */
async function untilNoLoadSessions(url: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const rows = await queryRows(url, "select 1 from pg_stat_activity where application_name = 'salesdw' and pid <> pg_backend_pid()");
    if (!rows.length) return;
    await sleep(20);
  }
  throw new Error("extractor sessions did not go away");
}

async function loadedState(url: string, file: string) {
  const [row] = await queryRows<{ rows: number; loads: number; failed: number }>(
    url,
    `select (select count(*)::int from raw.karamad__sales_line r join raw._loads l on l.load_id = r._load_id where l.file_name = $1) as rows,
            (select count(*)::int from raw._loads where file_name = $1 and status = 'loaded') as loads,
            (select count(*)::int from raw._loads where file_name = $1 and status = 'failed') as failed`,
    [file],
  );
  return row;
}

describe("crashes", () => {
  it("an extractor killed (SIGKILL) during COPY leaves nothing, and the next run loads the file exactly once", async () => {
    const url = await freshDatabase("crash");
    for (const delay of [0, 100, 250]) {
      const { child, done } = startExtract(url, [big.file]);
      await untilCopyRuns(url);
      await sleep(delay);
      child.kill("SIGKILL");
      const result = await done;
      expect(result.signal).toBe("SIGKILL");
      await untilNoLoadSessions(url);
      expect(await loadedState(url, "big.csv")).toEqual({ rows: 0, loads: 0, failed: 0 });
    }
    const finished = await runCli(["extract", "karamad", big.file], { WAREHOUSE_URL: url });
    expect(finished.code).toBe(0);
    expect(await loadedState(url, "big.csv")).toEqual({ rows: big.rawRows, loads: 1, failed: 0 });
  });

  it("PostgreSQL stopped during a load: one clear line, nothing partial, and the re-run completes", async () => {
    const settings = { dir: path.join(dir, "own-warehouse"), port: await freePort() };
    const url = await startEmbedded(settings, () => {});
    try {
      const { done } = startExtract(url, [big.file]);
      await untilCopyRuns(url);
      await stopEmbedded(settings);
      const result = await done;
      expect(result.code).toBe(1);
      const errors = result.stderr.split("\n").filter((line) => line.startsWith("error:"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/big\.csv: the warehouse connection was lost during the load .*nothing from this file was kept.*run the same command again/);
      expect(result.stderr).not.toMatch(/\n\s+at /);

      await startEmbedded(settings, () => {});
      expect(await loadedState(url, "big.csv")).toEqual({ rows: 0, loads: 0, failed: 0 });
      const rerun = await runCli(["extract", "karamad", big.file], { WAREHOUSE_URL: url });
      expect(rerun.code).toBe(0);
      expect(await loadedState(url, "big.csv")).toEqual({ rows: big.rawRows, loads: 1, failed: 0 });
    } finally {
      await stopEmbedded(settings);
    }
  });

  it("a dataform run killed half-way, then run again, gives the same warehouse as an uninterrupted run", async () => {
    const interrupted = await freshDatabase("df_killed");
    const reference = await freshDatabase("df_reference");
    for (const url of [interrupted, reference]) {
      expect((await runCli(["extract", "karamad", ...small.map((m) => m.file)], { WAREHOUSE_URL: url })).code).toBe(0);
    }
    await prepareRawLayer(interrupted); // as salesdw does before every Dataform run
    const credentials = writeDataformCredentials(interrupted, path.join(dir, "killed-credentials.json"));
    const run = spawn(process.execPath, dataformArgv(["run", projectRoot, "--credentials", credentials]), {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    run.stdout!.on("data", (d) => (output += d));
    run.stderr!.on("data", (d) => (output += d));
    const closed = new Promise((resolve) => run.on("close", resolve)); // listening from the start: it may end early
    // Kill it once the first models exist and before the last ones do.
    let started = false;
    while (!started && run.exitCode === null) {
      [{ started }] = await queryRows<{ started: boolean }>(interrupted, "select to_regclass('canonical.sales_line') is not null as started");
      if (!started) await sleep(10);
    }
    expect(started, output.slice(-3000)).toBe(true); // it got that far, and was still running
    run.kill("SIGKILL");
    await closed;
    const [partial] = await queryRows<{ finished: boolean }>(interrupted, "select to_regclass('dq.run_stats') is not null as finished");
    expect(partial.finished).toBe(false); // it really was cut off
    await sleep(500); // let the server notice the dropped connections and roll back

    expect((await dataform("run", interrupted)).code).toBe(0);
    expect((await dataform("run", reference)).code).toBe(0);
    const fingerprint = (url: string) =>
      queryRows(
        url,
        `select
          (select md5(string_agg(concat_ws(':', sales_line_key, net_amount, quantity, _load_id, first_load_id), ',' order by sales_line_key)) from canonical.sales_line) as canonical,
          (select md5(string_agg(concat_ws(':', sales_line_key, date_key, customer_key, product_key, net_amount), ',' order by sales_line_key)) from dw.fct_sales_line) as facts,
          (select md5(string_agg(concat_ws(':', invoice_key, line_count, net_amount), ',' order by invoice_key)) from dw.fct_invoice) as invoices,
          (select md5(string_agg(concat_ws(':', check_name, record_key, detail), ',' order by issue_key)) from dq.issues) as issues,
          (select count(*) from dw.dim_customer) as customers,
          (select count(*) from dw.dim_date) as days`,
      );
    expect(await fingerprint(interrupted)).toEqual(await fingerprint(reference));
  }, 1_200_000); // three whole-project Dataform runs: slow on a busy 2-core machine
});

describe("concurrent runs", () => {
  it("two extracts of the same file at once: one loads, the other waits and finds it loaded; no row twice", async () => {
    const url = await freshDatabase("concurrent");
    const first = startExtract(url, [big.file]);
    const second = startExtract(url, [big.file]);
    const results = await Promise.all([first.done, second.done]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const outputs = results.map((r) => r.stdout).join("\n");
    expect(outputs).toMatch(/big\.csv: loaded \d+ rows/);
    expect(outputs).toMatch(/big\.csv: already loaded/);
    expect(await loadedState(url, "big.csv")).toEqual({ rows: big.rawRows, loads: 1, failed: 0 });
  });

  it("a dataform run during a load sees all of the load or none of it", async () => {
    const url = await freshDatabase("during");
    expect((await runCli(["extract", "karamad", small[0].file], { WAREHOUSE_URL: url })).code).toBe(0);
    const load = startExtract(url, [big.file]);
    await untilCopyRuns(url);
    const run = await dataform("run", url);
    expect(run.code).toBe(0);
    const loadResult = await load.done;
    expect(loadResult.code).toBe(0);
    const counts = async () =>
      (await queryRows<{ n: number }>(url, "select count(*)::int as n from canonical.sales_line c join raw._loads l on l.load_id = c._load_id where l.file_name = 'big.csv'"))[0].n;
    expect([0, big.lines]).toContain(await counts());
    // And the next run takes the whole load.
    expect((await dataform("run", url)).code).toBe(0);
    expect(await counts()).toBe(big.lines);
  });
});
