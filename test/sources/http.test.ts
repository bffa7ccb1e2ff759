/**
 * The shared HTTP machinery against a loopback node:http server that misbehaves on demand:
 * attempts are counted by the server, messages are checked for the endpoint, the server's text
 * and the absence of secrets. Backoffs are tiny; nothing asserts on time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHttpClient, HttpError, paged, parseRetryAfter, TokenBucket, type RetryEvent } from "../../extract/sources/http.ts";
import { redact, registerSecret } from "../../extract/log.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number, body: string) => void;

let server: Server;
let baseUrl: string;
const handlers = new Map<string, Handler>();
const hits = new Map<string, number>();
const received: { url: string; headers: IncomingMessage["headers"]; body: string }[] = [];
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url!, "http://x").pathname;
    const attempt = (hits.get(path) ?? 0) + 1;
    hits.set(path, attempt);
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ url: req.url!, headers: req.headers, body });
      const handler = handlers.get(path);
      if (!handler) return void res.writeHead(404, { "content-type": "text/plain" }).end("no such route");
      handler(req, res, attempt, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  handlers.clear();
  hits.clear();
  received.length = 0;
});

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));

function client(extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) {
  const retries: RetryEvent[] = [];
  const http = createHttpClient({ name: "test", baseUrl, backoffMs: 1, retries: 3, onRetry: (e) => retries.push(e), ...extra });
  return { http, retries };
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe("retries", () => {
  it("retries a 500 and returns the 200 that follows", async () => {
    handlers.set("/flaky", (_req, res, attempt) => (attempt === 1 ? res.writeHead(500).end("boom") : json(res, 200, { ok: true })));
    const { http, retries } = client();
    const response = await http.request<{ ok: boolean }>("/flaky");
    expect(response).toMatchObject({ status: 200, body: { ok: true }, attempts: 2 });
    expect(hits.get("/flaky")).toBe(2);
    expect(retries).toHaveLength(1);
    expect(retries[0].reason).toBe("HTTP 500: boom");
  });

  it("gives up after the retry budget with a message naming the endpoint and the server's text", async () => {
    handlers.set("/down", (_req, res) => res.writeHead(503, { "content-type": "text/plain" }).end("The Xero API is currently offline for maintenance"));
    const { http } = client();
    const error = await failure(http.request("/down", { query: { page: 2 } }));
    expect(hits.get("/down")).toBe(4);
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(4);
    expect(error.message).toContain("test: GET /down?page=2");
    expect(error.message).toContain("HTTP 503: The Xero API is currently offline for maintenance");
    expect(error.message).toContain("gave up after 4 attempts");
  });

  it("keeps the defaults for options passed as undefined (4 retries), and refuses nonsense", async () => {
    handlers.set("/always-500", (_req, res) => res.writeHead(500).end("no"));
    const http = createHttpClient({ name: "test", baseUrl, retries: undefined, timeoutMs: undefined, backoffMs: 1, onRetry: () => undefined });
    const error = await failure(http.request("/always-500"));
    expect(hits.get("/always-500")).toBe(5);
    expect(error.attempts).toBe(5);
    expect(() => createHttpClient({ name: "test", baseUrl, retries: Number.NaN })).toThrow(/retries must be a number/);
  });

  it("honours Retry-After on a 429 (seconds and HTTP date) and counts it against the budget", async () => {
    handlers.set("/limited", (_req, res, attempt) => {
      if (attempt === 1) return json(res, 429, { Title: "Too many" }, { "retry-after": "0", "x-rate-limit-problem": "minute" });
      if (attempt === 2) return json(res, 429, {}, { "retry-after": new Date(Date.now() - 1000).toUTCString() });
      json(res, 200, [1, 2]);
    });
    const { http, retries } = client();
    const response = await http.request("/limited");
    expect(response.attempts).toBe(3);
    expect(retries.map((r) => r.delayMs)).toEqual([0, 0]);
    expect(retries[0].reason).toBe("HTTP 429 too many requests (minute limit)");

    handlers.set("/always-limited", (_req, res) => json(res, 429, {}, { "retry-after": "0" }));
    const error = await failure(http.request("/always-limited"));
    expect(error.status).toBe(429);
    expect(hits.get("/always-limited")).toBe(4);
  });

  it("does not wait out a Retry-After longer than allowed (a daily limit)", async () => {
    handlers.set("/day", (_req, res) => json(res, 429, {}, { "retry-after": "3600", "x-rate-limit-problem": "day" }));
    const { http } = client({ maxRetryAfterMs: 60_000 });
    const error = await failure(http.request("/day"));
    expect(hits.get("/day")).toBe(1);
    expect(error.message).toContain("(day limit)");
    expect(error.message).toContain("wait 3600 s");
  });

  it("retries a timeout, then succeeds", async () => {
    handlers.set("/slow", (_req, res, attempt) => {
      if (attempt === 1) return; // never answers; the client's timeout fires
      json(res, 200, { ok: 1 });
    });
    const { http, retries } = client({ timeoutMs: 200 });
    const response = await http.request("/slow");
    expect(response.attempts).toBe(2);
    expect(retries[0].reason).toContain("timeout");
  });

  it("retries a network error (connection reset), then succeeds", async () => {
    handlers.set("/reset", (req, res, attempt) => {
      if (attempt === 1) return void req.socket.destroy();
      json(res, 200, { ok: 1 });
    });
    const { http, retries } = client();
    expect((await http.request("/reset")).attempts).toBe(2);
    expect(retries[0].reason).toMatch(/^network error/);
  });

  it("retries an HTML page where JSON was expected (a proxy), and says so when it persists", async () => {
    handlers.set("/proxy", (_req, res, attempt) =>
      attempt === 1 ? res.writeHead(200, { "content-type": "text/html" }).end("<html><title>Gateway login</title></html>") : json(res, 200, { ok: 1 }),
    );
    const { http } = client();
    expect((await http.request("/proxy")).attempts).toBe(2);

    handlers.set("/always-proxy", (_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("<!DOCTYPE html><html><title>Blocked</title>"));
    const error = await failure(http.request("/always-proxy", { expect: "text" }));
    expect(hits.get("/always-proxy")).toBe(4);
    expect(error.message).toContain('HTML page "Blocked"');
  });

  it("does not retry a 400; the error carries status, endpoint and the server's text, shortened", async () => {
    const detail = { ErrorNumber: 10, Type: "ValidationException", Message: "A validation exception occurred " + "x".repeat(1000) };
    handlers.set("/bad", (_req, res) => json(res, 400, detail));
    const { http } = client();
    const error = await failure(http.request("/bad", { query: { where: 'Type=="ACCREC"' } }));
    expect(hits.get("/bad")).toBe(1);
    expect(error.status).toBe(400);
    expect(error.endpoint).toBe('GET /bad?where=Type=="ACCREC"');
    expect(error.message).toContain('test: GET /bad?where=Type=="ACCREC" failed with HTTP 400: {"ErrorNumber":10,"Type":"ValidationException"');
    expect(error.message.length).toBeLessThan(500);
    expect(error.bodyText).toBe(JSON.stringify(detail));
  });
});

describe("requests", () => {
  it("sends JSON and form bodies, query values and headers", async () => {
    handlers.set("/echo", (req, res, _attempt, body) => json(res, 200, { type: req.headers["content-type"], body }));
    const { http } = client({ userAgent: "salesdw-test" });
    const asJson = await http.request<{ type: string; body: string }>("/echo", { method: "POST", body: { a: 1, b: "é" } });
    expect(asJson.body).toEqual({ type: "application/json", body: '{"a":1,"b":"é"}' });
    const asForm = await http.request<{ type: string; body: string }>("/echo", { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", x: "a b" }) });
    expect(asForm.body.type).toMatch(/^application\/x-www-form-urlencoded/);
    expect(asForm.body.body).toBe("grant_type=refresh_token&x=a+b");
    await http.request("/echo", { query: { page: 3, skip: undefined, flag: true }, headers: { "Xero-Tenant-Id": "t-1" } });
    const last = received.at(-1)!;
    expect(last.url).toBe("/echo?page=3&flag=true");
    expect(last.headers["xero-tenant-id"]).toBe("t-1");
    expect(last.headers["user-agent"]).toBe("salesdw-test");
    expect(last.headers.accept).toBe("application/json");
  });

  it("keeps the base URL's own path", async () => {
    handlers.set("/api/v2/things", (_req, res) => json(res, 200, []));
    const http = createHttpClient({ name: "t", baseUrl: `${baseUrl}/api/v2/` });
    expect((await http.request("/things")).status).toBe(200);
    expect((await http.request("things")).status).toBe(200);
  });

  it("keeps secrets out of messages: query credentials, bearer tokens and form secrets", async () => {
    const password = "hunter2-very-secret";
    const apiKey = "k3y-abcdef-123456";
    const bearer = "eyJhbGciOi.bearer.token-value";
    handlers.set("/auth", (req, res) => res.writeHead(401, { "content-type": "text/plain" }).end(`bad key ${new URL(req.url!, "http://x").searchParams.get("key")} for ${req.headers.authorization}`));
    const { http } = client();
    const error = await failure(http.request("/auth", { query: { key: apiKey, pass: password, user: "admin" }, headers: { Authorization: `Bearer ${bearer}` } }));
    expect(error.status).toBe(401);
    expect(error.endpoint).toBe("GET /auth?key=***&pass=***&user=admin");
    for (const secret of [password, apiKey, bearer]) {
      expect(error.message).not.toContain(secret);
      expect(error.bodyText).not.toContain(secret);
      expect(redact(`x ${secret} y`)).toBe("x *** y");
    }
    const clientSecret = "form-client-secret-42";
    handlers.set("/token", (_req, res, _a, body) => res.writeHead(500).end(`echo ${body}`));
    const { http: http2, retries } = client({ retries: 1 });
    const tokenError = await failure(http2.request("/token", { method: "POST", body: new URLSearchParams({ grant_type: "x", client_secret: clientSecret }) }));
    expect(tokenError.message).not.toContain(clientSecret);
    expect(retries[0].reason).not.toContain(clientSecret);
    registerSecret(undefined); // tolerated
  });

  it("keeps at most maxConcurrent requests in flight", async () => {
    handlers.set("/parallel", (_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, {});
      }, 20);
    });
    maxInFlight = 0;
    const { http } = client({ maxConcurrent: 2 });
    await Promise.all(Array.from({ length: 8 }, () => http.request("/parallel")));
    expect(hits.get("/parallel")).toBe(8);
    expect(maxInFlight).toBe(2);
  });
});

describe("per-minute limit (token bucket, on a fake clock)", () => {
  it("lets a burst of the limit through, then spaces requests evenly", async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket(3, () => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(waits).toEqual([]);
    await bucket.take();
    expect(waits).toEqual([20_000]);
    now += 60_000; // a quiet minute refills the bucket, but never beyond the limit
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(waits).toEqual([20_000]);
    expect(bucket.delayMs()).toBe(20_000);
  });
});

describe("helpers", () => {
  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("7")).toBe(7000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it("pages from 1 until a short or an empty page, or the page count", async () => {
    const pagesOf = (total: number, size: number) => async (page: number) => Array.from({ length: Math.max(0, Math.min(size, total - (page - 1) * size)) }, (_, i) => (page - 1) * size + i);
    const collect = async (gen: AsyncGenerator<{ page: number; items: number[] }>) => {
      const seen: number[] = [];
      const pages: number[] = [];
      for await (const { page, items } of gen) {
        pages.push(page);
        seen.push(...items);
      }
      return { seen, pages };
    };
    const short = await collect(paged(pagesOf(25, 10), { pageSize: 10 }));
    expect(short.pages).toEqual([1, 2, 3]);
    expect(short.seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const calls: number[] = [];
    const exact = await collect(
      paged(async (page) => {
        calls.push(page);
        return pagesOf(20, 10)(page);
      }, { pageSize: 10 }),
    );
    expect(exact.pages).toEqual([1, 2]);
    expect(calls).toEqual([1, 2, 3]); // the empty third page ends it
    const counted = await collect(paged(async (page) => ({ items: await pagesOf(20, 10)(page), pageCount: 2 }), { pageSize: 10 }));
    expect(counted.pages).toEqual([1, 2]);
    await expect(collect(paged(async () => [1, 2], { pageSize: 2, maxPages: 5 }))).rejects.toThrow(/more than 5 pages/);
  });
});
