/**
 * Calls to the Xero Accounting API: the bearer token, the tenant header, JSON with exact
 * numbers, one refresh after a 401, and one clear line for what a person must fix (a 403
 * tenant, a stale token, a daily limit). Retries, backoff and limits are http.ts's.
 */
import { UserError } from "../../config.ts";
import { createHttpClient, HttpError, type HttpClient } from "../http.ts";
import { XeroAuth } from "./auth.ts";
import { formatIfModifiedSince, parseJsonKeepingNumbers } from "./json.ts";
import type { XeroSettings } from "./settings.ts";

export interface Envelope {
  Id?: string;
  pagination?: { page: string; pageSize: string; pageCount: string; itemCount: string };
  [entity: string]: unknown;
}

/** The daily (or another long) limit: the run ends cleanly and cursors stay where they are. */
export class XeroLimitReached extends UserError {}

/**
 * Xero's limits per organisation: 5 calls at once, 60 in any minute (Xero counts the calls of the
 * last 60 seconds, so a sliding window, not a refilling bucket; the pace follows
 * X-MinLimit-Remaining when Xero says more are left).
 */
export const MAX_CONCURRENT = 5;
const PER_MINUTE = 60;

export class XeroApi {
  private readonly http: HttpClient;
  private readonly auth: XeroAuth;
  private tenant?: string;
  /** Seconds spent parsing answers so far (the client's own work, told apart from waiting for Xero). */
  parseSeconds = 0;

  constructor(
    private readonly settings: XeroSettings,
    options: { retries?: number; backoffMs?: number; timeoutMs?: number } = {},
  ) {
    const common = { userAgent: "salesdw (Xero extractor)", ...options };
    this.http = createHttpClient({ name: "xero", baseUrl: settings.apiUrl, maxConcurrent: MAX_CONCURRENT, perMinute: PER_MINUTE, minuteWindow: "sliding", remainingHeader: "x-minlimit-remaining", ...common });
    this.auth = new XeroAuth(settings, createHttpClient({ name: "xero identity", baseUrl: settings.identityUrl, ...common }));
  }

  /** The organisation to read: XERO_TENANT_ID, or the one organisation /connections lists. */
  async resolveTenant(): Promise<string | undefined> {
    if (this.settings.tenantId) return (this.tenant = this.settings.tenantId);
    // A custom connection reaches exactly one organisation and needs no tenant header.
    if (this.settings.grant === "client_credentials") return undefined;
    const connections = (await this.call("/connections", {})) as { tenantId: string; tenantType: string; tenantName: string }[];
    const organisations = (Array.isArray(connections) ? connections : []).filter((c) => c.tenantType === "ORGANISATION");
    if (organisations.length !== 1) {
      const listed = organisations.map((c) => `${c.tenantId} (${c.tenantName})`).join(", ");
      throw new UserError(
        organisations.length
          ? `xero: the connection reaches ${organisations.length} organisations: ${listed}. Set XERO_TENANT_ID to the one to read.`
          : `xero: the connection reaches no organisation (/connections is empty): authorise the app for the organisation again.`,
      );
    }
    return (this.tenant = organisations[0].tenantId);
  }

  /** GET `/api.xro/2.0/<entity>`; the envelope with numbers kept as text. */
  async get(entity: string, query: Record<string, string | number | undefined>, modifiedSinceMs?: number): Promise<Envelope> {
    const headers: Record<string, string | undefined> = {
      "xero-tenant-id": this.tenant,
      "If-Modified-Since": modifiedSinceMs === undefined ? undefined : formatIfModifiedSince(modifiedSinceMs),
    };
    return (await this.call(`/api.xro/2.0/${entity}`, query, headers)) as Envelope;
  }

  private async call(path: string, query: Record<string, string | number | undefined>, headers: Record<string, string | undefined> = {}): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.auth.accessToken();
      try {
        const response = await this.http.request<string>(path, {
          query,
          expect: "text",
          headers: { ...headers, Authorization: `Bearer ${token}`, Accept: "application/json" },
        });
        const started = performance.now();
        try {
          return parseJsonKeepingNumbers(response.body);
        } catch {
          throw new UserError(`xero: GET ${path} answered something that is not JSON (${response.body.slice(0, 120).replace(/\s+/g, " ")}…); check XERO_API_URL.`);
        } finally {
          this.parseSeconds += (performance.now() - started) / 1000;
        }
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        // An access token can expire (or be revoked) between two calls: refresh once and try again.
        if (error.status === 401 && attempt === 1) {
          await this.auth.renew();
          continue;
        }
        throw explain(error, path, this.tenant);
      }
    }
  }
}

function detailOf(error: HttpError): string {
  try {
    const body = JSON.parse(error.bodyText) as { Detail?: string; Message?: string; Title?: string };
    return body.Detail ?? body.Message ?? body.Title ?? "";
  } catch {
    return error.bodyText.trim().slice(0, 200);
  }
}

/** One line a person can act on, for the errors that need a person. */
function explain(error: HttpError, path: string, tenant: string | undefined): Error {
  const detail = detailOf(error);
  if (error.status === 401) {
    return new UserError(
      `xero: GET ${path} was refused with 401 Unauthorized (${detail || "no detail"}) even with a fresh access token: ` +
        `the app's access was revoked or its scopes do not cover this data. Authorise the app again (accounting.transactions.read, accounting.contacts.read, accounting.settings.read).`,
    );
  }
  if (error.status === 403) {
    return new UserError(
      `xero: GET ${path} was refused with 403 (${detail || "Forbidden"}) for organisation ${tenant ?? "(no tenant header)"}: ` +
        `the tenant id is wrong or the app was disconnected from that organisation. Check XERO_TENANT_ID (or unset it to use /connections) and reconnect the app.`,
    );
  }
  if (error.status === 429) {
    const problem = error.headers?.get("x-rate-limit-problem") ?? "rate";
    const retryAfter = error.headers?.get("retry-after");
    return new XeroLimitReached(
      `xero: the ${problem} limit is reached (429${retryAfter ? `, Retry-After ${retryAfter} s` : ""}); the run stops here and the cursors of what did not land stay where they were. Run again ${retryAfter ? `in ${Math.ceil(Number(retryAfter) / 60)} minutes` : "later"}.`,
    );
  }
  return error;
}
