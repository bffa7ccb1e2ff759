/**
 * Sync jobs through the API: a fake extraction (any command line) and a real one (Karamad files
 * through `salesdw extract`, then `dataform run`), one job per source, validation, admin only,
 * and jobs cut off by a server that died.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../extract/config.ts";
import { startIikoSandbox } from "../../extract/sandbox/iiko/server.ts";
import { writeKaramadMonth, type MonthTruth } from "../../extract/samples/karamad.ts";
import { cliPath, freshDatabase, queryRows, runCli } from "../support/warehouse.ts";
import { allPages, call, createKey, startApi, type RunningApi } from "./api-support.ts";
import { fakeSyncCommand } from "./fixtures/fake-command.ts";

let db: string;
let dir: string;
let releaseFile: string;
let server: RunningApi;
let admin: string;
let viewer: string;
const transformed: string[] = [];

/** Follows a job until it is no longer running (each poll is a GET, as a client would do). */
async function finished(base: string, key: string, id: number) {
  for (let polls = 0; polls < 5000; polls++) {
    const answer = await call(base, `/api/v1/jobs/${id}`, { key });
    expect(answer.status).toBe(200);
    if (answer.body.status !== "running") return answer.body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`job ${id} never finished`);
}

beforeAll(async () => {
  db = await freshDatabase("api_jobs");
  dir = mkdtempSync(path.join(tmpdir(), "api-jobs-"));
  releaseFile = path.join(dir, "release");
  expect((await runCli(["warehouse", "roles"], { WAREHOUSE_URL: db })).code).toBe(0);
  admin = await createKey(db, "admin", "ops");
  viewer = await createKey(db, "viewer", "dashboard");
  server = await startApi(db, {
    jobs: {
      command: fakeSyncCommand(releaseFile),
      transform: async (url, onLine) => {
        transformed.push(url);
        onLine("transform: 1 action");
        return { ok: true, errors: [] };
      },
    },
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sync jobs with a fake extraction", () => {
  it("runs the command with the date range, then the transformation, and reports it", async () => {
    const before = transformed.length;
    const started = await call(server.base, "/api/v1/sync", { key: admin, body: { source: "fake_ok", from: "2025-01-01", to: "2025-01-31" } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ source: "fake_ok", from: "2025-01-01", to: "2025-01-31", status: "running", requested_by: "ops" });
    expect(started.headers.get("location")).toBe(`/api/v1/jobs/${started.body.id}`);
    const job = await finished(server.base, admin, started.body.id);
    expect(job).toMatchObject({ status: "succeeded", phase: "done", errors: [], loads: 0, rows_loaded: 0 });
    expect(job.output).toContain("asked: --from 2025-01-01 --to 2025-01-31");
    expect(job.output).toContain("transform: 1 action");
    expect(job.finished_at).toEqual(expect.any(String));
    expect(transformed.length).toBe(before + 1);
    expect(transformed.at(-1)).toBe(db);
  });

  it("a failing extraction fails the job with its error line, and nothing is transformed", async () => {
    const before = transformed.length;
    const started = await call(server.base, "/api/v1/sync", { key: admin, body: { source: "fake_fail" } });
    expect(started.status).toBe(202);
    const job = await finished(server.base, admin, started.body.id);
    expect(job.status).toBe("failed");
    expect(job.errors).toEqual(["error: fake.csv: the export has no header row; export it again with headers.", "extraction exited with code 1"]);
    expect(job.output).toContain("asked: (no range)");
    expect(transformed.length).toBe(before);
  });

  it("one job per source: a second is refused with 409 naming the running job; other sources still start", async () => {
    rmSync(releaseFile, { force: true });
    const first = await call(server.base, "/api/v1/sync", { key: admin, body: { source: "fake_wait" } });
    expect(first.status).toBe(202);
    const second = await call(server.base, "/api/v1/sync", { key: admin, body: { source: "fake_wait", from: "2025-02-01" } });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ error: "conflict", message: `A sync of fake_wait is already running: job ${first.body.id}.`, parameter: "source", job_id: first.body.id });
    const other = await call(server.base, "/api/v1/sync", { key: admin, body: { source: "fake_ok" } });
    expect(other.status).toBe(202);
    expect((await finished(server.base, admin, other.body.id)).status).toBe("succeeded");
    const running = await call(server.base, `/api/v1/jobs/${first.body.id}`, { key: admin });
    expect(running.body).toMatchObject({ status: "running", phase: "extract" });
    writeFileSync(releaseFile, "go");
    expect((await finished(server.base, admin, first.body.id)).status).toBe("succeeded");
    const again = await call(server.base, "/api/v1/sync", { key: admin, body: { source: "fake_wait" } });
    expect(again.status).toBe(202);
    expect((await finished(server.base, admin, again.body.id)).status).toBe("succeeded");
  });

  it.each([
    [{ source: "fake_ok", from: "2025-02-30" }, "from"],
    [{ source: "fake_ok", from: "2025/01/01" }, "from"],
    [{ source: "fake_ok", from: "2025-03-01", to: "2025-02-01" }, "from"],
    [{ source: "fake_ok", to: "tomorrow" }, "to"],
    [{ from: "2025-01-01" }, "source"],
    [{ source: "Fake OK" }, "source"],
    [{ source: "not_a_source" }, "source"],
    [{ source: "fake_ok", days: 3 }, "days"],
  ])("POST /sync %j → 400 naming %s", async (body, parameter) => {
    const answer = await call(server.base, "/api/v1/sync", { key: admin, body });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: "invalid_parameter", parameter });
  });

  it("only admin keys may start, follow or list jobs", async () => {
    expect((await call(server.base, "/api/v1/sync", { key: viewer, body: { source: "fake_ok" } })).status).toBe(403);
    expect((await call(server.base, "/api/v1/jobs", { key: viewer })).status).toBe(403);
    expect((await call(server.base, "/api/v1/jobs/1", { key: viewer })).status).toBe(403);
    expect((await call(server.base, "/api/v1/jobs/1")).status).toBe(401);
    expect((await call(server.base, "/api/v1/jobs/999999", { key: admin })).status).toBe(404);
  });

  it("GET /jobs lists them newest first, page by page, as the table holds them", async () => {
    const want = await queryRows<{ id: string; source: string; status: string }>(db, "select job_id as id, source, status from app.sync_jobs order by job_id desc");
    expect(want.length).toBeGreaterThanOrEqual(5);
    const { rows } = await allPages(server.base, "/api/v1/jobs", admin, {}, 2);
    expect(rows.map((r) => [r.id, r.source, r.status])).toEqual(want.map((r) => [Number(r.id), r.source, r.status]));
    const failed = await allPages(server.base, "/api/v1/jobs", admin, { status: "failed", source: "fake_fail" }, 10);
    expect(failed.rows.map((r) => r.id)).toEqual(want.filter((r) => r.status === "failed" && r.source === "fake_fail").map((r) => Number(r.id)));
  });
});

describe("jobs outlive the server as records", () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  it("a job whose server was killed is marked failed (not left running), and no longer blocks its source", async () => {
    rmSync(releaseFile, { force: true });
    child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "test/serve/fixtures/api-server.ts")], {
      cwd: projectRoot,
      env: { ...process.env, WAREHOUSE_URL: db, RELEASE_FILE: releaseFile },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const base = await new Promise<string>((resolve, reject) => {
      let out = "";
      child!.stdout!.on("data", (chunk) => {
        out += chunk;
        const match = /listening (\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child!.on("exit", (code) => reject(new Error(`the server exited (${code}) before listening`)));
    });
    const started = await call(base, "/api/v1/sync", { key: admin, body: { source: "fake_wait", from: "2025-03-01", to: "2025-03-02" } });
    expect(started.status).toBe(202);
    const id = started.body.id as number;
    // The other server sees it running, and refuses a second one while its process lives.
    expect((await call(server.base, `/api/v1/jobs/${id}`, { key: admin })).body.status).toBe("running");
    expect((await call(server.base, "/api/v1/sync", { key: admin, body: { source: "fake_wait" } })).status).toBe(409);

    const exited = new Promise((resolve) => child!.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    // PostgreSQL ends the dead server's sessions, which releases the job's lock.
    for (let polls = 0; ; polls++) {
      const [{ held }] = await queryRows<{ held: number }>(db, "select count(*)::int as held from pg_locks where locktype = 'advisory' and objid = $1 and granted", [id]);
      if (held === 0) break;
      expect(polls).toBeLessThan(600);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // A new job for that source finds the orphan, fails it, and starts.
    const next = await call(server.base, "/api/v1/sync", { key: admin, body: { source: "fake_wait" } });
    expect(next.status).toBe(202);
    const cut = await call(server.base, `/api/v1/jobs/${id}`, { key: admin });
    expect(cut.body).toMatchObject({ status: "failed", phase: "done", from: "2025-03-01", to: "2025-03-02" });
    expect(cut.body.errors).toEqual(["cut off: the server process running this job stopped before it finished"]);
    writeFileSync(releaseFile, "go");
    expect((await finished(server.base, admin, next.body.id)).status).toBe("succeeded");
  });

  it("a server that shuts down ends its running extraction and records the job as failed", async () => {
    rmSync(releaseFile, { force: true });
    const stopping = await startApi(db, { jobs: { command: fakeSyncCommand(releaseFile), transform: null } });
    const started = await call(stopping.base, "/api/v1/sync", { key: admin, body: { source: "fake_wait" } });
    expect(started.status).toBe(202);
    await stopping.close();
    const [job] = await queryRows<{ status: string; errors: string[] }>(db, "select status, errors from app.sync_jobs where job_id = $1", [started.body.id]);
    expect(job.status).toBe("failed");
    expect(job.errors).toContain("stopped: the server shut down during the extraction");
  });

  it("at start-up, a server fails the jobs a dead process left running", async () => {
    // A row as a process that died between its start and its end leaves it: running, lock free.
    const [{ id }] = await queryRows<{ id: string }>(
      db,
      "insert into app.sync_jobs (source, status, phase, runner) values ('orphan_source', 'running', 'extract', 'gone:1') returning job_id as id",
    );
    const restarted = await startApi(db, { jobs: { command: fakeSyncCommand(releaseFile), transform: null } });
    try {
      const job = await call(restarted.base, `/api/v1/jobs/${id}`, { key: admin });
      expect(job.body).toMatchObject({ status: "failed", errors: ["cut off: the server process running this job stopped before it finished"] });
      expect(job.body.finished_at).toEqual(expect.any(String));
    } finally {
      await restarted.close();
    }
  });
});

describe("a real sync: Karamad files through salesdw extract, then dataform run", () => {
  let realDb: string;
  let real: RunningApi;
  let months: MonthTruth[];
  let key: string;

  beforeAll(async () => {
    realDb = await freshDatabase("api_sync");
    expect((await runCli(["warehouse", "roles"], { WAREHOUSE_URL: realDb })).code).toBe(0);
    months = [
      await writeKaramadMonth(path.join(dir, "1404-01.csv"), { jalaliYear: 1404, jalaliMonth: 1, lines: 150, brokenRows: 2, dirtyRows: 3, invoicePrefix: "A" }),
      await writeKaramadMonth(path.join(dir, "1404-02.csv"), { jalaliYear: 1404, jalaliMonth: 2, lines: 120, invoicePrefix: "B" }),
    ];
    key = await createKey(realDb, "admin", "ops");
    // Karamad is a file source: its sync command names the files (the default command passes --from/--to).
    real = await startApi(realDb, {
      jobs: { command: (source) => (source === "karamad" ? [process.execPath, cliPath, "extract", "karamad", ...months.map((m) => m.file)] : undefined) },
    });
  });

  afterAll(async () => {
    await real?.close();
  });

  // A whole dataform run: minutes on a busy 2-core machine.
  it("lands the files, builds the models, and the loads show in /runs", { timeout: 900_000 }, async () => {
    const started = await call(real.base, "/api/v1/sync", { key, body: { source: "karamad" } });
    expect(started.status).toBe(202);
    const job = await finished(real.base, key, started.body.id);
    expect(job.errors).toEqual([]);
    expect(job).toMatchObject({
      status: "succeeded",
      loads: 2,
      failed_loads: 0,
      rows_loaded: months.reduce((s, m) => s + m.rawRows, 0),
      rows_rejected: months.reduce((s, m) => s + m.rejectedRows, 0),
    });
    expect(job.output).toMatch(/1404-01\.csv: loaded/);

    // Dataform ran as this test's superuser: hand the new views to the roles as an administrator would.
    expect((await runCli(["warehouse", "roles"], { WAREHOUSE_URL: realDb })).code).toBe(0);
    const ledger = await queryRows<Record<string, string>>(realDb, "select load_id, file_name, status, rows_loaded, rows_rejected from raw._loads order by load_id desc");
    const runs = await call(real.base, "/api/v1/runs?source=karamad", { key });
    expect(runs.status).toBe(200);
    expect(runs.body.data.map((r: Record<string, unknown>) => [r.load_id, r.file_name, r.status, r.rows_loaded, r.rows_rejected])).toEqual(
      ledger.map((l) => [Number(l.load_id), l.file_name, l.status, Number(l.rows_loaded), Number(l.rows_rejected)]),
    );
    expect(runs.body.data.map((r: Record<string, unknown>) => r.file_name)).toEqual(["1404-02.csv", "1404-01.csv"]);

    const freshness = await call(real.base, "/api/v1/freshness", { key });
    expect(freshness.body.data).toEqual([
      expect.objectContaining({ source_system: "karamad", loads: 2, canonical_lines: months.reduce((s, m) => s + m.lines, 0), last_event_date: months[1].lastDay }),
    ]);

    // The KPI built by that run, against the generator's own figures per day.
    const truth = new Map<string, bigint>();
    for (const m of months) for (const [day, net] of m.netByDay) truth.set(day, (truth.get(day) ?? 0n) + net);
    const daily = await allPages(real.base, "/api/v1/kpi/net-sales-daily", key, { source: "karamad" }, 10_000);
    expect(daily.rows.map((r) => [r.day, Number(r.net_sales)])).toEqual([...truth.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, net]) => [day, Number(net)]));

    const [{ issues }] = await queryRows<{ issues: number }>(realDb, "select count(*)::int as issues from dq.issues where check_name <> 'load_checked'");
    expect(issues).toBeGreaterThan(0); // the broken and dirty rows
    const dq = await allPages(real.base, "/api/v1/dq/issues", key, { source: "karamad" }, 1000);
    expect(dq.rows).toHaveLength(issues);
  });
});


describe("a sync of an API source with the server's own command: iiko for a date range, against its sandbox", () => {
  it("runs `salesdw extract iiko --from --to`, lands exactly those business days, and prints no password", { timeout: 600_000 }, async () => {
    const box = await startIikoSandbox({ servers: 2, seats: 1 });
    const iikoDb = await freshDatabase("api_iiko");
    const key = await createKey(iikoDb, "admin", "ops");
    // No command given: the default runs the CLI for the registry's pull sources.
    const iiko = await startApi(iikoDb, { jobs: { env: { ...box.env(), IIKO_RETRY_BACKOFF_MS: "10" }, transform: null } });
    try {
      const started = await call(iiko.base, "/api/v1/sync", { key, body: { source: "iiko", from: "2025-04-01", to: "2025-04-02" } });
      expect(started.status).toBe(202);
      const job = await finished(iiko.base, key, started.body.id);
      expect(job.errors).toEqual([]);
      expect(job.status).toBe("succeeded");
      const ledger = await queryRows<{ server: string; day: string; status: string; rows: string }>(
        iikoDb,
        "select details->>'server' as server, details->>'business_day' as day, status, rows_loaded as rows from raw._loads where source = 'iiko' order by 1, 2",
      );
      expect(ledger.map((l) => [l.server, l.day, l.status])).toEqual(
        [...box.servers.map((s) => s.name)].sort().flatMap((server) => ["2025-04-01", "2025-04-02"].map((day) => [server, day, "loaded"])),
      );
      expect(job).toMatchObject({ loads: 4, failed_loads: 0, rows_loaded: ledger.reduce((sum, l) => sum + Number(l.rows), 0) });
      expect(job.rows_loaded).toBeGreaterThan(0);
      for (const server of box.servers) expect(job.output).not.toContain(server.password);
      // The first one over, the next sync of iiko starts.
      const next = await call(iiko.base, "/api/v1/sync", { key, body: { source: "iiko", from: "2025-04-03", to: "2025-04-03" } });
      expect(next.status).toBe(202);
      expect(await finished(iiko.base, key, next.body.id)).toMatchObject({ status: "succeeded", loads: 2 });
      // A file source needs files, not dates: the default command does not offer it.
      const file = await call(iiko.base, "/api/v1/sync", { key, body: { source: "karamad" } });
      expect(file.status).toBe(400);
      expect(file.body).toMatchObject({ parameter: "source", message: 'source "karamad" cannot be synced by this server.' });
    } finally {
      await iiko.close();
      await box.close();
    }
  });
});
