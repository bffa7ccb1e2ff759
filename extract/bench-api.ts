/**
 * The API and dashboard part of `npm run bench`, on the warehouse the bench built: a year of
 * restaurant sales lands from the iiko sandbox (`salesdw extract iiko`, then Dataform for what iiko
 * feeds), `salesdw serve` starts in a process of its own on a free loopback port, and autocannon
 * sends 50 concurrent clients (asking for gzip, as HTTP clients do) at
 * /api/v1/kpi/net-sales-daily and /api/v1/sales/summary for a year (whole year in one page), then
 * 20 concurrent signed-in users at the sales dashboard with its default filters; last, one user
 * downloads the sales CSV of every day with sales (lines/s, and the server's RSS meanwhile).
 * p95 is read from every response's own latency (autocannon's summary has p90 and p97.5, not p95).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { randomBytes } from "node:crypto";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { projectRoot } from "./config.ts";
import { dataform } from "./dataform.ts";
import { actionsFeeding, compileGraph } from "./dataform-graph.ts";
import { info } from "./log.ts";
import { startIikoSandbox } from "./sandbox/iiko/server.ts";
import { KeyStore } from "./serve/auth.ts";
import { UserStore } from "./serve/users.ts";
import { clientConfig, connect } from "./warehouse/warehouse.ts";

export const P95_TARGET_MS = 50;
const CONNECTIONS = 50;
export const PAGE_P95_TARGET_MS = 300;
const PAGE_USERS = 20;
export const CSV_TARGET_LINES_PER_S = 100_000;

export interface EndpointFigures {
  path: string;
  requests: number;
  non_2xx: number;
  /** Requests still unanswered after autocannon's 10 s timeout (none answered: p95 is NaN). */
  timeouts: number;
  rows_per_answer: number;
  /** Bytes on the wire per answer, headers included (gzipped when the server gzips). */
  kb_per_answer: number;
  /** CPU the server process and autocannon (this process) used during the load, in % of one core. */
  server_cpu_pct: number;
  autocannon_cpu_pct: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  p95_vs_target: number;
}

export interface DashboardFigures {
  page: Omit<EndpointFigures, "rows_per_answer"> & { users: number; first_request_ms: number };
  csv: { lines: number; seconds: number; lines_per_s: number; mb: number; rss_before_mb: number; rss_peak_mb: number; vs_target: number };
}

export async function benchApi(url: string, options: { seconds: number }): Promise<{ range: { from: string; to: string }; endpoints: EndpointFigures[]; dashboard: DashboardFigures }> {
  const client = await connect(url);
  let to: string;
  try {
    const { rows } = await client.query("select to_char(max(day), 'YYYY-MM-DD') as last from mart.kpi_net_sales_daily");
    to = rows[0].last ?? new Date().toISOString().slice(0, 10);
  } finally {
    await client.end();
  }
  const fromDate = new Date(`${to}T00:00:00Z`);
  fromDate.setUTCFullYear(fromDate.getUTCFullYear() - 1);
  fromDate.setUTCDate(fromDate.getUTCDate() + 1);
  const from = fromDate.toISOString().slice(0, 10);

  info(`Landing a year of restaurant sales (${from} … ${to}) from the iiko sandbox …`);
  const box = await startIikoSandbox({ servers: 2, seats: 2 });
  try {
    await extractIiko(url, box.env(), from, to);
  } finally {
    await box.close();
  }
  const graph = await compileGraph();
  const check = await connect(url);
  let actions: string[];
  try {
    actions = await actionsFeeding(graph, "iiko", async (relation) => (await check.query("select to_regclass($1) is not null as present", [relation])).rows[0].present);
  } finally {
    await check.end();
  }
  info(`dataform run of the ${actions.length} actions iiko feeds …`);
  const run = await dataform("run", url, actions.flatMap((name) => ["--actions", name]));
  if (run.code !== 0) throw new Error(`dataform run failed during the benchmark:\n${run.output}`);

  return measureServe(url, { from, to }, options.seconds);
}

/** The load part alone, on a warehouse that already holds the year of restaurant sales. */
export async function measureServe(url: string, range: { from: string; to: string }, seconds: number): Promise<{ range: { from: string; to: string }; endpoints: EndpointFigures[]; dashboard: DashboardFigures }> {
  const { from, to } = range;
  await settle(url);
  // The server runs as users run it, `salesdw serve` in a process of its own (autocannon in this
  // one would otherwise share its event loop); rate limiting is per key and would answer 429 to a
  // load test, so it is lifted for this server only.
  const server = await startServe(url, { SALESDW_API_RATE_LIMIT: "1000000000" });
  try {
    const base = server.base;
    const keys = new pg.Pool({ ...clientConfig(url), max: 1 });
    const { key } = await new KeyStore(keys).create({ role: "viewer", name: `bench-${Date.now()}` }).finally(() => keys.end());
    const endpoints: EndpointFigures[] = [];
    for (const endpoint of ["/api/v1/kpi/net-sales-daily", "/api/v1/sales/summary"]) {
      const target = `${base}${endpoint}?from=${from}&to=${to}&limit=10000`;
      const probe = await fetch(target, { headers: { authorization: `Bearer ${key}` } });
      if (!probe.ok) throw new Error(`${endpoint} answered ${probe.status}: ${await probe.text()}`);
      const rows = ((await probe.json()) as { data: unknown[] }).data.length;
      info(`autocannon: ${CONNECTIONS} clients, ${seconds} s on ${endpoint} (${rows} rows an answer) …`);
      // As HTTP clients ask by default (browsers, curl --compressed, requests, axios): gzip if the server has it.
      endpoints.push({ path: endpoint, rows_per_answer: rows, ...(await load(target, { authorization: `Bearer ${key}`, "accept-encoding": "gzip, deflate, br" }, seconds, server)) });
    }
    const dashboard = await benchDashboard(url, server, seconds);
    const { page, csv } = dashboard;
    info(`Dashboard: /sales (default filters), ${page.users} signed-in users: p95 ${page.p95_ms} ms, ${page.p95_vs_target}× the ${PAGE_P95_TARGET_MS} ms target ` +
      `(p50 ${page.p50_ms}, p99 ${page.p99_ms} ms; ${page.requests} requests, ${page.non_2xx} not 2xx, ${page.timeouts} timed out; CPU: server ${page.server_cpu_pct}%, autocannon ${page.autocannon_cpu_pct}% of a core; the first request after the build ${page.first_request_ms} ms)\n` +
      `Dashboard: sales CSV, ${csv.lines.toLocaleString("en-US")} lines (${csv.mb} MB) in ${csv.seconds} s: ${csv.lines_per_s.toLocaleString("en-US")} lines/s, ` +
      `${csv.vs_target}× the ${CSV_TARGET_LINES_PER_S.toLocaleString("en-US")} lines/s target; server RSS ${csv.rss_before_mb} MB before, ${csv.rss_peak_mb} MB at most during it`);
    return { range: { from, to }, endpoints, dashboard };
  } finally {
    await server.stop();
  }
}

/**
 * Autovacuum visits each table a load or a build has just written (here up to 2M rows), a minute
 * or so later; on 2 cores a read beside it runs at about two thirds of its speed (the sales CSV:
 * 75,615 lines/s while it vacuumed mart.sales_enriched, 111,292 without). The figures are taken
 * on a settled warehouse: vacuumed and analysed first.
 */
async function settle(url: string): Promise<void> {
  info("VACUUM ANALYZE, so that autovacuum does not run during the measurements …");
  const client = await connect(url);
  try {
    await client.query("vacuum (analyze)");
  } finally {
    await client.end();
  }
}

interface ServeProcess {
  base: string;
  /** The server's resident memory now, in bytes (Linux /proc). */
  rss(): number;
  /** CPU seconds the server has used so far, user and system (Linux /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** `salesdw serve` on a free loopback port, as a child process; resolves once it listens. */
async function startServe(url: string, env: Record<string, string>): Promise<ServeProcess> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
  const child = spawn(process.execPath, [path.join(projectRoot, "bin", "salesdw.mjs"), "serve", "--port", String(port), "--host", "127.0.0.1"], {
    env: { ...process.env, ...env, WAREHOUSE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output = (output + chunk).slice(-4000);
      if (output.includes("Dashboard: http")) resolve();
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    exited.then(() => reject(new Error(`salesdw serve stopped before listening (${child.exitCode}): ${output}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) * 1024,
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/<pid>/stat (after the command in parentheses): utime and stime, in USER_HZ (100 a second on Linux).
      const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function extractIiko(url: string, env: Record<string, string>, from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, "bin", "salesdw.mjs"), "extract", "iiko", "--from", from, "--to", to], {
      env: { ...process.env, ...env, WAREHOUSE_URL: url },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`salesdw extract iiko failed (${code}): ${stderr}`))));
  });
}

/** The sales page with its default filters under PAGE_USERS signed-in users, then the CSV of every day with sales. */
async function benchDashboard(url: string, server: ServeProcess, seconds: number): Promise<DashboardFigures> {
  const base = server.base;
  const pool = new pg.Pool({ ...clientConfig(url), max: 1 });
  const password = randomBytes(18).toString("base64url");
  const name = `bench-${Date.now()}`;
  let range: { first: string; last: string };
  try {
    await new UserStore(pool).add(name, "viewer", password);
    const { rows } = await pool.query("select to_char(min(date), 'YYYY-MM-DD') as first, to_char(max(date), 'YYYY-MM-DD') as last from mart.sales_enriched");
    range = rows[0];
  } finally {
    await pool.end();
  }
  const cookie = await signIn(base, name, password);
  // The first request after a build reads the marts; the ones after it are served from what it kept (snapshot-cache.ts).
  const firstStarted = process.hrtime.bigint();
  const probe = await fetch(`${base}/sales`, { headers: { cookie } });
  if (probe.status !== 200) throw new Error(`/sales answered ${probe.status} to a signed-in user`);
  await probe.text();
  const firstMs = round(Number(process.hrtime.bigint() - firstStarted) / 1e6);
  info(`autocannon: ${PAGE_USERS} signed-in users, ${seconds} s on /sales (default filters) …`);
  const figures = await load(`${base}/sales`, { cookie }, seconds, server, PAGE_USERS);
  const page = { path: "/sales", users: PAGE_USERS, first_request_ms: firstMs, ...figures, p95_vs_target: round(figures.p95_ms / PAGE_P95_TARGET_MS) };

  info(`Downloading the sales CSV of ${range.first} … ${range.last} …`);
  const mb = (bytes: number) => round(bytes / 1024 / 1024);
  const rssBefore = server.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, server.rss())), 50);
  const started = process.hrtime.bigint();
  let lines = 0;
  let bytes = 0;
  try {
    const answer = await fetch(`${base}/sales.csv?preset=custom&from=${range.first}&to=${range.last}`, { headers: { cookie } });
    if (answer.status !== 200 || !answer.body) throw new Error(`/sales.csv answered ${answer.status}`);
    // Count line ends as the bytes arrive (a quoted cell may hold one too, so lines = rows at most).
    for await (const chunk of answer.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
  } finally {
    clearInterval(sampler);
  }
  const csvSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const dataLines = Math.max(0, lines - 1); // the header
  const perSecond = Math.round(dataLines / csvSeconds);
  return {
    page,
    csv: { lines: dataLines, seconds: round(csvSeconds), lines_per_s: perSecond, mb: mb(bytes), rss_before_mb: mb(rssBefore), rss_peak_mb: mb(rssPeak), vs_target: round(perSecond / CSV_TARGET_LINES_PER_S) },
  };
}

/** Signs in as the sign-in form does (its CSRF token and cookie, then the post): the session and CSRF cookies. */
async function signIn(base: string, name: string, password: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const csrfCookies = form.headers.getSetCookie().map((c) => c.split(";")[0]);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf) throw new Error("the sign-in page has no CSRF token");
  const answer = await fetch(`${base}/login`, {
    method: "POST", redirect: "manual", body: new URLSearchParams({ name, password, _csrf: csrf, next: "/" }), headers: { cookie: csrfCookies.join("; ") },
  });
  const session = answer.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (answer.status !== 303 || !session.some((c) => c.startsWith("salesdw_session="))) throw new Error(`signing in answered ${answer.status}`);
  return [...csrfCookies, ...session].join("; ");
}

/** autocannon against one URL; the CPU the server and autocannon used meanwhile, as % of one core, shows which of them was the limit. */
async function load(url: string, headers: Record<string, string>, seconds: number, server: ServeProcess, connections = CONNECTIONS): Promise<Omit<EndpointFigures, "path" | "rows_per_answer">> {
  const latencies: number[] = [];
  let bytes = 0;
  const serverCpuBefore = server.cpuSeconds();
  const clientCpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers, setupClient: discardBodies }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, _status, answerBytes, responseTime) => {
      latencies.push(responseTime);
      bytes += answerBytes;
    });
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const cpu = { server_cpu_pct: round((100 * (server.cpuSeconds() - serverCpuBefore)) / wall), autocannon_cpu_pct: round((clientCpu.user + clientCpu.system) / 1e4 / wall) };
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN);
  const p95 = at(0.95);
  return { requests: latencies.length, kb_per_answer: round(bytes / latencies.length / 1000), ...cpu, non_2xx: result.non2xx, timeouts: result.timeouts, p50_ms: at(0.5), p95_ms: p95, p99_ms: at(0.99), p95_vs_target: round(p95 / P95_TARGET_MS) };
}

/**
 * autocannon appends every response body to a JS string, decoding gzip bytes as UTF-8: on
 * /sales/summary's 60 kB answers that was 86% of its CPU, its one thread ran at 99% and its own
 * queue, not the server, set the latency. The bench reads no body, so each client drops them
 * (status, bytes and timing are still counted by autocannon).
 */
function discardBodies(client: autocannon.Client): void {
  // Not in autocannon's typings: the queue that collects each response's body (autocannon 8–9).
  const queue = (client as unknown as { pipelinedRequests?: { addBody: (data: Buffer) => void } }).pipelinedRequests;
  if (!queue) throw new Error("autocannon changed: its clients have no pipelinedRequests queue to drop bodies from");
  queue.addBody = () => {};
}

const round = (n: number) => Math.round(n * 100) / 100;
