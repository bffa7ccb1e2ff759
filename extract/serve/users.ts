/**
 * People who sign in to the dashboard: `salesdw users add | list | disable | enable | remove`,
 * stored in `app.users` (next to `app.api_keys`) with a salted scrypt hash of each password.
 * Sign-in counts attempts per user name in `app.sign_in_attempts`: after MAX_FAILURES failures
 * within LOCKOUT_MINUTES that name is locked for LOCKOUT_MINUTES, whether or not such a user exists.
 * Failures are counted per client address too (rows `ip:<address>`; a colon is never in a user
 * name): MAX_IP_FAILURES wrong passwords from one address within IP_LOCKOUT_MINUTES, whatever
 * names they tried, refuse sign-in from that address for IP_LOCKOUT_MINUTES.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { UserError } from "../config.ts";
import { ensureAppDdl, type Queryable } from "./app-schema.ts";
import { ROLES_BY_RANK, type Role } from "./auth.ts";

export const MAX_FAILURES = 5;
export const LOCKOUT_MINUTES = 15;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_IP_FAILURES = 20;
export const IP_LOCKOUT_MINUTES = 15;
const IP_KEY = (address: string) => `ip:${address}`;
// A name starts with a letter: letters, digits, ".", "_", "-" (the same shape as an API key's name).
const NAME_SHAPE = /^[A-Za-z][A-Za-z0-9._-]{0,62}$/;

const USERS_DDL = `
create table if not exists app.users (
  id               bigint generated always as identity primary key,
  name             text not null unique,
  role             text not null check (role in ('viewer', 'admin')),
  password_hash    text not null,
  created_at       timestamptz not null default now(),
  last_sign_in_at  timestamptz,
  disabled_at      timestamptz
);
comment on table app.users is 'Dashboard users: role and a salted scrypt hash of the password (never the password).';
create table if not exists app.sign_in_attempts (
  user_name        text primary key,
  attempts         integer not null,
  last_attempt_at  timestamptz not null,
  locked_until     timestamptz
);
comment on table app.sign_in_attempts is 'Failed (or in-flight) sign-ins per typed user name, and per client address (user_name ip:<address>), in the current window, and the lockout they caused.';
create table if not exists app.sessions (
  id_hash     text primary key,
  user_id     bigint not null references app.users (id) on delete cascade,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null
);
comment on table app.sessions is 'Signed-in browsers: sha256 of the session id their signed cookie holds (never the id itself), until expires_at or logout.';
`;

/**
 * scrypt (node's own crypto, no native add-on): people choose guessable passwords, so a stolen
 * table must be slow and memory-hungry to attack, per password (a random 16-byte salt each).
 * N = 2^15, r = 8, p = 1 costs 32 MiB and tens of milliseconds per check; the parameters are
 * stored with each hash so that they can be raised later without breaking existing passwords.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 };
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const maxmem = (N: number, r: number) => 256 * N * r; // twice what scrypt needs (128·N·r)

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const hash = await scryptAsync(password, salt, keyLength, { N, r, p, maxmem: maxmem(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64"), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: maxmem(Number(n), Number(r)) });
  return timingSafeEqual(actual, expected);
}

// Checked when the name is unknown, so that an unknown name takes as long as a wrong password.
const decoy = hashPassword(randomBytes(16).toString("hex"));

export interface UserInfo {
  id: number;
  name: string;
  role: Role;
  createdAt: Date;
  lastSignInAt: Date | null;
  disabledAt: Date | null;
  lockedUntil: Date | null;
}

export type SignIn =
  | { ok: true; user: { id: number; name: string; role: Role } }
  | { ok: false; reason: "wrong" | "disabled" }
  | { ok: false; reason: "locked" | "address-locked"; until: Date };

export type PasswordChange = { ok: true; endedSessions: number } | Exclude<SignIn, { ok: true }> | { ok: false; reason: "same" };

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UserError(`The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (password.length > 1024) throw new UserError("The password is too long: at most 1024 characters.");
}

export class UserStore {
  private ready?: Promise<void>;
  constructor(private readonly db: Queryable) {}

  /** Creates the tables if missing (idempotent, safe to race). */
  ensureTables(): Promise<void> {
    this.ready ??= ensureAppDdl(this.db, USERS_DDL).catch((error) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  async add(name: string, role: Role, password: string): Promise<UserInfo> {
    if (!NAME_SHAPE.test(name)) throw new UserError(`User name "${name}" is not usable: start with a letter; letters, digits, ".", "_" and "-" only; at most 63 characters.`);
    if (!ROLES_BY_RANK.includes(role)) throw new UserError(`--role must be viewer or admin, got "${role}".`);
    checkPassword(password);
    await this.ensureTables();
    try {
      const { rows } = await this.db.query("insert into app.users (name, role, password_hash) values ($1, $2, $3) returning *", [name, role, await hashPassword(password)]);
      return toInfo(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw new UserError(`A user named "${name}" exists already: remove it first (salesdw users remove ${name}) or choose another name.`);
      throw error;
    }
  }

  async list(): Promise<UserInfo[]> {
    await this.ensureTables();
    const { rows } = await this.db.query(
      `select u.*, case when a.locked_until > now() then a.locked_until end as locked_until
       from app.users u left join app.sign_in_attempts a on a.user_name = u.name order by u.name`,
    );
    return rows.map(toInfo);
  }

  async count(): Promise<number> {
    await this.ensureTables();
    const { rows } = await this.db.query("select count(*) filter (where disabled_at is null) as n from app.users");
    return Number(rows[0].n);
  }

  /** Removes a user; their sessions end with them (the foreign key cascades). */
  async remove(name: string): Promise<void> {
    await this.ensureTables();
    const { rowCount } = await this.db.query("delete from app.users where name = $1", [name]);
    if (!rowCount) throw new UserError(`No user named "${name}"; see "salesdw users list".`);
  }

  /** Disabling ends the user's sessions at their next request and refuses new ones; enabling also lifts a lockout. */
  async setDisabled(name: string, disabled: boolean): Promise<UserInfo> {
    await this.ensureTables();
    const { rows } = await this.db.query(
      `update app.users set disabled_at = case when $2 then coalesce(disabled_at, now()) end where name = $1 returning *, null::timestamptz as locked_until`,
      [name, disabled],
    );
    if (!rows.length) throw new UserError(`No user named "${name}"; see "salesdw users list".`);
    if (!disabled) await this.db.query("delete from app.sign_in_attempts where user_name = $1", [name]);
    return toInfo(rows[0]);
  }

  /**
   * Checks a name and password and, when they match, records the sign-in. `clientAddress` (the
   * request's address, or the proxy's client address when the proxy is trusted) is counted too.
   */
  async signIn(name: string, password: string, clientAddress?: string): Promise<SignIn> {
    const result = await this.checkCredentials(name, password, clientAddress);
    if (result.ok) await this.db.query("update app.users set last_sign_in_at = now() where id = $1", [result.user.id]);
    return result;
  }

  /**
   * A signed-in user's new password: the current one is checked as a sign-in is (a wrong one
   * counts towards the same lockouts), the new one must be long enough and differ from it. The
   * user's other sessions end; `keepSessionHash` (the browser that asked) stays signed in.
   */
  async changePassword(name: string, current: string, next: string, keepSessionHash: string, clientAddress?: string): Promise<PasswordChange> {
    checkPassword(next);
    const checked = await this.checkCredentials(name, current, clientAddress);
    if (!checked.ok) return checked;
    if (next === current) return { ok: false, reason: "same" };
    const ended = await this.setPassword(checked.user.id, next, keepSessionHash);
    return { ok: true, endedSessions: ended };
  }

  /** An administrator's reset (`salesdw users password NAME`): every session of the user ends, and a lockout of the name is lifted. */
  async resetPassword(name: string, password: string): Promise<{ user: UserInfo; endedSessions: number }> {
    checkPassword(password);
    await this.ensureTables();
    const { rows } = await this.db.query("select *, null::timestamptz as locked_until from app.users where name = $1", [name]);
    if (!rows.length) throw new UserError(`No user named "${name}"; see "salesdw users list".`);
    const ended = await this.setPassword(Number(rows[0].id), password, null);
    await this.db.query("delete from app.sign_in_attempts where user_name = $1", [name]);
    return { user: toInfo(rows[0]), endedSessions: ended };
  }

  /** The new hash and the end of the user's sessions (but one) in one statement, so no old session outlives the change. */
  private async setPassword(userId: number, password: string, keepSessionHash: string | null): Promise<number> {
    const { rows } = await this.db.query(
      `with changed as (update app.users set password_hash = $2 where id = $1 returning id),
       ended as (delete from app.sessions s using changed where s.user_id = changed.id and s.id_hash is distinct from $3 returning 1)
       select count(*)::int as ended from ended`,
      [userId, await hashPassword(password), keepSessionHash],
    );
    return Number(rows[0].ended);
  }

  /**
   * The attempt is counted (per address, then per name) before the (slow) password check, so
   * that requests sent in parallel cannot try more than the limits allow; what turns out not to
   * be a wrong password (a success, a locked name, a disabled user) is taken off the address's
   * count again, and a success forgets the name's count.
   */
  private async checkCredentials(name: string, password: string, clientAddress?: string): Promise<SignIn> {
    await this.ensureTables();
    const address = clientAddress ? IP_KEY(clientAddress) : undefined;
    let addressAttempts = 0;
    if (address) {
      const counted = await this.countAttempt(address, IP_LOCKOUT_MINUTES);
      if (counted.lockedUntil) return { ok: false, reason: "address-locked", until: counted.lockedUntil };
      if (counted.attempts > MAX_IP_FAILURES) return { ok: false, reason: "address-locked", until: await this.lock(address, IP_LOCKOUT_MINUTES) };
      addressAttempts = counted.attempts;
    }
    const notAFailure = async () => {
      if (address) await this.db.query("update app.sign_in_attempts set attempts = greatest(attempts - 1, 0) where user_name = $1 and locked_until is null", [address]);
    };
    // A typed name with a colon cannot be a user (nor reach an address's row): only the address counts it.
    const nameKey = name.includes(":") ? undefined : name;
    let nameAttempts = 0;
    if (nameKey) {
      const { attempts, lockedUntil } = await this.countAttempt(nameKey, LOCKOUT_MINUTES);
      if (lockedUntil || attempts > MAX_FAILURES) {
        await notAFailure();
        return { ok: false, reason: "locked", until: lockedUntil ?? (await this.lock(nameKey, LOCKOUT_MINUTES)) };
      }
      nameAttempts = attempts;
    }

    const { rows } = nameKey ? await this.db.query("select id, name, role, password_hash, disabled_at from app.users where name = $1", [nameKey]) : { rows: [] };
    const user = rows[0];
    const matches = await passwordMatches(password, user?.password_hash ?? (await decoy));
    if (!user || !matches) {
      // Names and addresses seen once and never again need not be kept (unknown names would pile up).
      await this.db.query("delete from app.sign_in_attempts where last_attempt_at < now() - interval '1 day'");
      if (address && addressAttempts >= MAX_IP_FAILURES) return { ok: false, reason: "address-locked", until: await this.lock(address, IP_LOCKOUT_MINUTES) };
      if (nameKey && nameAttempts >= MAX_FAILURES) return { ok: false, reason: "locked", until: await this.lock(nameKey, LOCKOUT_MINUTES) };
      return { ok: false, reason: "wrong" };
    }
    await notAFailure();
    await this.db.query("delete from app.sign_in_attempts where user_name = $1", [nameKey]);
    if (user.disabled_at) return { ok: false, reason: "disabled" };
    return { ok: true, user: { id: Number(user.id), name: user.name, role: user.role } };
  }

  /** One more attempt for a name or address in its window (a new window after it, or after a lock ran out). */
  private async countAttempt(key: string, windowMinutes: number): Promise<{ attempts: number; lockedUntil: Date | null }> {
    const { rows } = await this.db.query(
      `insert into app.sign_in_attempts as a (user_name, attempts, last_attempt_at) values ($1, 1, now())
       on conflict (user_name) do update set
         attempts = case when a.locked_until > now() then a.attempts
                         when a.locked_until is not null or a.last_attempt_at < now() - make_interval(mins => $2) then 1
                         else a.attempts + 1 end,
         locked_until = case when a.locked_until > now() then a.locked_until end,
         last_attempt_at = case when a.locked_until > now() then a.last_attempt_at else now() end
       returning attempts, locked_until`,
      [key, windowMinutes],
    );
    return { attempts: rows[0].attempts, lockedUntil: rows[0].locked_until };
  }

  private async lock(key: string, minutes: number): Promise<Date> {
    const { rows } = await this.db.query(
      `update app.sign_in_attempts set locked_until = coalesce(locked_until, now() + make_interval(mins => $2)) where user_name = $1 returning locked_until`,
      [key, minutes],
    );
    return rows[0]?.locked_until ?? new Date(Date.now() + minutes * 60_000);
  }
}

function toInfo(row: Record<string, unknown>): UserInfo {
  return {
    id: Number(row.id),
    name: String(row.name),
    role: row.role as Role,
    createdAt: row.created_at as Date,
    lastSignInAt: (row.last_sign_in_at as Date | null) ?? null,
    disabledAt: (row.disabled_at as Date | null) ?? null,
    lockedUntil: (row.locked_until as Date | null) ?? null,
  };
}
