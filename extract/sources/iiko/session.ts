/**
 * One iikoServer session. Every open token holds a licence seat until logout or expiry, so a
 * run logs in once per server, renews the token before it expires (logout, then login), sends
 * requests one at a time, answers a 401 (expired session, restarted server) with one new login,
 * and always logs out at the end, also after errors and Ctrl-C.
 */
import { UserError } from "../../config.ts";
import { registerSecret, warn } from "../../log.ts";
import { HttpError, type HttpClient, type HttpResponse, type RequestOptions } from "../http.ts";
import type { IikoServerSettings } from "./settings.ts";

/** Login refused: no free licence seat (403), or the login or password is wrong (401). */
export class IikoLoginRefused extends UserError {}

export class IikoSession {
  private token: string | undefined;
  private loggedInAt = 0;
  logins = 0;

  constructor(
    private readonly server: IikoServerSettings,
    private readonly http: HttpClient,
    private readonly options: { renewAfterMs: number; signal?: AbortSignal },
  ) {}

  async login(): Promise<void> {
    let response: HttpResponse<string>;
    try {
      response = await this.http.request<string>("/resto/api/auth", {
        query: { login: this.server.login, pass: this.server.passwordSha1 },
        expect: "text",
        signal: this.options.signal,
      });
    } catch (error) {
      if (error instanceof HttpError && error.status === 403) {
        throw new IikoLoginRefused(
          `iiko server ${this.server.name}: login refused, no free licence seat (HTTP 403): ${oneLine(error.bodyText)} ` +
            `Each open session holds a seat until logout or expiry (about an hour): close other API clients or wait, then run again.`,
        );
      }
      if (error instanceof HttpError && error.status === 401) {
        throw new IikoLoginRefused(
          `iiko server ${this.server.name}: login refused (HTTP 401): ${oneLine(error.bodyText)} Check IIKO_${this.server.name.toUpperCase()}_LOGIN and its password.`,
        );
      }
      throw error;
    }
    // Some versions wrap the token in <string>…</string>.
    const token = String(response.body ?? "").trim().replace(/^<string>([\s\S]*)<\/string>$/, "$1").trim();
    if (!token || /\s|</.test(token)) throw new UserError(`iiko server ${this.server.name}: the login answered something that is not a session token.`);
    registerSecret(token);
    this.token = token;
    this.loggedInAt = Date.now();
    this.logins++;
  }

  /** Ends the session (frees its seat). Never throws: it runs in cleanup paths and must not hide the first error. */
  async logout(): Promise<void> {
    const token = this.token;
    if (!token) return;
    this.token = undefined;
    try {
      // Not cancellable on purpose: on Ctrl-C the seat must still be given back.
      await this.http.request("/resto/api/logout", { query: { key: token }, expect: "text" });
    } catch (error) {
      // A 401 means the session had already ended (expired, server restarted): nothing to give back.
      if (!(error instanceof HttpError && error.status === 401)) {
        warn(`warning: iiko server ${this.server.name}: logout failed (${(error as Error).message}); the session ends by itself when it expires.`);
      }
    }
  }

  /** A request with the session's key; renews an old session first and logs in again once after a 401. */
  async request<T>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    if (this.token && Date.now() - this.loggedInAt >= this.options.renewAfterMs) await this.logout();
    if (!this.token) await this.login();
    try {
      return await this.send<T>(path, options);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 401)) throw error;
      // The session ended on the server's side: it no longer holds a seat, so there is nothing to log out.
      this.token = undefined;
      await this.login();
      return this.send<T>(path, options);
    }
  }

  private send<T>(path: string, options: RequestOptions): Promise<HttpResponse<T>> {
    const query = { ...(options.query as Record<string, string> | undefined), key: this.token };
    return this.http.request<T>(path, { ...options, query, signal: this.options.signal });
  }
}

export function oneLine(text: string, max = 1000): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
