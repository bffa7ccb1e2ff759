/**
 * The HTTP machinery every API source uses, on Node's fetch (undici): bounded retries with
 * exponential backoff and jitter, `Retry-After` for 429, a concurrency and a per-minute limit,
 * a paging helper, and secrets kept out of every message. A source has no retry loop of its own.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../config.ts";
import { redact, registerSecret, warn } from "../log.ts";

export { registerSecret };

export interface HttpClientOptions {
  /** The source's name, first word of every message (`xero: GET /Invoices …`). */
  name: string;
  /** Prefix of relative paths, e.g. `https://api.xero.com`. */
  baseUrl: string;
  /** Per attempt, until the whole body has arrived. */
  timeoutMs?: number;
  /** Retries after the first attempt (so `retries + 1` attempts at most). */
  retries?: number;
  /** First backoff; doubles with each retry, with jitter. */
  backoffMs?: number;
  maxConcurrent?: number;
  /** Requests started per minute at most (a token bucket; retries count). */
  perMinute?: number;
  /**
   * `sliding`: at most `perMinute` requests in any 60 seconds (a log of send times) instead of a
   * bucket that refills continuously: for servers that count the calls of the last 60 seconds
   * (Xero), where a refilled bucket sends past the limit and is answered 429.
   */
  minuteWindow?: "bucket" | "sliding";
  userAgent?: string;
  /** A 429 asking to wait longer than this fails at once (a daily limit is not worth waiting for). */
  maxRetryAfterMs?: number;
  /**
   * A response header in which the server says how many more calls its current minute allows
   * (Xero: `X-MinLimit-Remaining`). When it allows more than the per-minute bucket holds, the
   * client may use them: the server, not a guess, sets the pace (calls in flight are kept aside).
   */
  remainingHeader?: string;
  /** Called before each wait for a retry; defaults to a line on stderr. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  endpoint: string;
  attempt: number;
  attempts: number;
  reason: string;
  delayMs: number;
}

export type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  method?: string;
  query?: Record<string, QueryValue> | URLSearchParams;
  headers?: Record<string, string | undefined>;
  /** A plain object is sent as JSON, URLSearchParams as a form. */
  body?: unknown;
  /** What the answer must be; an HTML page instead (a proxy, a login page) is retried. */
  expect?: "json" | "text";
  /** Cancels the request and any wait for a retry (Ctrl-C): the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** Attempts it took (1 when the first one succeeded). */
  attempts: number;
}

export interface HttpClient {
  request<T = unknown>(path: string | URL, options?: RequestOptions): Promise<HttpResponse<T>>;
}

/** A request that failed for good: a 4xx, or retries exhausted. `status` is 0 when no answer came. */
export class HttpError extends UserError {
  constructor(
    message: string,
    readonly status: number,
    /** Method and path (query values that hold secrets masked). */
    readonly endpoint: string,
    /** The server's answer, secrets removed. */
    readonly bodyText: string,
    readonly headers?: Headers,
    readonly attempts = 1,
  ) {
    super(redact(message));
    this.name = "HttpError";
  }
}

/** Query and form parameters whose values are credentials: registered as secrets and masked in endpoints. */
const SECRET_PARAMS = /^(key|pass|password|passwd|pwd|secret|client_secret|access_token|refresh_token|id_token|token|api_?key|apikey|sig|signature|code|assertion)$/i;

const RETRYABLE_STATUS = new Set([408, 500, 502, 503, 504]);

export function createHttpClient(options: HttpClientOptions): HttpClient {
  // `??`, not a spread: an option passed as undefined keeps its default.
  const settings = {
    ...options,
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 4,
    backoffMs: options.backoffMs ?? 500,
    maxConcurrent: options.maxConcurrent ?? 1,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 5 * 60_000,
  };
  for (const [name, value] of Object.entries({ timeoutMs: settings.timeoutMs, retries: settings.retries, backoffMs: settings.backoffMs })) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`${options.name}: ${name} must be a number of at least 0, got ${value}`);
  }
  const slots = new Semaphore(settings.maxConcurrent);
  const bucket = settings.perMinute ? (settings.minuteWindow === "sliding" ? new SlidingWindow(settings.perMinute) : new TokenBucket(settings.perMinute)) : undefined;
  const onRetry =
    settings.onRetry ??
    ((e: RetryEvent) =>
      warn(`${settings.name}: ${e.endpoint}: ${e.reason} (attempt ${e.attempt} of ${e.attempts}); retrying in ${(e.delayMs / 1000).toFixed(1)} s`));

  async function request<T>(target: string | URL, request: RequestOptions = {}): Promise<HttpResponse<T>> {
    const method = (request.method ?? "GET").toUpperCase();
    const url = resolveUrl(settings.baseUrl, target, request.query);
    registerQuerySecrets(url);
    const endpoint = `${method} ${describeUrl(url)}`;
    const { body, contentType } = encodeBody(request.body);
    const expect = request.expect ?? "json";
    const headers: Record<string, string> = {
      accept: expect === "json" ? "application/json" : "text/plain, */*",
      ...(settings.userAgent ? { "user-agent": settings.userAgent } : {}),
      ...(contentType ? { "content-type": contentType } : {}),
    };
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value === undefined) continue;
      headers[name.toLowerCase()] = value;
      if (name.toLowerCase() === "authorization") registerSecret(value.replace(/^\S+\s+/, ""));
    }

    const attempts = settings.retries + 1;
    for (let attempt = 1; ; attempt++) {
      request.signal?.throwIfAborted();
      const outcome = await slots.run(async () => {
        if (bucket) await bucket.take();
        const result = await attemptOnce(url, { method, headers, body }, expect, settings.timeoutMs, request.signal);
        const remaining = settings.remainingHeader ? result.headers?.get(settings.remainingHeader) : undefined;
        if (bucket && remaining && /^\d+$/.test(remaining.trim())) bucket.allow(Number(remaining) - (settings.maxConcurrent - 1));
        return result;
      });
      const prefix = `${settings.name}: ${endpoint}`;
      if (outcome.kind === "ok") {
        return { status: outcome.status, headers: outcome.headers, body: outcome.body as T, attempts: attempt };
      }
      if (outcome.kind === "fatal") {
        throw new HttpError(`${prefix} ${outcome.reason}`, outcome.status, endpoint, redact(outcome.text), outcome.headers, attempt);
      }
      // A retryable failure: wait (Retry-After for a 429, backoff otherwise) unless the budget is spent.
      let delayMs = backoff(settings.backoffMs, attempt);
      if (outcome.retryAfterMs !== undefined) {
        if (outcome.retryAfterMs > settings.maxRetryAfterMs) {
          throw new HttpError(
            `${prefix} ${outcome.reason}; the server asks to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s, longer than ${Math.round(settings.maxRetryAfterMs / 1000)} s: run again later.`,
            outcome.status,
            endpoint,
            redact(outcome.text),
            outcome.headers,
            attempt,
          );
        }
        delayMs = outcome.retryAfterMs;
      }
      if (attempt >= attempts) {
        throw new HttpError(
          `${prefix} ${outcome.reason}; gave up after ${attempts} attempts. Run again later; if it persists, check the service and the network.`,
          outcome.status,
          endpoint,
          redact(outcome.text),
          outcome.headers,
          attempt,
        );
      }
      onRetry({ endpoint, attempt, attempts, reason: redact(outcome.reason), delayMs });
      await sleep(delayMs, undefined, { signal: request.signal });
    }
  }

  return { request };
}

type Outcome =
  | { kind: "ok"; status: number; headers: Headers; body: unknown }
  | { kind: "retry" | "fatal"; status: number; headers?: Headers; reason: string; text: string; retryAfterMs?: number };

async function attemptOnce(
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string | URLSearchParams },
  expect: "json" | "text",
  timeoutMs: number,
  cancel?: AbortSignal,
): Promise<Outcome> {
  let response: Response;
  let text: string;
  try {
    // The timeout covers the body too: a server that sends headers and then stalls is a timeout.
    const timeout = AbortSignal.timeout(timeoutMs);
    response = await fetch(url, { ...init, redirect: "follow", signal: cancel ? AbortSignal.any([timeout, cancel]) : timeout });
    text = await response.text();
  } catch (error) {
    if (cancel?.aborted) throw cancel.reason;
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const reason =
      e.name === "TimeoutError" || e.name === "AbortError"
        ? `no answer within ${formatMs(timeoutMs)} (timeout)`
        : `network error: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
    return { kind: "retry", status: 0, reason, text: "" };
  }
  const { status, headers } = response;
  const html = looksLikeHtml(headers, text);
  if (status === 429) {
    const problem = headers.get("x-rate-limit-problem");
    return {
      kind: "retry",
      status,
      headers,
      reason: `HTTP 429 too many requests${problem ? ` (${problem} limit)` : ""}`,
      text,
      retryAfterMs: parseRetryAfter(headers.get("retry-after")),
    };
  }
  if (RETRYABLE_STATUS.has(status) || status > 500) {
    return { kind: "retry", status, headers, reason: `HTTP ${status}: ${summarise(text, html)}`, text };
  }
  if (status >= 400) {
    return { kind: "fatal", status, headers, reason: `failed with HTTP ${status}: ${summarise(text, html)}`, text };
  }
  if (html) {
    return { kind: "retry", status, headers, reason: `got an HTML page instead of the API's answer (${summarise(text, true)}; a proxy or captive portal?)`, text };
  }
  if (expect === "text") return { kind: "ok", status, headers, body: text };
  if (status === 204 || text.trim() === "") return { kind: "ok", status, headers, body: undefined };
  try {
    return { kind: "ok", status, headers, body: JSON.parse(text) };
  } catch {
    return { kind: "fatal", status, headers, reason: `answered HTTP ${status} with something that is not JSON: ${summarise(text, false)}`, text };
  }
}

/** Joins a path to the base URL (keeping the base's own path) and appends the query. */
function resolveUrl(baseUrl: string, target: string | URL, query?: RequestOptions["query"]): URL {
  const url =
    target instanceof URL ? new URL(target) : /^https?:\/\//i.test(target) ? new URL(target) : new URL(baseUrl.replace(/\/+$/, "") + (target.startsWith("/") ? target : `/${target}`));
  const entries = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query ?? {});
  for (const [name, value] of entries) {
    if (value !== undefined && value !== null) url.searchParams.append(name, String(value));
  }
  return url;
}

function registerQuerySecrets(url: URL): void {
  for (const [name, value] of url.searchParams) if (SECRET_PARAMS.test(name)) registerSecret(value);
  if (url.password) registerSecret(decodeURIComponent(url.password));
}

/** The path and query for messages, with credential-bearing query values masked. */
export function describeUrl(url: URL): string {
  const shown = new URLSearchParams();
  for (const [name, value] of url.searchParams) shown.append(name, SECRET_PARAMS.test(name) ? "***" : value);
  const query = shown.toString();
  const full = url.pathname + (query ? `?${decodeURIComponent(query.replace(/\+/g, "%20"))}` : "");
  return redact(shorten(full, 200));
}

function encodeBody(body: unknown): { body?: string | URLSearchParams; contentType?: string } {
  if (body === undefined || body === null) return {};
  if (body instanceof URLSearchParams) {
    for (const [name, value] of body) if (SECRET_PARAMS.test(name)) registerSecret(value);
    return { body, contentType: "application/x-www-form-urlencoded;charset=UTF-8" };
  }
  if (typeof body === "string") return { body };
  if (typeof body === "object") {
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      if (SECRET_PARAMS.test(name) && typeof value === "string") registerSecret(value);
    }
  }
  return { body: JSON.stringify(body), contentType: "application/json" };
}

function looksLikeHtml(headers: Headers, text: string): boolean {
  return /text\/html/i.test(headers.get("content-type") ?? "") || /^\s*(<!doctype html|<html[\s>])/i.test(text);
}

/** The server's text for a message: one line, short; an HTML page by its title. */
function summarise(text: string, html: boolean): string {
  if (html) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return title ? `an HTML page "${shorten(title, 80)}"` : "an HTML page";
  }
  const line = text.replace(/\s+/g, " ").trim();
  return line ? shorten(line, 300) : "(empty body)";
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter: base·2^(n-1), scaled by a random factor in [0.5, 1]. */
function backoff(baseMs: number, attempt: number): number {
  return Math.round(baseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
}

/**
 * At most `limit` tasks at once. Hand-written: a dozen lines, and no direct dependency of the
 * project offers it (p-limit is only a transitive one).
 */
export class Semaphore {
  private active = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`maxConcurrent must be at least 1, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * A per-minute limit as a token bucket: `perMinute` tokens, refilled continuously, so a burst
 * up to the limit goes at once and then requests are spaced evenly. `now` is injectable for tests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {
    if (!(perMinute > 0)) throw new Error(`perMinute must be positive, got ${perMinute}`);
    this.tokens = perMinute;
    this.last = now();
  }

  /** How long until a token is free (0 when one is). */
  delayMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
  }

  /** The server says this many more calls fit now: never fewer tokens than that (more than perMinute when it allows more). */
  allow(calls: number): void {
    this.refill();
    if (calls > this.tokens) this.tokens = calls;
  }

  /** Takes a token, waiting for one if needed; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (let delay = this.delayMs(); delay > 0; delay = this.delayMs()) await this.wait(delay);
      this.tokens -= 1;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.now();
    // Tokens the server allowed beyond the bucket (allow) are kept, not cut back to perMinute.
    if (this.tokens < this.perMinute) this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
    this.last = now;
  }
}

/**
 * A per-minute limit as the server counts it when it counts the calls of the last 60 seconds:
 * a call goes when fewer than `perMinute` were sent in the last 60 seconds plus `marginMs` (a
 * call reaches the server a little after it was sent, and not always equally late).
 */
export class SlidingWindow {
  private readonly sent: number[] = [];
  /** Calls the server said fit beyond the window's own count. */
  private extra = 0;
  private queue: Promise<void> = Promise.resolve();
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
    private readonly marginMs = 2000,
  ) {
    if (!(perMinute > 0)) throw new Error(`perMinute must be positive, got ${perMinute}`);
  }

  private prune(now: number): void {
    while (this.sent.length && this.sent[0] <= now - 60_000 - this.marginMs) this.sent.shift();
  }

  /** How long until a call may go (0 when one may). */
  delayMs(): number {
    const now = this.now();
    this.prune(now);
    if (this.sent.length < this.perMinute || this.extra >= 1) return 0;
    return this.sent[this.sent.length - this.perMinute] + 60_000 + this.marginMs - now;
  }

  /** The server says this many more calls fit now: those beyond the window's own count may go as well. */
  allow(calls: number): void {
    this.prune(this.now());
    this.extra = Math.max(0, calls - Math.max(0, this.perMinute - this.sent.length));
  }

  /** Waits until a call may go and counts it; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (let delay = this.delayMs(); delay > 0; delay = this.delayMs()) await this.wait(delay);
      if (this.sent.length >= this.perMinute) this.extra -= 1;
      this.sent.push(this.now());
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

export interface PagedOptions {
  /** A page with fewer items than this is the last. */
  pageSize: number;
  /** Stops a server that ignores the page parameter from looping forever. */
  maxPages?: number;
  /**
   * Pages to request ahead while the caller handles the current one, once the server has said how
   * many there are (a page count): never a page past that count, so no call is spent on guesses.
   * The HTTP client's concurrency limit still holds. Default 0: one page at a time.
   */
  ahead?: number;
}

export interface Page<T> {
  items: T[];
  /** When the server says how many pages there are (Xero's `pagination.pageCount`). */
  pageCount?: number;
}

/**
 * Pages from 1 until a short or empty page (or the page count the server gave), yielding each
 * page's items with its number, in order (pages requested ahead are handed out in order too).
 */
export async function* paged<T>(
  fetchPage: (page: number) => Promise<T[] | Page<T>>,
  options: PagedOptions,
): AsyncGenerator<{ page: number; items: T[] }> {
  const maxPages = options.maxPages ?? 100_000;
  const ahead = options.ahead ?? 0;
  const requested = new Map<number, Promise<T[] | Page<T>>>();
  const request = (page: number) => {
    if (requested.has(page)) return;
    const answer = fetchPage(page);
    // A page requested ahead may fail after the run stopped for another reason: that is not unhandled.
    answer.catch(() => undefined);
    requested.set(page, answer);
  };
  let pageCount: number | undefined;
  for (let page = 1; ; page++) {
    if (page > maxPages) throw new Error(`more than ${maxPages} pages: the server seems to ignore the page parameter.`);
    request(page);
    const result = await requested.get(page)!;
    requested.delete(page);
    const { items, pageCount: count } = Array.isArray(result) ? { items: result, pageCount: undefined } : result;
    pageCount = count;
    if (pageCount !== undefined && items.length >= options.pageSize) {
      for (let next = page + 1; next <= Math.min(pageCount, page + ahead, maxPages); next++) request(next);
    }
    if (items.length) yield { page, items };
    if (items.length < options.pageSize) return;
    if (pageCount !== undefined && page >= pageCount) return;
  }
}
