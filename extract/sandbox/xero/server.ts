/**
 * `salesdw sandbox xero`: a local server that behaves like Xero's identity and Accounting API
 * (see /work/shared/sources/reckon-xero.md for what it imitates): rotating refresh tokens with a
 * grace period, client credentials, tenants, paging with or without `pagination`, empty
 * LineItems without `page`, If-Modified-Since, `where` filters, rate limits and their headers,
 * and faults on demand. It is not Xero and says so; the real client reaches it by base URLs only.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import formbody from "@fastify/formbody";
import { formatDotnetDate } from "../../sources/xero/json.ts";
import { generateOrganisation, type GenerateOptions, type SandboxData, type SandboxDocument } from "./data.ts";
import { renderContact, renderItem, renderOrganisation, xeroJson } from "./render.ts";
import { documentEntries, envelopeText, renderedEntry, type ListEntry } from "./listing.ts";
import { parseWhere, QueryParseError } from "./where.ts";
import { applyChange, type Change } from "./changes.ts";

export interface XeroSandboxOptions extends GenerateOptions {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  /** The first refresh token (what a user pastes into XERO_REFRESH_TOKEN). */
  refreshToken?: string;
  /** How long a rotated refresh token keeps working (Xero: 30 minutes). */
  graceSeconds?: number;
  accessTokenSeconds?: number;
  /** Older servers omit `pagination` from paged answers. */
  pagination?: boolean;
  /** Organisations the connection reaches (/connections). */
  tenants?: number;
  perMinute?: number;
  perDay?: number;
  concurrent?: number;
}

export type FaultKind = "500" | "503" | "429" | "429-day" | "html" | "hang" | "reset" | "401" | "403" | "400";

export interface Fault {
  kind: FaultKind;
  /** Path prefix the fault applies to (`/api.xro/2.0/Invoices`, `/connect/token`); every path when absent. */
  path?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Matching requests to let through first. */
  after?: number;
  /** For 429: the Retry-After seconds (default 1, a day limit 3600). */
  retryAfter?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  ifModifiedSince?: string;
  tenant?: string;
  authorization?: string;
}

interface RefreshTokenState {
  rotatedAt?: number;
  revoked?: boolean;
}

const API = "/api.xro/2.0";

export interface XeroSandbox {
  url: string;
  /** What a client needs, as environment variables. */
  settings: Record<string, string>;
  data: SandboxData;
  options: Required<Pick<XeroSandboxOptions, "graceSeconds" | "accessTokenSeconds" | "pagination" | "tenants" | "perMinute" | "perDay" | "concurrent">>;
  requests: RequestRecord[];
  /** "request" (answered, before it leaves), "hang" (a request held without an answer), "token" (a token was issued). */
  events: EventEmitter;
  fault(fault: Fault): void;
  change(change: Change): SandboxDocument | undefined;
  expireAccessTokens(): void;
  revokeRefreshTokens(): void;
  /** Refresh tokens the identity server still accepts. */
  isRefreshTokenUsable(token: string): boolean;
  close(): Promise<void>;
}

export async function startXeroSandbox(input: XeroSandboxOptions = {}): Promise<XeroSandbox> {
  const data = generateOrganisation(input);
  const extraTenants = Array.from({ length: Math.max(0, (input.tenants ?? 1) - 1) }, (_, i) => ({ tenantId: randomUUID(), tenantName: `Second Sandbox Org ${i + 2}` }));
  const clientId = input.clientId ?? `SBX${randomBytes(12).toString("hex").toUpperCase()}`;
  const clientSecret = input.clientSecret ?? `sbx-secret-${randomBytes(18).toString("base64url")}`;
  const firstRefresh = input.refreshToken ?? `sbx-rt-${randomBytes(24).toString("base64url")}`;
  const options = {
    graceSeconds: input.graceSeconds ?? 1800,
    accessTokenSeconds: input.accessTokenSeconds ?? 1800,
    pagination: input.pagination ?? true,
    tenants: input.tenants ?? 1,
    perMinute: input.perMinute ?? 60,
    perDay: input.perDay ?? 5000,
    concurrent: input.concurrent ?? 5,
  };
  const refreshTokens = new Map<string, RefreshTokenState>([[firstRefresh, {}]]);
  const accessTokens = new Map<string, { expiresAt: number; grant: "refresh_token" | "client_credentials" }>();
  const faults: (Fault & { seen: number; left: number })[] = [];
  const requests: RequestRecord[] = [];
  const events = new EventEmitter();
  const callTimes: number[] = [];
  let dayCount = 0;
  let inFlight = 0;

  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(formbody);

  const issueTokens = (grant: "refresh_token" | "client_credentials") => {
    const access = `sbx-at-${randomBytes(32).toString("base64url")}`;
    accessTokens.set(access, { expiresAt: Date.now() + options.accessTokenSeconds * 1000, grant });
    const refresh = grant === "refresh_token" ? `sbx-rt-${randomBytes(24).toString("base64url")}` : undefined;
    if (refresh) refreshTokens.set(refresh, {});
    events.emit("token", { access, refresh });
    return {
      id_token: `sbx-id-${randomBytes(16).toString("base64url")}`,
      access_token: access,
      expires_in: options.accessTokenSeconds,
      token_type: "Bearer",
      refresh_token: refresh,
      scope: grant === "refresh_token" ? "openid profile email accounting.transactions.read accounting.contacts.read accounting.settings.read offline_access" : "accounting.transactions.read accounting.contacts.read accounting.settings.read",
    };
  };

  const refreshUsable = (token: string) => {
    const state = refreshTokens.get(token);
    if (!state || state.revoked) return false;
    return state.rotatedAt === undefined || Date.now() - state.rotatedAt <= options.graceSeconds * 1000;
  };

  const record = (request: FastifyRequest, status: number) => {
    const url = new URL(request.url, "http://sandbox");
    const entry: RequestRecord = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status,
      ifModifiedSince: request.headers["if-modified-since"] as string | undefined,
      tenant: request.headers["xero-tenant-id"] as string | undefined,
      authorization: request.headers.authorization,
    };
    requests.push(entry);
    // Listeners run before the answer leaves, so a test can change the organisation between two pages.
    events.emit("request", entry);
  };

  const send = (request: FastifyRequest, reply: FastifyReply, status: number, body: string | Buffer, type: string, headers: Record<string, string> = {}) => {
    record(request, status);
    return reply.code(status).headers(headers).type(type).send(body);
  };

  const problem = (request: FastifyRequest, reply: FastifyReply, status: number, title: string, detail: string) =>
    send(request, reply, status, JSON.stringify({ Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} }), "application/json; charset=utf-8");

  /** A fault from the queue or from `?sandbox_fault=`; true when the request was answered by it. */
  const applyFault = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const url = new URL(request.url, "http://sandbox");
    let fault: Fault | undefined;
    const fromQuery = url.searchParams.get("sandbox_fault");
    if (fromQuery) fault = { kind: fromQuery as FaultKind };
    else {
      const queued = faults.find((f) => f.left > 0 && (!f.path || url.pathname.startsWith(f.path)) && f.seen++ >= (f.after ?? 0));
      if (queued) {
        queued.left--;
        fault = queued;
      }
    }
    if (!fault) return false;
    switch (fault.kind) {
      case "500":
        problem(request, reply, 500, "An error occurred", "An unexpected error occurred in the sandbox (as Xero sometimes answers).");
        return true;
      case "503":
        send(request, reply, 503, "The Xero API is currently offline for maintenance", "text/plain; charset=utf-8");
        return true;
      case "429":
      case "429-day": {
        const day = fault.kind === "429-day";
        send(request, reply, 429, "", "text/plain", {
          "retry-after": String(fault.retryAfter ?? (day ? 3600 : 1)),
          "x-rate-limit-problem": day ? "day" : "minute",
        });
        return true;
      }
      case "html":
        send(request, reply, 200, "<!DOCTYPE html><html><head><title>Proxy Authentication Required</title></head><body>Sign in to continue</body></html>", "text/html");
        return true;
      case "reset":
        record(request, 0);
        request.raw.socket.destroy();
        reply.hijack();
        return true;
      case "hang":
        record(request, 0);
        reply.hijack();
        events.emit("hang", { path: url.pathname });
        return true;
      case "401":
        problem(request, reply, 401, "Unauthorized", `TokenExpired: token expired at ${new Date().toISOString()}`);
        return true;
      case "403":
        problem(request, reply, 403, "Forbidden", "AuthenticationUnsuccessful");
        return true;
      case "400":
        send(request, reply, 400, xeroJson({ ErrorNumber: 10, Type: "ValidationException", Message: "A validation exception occurred", Elements: [] }), "application/json; charset=utf-8");
        return true;
    }
    return false;
  };

  // Calls in flight, from arrival until the answer has left: Xero allows 5 at once per organisation.
  const counted = (request: FastifyRequest) => request.url.startsWith(API) || request.url.startsWith("/connections");
  app.addHook("onRequest", async (request, reply) => {
    if (request.url.startsWith("/_sandbox")) return;
    if (counted(request)) {
      inFlight++;
      // "close" fires when the answer has gone or the connection dropped (a held or reset request too).
      reply.raw.once("close", () => inFlight--);
    }
    if (applyFault(request, reply)) return reply;
  });

  // ---- identity: https://identity.xero.com/connect/token ----
  app.post("/connect/token", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? "");
    const [id, secret] = basic ? Buffer.from(basic[1], "base64").toString("utf8").split(":") : [body.client_id, body.client_secret];
    const tokenError = (error: string) => send(request, reply, 400, JSON.stringify({ error }), "application/json; charset=utf-8");
    if (id !== clientId || secret !== clientSecret) return tokenError("invalid_client");
    if (body.grant_type === "client_credentials") return send(request, reply, 200, JSON.stringify(issueTokens("client_credentials")), "application/json; charset=utf-8");
    if (body.grant_type !== "refresh_token") return tokenError("unsupported_grant_type");
    const presented = body.refresh_token ?? "";
    if (!refreshUsable(presented)) return tokenError("invalid_grant");
    const state = refreshTokens.get(presented)!;
    state.rotatedAt ??= Date.now();
    return send(request, reply, 200, JSON.stringify(issueTokens("refresh_token")), "application/json; charset=utf-8");
  });

  /** Bearer token, tenant, limits: undefined when the request may go on (the answer was sent otherwise). */
  const guard = (request: FastifyRequest, reply: FastifyReply, needsTenant: boolean): { headers: Record<string, string> } | undefined => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    const token = bearer ? accessTokens.get(bearer) : undefined;
    if (!token) {
      problem(request, reply, 401, "Unauthorized", "TokenInvalidSignature: the access token is not one this server issued");
      return undefined;
    }
    if (token.expiresAt <= Date.now()) {
      problem(request, reply, 401, "Unauthorized", `TokenExpired: token expired at ${new Date(token.expiresAt).toISOString()}`);
      return undefined;
    }
    if (needsTenant) {
      const tenant = request.headers["xero-tenant-id"];
      const allowed = tenant === data.tenantId || (tenant === undefined && token.grant === "client_credentials");
      if (!allowed) {
        problem(request, reply, 403, "Forbidden", "AuthenticationUnsuccessful");
        return undefined;
      }
    }
    const now = Date.now();
    while (callTimes.length && callTimes[0] <= now - 60_000) callTimes.shift();
    const limitHeaders = () => ({
      "x-minlimit-remaining": String(Math.max(0, options.perMinute - callTimes.length)),
      "x-daylimit-remaining": String(Math.max(0, options.perDay - dayCount)),
      "x-appminlimit-remaining": String(Math.max(0, 10_000 - callTimes.length)),
    });
    const tooMany = (problemKind: string, retryAfter: number) => {
      send(request, reply, 429, "", "text/plain", { ...limitHeaders(), "retry-after": String(retryAfter), "x-rate-limit-problem": problemKind });
      return undefined;
    };
    if (inFlight > options.concurrent) return tooMany("concurrent", 1);
    if (dayCount >= options.perDay) return tooMany("day", Math.ceil((Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1) - now) / 1000));
    if (callTimes.length >= options.perMinute) return tooMany("minute", Math.max(1, Math.ceil((callTimes[0] + 60_000 - now) / 1000)));
    callTimes.push(now);
    dayCount++;
    return { headers: limitHeaders() };
  };

  app.get("/connections", async (request, reply) => {
    const allowed = guard(request, reply, false);
    if (!allowed) return reply;
    const connection = (tenantId: string, tenantName: string) => ({
      id: randomUUID(),
      authEventId: randomUUID(),
      tenantId,
      tenantType: "ORGANISATION",
      tenantName,
      createdDateUtc: "2025-01-01T09:00:00.0000000",
      updatedDateUtc: "2025-01-01T09:00:00.0000000",
    });
    const list = [connection(data.tenantId, data.tenantName), ...extraTenants.slice(0, options.tenants - 1).map((t) => connection(t.tenantId, t.tenantName))];
    return send(request, reply, 200, JSON.stringify(list), "application/json; charset=utf-8", allowed.headers);
  });

  const entities: Record<string, { fields: string[]; paged: boolean; key: string }> = {
    Invoices: { fields: ["Type", "InvoiceID", "InvoiceNumber", "Reference", "Contact", "Date", "DueDate", "Status", "LineAmountTypes", "SubTotal", "TotalTax", "Total", "UpdatedDateUTC", "CurrencyCode", "AmountDue", "AmountPaid"], paged: true, key: "Invoices" },
    CreditNotes: { fields: ["Type", "CreditNoteID", "CreditNoteNumber", "Reference", "Contact", "Date", "Status", "LineAmountTypes", "SubTotal", "TotalTax", "Total", "UpdatedDateUTC", "CurrencyCode", "RemainingCredit"], paged: true, key: "CreditNotes" },
    Contacts: { fields: ["ContactID", "ContactNumber", "AccountNumber", "ContactStatus", "Name", "FirstName", "LastName", "EmailAddress", "IsCustomer", "IsSupplier", "UpdatedDateUTC", "DefaultCurrency"], paged: true, key: "Contacts" },
    Items: { fields: ["ItemID", "Code", "Name", "Description", "IsSold", "IsPurchased", "UpdatedDateUTC"], paged: false, key: "Items" },
  };

  // GET /Organisation: the organisation the tenant is, never paged (its BaseCurrency is the base of every CurrencyRate).
  app.get(`${API}/Organisation`, async (request, reply) => {
    const allowed = guard(request, reply, true);
    if (!allowed) return reply;
    const id = randomUUID();
    const envelope = { Id: id, Status: "OK", ProviderName: "salesdw sandbox", DateTimeUTC: formatDotnetDate(Date.now()), Organisations: [renderOrganisation(data)] };
    return send(request, reply, 200, xeroJson(envelope), "application/json; charset=utf-8", { ...allowed.headers, "xero-correlation-id": id });
  });

  let dataVersion = 0;
  let lastList: { key: string; entries: ListEntry[] } | undefined;

  app.get(`${API}/:entity`, async (request, reply) => {
    const { entity } = request.params as { entity: string };
    const spec = Object.entries(entities).find(([name]) => name.toLowerCase() === entity.toLowerCase());
    if (!spec) return send(request, reply, 404, "The resource you're looking for cannot be found", "text/plain; charset=utf-8");
    const allowed = guard(request, reply, true);
    if (!allowed) return reply;
    {
      const [name, { fields, paged, key }] = spec;
      const query = request.query as Record<string, string | undefined>;
      const page = paged && query.page !== undefined ? Number(query.page) : undefined;
      if (page !== undefined && (!Number.isInteger(page) || page < 1)) {
        return send(request, reply, 400, xeroJson({ ErrorNumber: 10, Type: "ValidationException", Message: "page must be a positive whole number" }), "application/json; charset=utf-8", allowed.headers);
      }
      const pageSize = Math.min(1000, Math.max(1, Number(query.pageSize ?? 100) || 100));
      const dp: 2 | 4 = query.unitdp === "4" ? 4 : 2;
      let entries: ListEntry[];
      // The pages of one listing come from one filtered, ordered list, made again only when the query
      // or the organisation changed: making it for every page made the sandbox the bottleneck of a large history.
      const listKey = JSON.stringify([dataVersion, name, { ...query, page: undefined, pageSize: undefined, unitdp: undefined }, request.headers["if-modified-since"] ?? null]);
      if (lastList?.key === listKey) entries = lastList.entries;
      else {
        if (name === "Invoices" || name === "CreditNotes") {
          entries = documentEntries(data, name === "Invoices" ? "invoice" : "credit_note");
          if (query.Statuses) {
            const statuses = new Set(query.Statuses.split(",").map((s) => s.trim().toUpperCase()));
            entries = entries.filter((e) => statuses.has(String(e.read(["Status"]))));
          }
        } else if (name === "Contacts") {
          entries = data.contacts
            .filter((c) => c.ContactStatus !== "ARCHIVED" || query.includeArchived === "true")
            .map((c) => renderedEntry(c.seq, c.updatedMs, renderContact(c)));
        } else {
          entries = data.items.map((item, i) => renderedEntry(i, item.updatedMs, renderItem(item)));
        }
        const since = request.headers["if-modified-since"];
        if (typeof since === "string") {
          const sinceMs = parseIfModifiedSince(since);
          if (sinceMs === undefined) {
            return send(request, reply, 400, xeroJson({ ErrorNumber: 10, Type: "ValidationException", Message: `If-Modified-Since '${since}' is not a date` }), "application/json; charset=utf-8", allowed.headers);
          }
          entries = entries.filter((e) => Math.floor(e.updated / 1000) * 1000 >= sinceMs);
        }
        if (query.where) {
          try {
            const predicate = parseWhere(query.where, new Set(fields), name.replace(/s$/, ""));
            entries = entries.filter((e) => predicate((path) => e.read(path)));
          } catch (error) {
            if (!(error instanceof QueryParseError)) throw error;
            return send(request, reply, 400, xeroJson({ ErrorNumber: 16, Type: "QueryParseException", Message: error.message }), "application/json; charset=utf-8", allowed.headers);
          }
        }
        entries.sort(orderBy(query.order, fields));
        lastList = { key: listKey, entries };
      }
      let pagination: { page: number; pageSize: number; pageCount: number; itemCount: number } | undefined;
      // Without `page`, invoices and credit notes come back with empty LineItems (as Xero answers).
      let members: Buffer[];
      if (page !== undefined) {
        const itemCount = entries.length;
        pagination = { page, pageSize, pageCount: Math.ceil(itemCount / pageSize), itemCount };
        members = entries.slice((page - 1) * pageSize, page * pageSize).map((e) => e.text(true, dp));
      } else members = entries.map((e) => e.text(false, dp));
      const id = randomUUID();
      const head = {
        Id: id,
        Status: "OK",
        ProviderName: "salesdw sandbox",
        DateTimeUTC: formatDotnetDate(Date.now()),
        pagination: options.pagination ? pagination : undefined,
      };
      return send(request, reply, 200, envelopeText(head, key, members), "application/json; charset=utf-8", { ...allowed.headers, "xero-correlation-id": id });
    }
  });

  // ---- the sandbox's own controls (not part of Xero) ----
  app.get("/_sandbox", async () => ({
    sandbox: "This is the salesdw Xero SANDBOX, not Xero. Generated data only.",
    tenantId: data.tenantId,
    documents: data.documents.length,
    contacts: data.contacts.length,
    items: data.items.length,
    requests: requests.length,
    options,
  }));
  app.post("/_sandbox/faults", async (request) => {
    const fault = request.body as Fault;
    faults.push({ ...fault, seen: 0, left: fault.times ?? 1 });
    return { queued: fault };
  });
  app.post("/_sandbox/changes", async (request, reply) => {
    try {
      return { changed: sandbox.change(request.body as Change) ?? null };
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
  });
  app.post("/_sandbox/options", async (request) => {
    Object.assign(options, request.body as object);
    return { options };
  });
  app.post("/_sandbox/expire-access-tokens", async () => {
    sandbox.expireAccessTokens();
    return { expired: true };
  });
  app.post("/_sandbox/revoke-refresh-tokens", async () => {
    sandbox.revokeRefreshTokens();
    return { revoked: true };
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, 404, "The resource you're looking for cannot be found", "text/plain; charset=utf-8"));

  const address = await app.listen({ port: input.port ?? 0, host: input.host ?? "127.0.0.1" });
  const url = address.replace("localhost", "127.0.0.1");
  let closed = false;
  const sandbox: XeroSandbox = {
    url,
    settings: {
      XERO_CLIENT_ID: clientId,
      XERO_CLIENT_SECRET: clientSecret,
      XERO_REFRESH_TOKEN: firstRefresh,
      XERO_API_URL: url,
      XERO_IDENTITY_URL: url,
    },
    data,
    options,
    requests,
    events,
    fault: (fault) => faults.push({ ...fault, seen: 0, left: fault.times ?? 1 }),
    change: (change) => {
      dataVersion++;
      return applyChange(data, change);
    },
    expireAccessTokens: () => {
      for (const token of accessTokens.values()) token.expiresAt = Date.now() - 1;
    },
    revokeRefreshTokens: () => {
      for (const state of refreshTokens.values()) state.revoked = true;
    },
    isRefreshTokenUsable: refreshUsable,
    close: async () => {
      if (closed) return;
      closed = true;
      app.server.closeAllConnections();
      await app.close();
    },
  };
  return sandbox;
}

/** `2024-05-01T10:00:00` (UTC), with `.000Z` or an offset, or an HTTP date; second precision. */
export function parseIfModifiedSince(value: string): number | undefined {
  const trimmed = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed);
  const ms = iso ? Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) ? trimmed : `${trimmed}Z`) : Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000) * 1000;
}

/** `order=UpdatedDateUTC ASC`, `order=Date DESC`…; the default is creation order. */
function orderBy(order: string | undefined, fields: string[]) {
  const [field, direction] = (order ?? "").trim().split(/\s+/);
  const sign = direction?.toUpperCase() === "DESC" ? -1 : 1;
  const known = Boolean(field) && fields.includes(field);
  return (a: ListEntry, b: ListEntry) => {
    if (known) {
      const x = field === "UpdatedDateUTC" ? a.updated : a.read([field]);
      const y = field === "UpdatedDateUTC" ? b.updated : b.read([field]);
      if (x !== y && x != null && y != null) return (x < y ? -1 : 1) * sign;
    }
    return a.seq - b.seq;
  };
}
