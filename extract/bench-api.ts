/**
 * The API part of `npm run bench`, on the warehouse the bench built: a year of restaurant sales
 * lands from the iiko sandbox (`salesdw extract iiko`, then Dataform for what iiko feeds), the
 * server starts on a free loopback port, and autocannon sends 50 concurrent clients at
 * /api/v1/kpi/net-sales-daily and /api/v1/sales/summary for a year (whole year in one page).
 * p95 is read from every response's own latency (autocannon's summary has p90 and p97.5, not p95).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { projectRoot } from "./config.ts";
import { dataform } from "./dataform.ts";
import { actionsFeeding, compileGraph } from "./dataform-graph.ts";
import { info } from "./log.ts";
import { startIikoSandbox } from "./sandbox/iiko/server.ts";
import { KeyStore } from "./serve/auth.ts";
import { buildServer } from "./serve/server.ts";
import { clientConfig, connect } from "./warehouse/warehouse.ts";

export const P95_TARGET_MS = 50;
const CONNECTIONS = 50;

export interface EndpointFigures {
  path: string;
  requests: number;
  non_2xx: number;
  rows_per_answer: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  p95_vs_target: number;
}

export async function benchApi(url: string, options: { seconds: number }): Promise<{ range: { from: string; to: string }; endpoints: EndpointFigures[] }> {
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

  // Rate limiting is per key and would answer 429 to a load test: lifted for this server only.
  const app = await buildServer({ url, apiRateLimit: { max: 1_000_000_000, timeWindow: "1 minute" } });
  try {
    await app.listen({ host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const keys = new pg.Pool({ ...clientConfig(url), max: 1 });
    const { key } = await new KeyStore(keys).create({ role: "viewer", name: `bench-${Date.now()}` }).finally(() => keys.end());
    const endpoints: EndpointFigures[] = [];
    for (const endpoint of ["/api/v1/kpi/net-sales-daily", "/api/v1/sales/summary"]) {
      const target = `${base}${endpoint}?from=${from}&to=${to}&limit=10000`;
      const probe = await fetch(target, { headers: { authorization: `Bearer ${key}` } });
      if (!probe.ok) throw new Error(`${endpoint} answered ${probe.status}: ${await probe.text()}`);
      const rows = ((await probe.json()) as { data: unknown[] }).data.length;
      info(`autocannon: ${CONNECTIONS} clients, ${options.seconds} s on ${endpoint} (${rows} rows an answer) …`);
      endpoints.push({ path: endpoint, rows_per_answer: rows, ...(await load(target, key, options.seconds)) });
    }
    return { range: { from, to }, endpoints };
  } finally {
    await app.close();
  }
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

async function load(url: string, key: string, seconds: number): Promise<Omit<EndpointFigures, "path" | "rows_per_answer">> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { authorization: `Bearer ${key}` } }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN);
  const p95 = at(0.95);
  return { requests: latencies.length, non_2xx: result.non2xx, p50_ms: at(0.5), p95_ms: p95, p99_ms: at(0.99), p95_vs_target: round(p95 / P95_TARGET_MS) };
}

const round = (n: number) => Math.round(n * 100) / 100;
