/**
 * Where ConcordDb is and how to log in, from the environment (a `.env` is read first):
 * CONCORD_URL (`mssql://user:password@host:1433/ConcordDb?encrypt=true&trustServerCertificate=false`)
 * and/or CONCORD_SERVER, CONCORD_PORT, CONCORD_DATABASE, CONCORD_USER, CONCORD_PASSWORD,
 * CONCORD_ENCRYPT, CONCORD_TRUST_SERVER_CERTIFICATE, each of which overrides the same part of
 * the URL (so a password can come from a secret store while the rest sits in `.env`).
 * The password is registered with the redactor before anything can print it.
 */
import { UserError } from "../../config.ts";
import { registerSecret } from "../../log.ts";

export interface ConcordSettings {
  server: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** TLS for the whole connection (SQL Server's default for new drivers). */
  encrypt: boolean;
  /** Accept a certificate that does not chain to a trusted root (self-signed servers). */
  trustServerCertificate: boolean;
}

export const CONCORD_VARIABLES = [
  "CONCORD_URL",
  "CONCORD_SERVER",
  "CONCORD_PORT",
  "CONCORD_DATABASE",
  "CONCORD_USER",
  "CONCORD_PASSWORD",
  "CONCORD_ENCRYPT",
  "CONCORD_TRUST_SERVER_CERTIFICATE",
] as const;

/** True when the environment names a ConcordDb server (so `salesdw run`-style callers include it). */
export function concordConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CONCORD_URL || env.CONCORD_SERVER);
}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  const v = value.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(v)) return true;
  if (["false", "0", "no", "off"].includes(v)) return false;
  throw new UserError(`${name} must be true or false, got "${value}".`);
}

/** The settings, or a UserError naming what is missing or malformed (never the password). */
export function concordSettings(env: NodeJS.ProcessEnv = process.env): ConcordSettings {
  let fromUrl: Partial<ConcordSettings> & { encryptText?: string; trustText?: string } = {};
  if (env.CONCORD_URL) {
    let url: URL;
    try {
      url = new URL(env.CONCORD_URL);
    } catch {
      throw new UserError("CONCORD_URL is not a URL; expected mssql://user:password@host:1433/ConcordDb?encrypt=true");
    }
    if (!["mssql:", "sqlserver:"].includes(url.protocol)) {
      throw new UserError(`CONCORD_URL must start with mssql:// (got ${url.protocol}//…).`);
    }
    const password = decodeURIComponent(url.password);
    registerSecret(password);
    registerSecret(url.password);
    fromUrl = {
      server: decodeURIComponent(url.hostname).replace(/^\[|\]$/g, ""),
      port: url.port ? Number(url.port) : undefined,
      database: decodeURIComponent(url.pathname.replace(/^\//, "")) || undefined,
      user: decodeURIComponent(url.username) || undefined,
      password: password || undefined,
      encryptText: url.searchParams.get("encrypt") ?? undefined,
      trustText: url.searchParams.get("trustServerCertificate") ?? undefined,
    };
  }
  const password = env.CONCORD_PASSWORD || fromUrl.password;
  registerSecret(password);
  const server = env.CONCORD_SERVER || fromUrl.server;
  const user = env.CONCORD_USER || fromUrl.user;
  const missing = [!server && "the server", !user && "the user", !password && "the password"].filter(Boolean);
  if (missing.length) {
    throw new UserError(
      `ConcordDb is not configured (${missing.join(", ")} missing): set CONCORD_URL=mssql://user:password@host:1433/ConcordDb ` +
        `or CONCORD_SERVER, CONCORD_USER and CONCORD_PASSWORD (see .env.example).`,
    );
  }
  const portText = env.CONCORD_PORT || (fromUrl.port === undefined ? "1433" : String(fromUrl.port));
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`CONCORD_PORT must be a port number (1-65535), got "${portText}".`);
  return {
    server: server!,
    port,
    database: env.CONCORD_DATABASE || fromUrl.database || "ConcordDb",
    user: user!,
    password: password!,
    encrypt: flag("CONCORD_ENCRYPT", env.CONCORD_ENCRYPT ?? fromUrl.encryptText, true),
    trustServerCertificate: flag("CONCORD_TRUST_SERVER_CERTIFICATE", env.CONCORD_TRUST_SERVER_CERTIFICATE ?? fromUrl.trustText, false),
  };
}

/** host:port/database, for messages (never the user's password). */
export function describeConcord(settings: ConcordSettings): string {
  return `${settings.server}:${settings.port}/${settings.database}`;
}
