/**
 * For the API tests: a real Fastify server with the API plugin listening on 127.0.0.1, keys made
 * with the CLI as an administrator makes them, and a fetch helper.
 */
import Fastify, { type FastifyInstance } from "fastify";
import type pg from "pg";
import { expect } from "vitest";
import { api, type ApiOptions } from "../../extract/serve/api/index.ts";
import { createReaderPool } from "../../extract/serve/api/reader-pool.ts";
import { runCli } from "../support/warehouse.ts";

export interface RunningApi {
  base: string;
  app: FastifyInstance;
  readerPool: pg.Pool;
  close(): Promise<void>;
}

export async function startApi(url: string, options: Partial<ApiOptions> = {}): Promise<RunningApi> {
  const readerPool = createReaderPool(url, { max: 4 });
  const app = Fastify({ logger: false });
  await app.register(api, { prefix: "/api/v1", readerPool, warehouseUrl: url, ...options });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    app,
    readerPool,
    async close() {
      await app.close();
      await readerPool.end();
    },
  };
}

/** `salesdw keys create` in a child process; the key is stdout's only line. */
export async function createKey(url: string, role: "viewer" | "admin", name: string): Promise<string> {
  const result = await runCli(["keys", "create", "--role", role, "--name", name], { WAREHOUSE_URL: url });
  expect(result.stderr).toContain(`Created ${role} key "${name}"`);
  expect(result.code).toBe(0);
  const key = result.stdout.trim();
  expect(key).toMatch(/^sdw_[A-Za-z0-9_-]{43}$/);
  return key;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = Record<string, any>>(
  base: string,
  path: string,
  options: { key?: string; method?: string; body?: unknown; accept?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.accept) headers.accept = options.accept;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(base + path, {
    method: options.method ?? (options.body !== undefined ? "POST" : "GET"),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get("content-type") ?? "").includes("json")) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: body as T, text };
}

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** Every page of a list, following next_cursor; checks that each page is at most `limit` rows. */
export async function allPages(base: string, path: string, key: string, params: Record<string, string | number | undefined>, limit: number) {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const answer = await call(base, path + query({ ...params, limit, cursor }), { key });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data.length).toBeLessThanOrEqual(limit);
    rows.push(...answer.body.data);
    pages++;
    if (!answer.body.next_cursor) break;
    expect(answer.body.data.length).toBe(limit);
    cursor = answer.body.next_cursor;
    expect(pages).toBeLessThan(10_000);
  }
  return { rows, pages };
}
