/** The Xero client's settings, from the environment (a `.env` is read by the CLI). */
import path from "node:path";
import { UserError } from "../../config.ts";
import { registerSecret } from "../../log.ts";

export interface XeroSettings {
  clientId: string;
  clientSecret: string;
  grant: "refresh_token" | "client_credentials";
  /** The first refresh token; rotated ones live in the token file. */
  refreshToken?: string;
  tokenFile: string;
  tenantId?: string;
  /** `<it>/api.xro/2.0/…` and `<it>/connections`. */
  apiUrl: string;
  /** `<it>/connect/token`. */
  identityUrl: string;
}

export const XERO_SETTINGS = [
  "XERO_CLIENT_ID",
  "XERO_CLIENT_SECRET",
  "XERO_REFRESH_TOKEN",
  "XERO_TOKEN_FILE",
  "XERO_TENANT_ID",
  "XERO_GRANT",
  "XERO_API_URL",
  "XERO_IDENTITY_URL",
] as const;

/** True when the environment holds enough to try a sync. */
export function xeroConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.XERO_CLIENT_ID && env.XERO_CLIENT_SECRET && (env.XERO_REFRESH_TOKEN || env.XERO_GRANT === "client_credentials"));
}

export function readXeroSettings(env: NodeJS.ProcessEnv = process.env): XeroSettings {
  const missing = ["XERO_CLIENT_ID", "XERO_CLIENT_SECRET"].filter((name) => !env[name]);
  const grantText = env.XERO_GRANT?.trim() || "refresh_token";
  if (grantText !== "refresh_token" && grantText !== "client_credentials") {
    throw new UserError(`XERO_GRANT must be "client_credentials" (a custom connection) or left unset (a refresh token), got "${grantText}".`);
  }
  const grant = grantText;
  if (grant === "refresh_token" && !env.XERO_REFRESH_TOKEN) missing.push("XERO_REFRESH_TOKEN");
  if (missing.length) {
    throw new UserError(
      `xero: ${missing.join(", ")} not set. Put them in .env (see .env.example and the README's Xero section): ` +
        `the app's client id and secret from developer.xero.com, and a refresh token from authorising the app ` +
        `(or XERO_GRANT=client_credentials for a custom connection).`,
    );
  }
  for (const name of ["XERO_CLIENT_SECRET", "XERO_REFRESH_TOKEN"]) registerSecret(env[name]);
  const url = (name: string, fallback: string) => {
    const value = (env[name] || fallback).trim().replace(/\/+$/, "");
    if (!/^https?:\/\/[^\s]+$/i.test(value)) throw new UserError(`${name} must be an http(s) URL, got "${value}".`);
    return value;
  };
  const tenantId = env.XERO_TENANT_ID?.trim() || undefined;
  if (tenantId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenantId)) {
    throw new UserError(`XERO_TENANT_ID must be the organisation's tenant id (a GUID such as 4f0d1c2e-…), got "${tenantId}".`);
  }
  return {
    clientId: env.XERO_CLIENT_ID!.trim(),
    clientSecret: env.XERO_CLIENT_SECRET!.trim(),
    grant,
    refreshToken: env.XERO_REFRESH_TOKEN?.trim() || undefined,
    tokenFile: path.resolve(env.XERO_TOKEN_FILE || ".xero-token.json"),
    tenantId,
    apiUrl: url("XERO_API_URL", "https://api.xero.com"),
    identityUrl: url("XERO_IDENTITY_URL", "https://identity.xero.com"),
  };
}
