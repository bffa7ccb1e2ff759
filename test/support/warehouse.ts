/**
 * Helpers for tests that need the warehouse: a fresh database per test file, a pg client,
 * and the CLI run as a user runs it (a child process), pointed at that database.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { projectRoot } from "../../extract/config.ts";

export async function freshDatabase(prefix = "t"): Promise<string> {
  const adminUrl = inject("warehouseUrl");
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function queryRows<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(sql, params)).rows as T[]);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const cliPath = path.join(projectRoot, "bin", "salesdw.mjs");

/** Runs `salesdw …` in a child process with the given environment added. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = projectRoot): Promise<CliResult> {
  return runProcess(process.execPath, [cliPath, ...args], env, cwd);
}

/** Runs a program with the given environment added; `input`, when given, is its standard input. */
export function runProcess(command: string, args: string[], env: Record<string, string> = {}, cwd = projectRoot, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, CI: "true", ...env }, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
