/**
 * API keys: created by `salesdw keys create`, shown once, stored only as a hash in
 * `app.api_keys`, sent as `Authorization: Bearer <key>`. `requireRole` is the API's Fastify hook
 * (people sign in to the pages as users instead: access.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { UserError } from "../config.ts";
import { ensureAppDdl, type Queryable } from "./app-schema.ts";
import { SnapshotCache } from "./snapshot-cache.ts";

export type Role = "viewer" | "admin";
export const ROLES_BY_RANK: readonly Role[] = ["viewer", "admin"];
const RANK: Record<Role, number> = { viewer: 1, admin: 2 };

/** What a request learns about the key it came with (never the key itself). */
export interface ApiKeyIdentity {
  id: number;
  name: string;
  role: Role;
}

export interface ApiKeyInfo extends ApiKeyIdentity {
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const KEY_PREFIX = "sdw_";
// 32 random bytes in base64url: 43 characters.
const KEY_SHAPE = /^sdw_[A-Za-z0-9_-]{43}$/;
// A name starts with a letter, so `keys revoke 12` can only mean an id.
const NAME_SHAPE = /^[A-Za-z][A-Za-z0-9._-]{0,62}$/;
// last_used_at is written at most once a minute per key, not on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

const KEYS_DDL = `
create table if not exists app.api_keys (
  id            bigint generated always as identity primary key,
  name          text not null unique,
  role          text not null check (role in ('viewer', 'admin')),
  key_hash      text not null unique,
  created_at    timestamptz not null default now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
comment on table app.api_keys is 'API keys: sha256 of each key (the key itself is shown once and never stored), role, use and revocation.';
`;

/**
 * sha256, not a slow password hash: a key is 256 random bits, so there is no dictionary to try and
 * no brute force to slow down; a fast, unsalted hash lets every request find its key through the
 * unique index in one lookup. (Passwords chosen by people would need bcrypt/scrypt; these are not.)
 */
export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

function toInfo(row: Record<string, unknown>): ApiKeyInfo {
  return {
    id: Number(row.id),
    name: String(row.name),
    role: row.role as Role,
    createdAt: row.created_at as Date,
    lastUsedAt: (row.last_used_at as Date | null) ?? null,
    revokedAt: (row.revoked_at as Date | null) ?? null,
  };
}

interface KeyRow extends ApiKeyIdentity {
  lastUsedAt: number | null;
}

export class KeyStore {
  private ready?: Promise<void>;
  /** Lookups kept while nothing commits: creating or revoking a key is a commit, so never stale (snapshot-cache.ts). */
  private readonly lookups: SnapshotCache;
  /** Keys whose last_used_at is being written now (one write, not one per concurrent request). */
  private readonly touching = new Set<number>();
  constructor(private readonly db: Queryable) {
    this.lookups = new SnapshotCache(db, { maxEntries: 1000 });
  }

  /** Creates `app.api_keys` if missing (idempotent, safe to race). */
  ensureTable(): Promise<void> {
    this.ready ??= ensureAppDdl(this.db, KEYS_DDL).catch((error) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** A new key: the returned `key` is the only copy there will ever be. */
  async create(options: { role: Role; name?: string }): Promise<{ key: string; info: ApiKeyInfo }> {
    if (!ROLES_BY_RANK.includes(options.role)) throw new UserError(`--role must be viewer or admin, got "${options.role}".`);
    const name = options.name ?? `${options.role}-${randomBytes(3).toString("hex")}`;
    if (!NAME_SHAPE.test(name)) {
      throw new UserError(`--name "${name}" is not usable: start with a letter; letters, digits, ".", "_" and "-" only; at most 63 characters.`);
    }
    await this.ensureTable();
    const key = KEY_PREFIX + randomBytes(32).toString("base64url");
    try {
      const { rows } = await this.db.query(
        "insert into app.api_keys (name, role, key_hash) values ($1, $2, $3) returning *",
        [name, options.role, hashKey(key)],
      );
      return { key, info: toInfo(rows[0]) };
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw new UserError(`A key named "${name}" exists already; choose another --name.`);
      throw error;
    }
  }

  async list(): Promise<ApiKeyInfo[]> {
    await this.ensureTable();
    const { rows } = await this.db.query("select id, name, role, created_at, last_used_at, revoked_at from app.api_keys order by id");
    return rows.map(toInfo);
  }

  /** Revokes by name or id. Returns the key as it is now, and whether it was revoked before. */
  async revoke(nameOrId: string): Promise<{ info: ApiKeyInfo; alreadyRevoked: boolean }> {
    await this.ensureTable();
    const byId = /^\d{1,18}$/.test(nameOrId);
    const { rows } = await this.db.query(
      `with target as (select id, revoked_at as before from app.api_keys where ${byId ? "id = $1::bigint" : "name = $1"})
       update app.api_keys k set revoked_at = coalesce(k.revoked_at, now())
       from target where k.id = target.id
       returning k.*, target.before is not null as already_revoked`,
      [nameOrId],
    );
    if (!rows.length) throw new UserError(`No API key with ${byId ? "id" : "name"} "${nameOrId}"; see "salesdw keys list".`);
    return { info: toInfo(rows[0]), alreadyRevoked: Boolean(rows[0].already_revoked) };
  }

  /** The identity behind a presented key, or undefined for a malformed, unknown or revoked one. */
  async verify(presented: string): Promise<ApiKeyIdentity | undefined> {
    if (!KEY_SHAPE.test(presented)) return undefined;
    await this.ensureTable();
    const hash = hashKey(presented);
    const row = await this.lookups.get<KeyRow | undefined>(hash, async () => {
      const { rows } = await this.db.query(
        "select id, name, role, last_used_at from app.api_keys where key_hash = $1 and revoked_at is null",
        [hash],
      );
      const found = rows[0] ? { id: Number(rows[0].id), name: rows[0].name, role: rows[0].role, lastUsedAt: rows[0].last_used_at?.getTime() ?? null } : undefined;
      return { value: found, chars: 100 };
    });
    if (!row) return undefined;
    if ((row.lastUsedAt === null || row.lastUsedAt < Date.now() - LAST_USED_RESOLUTION_MS) && !this.touching.has(row.id)) {
      this.touching.add(row.id);
      await this.db.query("update app.api_keys set last_used_at = now() where id = $1", [row.id]).finally(() => this.touching.delete(row.id));
    }
    return { id: row.id, name: row.name, role: row.role };
  }
}

declare module "fastify" {
  interface FastifyInstance {
    apiKeys: KeyStore;
  }
  interface FastifyRequest {
    apiKey: ApiKeyIdentity | null;
  }
}

/**
 * Decorates the instance it is registered on (and everything under it) with `apiKeys`, the store
 * `requireRole` uses. Registered without encapsulation (the `skip-override` marker that
 * fastify-plugin sets) so that a server can register it once at its root for all its routes.
 */
export const apiKeyAuth: FastifyPluginAsync<{ db: Queryable }> = Object.assign(
  async (app: FastifyInstance, options: { db: Queryable }) => {
    const store = new KeyStore(options.db);
    await store.ensureTable();
    app.decorate("apiKeys", store);
    if (!app.hasRequestDecorator("apiKey")) app.decorateRequest("apiKey", null);
  },
  { [Symbol.for("skip-override")]: true, [Symbol.for("fastify.display-name")]: "salesdw-api-key-auth" },
);

/** One body for every refusal of a key: it never says whether the key exists, was revoked or was malformed. */
const UNAUTHORIZED = { error: "unauthorized", message: "A valid API key is required: send the header Authorization: Bearer <key>." };

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * A hook (onRequest or preHandler) that lets through requests whose key has at least `role`
 * (admin outranks viewer): 401 without a valid key, 403 with a key of a lower role. The key is
 * looked up once per request, however many of these hooks a route has.
 */
export function requireRole(role: Role) {
  return async function checkRole(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!request.apiKey) {
      const presented = presentedKey(request);
      const store = request.server.apiKeys;
      if (!store) throw new Error("requireRole needs the apiKeyAuth plugin registered on this server.");
      const identity = presented ? await store.verify(presented) : undefined;
      if (!identity) {
        reply.code(401).header("www-authenticate", 'Bearer realm="salesdw"');
        return reply.send(UNAUTHORIZED);
      }
      request.apiKey = identity;
    }
    if (RANK[request.apiKey.role] < RANK[role]) {
      reply.code(403);
      return reply.send({ error: "forbidden", message: `This needs a key with the ${role} role.` });
    }
  };
}
