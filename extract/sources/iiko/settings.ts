/**
 * iiko settings from the environment (or .env): the servers, their credentials and time zones,
 * and how to talk to them. Every password and SHA-1 is registered with the redactor as soon as
 * it is read, so no message can print it.
 */
import { createHash } from "node:crypto";
import { UserError } from "../../config.ts";
import { registerSecret } from "../../log.ts";

export interface IikoServerSettings {
  /** As written in IIKO_SERVERS (lower case); its settings are IIKO_<NAME>_… */
  name: string;
  /** The server's address, without the /resto path. */
  url: string;
  login: string;
  /** SHA-1 (hex) of the password: what iiko's login takes, and as secret as the password. */
  passwordSha1: string;
  timezone: string;
  currency: string | null;
}

export interface IikoSettings {
  servers: IikoServerSettings[];
  rereadDays: number;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** A session older than this is closed and a new one opened before the next request (sessions last about an hour). */
  renewAfterMs: number;
}

export const IIKO_DEFAULTS = { rereadDays: 3, timeoutSeconds: 120, retries: 4, backoffMs: 1000, renewSeconds: 45 * 60 };

export function iikoConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.IIKO_SERVERS?.trim());
}

export function iikoSettings(env: NodeJS.ProcessEnv = process.env): IikoSettings {
  // Secrets first, so that even a message about a malformed setting cannot show one.
  for (const [name, value] of Object.entries(env)) if (/^IIKO_\w+_PASSWORD(_SHA1)?$/.test(name)) registerSecret(value);
  const list = env.IIKO_SERVERS?.trim();
  if (!list) throw new UserError("IIKO_SERVERS is not set: write IIKO_SERVERS=name=https://your-server:443[,name=url…] (see README, section iiko).");
  const servers = list.split(",").map((entry) => entry.trim()).filter(Boolean).map((entry) => server(entry, env));
  const names = servers.map((s) => s.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new UserError(`IIKO_SERVERS names the server "${twice}" twice.`);
  return {
    servers,
    rereadDays: whole(env, "IIKO_REREAD_DAYS", IIKO_DEFAULTS.rereadDays),
    timeoutMs: whole(env, "IIKO_TIMEOUT_SECONDS", IIKO_DEFAULTS.timeoutSeconds) * 1000,
    retries: whole(env, "IIKO_RETRIES", IIKO_DEFAULTS.retries),
    backoffMs: whole(env, "IIKO_RETRY_BACKOFF_MS", IIKO_DEFAULTS.backoffMs),
    renewAfterMs: whole(env, "IIKO_SESSION_RENEW_SECONDS", IIKO_DEFAULTS.renewSeconds) * 1000,
  };
}

function server(entry: string, env: NodeJS.ProcessEnv): IikoServerSettings {
  const match = /^([A-Za-z][A-Za-z0-9_]*)=(https?:\/\/\S+)$/.exec(entry);
  if (!match) throw new UserError(`IIKO_SERVERS: cannot read "${entry}"; write name=https://host:port (name: letters, digits, _).`);
  const name = match[1].toLowerCase();
  let url: URL;
  try {
    url = new URL(match[2]);
  } catch {
    throw new UserError(`IIKO_SERVERS: "${match[2]}" (server ${name}) is not a URL.`);
  }
  const prefix = `IIKO_${name.toUpperCase()}_`;
  const get = (key: string) => env[prefix + key]?.trim() || undefined;
  const login = get("LOGIN");
  if (!login) throw new UserError(`${prefix}LOGIN is not set (the iiko user for server ${name}).`);
  const password = env[`${prefix}PASSWORD`];
  const given = get("PASSWORD_SHA1");
  if (given && !/^[0-9a-fA-F]{40}$/.test(given)) throw new UserError(`${prefix}PASSWORD_SHA1 must be 40 hexadecimal digits (the SHA-1 of the password).`);
  if (!password && !given) throw new UserError(`Set ${prefix}PASSWORD or ${prefix}PASSWORD_SHA1 for server ${name}.`);
  const passwordSha1 = given ? given.toLowerCase() : createHash("sha1").update(password!, "utf8").digest("hex");
  registerSecret(passwordSha1);
  registerSecret(passwordSha1.toUpperCase());
  const timezone = get("TIMEZONE") ?? "UTC";
  try {
    new Intl.DateTimeFormat("en-CA", { timeZone: timezone });
  } catch {
    throw new UserError(`${prefix}TIMEZONE: "${timezone}" is not an IANA time zone (e.g. Europe/Moscow, Asia/Tehran).`);
  }
  const currency = get("CURRENCY")?.toUpperCase() ?? null;
  if (currency && !/^[A-Z]{3}$/.test(currency)) throw new UserError(`${prefix}CURRENCY: "${currency}" is not an ISO 4217 code (three letters, e.g. RUB).`);
  // The API lives under /resto; accept the address with or without it.
  const base = `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/resto$/, "")}`;
  return { name, url: base, login, passwordSha1, timezone, currency };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UserError(`${name} must be a whole number, got "${text}".`);
  return value;
}
