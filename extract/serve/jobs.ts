/**
 * Sync jobs: an extraction (`salesdw extract <source> [--from D] [--to D]`, a child process, as a
 * person runs it) followed by `dataform run` of what the source feeds (actionsFeeding), started
 * from the API or the jobs page and kept as rows of `app.sync_jobs` so that they outlive the server.
 *
 * - One running job per source: a partial unique index refuses a second, in every process.
 * - A running job holds a session advisory lock on its id for as long as its process lives. A
 *   job marked running whose lock is free belongs to a process that died: it is marked failed
 *   (at start-up, and whenever it would block a new job).
 * - `dataform run`s of different jobs take turns (another advisory lock): two runs at once
 *   would rebuild the same tables concurrently.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { hostname } from "node:os";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "../config.ts";
import { dataform, isInterestingLine } from "../dataform.ts";
import { compileGraph } from "../dataform-graph.ts";
import { scopedModels, sourcesWithNewLoads } from "../run/build-scope.ts";
import { redact } from "../log.ts";
import { pullSources } from "../sources/registry.ts";
import { clientConfig, registerUrlSecret } from "../warehouse/warehouse.ts";
import { ensureAppDdl } from "./app-schema.ts";

export interface SyncRange {
  from?: string;
  to?: string;
}

/** The command line that extracts `source` (argv, first the program), or undefined for a source it cannot sync. */
export type SyncCommand = (source: string, range: SyncRange) => string[] | undefined;

/** The step after a successful extraction of `source`; `onLine` receives its progress. */
export type TransformStep = (warehouseUrl: string, onLine: (line: string) => void, source: string) => Promise<{ ok: boolean; errors: string[] }>;

export interface JobRunnerOptions {
  warehouseUrl: string;
  command?: SyncCommand;
  /** Defaults to `dataform run`; null skips the step. */
  transform?: TransformStep | null;
  /** Environment added to the extraction's (WAREHOUSE_URL is always set to the runner's warehouse). */
  env?: Record<string, string>;
}

export type JobStatus = "running" | "succeeded" | "failed";

export interface SyncJob {
  id: number;
  source: string;
  from: string | null;
  to: string | null;
  status: JobStatus;
  phase: string;
  progress: string | null;
  loads: number;
  failed_loads: number;
  rows_loaded: number;
  rows_rejected: number;
  errors: string[];
  output: string;
  requested_by: string | null;
  created_at: string;
  finished_at: string | null;
}

const cliPath = path.join(projectRoot, "bin", "salesdw.mjs");
const SOURCE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * `node bin/salesdw.mjs extract <source> [--from D] [--to D]`, what a person runs, for the API and
 * database sources of the registry (file sources need files, not dates: a server passes its own command).
 */
export const defaultSyncCommand: SyncCommand = (source, range) =>
  SOURCE_NAME.test(source) && Object.hasOwn(pullSources, source)
    ? [process.execPath, cliPath, "extract", source, ...(range.from ? ["--from", range.from] : []), ...(range.to ? ["--to", range.to] : [])]
    : undefined;

/**
 * `dataform run` of what the source feeds, the way `salesdw run` scopes its build (scopedModels:
 * the models fed by the sources with loads not yet built, this one included, everything
 * downstream of them, whatever upstream is missing, and the assertions over them); the whole
 * project when no model reads the source.
 */
export const dataformTransform: TransformStep = async (url, onLine, source) => {
  const actions = await scopedActions(url, source);
  onLine(actions ? `dataform run: ${actions.length} actions fed by ${source}` : `dataform run: no model reads ${source}'s tables; building the whole project`);
  const run = await dataform("run", url, actions ? actions.flatMap((name) => ["--actions", name]) : [], onLine);
  const errors = [
    ...run.failedActions.map((name) => `dataform run: ${name} failed`),
    ...run.assertionsFailed.map((name) => `dataform run: assertion ${name} failed`),
  ];
  if (run.code !== 0 && !errors.length) errors.push(`dataform run exited with code ${run.code}: ${lastLines(run.output, 5)}`);
  return { ok: run.code === 0 && !errors.length, errors };
};

/** The actions to run, or undefined when no model reads the source (then the whole project runs). */
async function scopedActions(url: string, source: string): Promise<string[] | undefined> {
  const graph = await compileGraph();
  const client = new pg.Client(clientConfig(url));
  await client.connect();
  try {
    const sources = [...new Set([source, ...((await sourcesWithNewLoads(client)) ?? [])])];
    const { actions, assertions } = await scopedModels(client, graph, sources);
    return actions.length ? [...actions, ...assertions] : undefined;
  } finally {
    await client.end();
  }
}

const JOBS_DDL = `
create table if not exists app.sync_jobs (
  job_id         bigint generated always as identity primary key,
  source         text not null,
  range_from     date,
  range_to       date,
  status         text not null check (status in ('running', 'succeeded', 'failed')),
  phase          text not null,
  progress       text,
  loads          integer not null default 0,
  failed_loads   integer not null default 0,
  rows_loaded    bigint not null default 0,
  rows_rejected  bigint not null default 0,
  errors         jsonb not null default '[]',
  output         text not null default '',
  requested_by   text,
  runner         text,
  created_at     timestamptz not null default now(),
  finished_at    timestamptz
);
comment on table app.sync_jobs is 'Sync jobs started from the API: an extraction then dataform run; status, progress, rows and errors.';
create unique index if not exists sync_jobs_one_running_per_source on app.sync_jobs (source) where status = 'running';
`;

// Advisory lock keys: (namespace, job id) while a job runs; (namespace, 0) around dataform run.
const LOCK_NAMESPACE = "hashtext('salesdw.sync_jobs')";
const OUTPUT_LINES = 40;

const JOB_COLUMNS = `job_id as id, source, to_char(range_from, 'YYYY-MM-DD') as "from", to_char(range_to, 'YYYY-MM-DD') as "to",
  status, phase, progress, loads, failed_loads, rows_loaded, rows_rejected, errors, output,
  requested_by, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at,
  to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as finished_at`;

function lastLines(text: string, count: number): string {
  return text.trim().split("\n").slice(-count).join("\n");
}

export class JobConflict extends Error {
  constructor(readonly runningJobId: number, source: string) {
    super(`A sync of ${source} is already running: job ${runningJobId}.`);
  }
}

interface Running {
  child?: ChildProcess;
  done: Promise<void>;
}

export class JobRunner {
  readonly pool: pg.Pool;
  private readonly command: SyncCommand;
  private readonly transform: TransformStep | null;
  private readonly running = new Map<number, Running>();
  private closing = false;

  constructor(private readonly options: JobRunnerOptions) {
    registerUrlSecret(options.warehouseUrl);
    this.pool = new pg.Pool({ ...clientConfig(options.warehouseUrl), max: 4 });
    this.pool.on("error", () => {}); // an idle client's lost connection: the next query reports it
    this.command = options.command ?? defaultSyncCommand;
    this.transform = options.transform === undefined ? dataformTransform : options.transform;
  }

  /** Creates the table and fails the jobs that a dead process left running. */
  async start(): Promise<void> {
    await ensureAppDdl(this.pool, JOBS_DDL);
    await this.failOrphans();
  }

  canSync(source: string, range: SyncRange = {}): boolean {
    return this.command(source, range) !== undefined;
  }

  /** Starts a job and returns it at once (status running); the work goes on in the background. */
  async submit(source: string, range: SyncRange, requestedBy: string | null): Promise<SyncJob> {
    const argv = this.command(source, range);
    if (!argv) throw new Error(`cannot sync ${source}`);
    // The job's own connection holds its lock from before the row is visible until the job ends.
    const client = new pg.Client(clientConfig(this.options.warehouseUrl));
    client.on("error", () => {});
    await client.connect();
    let id: number;
    try {
      id = await this.insertRunning(client, source, range, requestedBy);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    const entry: Running = { done: Promise.resolve() };
    this.running.set(id, entry);
    entry.done = this.run(client, id, source, argv).finally(() => {
      this.running.delete(id);
      return client.end().catch(() => undefined);
    });
    return (await this.get(id))!;
  }

  private async insertRunning(client: pg.Client, source: string, range: SyncRange, requestedBy: string | null): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query("begin");
        const { rows } = await client.query(
          `insert into app.sync_jobs (source, range_from, range_to, status, phase, progress, requested_by, runner)
           values ($1, $2, $3, 'running', 'extract', 'starting', $4, $5) returning job_id`,
          [source, range.from ?? null, range.to ?? null, requestedBy, `${hostname()}:${process.pid}`],
        );
        const id = Number(rows[0].job_id);
        await client.query(`select pg_advisory_lock(${LOCK_NAMESPACE}, $1::int)`, [id]);
        await client.query("commit");
        return id;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        if ((error as { code?: string }).code !== "23505") throw error;
        // Another job of this source is marked running: refuse, unless its process is gone.
        const failed = await this.failOrphans();
        if (attempt === 0 && failed > 0) continue;
        const { rows } = await this.pool.query("select job_id from app.sync_jobs where source = $1 and status = 'running'", [source]);
        if (!rows.length && attempt === 0) continue; // it finished meanwhile
        throw new JobConflict(Number(rows[0]?.job_id ?? 0), source);
      }
    }
  }

  /** Marks failed every running job whose process no longer holds its lock. Returns how many. */
  async failOrphans(): Promise<number> {
    const client = await this.pool.connect();
    let failed = 0;
    try {
      const { rows } = await client.query("select job_id from app.sync_jobs where status = 'running'");
      for (const { job_id } of rows) {
        const id = Number(job_id);
        if (this.running.has(id)) continue;
        const { rows: lock } = await client.query(`select pg_try_advisory_lock(${LOCK_NAMESPACE}, $1::int) as free`, [id]);
        if (!lock[0].free) continue;
        try {
          const { rowCount } = await client.query(
            `update app.sync_jobs set status = 'failed', phase = 'done', finished_at = now(),
               errors = errors || jsonb_build_array('cut off: the server process running this job stopped before it finished')
             where job_id = $1 and status = 'running'`,
            [id],
          );
          failed += rowCount ?? 0;
        } finally {
          await client.query(`select pg_advisory_unlock(${LOCK_NAMESPACE}, $1::int)`, [id]);
        }
      }
    } finally {
      client.release();
    }
    return failed;
  }

  async get(id: number): Promise<SyncJob | undefined> {
    const { rows } = await this.pool.query(`select ${JOB_COLUMNS} from app.sync_jobs where job_id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  /** Jobs, newest first, after the job `beforeId` when paging. */
  async list(filter: { source?: string; status?: JobStatus; from?: string; to?: string; beforeId?: number; limit: number }): Promise<SyncJob[]> {
    const values: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown) => `$${values.push(value)}`;
    if (filter.source !== undefined) where.push(`source = ${bind(filter.source)}`);
    if (filter.status !== undefined) where.push(`status = ${bind(filter.status)}`);
    if (filter.from !== undefined) where.push(`created_at >= ${bind(filter.from)}::date::timestamp at time zone 'UTC'`);
    if (filter.to !== undefined) where.push(`created_at < (${bind(filter.to)}::date + 1)::timestamp at time zone 'UTC'`);
    if (filter.beforeId !== undefined) where.push(`job_id < ${bind(filter.beforeId)}`);
    const { rows } = await this.pool.query(
      `select ${JOB_COLUMNS} from app.sync_jobs ${where.length ? `where ${where.join(" and ")}` : ""} order by job_id desc limit ${bind(filter.limit)}`,
      values,
    );
    return rows.map(toJob);
  }

  /** Waits for a job this process runs (tests, shutdown). */
  async settled(id: number): Promise<void> {
    await this.running.get(id)?.done;
  }

  /** Stops: running extractions are ended, their jobs marked failed; the pool closes. */
  async close(): Promise<void> {
    this.closing = true;
    for (const { child } of this.running.values()) if (child && child.exitCode === null) child.kill("SIGTERM");
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.pool.end();
  }

  private async run(client: pg.Client, id: number, source: string, argv: string[]): Promise<void> {
    const errors: string[] = [];
    // The last lines of each step, so that dataform's many lines never push the extraction's out.
    const extractLines: string[] = [];
    const transformLines: string[] = [];
    let lines = extractLines;
    const output = () => (transformLines.length ? [...extractLines, "--- dataform run ---", ...transformLines] : extractLines).join("\n");
    let lastWrite = 0;
    const update = async (fields: Record<string, unknown>) => {
      const names = Object.keys(fields);
      await client.query(
        `update app.sync_jobs set ${names.map((n, i) => `${n} = $${i + 2}`).join(", ")} where job_id = $1 and status = 'running'`,
        [id, ...names.map((n) => (n === "errors" ? JSON.stringify(fields[n]) : fields[n]))],
      );
    };
    const onLine = (line: string) => {
      const clean = redact(line).trimEnd();
      if (!clean.trim()) return;
      lines.push(clean);
      if (lines.length > OUTPUT_LINES) lines.shift();
      if (/^error:/i.test(clean.trim())) errors.push(clean.trim());
      // Progress reaches the row at most once a second, whatever the child prints.
      if (Date.now() - lastWrite >= 1000) {
        lastWrite = Date.now();
        void update({ progress: clean.trim().slice(0, 500), output: output() }).catch(() => undefined);
      }
    };

    try {
      const lastLoad = await this.lastLoadId(client);
      const code = await this.extract(id, argv, onLine);
      const landed = await this.landedSince(client, source, lastLoad);
      if (code !== 0) errors.push(this.closing ? "stopped: the server shut down during the extraction" : `extraction exited with code ${code}`);
      await update({ ...landed, errors, output: output(), progress: `extraction finished: ${landed.loads} load(s), ${landed.rows_loaded} rows` });

      // Transform what landed, even when some files of the batch failed; skip when nothing did.
      let transformed = true;
      if (this.transform && !this.closing && (code === 0 || landed.loads > 0)) {
        lines = transformLines;
        await update({ phase: "transform", progress: "waiting for another dataform run to finish" });
        await client.query(`select pg_advisory_lock(${LOCK_NAMESPACE}, 0)`);
        try {
          await update({ progress: "dataform run" });
          const result = await this.transform(this.options.warehouseUrl, (line) => {
            if (isInterestingLine(line)) onLine(line);
          }, source);
          errors.push(...result.errors);
          transformed = result.ok;
        } finally {
          await client.query(`select pg_advisory_unlock(${LOCK_NAMESPACE}, 0)`);
        }
      }
      const ok = code === 0 && transformed && !errors.length;
      await client.query(
        `update app.sync_jobs set status = $2, phase = 'done', progress = $3, errors = $4, output = $5, finished_at = now()
         where job_id = $1 and status = 'running'`,
        [id, ok ? "succeeded" : "failed", ok ? "done" : "failed", JSON.stringify(errors), output()],
      );
    } catch (error) {
      errors.push(`the job stopped: ${redact((error as Error).message)}`);
      await client
        .query(`update app.sync_jobs set status = 'failed', phase = 'done', errors = $2, finished_at = now() where job_id = $1 and status = 'running'`, [
          id,
          JSON.stringify(errors),
        ])
        .catch(() => undefined);
    } finally {
      await client.query(`select pg_advisory_unlock(${LOCK_NAMESPACE}, $1::int)`, [id]).catch(() => undefined);
    }
  }

  private extract(id: number, argv: string[], onLine: (line: string) => void): Promise<number> {
    return new Promise((resolve) => {
      const [program, ...args] = argv;
      const child = spawn(program, args, {
        cwd: projectRoot,
        env: { ...process.env, CI: "true", ...this.options.env, WAREHOUSE_URL: this.options.warehouseUrl },
        stdio: ["ignore", "pipe", "pipe"],
      });
      this.running.get(id)!.child = child;
      if (this.closing) child.kill("SIGTERM"); // close() came before the child existed
      for (const stream of [child.stdout, child.stderr]) {
        let pending = "";
        stream.setEncoding("utf8");
        stream.on("data", (chunk: string) => {
          const lines = (pending + chunk).split(/\r?\n|\r/);
          pending = lines.pop() ?? "";
          lines.forEach(onLine);
        });
        stream.on("end", () => pending && onLine(pending));
      }
      child.on("error", (error) => {
        onLine(`error: cannot start ${path.basename(program)}: ${error.message}`);
        resolve(127);
      });
      child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  }

  private async lastLoadId(client: pg.Client): Promise<number> {
    const { rows } = await client.query("select to_regclass('raw._loads') is not null as present");
    if (!rows[0].present) return 0;
    const { rows: last } = await client.query("select coalesce(max(load_id), 0) as id from raw._loads");
    return Number(last[0].id);
  }

  /** What the extraction landed: the ledger rows of this source after the last load before it started. */
  private async landedSince(client: pg.Client, source: string, lastLoad: number) {
    const { rows } = await client.query("select to_regclass('raw._loads') is not null as present");
    if (!rows[0].present) return { loads: 0, failed_loads: 0, rows_loaded: 0, rows_rejected: 0 };
    const { rows: sums } = await client.query(
      `select count(*) filter (where status = 'loaded') as loads, count(*) filter (where status = 'failed') as failed_loads,
         coalesce(sum(rows_loaded) filter (where status = 'loaded'), 0) as rows_loaded,
         coalesce(sum(rows_rejected) filter (where status = 'loaded'), 0) as rows_rejected
       from raw._loads where source = $1 and load_id > $2`,
      [source, lastLoad],
    );
    const s = sums[0];
    return { loads: Number(s.loads), failed_loads: Number(s.failed_loads), rows_loaded: Number(s.rows_loaded), rows_rejected: Number(s.rows_rejected) };
  }
}

function toJob(row: Record<string, unknown>): SyncJob {
  return { ...(row as unknown as SyncJob), id: Number(row.id), rows_loaded: Number(row.rows_loaded), rows_rejected: Number(row.rows_rejected) };
}
