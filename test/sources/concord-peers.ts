/**
 * Three independent TDS clients reading the ConcordDb sandbox: the `mssql` driver (tedious),
 * FreeTDS's `tsql` (Debian freetds-bin) and python-tds (Debian python3-tds). A bug shared by
 * tedious and the sandbox shows up as a difference with the other two.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sql from "mssql";
import type { SqlType, SqlValue } from "../../extract/sandbox/tds/types.ts";
import { formatScaled, parseDatetime2 } from "../../extract/sandbox/tds/values.ts";

export interface Endpoint {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** The value as text in one canonical form per type (what a correct client reads, written down). */
export function canonical(type: SqlType, value: SqlValue): string | null {
  if (value === null) return null;
  switch (type.name) {
    case "bit":
      return value ? "1" : "0";
    case "money":
      return formatScaled(value as bigint, 4);
    case "decimal":
      return formatScaled(value as bigint, type.scale);
    case "float":
      return String(value);
    case "varbinary":
      return (value as Buffer).toString("hex");
    case "uniqueidentifier":
      return (value as string).toUpperCase();
    default:
      return String(value);
  }
}

export async function readWithMssql(endpoint: Endpoint, query: string, params: Record<string, number>): Promise<Record<string, unknown>[]> {
  const pool = new sql.ConnectionPool({
    server: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    database: endpoint.database,
    options: { encrypt: false, trustServerCertificate: true },
  });
  await pool.connect();
  try {
    const request = pool.request();
    for (const [name, value] of Object.entries(params)) request.input(name, sql.BigInt, value);
    const result = await request.query(query);
    return result.recordset as Record<string, unknown>[];
  } finally {
    await pool.close();
  }
}

const COLUMN_SEPARATOR = "\u241f";
const ROW_SEPARATOR = "\u241e\n";

function run(command: string, args: string[], input?: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

/** Runs one statement through FreeTDS's tsql; values come back as tsql prints them ("NULL" for NULL). */
export async function readWithTsql(endpoint: Endpoint, query: string): Promise<{ columns: string[]; rows: string[][] }> {
  const args = ["-H", endpoint.host, "-p", String(endpoint.port), "-U", endpoint.user, "-P", endpoint.password, "-D", endpoint.database, "-o", "q", "-t", COLUMN_SEPARATOR, "-r", ROW_SEPARATOR];
  const { code, stdout, stderr } = await run("tsql", args, `${query}\ngo\nexit\n`, { ...process.env, TDSVER: "7.4" });
  if (code !== 0) throw new Error(`tsql exited with ${code}: ${stderr}`);
  const records = stdout.split(ROW_SEPARATOR);
  const trailing = records.pop() ?? "";
  if (trailing.trim()) throw new Error(`tsql printed something after the last row: ${trailing.slice(0, 200)}`);
  const [header, ...rows] = records.map((r) => r.split(COLUMN_SEPARATOR));
  if (!header) throw new Error(`tsql printed no result: ${stderr}`);
  return { columns: header, rows };
}

const pytdsScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "concord-pytds.py");

/** Runs one statement through python-tds (parameters go as an sp_executesql RPC, as the extractor's do). */
export async function readWithPytds(endpoint: Endpoint, query: string, params: Record<string, number>): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  const { code, stdout, stderr } = await run("/usr/bin/python3", [pytdsScript, JSON.stringify({ ...endpoint, sql: query, params })]);
  if (code !== 0) throw new Error(`python-tds failed (${code}): ${stderr}`);
  return JSON.parse(stdout);
}

/** tsql's default rendering of datetime2: "Mar 14 2025 09:26AM". */
export function tsqlDatetime(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})/.exec(text)!;
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const hour = Number(m[4]);
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${months[Number(m[2]) - 1]} ${String(Number(m[3])).padStart(2, " ")} ${Number(m[1])} ${String(h12).padStart(2, "0")}:${m[5]}${hour < 12 ? "AM" : "PM"}`;
}

/** How tedious hands a datetime2 over: a Date in UTC, cut to milliseconds. */
export function asMillisecondDate(text: string): string {
  parseDatetime2(text);
  return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
}
