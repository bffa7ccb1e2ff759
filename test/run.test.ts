/**
 * `salesdw run` as a user runs it (a child process) over sample Karamad exports in a fresh
 * database: it loads, builds and checks; the run log holds the run and its loads; a second run
 * changes nothing; a bad file fails the run but not the other files, and one alert reaches a
 * webhook on loopback without the password; two runs never overlap; salesdw.yaml mistakes name
 * the key. Expected figures come from the generator, never from what the warehouse printed.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../extract/config.ts";
import type { MonthTruth } from "../extract/samples/karamad.ts";
import { writeSampleMonths } from "../extract/samples/months.ts";
import { parseRunConfig } from "../extract/run/config.ts";
import { RUN_LOCK_KEY } from "../extract/run/lock.ts";
import { ensureRoles, ROLES } from "../extract/warehouse/roles.ts";
import { cliPath, freshDatabase, queryRows, runCli, withClient } from "./support/warehouse.ts";

let url: string;
let password: string;
let dir: string;
let inbox: string;
let config: string;
let months: MonthTruth[];

/** Tests that build the models: Dataform is slow on a busy 2-core machine. */
const BUILDS = 600_000;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const run = (args: string[] = [], env: Record<string, string> = {}) => runCli(["run", "--config", config, ...args], { WAREHOUSE_URL: url, ...env });
const lastRun = async () => (await queryRows<{ run_id: string; status: string }>(url, "select run_id, status from raw._runs order by run_id desc limit 1"))[0];

/** A Slack-style webhook on loopback that keeps what it receives. */
interface Webhook {
  url: string;
  bodies: string[];
  close(): Promise<void>;
}

async function startWebhook(): Promise<Webhook> {
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      bodies.push(body);
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/services/T0FAKE/B0FAKE/fake-webhook-token-4d2e`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The CLI in a child process whose output can be awaited line by line. */
function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: projectRoot, env: { ...process.env, CI: "true", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const take = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters.filter((w) => w.pattern.test(output))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout.on("data", take);
  child.stderr.on("data", take);
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on("close", (code) => resolve({ code, output })));
  return {
    done,
    /** Resolves when the output says `pattern`; fails if the process ends first. */
    waitFor: (pattern: RegExp) =>
      Promise.race([
        new Promise<void>((resolve) => (pattern.test(output) ? resolve() : waiters.push({ pattern, resolve }))),
        done.then((end) => {
          if (!pattern.test(end.output)) throw new Error(`ended (code ${end.code}) without saying ${pattern}:\n${end.output}`);
        }),
      ]),
  };
}

beforeAll(async () => {
  url = await freshDatabase("run");
  password = decodeURIComponent(new URL(url).password);
  expect(password.length).toBeGreaterThan(3);
  dir = mkdtempSync(path.join(tmpdir(), "run-"));
  inbox = path.join(dir, "inbox", "karamad");
  months = await writeSampleMonths(inbox, { months: 3, rowsPerMonth: 150 });
  config = path.join(dir, "salesdw.yaml");
  writeFileSync(config, 'timezone: Asia/Tehran\nsources:\n  karamad:\n    files: "inbox/karamad/*.csv"\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("salesdw run", () => {
  it("loads every configured file, builds the models, runs the assertions, and logs the run with its loads", async () => {
    const result = await run();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const { run_id: runId, status } = await lastRun();
    expect(status).toBe("succeeded");
    expect(result.stdout).toMatch(new RegExp(`Run ${runId} succeeded in `));

    // Every load of the run carries its id; the rows are the generator's.
    const [loads] = await queryRows<{ loads: string; rows: string; rejects: string; untagged: string }>(
      url,
      `select count(*) filter (where run_id = $1) as loads, sum(rows_loaded) filter (where run_id = $1) as rows,
              sum(rows_rejected) filter (where run_id = $1) as rejects, count(*) filter (where run_id is null) as untagged
       from raw._loads`,
      [runId],
    );
    expect(Number(loads.loads)).toBe(months.length);
    expect(Number(loads.rows)).toBe(sum(months.map((m) => m.rawRows)));
    expect(Number(loads.rejects)).toBe(sum(months.map((m) => m.rejectedRows)));
    expect(Number(loads.untagged)).toBe(0);

    // Built: every usable line is in canonical.
    const [canonical] = await queryRows<{ n: string }>(url, "select count(*) as n from canonical.sales_line");
    expect(Number(canonical.n)).toBe(sum(months.map((m) => m.lines)));

    // The run log: one step per source, then the build, then the assertions.
    const steps = await queryRows<Record<string, string | number | null>>(
      url,
      "select step, name, status, files, new_loads, rows_loaded, rows_rejected, models_built, assertions_passed, failed_items from mart.etl_run_log where run_id = $1 order by step_order",
      [runId],
    );
    expect(steps.map((s) => `${s.step}:${s.name}:${s.status}`)).toEqual(["extract:karamad:ok", "models:dataform run:ok", "checks:assertions:ok"]);
    expect(steps[0]).toMatchObject({ files: months.length, new_loads: months.length });
    expect(Number(steps[0].rows_loaded)).toBe(sum(months.map((m) => m.rawRows)));
    expect(Number(steps[0].rows_rejected)).toBe(sum(months.map((m) => m.rejectedRows)));
    expect(Number(steps[1].models_built)).toBeGreaterThan(15);
    expect(Number(steps[2].assertions_passed)).toBeGreaterThan(15);
    expect(steps[2].failed_items).toBeNull();
    expect(result.stdout).toMatch(new RegExp(`karamad\\s+${months.length}\\s+0\\s+0\\s+${sum(months.map((m) => m.rawRows))}`));
  }, BUILDS);

  it("finds nothing new the second time: loads nothing, rebuilds nothing, exits 0 and says so", async () => {
    const [before] = await queryRows<{ n: string }>(url, "select count(*) as n from raw._loads");
    const result = await run();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [after] = await queryRows<{ n: string }>(url, "select count(*) as n from raw._loads");
    expect(after.n).toBe(before.n);
    expect(result.stdout).toMatch(/already loaded/);
    expect(result.stdout).toMatch(/Up to date: no new load and no model changed since run \d+; not rebuilt/);
    const { run_id: runId } = await lastRun();
    const steps = await queryRows<{ step: string; status: string; new_loads: number | null; already_loaded: number | null }>(
      url,
      "select step, status, new_loads, already_loaded from mart.etl_run_log where run_id = $1 order by step_order",
      [runId],
    );
    expect(steps).toEqual([
      { step: "extract", status: "ok", new_loads: 0, already_loaded: months.length },
      { step: "models", status: "up_to_date", new_loads: null, already_loaded: null },
      { step: "checks", status: "up_to_date", new_loads: null, already_loaded: null },
    ]);
  }, BUILDS);

  it("keeps going past a bad file: exit 1, the other files load and are modelled, one alert names the source without secrets", async () => {
    const webhook = await startWebhook();
    try {
      writeFileSync(path.join(inbox, "bad-export.csv"), "a,b,c\n1,2,3\n");
      const [more] = await writeSampleMonths(inbox, { months: 1, rowsPerMonth: 100, seed: 5, start: { jalaliYear: 1403, jalaliMonth: 2 } });
      const result = await run([], { SALESDW_ALERT_WEBHOOK: webhook.url });
      expect(result.code, result.stdout + result.stderr).toBe(1);
      const { run_id: runId, status } = await lastRun();
      expect(status).toBe("failed");
      expect(result.stderr).toMatch(new RegExp(`Run ${runId} FAILED`));
      expect(result.stderr).toMatch(/source karamad: bad-export\.csv: /);

      const loads = await queryRows<{ file_name: string; status: string; rows_loaded: string }>(
        url,
        "select file_name, status, rows_loaded from raw._loads where run_id = $1 order by file_name",
        [runId],
      );
      expect(loads.map((l) => `${l.file_name}:${l.status}`)).toEqual(["bad-export.csv:failed", `${path.basename(more.file)}:loaded`]);
      expect(Number(loads[1].rows_loaded)).toBe(more.rawRows);
      const [canonical] = await queryRows<{ n: string }>(url, "select count(*) as n from canonical.sales_line");
      expect(Number(canonical.n)).toBe(sum([...months, more].map((m) => m.lines)));
      months.push(more);

      expect(webhook.bodies).toHaveLength(1);
      const { text } = JSON.parse(webhook.bodies[0]) as { text: string };
      expect(text).toMatch(new RegExp(`salesdw run ${runId} FAILED on 127\\.0\\.0\\.1:\\d+/`));
      expect(text).toMatch(/source karamad: bad-export\.csv: .*required header/);
      expect(text).toMatch(/look further: `select file_name, message from raw\._loads where run_id = \d+ and status = 'failed'`/);
      for (const output of [text, result.stdout, result.stderr]) {
        expect(output).not.toContain(password);
        expect(output).not.toContain(encodeURIComponent(password));
        expect(output).not.toContain("fake-webhook-token-4d2e");
      }
      expect(result.stdout).toMatch(/Alert sent to the webhook/);
    } finally {
      rmSync(path.join(inbox, "bad-export.csv"), { force: true });
      await webhook.close();
    }
  }, BUILDS);

  it("lets one run at a time hold a warehouse: a second waits (or refuses with --no-wait), and runs never overlap", async () => {
    // This session holds the lock as a running `salesdw run` does.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query("select pg_advisory_lock(hashtextextended($1, 0))", [RUN_LOCK_KEY]);
      const refused = await run(["--no-wait"]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/another salesdw run is in progress on 127\.0\.0\.1:\d+\/\w+ \(.*\); not starting \(--no-wait\)/);

      const [before] = await queryRows<{ n: string }>(url, "select count(*) as n from raw._runs");
      const args = ["run", "--config", config];
      const first = startCli(args, { WAREHOUSE_URL: url });
      const second = startCli(args, { WAREHOUSE_URL: url });
      await first.waitFor(/waiting for it to finish/);
      await second.waitFor(/waiting for it to finish/);
      const [during] = await queryRows<{ n: string }>(url, "select count(*) as n from raw._runs");
      expect(during.n).toBe(before.n);

      await holder.query("select pg_advisory_unlock(hashtextextended($1, 0))", [RUN_LOCK_KEY]);
      const ends = await Promise.all([first.done, second.done]);
      for (const end of ends) expect(end.code, end.output).toBe(0);
    } finally {
      await holder.end();
    }
    const runs = await queryRows<{ started_at: Date; finished_at: Date }>(url, "select started_at, finished_at from raw._runs order by run_id desc limit 2");
    const [later, earlier] = runs;
    expect(later.started_at.getTime()).toBeGreaterThanOrEqual(earlier.finished_at.getTime());
  }, BUILDS);

  it("checks only (--skip-extract --skip-models) and fails, naming the assertion, when a blocking rule breaks", async () => {
    await queryRows(url, "update dw.fct_sales_line set product_key = 'no-such-product' where sales_line_key = (select min(sales_line_key) from dw.fct_sales_line)");
    const result = await run(["--skip-extract", "--skip-models"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: assertion dq_assertions\.assert_fct_sales_line_dimensions: query returned 1 row\(s\)/m);
    expect(result.stdout).toMatch(/^Assertions {2}\d+ passed, 1 failed \(dq_assertions\.assert_fct_sales_line_dimensions\)/m);
    const { run_id: runId } = await lastRun();
    const steps = await queryRows<{ step: string; status: string; failed_items: string }>(url, "select step, status, failed_items from mart.etl_run_log where run_id = $1", [runId]);
    expect(steps).toEqual([{ step: "checks", status: "failed", failed_items: "dq_assertions.assert_fct_sales_line_dimensions" }]);
    // Nothing was rebuilt: the broken row is still there.
    const [bad] = await queryRows<{ n: string }>(url, "select count(*) as n from dw.fct_sales_line where product_key = 'no-such-product'");
    expect(bad.n).toBe("1");
  }, BUILDS);

  it("lists recent runs with status, durations and failures (salesdw runs)", async () => {
    const all = await queryRows<{ run_id: string; status: string }>(url, "select run_id, status from raw._runs order by run_id desc");
    const result = await runCli(["runs", "--last", "10", "--config", config], { WAREHOUSE_URL: url });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^run\s+started \(Asia\/Tehran\)\s+took\s+status/);
    for (const [i, row] of all.entries()) expect(lines[i + 1]).toMatch(new RegExp(`^${row.run_id}\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\s+\\d.*\\s${row.status}\\s`));
    const failed = all.filter((r) => r.status === "failed").map((r) => r.run_id);
    expect(failed).toHaveLength(2);
    expect(result.stdout).toMatch(new RegExp(`^run ${failed[1]}: source karamad: bad-export\\.csv: `, "m"));
    expect(result.stdout).toMatch(new RegExp(`^run ${failed[0]}: assertion dq_assertions\\.assert_fct_sales_line_dimensions: query returned 1 row`, "m"));
    const one = await runCli(["runs", "--last", "1"], { WAREHOUSE_URL: url });
    const listed = one.stdout.split("\n").filter((line) => /^\d+\s/.test(line));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatch(new RegExp(`^${all[0].run_id}\\s`));
  });

  it("shows the run log to the reader role (mart.etl_run_log), which may not read raw._runs", async () => {
    await withClient(url, async (client) => {
      // Roles are cluster-wide and another test file may create them at the same moment: try again once.
      await ensureRoles(client);
      await client.query("drop role if exists run_log_reader");
      await client.query(`create role run_log_reader login password 'reader-pw-1' in role ${ROLES.reader}`);
    });
    const reader = new URL(url);
    reader.username = "run_log_reader";
    reader.password = "reader-pw-1";
    const rows = await queryRows<{ runs: string }>(reader.toString(), "select count(distinct run_id) as runs from mart.etl_run_log");
    const [all] = await queryRows<{ n: string }>(url, "select count(*) as n from raw._runs");
    expect(rows[0].runs).toBe(all.n);
    await expect(queryRows(reader.toString(), "select * from raw._runs")).rejects.toThrow(/permission denied/);
  });
});

describe("salesdw.yaml", () => {
  it("names the file, the line and the key of each mistake", () => {
    const problems = (text: string) => {
      try {
        parseRunConfig(text, "salesdw.yaml");
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(problems("sources:\n  karamad:\n    files: inbox/*.csv\n    stale_after: soon\n")).toBe(
      'salesdw.yaml:4: sources.karamad.stale_after: must be a duration like "90m", "36h" or "2d"',
    );
    expect(problems("sources:\n  karamad:\n    files: 3\n")).toMatch(/^salesdw\.yaml:3: sources\.karamad\.files: /);
    expect(problems("sources:\n  karamad:\n    flies: inbox/*.csv\n")).toBe(
      "salesdw.yaml:3: sources.karamad.flies: unknown key (karamad is a file source: enabled, files, stale_after)",
    );
    expect(problems("sources:\n  nosuch: {}\n")).toMatch(/^salesdw\.yaml:2: sources\.nosuch: unknown source; known sources: karamad/);
    expect(problems("timezone: Mars/Olympus\n")).toBe("salesdw.yaml:1: timezone: must be an IANA time zone such as Asia/Tehran or UTC");
    expect(problems("alerts:\n  webhook: https://hooks.example/x\n")).toMatch(/^salesdw\.yaml:2: alerts\.webhook: the webhook is a secret: set SALESDW_ALERT_WEBHOOK/);
    expect(problems("schedule: daily\n")).toMatch(/^salesdw\.yaml:1: schedule: unknown key \(allowed here: timezone, sources, alerts\)/);
    expect(problems("sources:\n  karamad:\n    enabled: true\n")).toMatch(/^salesdw\.yaml:2: sources\.karamad\.files: karamad is enabled but has no files/);
    expect(problems("sources: [\n")).toMatch(/^salesdw\.yaml:\d+: not valid YAML: /);
  });

  it("hands a source its own options as `salesdw extract` takes them, and refuses others", () => {
    const parsed = parseRunConfig(
      "sources:\n  events:\n    files: a/*.csv\n    timezone: Asia/Tehran\n  reckon:\n    files: r/*.csv\n    entity: invoices\n  xero:\n    page_size: 50\n    overlap-minutes: 10\n    entities: [invoices]\n",
      "salesdw.yaml",
    );
    expect(parsed.sources.events.options).toEqual({ timezone: "Asia/Tehran" });
    expect(parsed.sources.reckon.options).toEqual({ entity: "invoices" });
    expect(parsed.sources.xero.options).toEqual({ pageSize: 50, overlapMinutes: 10, entities: ["invoices"] });
    expect(() => parseRunConfig("sources:\n  events:\n    files: a/*.csv\n    timezone: Mars/Base\n", "salesdw.yaml")).toThrow(/^salesdw\.yaml:4: sources\.events\.timezone: .*Mars\/Base/);
    expect(() => parseRunConfig("sources:\n  karamad:\n    files: a/*.csv\n    entity: x\n", "salesdw.yaml")).toThrow(
      "salesdw.yaml:4: sources.karamad.entity: unknown key (karamad is a file source: enabled, files, stale_after)",
    );
    expect(() => parseRunConfig("sources:\n  xero:\n    files: x/*.json\n", "salesdw.yaml")).toThrow(/^salesdw\.yaml:3: sources\.xero\.files: xero is not a file source/);
  });

  it("refuses a bad file before touching the warehouse, naming the key", async () => {
    const bad = path.join(dir, "bad.yaml");
    writeFileSync(bad, "timezone: UTC\nsources:\n  karamad:\n    files: inbox/*.csv\n    stale_after: 2 weeks\n");
    const runs = async () => {
      const [present] = await queryRows<{ yes: boolean }>(url, "select to_regclass('raw._runs') is not null as yes");
      return present.yes ? (await queryRows<{ n: string }>(url, "select count(*) as n from raw._runs"))[0].n : "none";
    };
    const before = await runs();
    const result = await runCli(["run", "--config", bad], { WAREHOUSE_URL: url });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml:5: sources\.karamad\.stale_after: must be a duration/);
    expect(await runs()).toBe(before);
  });

  it("ships an example that is valid and explains every key", () => {
    const text = readFileSync(path.join(projectRoot, "salesdw.example.yaml"), "utf8");
    const parsed = parseRunConfig(text, "salesdw.example.yaml");
    expect(parsed.sources.karamad.files).toEqual(["inbox/karamad/*.csv"]);
    // Its commented-out entries are valid too, once uncommented.
    const uncommented = parseRunConfig(text.replace(/^( *)# (?=[a-z_-]+:)/gm, "$1").replace(/^ *# .*$/gm, ""), "uncommented");
    expect(Object.keys(uncommented.sources).sort()).toEqual(["concord", "events", "events-opening-balances", "iiko", "karamad", "reckon", "xero"]);
    for (const key of ["timezone:", "sources:", "files:", "enabled:", "stale_after:", "alerts:", "on_failure:", "on_stale:", "SALESDW_ALERT_WEBHOOK", "page_size:"]) {
      expect(text).toContain(key);
    }
  });
});
