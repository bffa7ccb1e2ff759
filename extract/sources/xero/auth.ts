/**
 * Xero's OAuth2 tokens. With a refresh token, every refresh returns a NEW refresh token and the
 * old one dies 30 minutes later, so the new one is saved (atomically, mode 0600) before the new
 * access token is used: a process killed right after a refresh still leaves a working token
 * behind. A custom connection (client_credentials) has no refresh token and nothing to save.
 */
import { createHash } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../../config.ts";
import { registerSecret } from "../../log.ts";
import { HttpError, type HttpClient } from "../http.ts";
import type { XeroSettings } from "./settings.ts";

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
  scope?: string;
}

/** What the token file holds. `seed` identifies the XERO_REFRESH_TOKEN the chain started from. */
interface SavedTokens {
  version: 1;
  client_id: string;
  seed: string;
  refresh_token: string;
  access_token?: string;
  expires_at?: string;
  saved_at: string;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export class XeroAuth {
  private access?: { token: string; expiresAt: number };

  constructor(
    private readonly settings: XeroSettings,
    private readonly identity: HttpClient,
  ) {}

  /** A usable access token: the one in memory or in the token file while it lasts, a new one otherwise. */
  async accessToken(): Promise<string> {
    if (this.access && this.access.expiresAt - 120_000 > Date.now()) return this.access.token;
    if (this.settings.grant === "refresh_token") {
      const saved = await this.readSaved();
      if (saved?.access_token && saved.expires_at && Date.parse(saved.expires_at) - 120_000 > Date.now()) {
        registerSecret(saved.access_token);
        this.access = { token: saved.access_token, expiresAt: Date.parse(saved.expires_at) };
        return this.access.token;
      }
    }
    return this.renew();
  }

  /** A new access token (after a 401 TokenExpired, or when none is left). */
  async renew(): Promise<string> {
    const tokens = this.settings.grant === "client_credentials" ? await this.clientCredentials() : await this.refresh();
    this.access = { token: tokens.access_token, expiresAt: Date.now() + (tokens.expires_in ?? 1800) * 1000 };
    return this.access.token;
  }

  private async clientCredentials(): Promise<TokenResponse> {
    return this.tokenRequest(new URLSearchParams({ grant_type: "client_credentials" }), "client_credentials");
  }

  private async refresh(): Promise<TokenResponse> {
    const saved = await this.readSaved();
    const refreshToken = saved?.refresh_token ?? this.settings.refreshToken!;
    const tokens = await this.tokenRequest(new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }), "refresh_token", saved !== undefined);
    if (!tokens.refresh_token) {
      throw new UserError(`xero: the token endpoint returned no refresh token; the app must ask for the offline_access scope. Authorise it again with offline_access and put the new refresh token in XERO_REFRESH_TOKEN.`);
    }
    // Saved before the access token is used: the old refresh token dies 30 minutes after this.
    await this.save({
      version: 1,
      client_id: this.settings.clientId,
      seed: sha256(this.settings.refreshToken!),
      refresh_token: tokens.refresh_token,
      access_token: tokens.access_token,
      expires_at: new Date(Date.now() + (tokens.expires_in ?? 1800) * 1000).toISOString(),
      saved_at: new Date().toISOString(),
    });
    return tokens;
  }

  private async tokenRequest(form: URLSearchParams, grant: string, fromFile = false): Promise<TokenResponse> {
    const basic = Buffer.from(`${this.settings.clientId}:${this.settings.clientSecret}`).toString("base64");
    registerSecret(basic);
    let tokens: TokenResponse;
    try {
      const response = await this.identity.request<TokenResponse>("/connect/token", {
        method: "POST",
        body: form,
        headers: { Authorization: `Basic ${basic}` },
      });
      tokens = response.body;
    } catch (error) {
      if (error instanceof HttpError && error.status >= 400 && error.status < 500) throw tokenRefusal(error, grant, fromFile, this.settings.tokenFile);
      throw error;
    }
    if (!tokens || typeof tokens.access_token !== "string") throw new UserError("xero: the token endpoint answered without an access token; check XERO_IDENTITY_URL.");
    for (const secret of [tokens.access_token, tokens.refresh_token, tokens.id_token]) registerSecret(secret);
    return tokens;
  }

  /** The token file, if it continues the chain that XERO_REFRESH_TOKEN started (a new token in .env starts a new chain). */
  private async readSaved(): Promise<SavedTokens | undefined> {
    let text: string;
    try {
      text = await readFile(this.settings.tokenFile, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new UserError(`xero: cannot read the token file ${this.settings.tokenFile} (${(error as Error).message}); fix its permissions or set XERO_TOKEN_FILE.`);
    }
    let saved: SavedTokens;
    try {
      saved = JSON.parse(text) as SavedTokens;
    } catch {
      throw new UserError(`xero: the token file ${this.settings.tokenFile} is not valid JSON; delete it and put a new refresh token in XERO_REFRESH_TOKEN.`);
    }
    if (saved.version !== 1 || typeof saved.refresh_token !== "string") {
      throw new UserError(`xero: the token file ${this.settings.tokenFile} is not one this tool wrote; delete it or set XERO_TOKEN_FILE to another path.`);
    }
    registerSecret(saved.refresh_token);
    registerSecret(saved.access_token);
    if (saved.client_id !== this.settings.clientId || saved.seed !== sha256(this.settings.refreshToken ?? "")) return undefined;
    return saved;
  }

  /** Write to a temporary file in the same folder (0600), flush, then rename over the old one: never half a file. */
  private async save(tokens: SavedTokens): Promise<void> {
    const file = this.settings.tokenFile;
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    try {
      const handle = await open(temporary, "w", 0o600);
      try {
        await handle.chmod(0o600);
        await handle.writeFile(JSON.stringify(tokens, null, 2) + "\n");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
      const folder = await open(path.dirname(file), "r").catch(() => undefined);
      await folder?.sync().catch(() => undefined);
      await folder?.close();
    } catch (error) {
      await rm(temporary, { force: true });
      throw new UserError(
        `xero: could not save the rotated refresh token to ${file} (${(error as Error).message}). ` +
          `The previous token keeps working for 30 minutes: make the folder writable or set XERO_TOKEN_FILE, and run again.`,
      );
    }
  }
}

function tokenRefusal(error: HttpError, grant: string, fromFile: boolean, tokenFile: string): UserError {
  let code = "";
  try {
    code = String((JSON.parse(error.bodyText) as { error?: string }).error ?? "");
  } catch {
    code = "";
  }
  if (code === "invalid_client") {
    return new UserError(`xero: the identity server refused the client (invalid_client): check XERO_CLIENT_ID and XERO_CLIENT_SECRET against the app at developer.xero.com.`);
  }
  if (code === "invalid_grant" && grant === "refresh_token") {
    return new UserError(
      `xero: the refresh token is stale (invalid_grant): it was rotated more than 30 minutes ago, unused for 60 days, or revoked` +
        `${fromFile ? ` (it came from ${tokenFile})` : ""}. Authorise the app again to get a new refresh token, put it in XERO_REFRESH_TOKEN` +
        ` (the token file then starts over from it), and run again.`,
    );
  }
  if (code === "unauthorized_client" || code === "unsupported_grant_type" || grant === "client_credentials") {
    return new UserError(`xero: the identity server refused the ${grant} grant (${code || `HTTP ${error.status}`}). ${grant === "client_credentials" ? "Client credentials work only for a custom connection app; unset XERO_GRANT for a standard app." : ""}`.trim());
  }
  return error;
}
