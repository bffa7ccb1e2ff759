/**
 * Who may see what on the dashboard. Every page and its data (CSV) needs a signed-in user
 * (`salesdw users add`); the sign-in page, the assets and the API (its own Bearer keys) do not.
 * Sessions: a random id in a signed cookie, its sha256 in `app.sessions` (so logout, removing or
 * disabling a user, and a changed role take effect at once, which a cookie that held the
 * user itself could not do). Every form post carries a CSRF token (@fastify/csrf-protection,
 * its secret in a second signed cookie). Only admins write: any other post is refused (403),
 * but for a user's own password (/account/password).
 * Behind an HTTPS reverse proxy that the server trusts (SALESDW_TRUST_PROXY, see proxy.ts), the
 * request's protocol and address are the proxy's client's: the cookies get Secure on https, and
 * the sign-in limit per address counts the real client, not the proxy.
 */
import { createHash, randomBytes } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import csrfProtection from "@fastify/csrf-protection";
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import type { Role } from "./auth.ts";
import { html, type Html } from "./html.ts";
import { ACCOUNT_SLOT, notice, page } from "./layout.ts";
import type { Queryable } from "./app-schema.ts";
import { IP_LOCKOUT_MINUTES, LOCKOUT_MINUTES, MAX_FAILURES, MAX_IP_FAILURES, MIN_PASSWORD_LENGTH, UserStore, type SignIn } from "./users.ts";

export const SESSION_COOKIE = "salesdw_session";
export const SESSION_HOURS = 12;
const CSRF_COOKIE = "salesdw_csrf";
/** Reachable without signing in. */
const PUBLIC = [/^\/login(?:\?|$)/, /^\/logout(?:\?|$)/, /^\/assets\//, /^\/favicon\.ico(?:\?|$)/, /^\/api\//];
const READS = new Set(["GET", "HEAD"]);

export interface Account {
  name: string;
  role: Role;
  /** sha256 of this browser's session id (its row in app.sessions). */
  sessionHash: string;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user, or null. */
    account: Account | null;
    /** The CSRF token for forms on the page being rendered (GET requests of the pages). */
    csrfToken: string;
  }
  interface FastifyInstance {
    users: UserStore;
  }
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The hidden field every form that posts must carry. */
export function csrfField(request: FastifyRequest): Html {
  return html`<input type="hidden" name="_csrf" value="${request.csrfToken}">`;
}

/** Where to go after signing in: a path on this server only (never "//elsewhere"), never the sign-in page itself. */
function safeNext(value: unknown): string {
  if (typeof value !== "string" || !/^\/(?![/\\])/.test(value) || /^\/log(?:in|out)\b/.test(value)) return "/";
  return value;
}

export interface AccessOptions {
  /** The warehouse as the server's own login (schema app), never the reader pool. */
  db: Queryable;
  /** Signs the session and CSRF cookies (see session-secret.ts). */
  secret: string;
}

/**
 * Registered without encapsulation (the `skip-override` marker fastify-plugin sets), before the
 * pages, so that its hooks run in front of every route of the server.
 */
export const access: FastifyPluginAsync<AccessOptions> = Object.assign(
  async (app: FastifyInstance, options: AccessOptions) => {
    const users = new UserStore(options.db);
    await users.ensureTables();
    app.decorate("users", users);
    app.decorateRequest("account", null);
    app.decorateRequest("csrfToken", "");
    await app.register(fastifyCookie, { secret: options.secret });
    await app.register(csrfProtection, {
      cookieKey: CSRF_COOKIE,
      cookieOpts: { path: "/", sameSite: "strict", httpOnly: true, signed: true, secure: "auto" },
    });

    app.addHook("onRequest", async (request, reply) => {
      if (request.url.startsWith("/api/") || request.url.startsWith("/assets/")) return;
      request.account = await signedInAccount(request);
      if (request.account || PUBLIC.some((p) => p.test(request.url))) return;
      const next = READS.has(request.method) ? `?next=${encodeURIComponent(request.url)}` : "";
      return reply.redirect(`/login${next}`, 303);
    });

    // Callback style: on a missing or wrong token csrfProtection answers 403 itself and does not go on.
    app.addHook("preHandler", (request, reply, done) => {
      if (request.url.startsWith("/api/") || request.url.startsWith("/assets/")) return done();
      if (!READS.has(request.method)) return app.csrfProtection(request, reply, done);
      request.csrfToken = reply.generateCsrf();
      done();
    });
    app.addHook("preHandler", async (request, reply) => {
      if (READS.has(request.method) || request.url.startsWith("/api/") || /^\/(?:log(?:in|out)|account\/password)(?:\?|$)/.test(request.url)) return;
      if (request.account?.role !== "admin") {
        return reply.code(403).type("text/html; charset=utf-8").send(page("Not allowed", "", notice("problem", "Only administrators may change anything here.")));
      }
    });

    // The header of every page says who is signed in and offers to sign out.
    app.addHook("onSend", async (request, reply, payload) => {
      if (typeof payload !== "string" || !String(reply.getHeader("content-type") ?? "").startsWith("text/html")) return payload;
      return payload.replace(ACCOUNT_SLOT, request.account ? accountBlock(request, request.account).text : "");
    });

    app.get("/login", async (request, reply) => {
      if (request.account) return reply.redirect(safeNext((request.query as { next?: string }).next), 303);
      const done = (request.query as { done?: string }).done === "signed-out" ? notice("done", "Signed out.") : "";
      return reply.type("text/html; charset=utf-8").send(signInPage(request, done, "", safeNext((request.query as { next?: string }).next)));
    });

    app.post("/login", async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const name = typeof body.name === "string" ? body.name.trim() : "";
      const password = typeof body.password === "string" ? body.password : "";
      const next = safeNext(body.next);
      reply.type("text/html; charset=utf-8");
      // The form is re-rendered: a fresh token for it.
      request.csrfToken = reply.generateCsrf();
      if (!name || !password) return reply.code(400).send(signInPage(request, notice("problem", "Enter your user name and password."), name, next));
      const result = await users.signIn(name, password, request.ip);
      if (!result.ok) {
        const refused = refusal(result, name);
        return reply.code(refused.status).send(signInPage(request, notice("problem", refused.message), name, next));
      }
      const id = randomBytes(32).toString("base64url");
      await options.db.query("delete from app.sessions where expires_at < now()");
      await options.db.query(
        "insert into app.sessions (id_hash, user_id, expires_at) values ($1, $2, now() + make_interval(hours => $3))",
        [sha256(id), result.user.id, SESSION_HOURS],
      );
      reply.setCookie(SESSION_COOKIE, id, { path: "/", httpOnly: true, sameSite: "lax", secure: "auto", signed: true, maxAge: SESSION_HOURS * 3600 });
      return reply.redirect(next, 303);
    });

    app.post("/logout", async (request, reply) => {
      const id = sessionId(request);
      if (id) await options.db.query("delete from app.sessions where id_hash = $1", [sha256(id)]);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.redirect("/login?done=signed-out", 303);
    });

    app.get("/account/password", async (request, reply) => {
      const done = (request.query as { done?: string }).done === "changed" ? notice("done", "Password changed. Your other sessions were signed out.") : "";
      return reply.type("text/html; charset=utf-8").send(passwordPage(request, done));
    });

    app.post("/account/password", async (request, reply) => {
      const account = request.account!;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const field = (key: string) => (typeof body[key] === "string" ? (body[key] as string) : "");
      const [current, next, again] = [field("current"), field("password"), field("again")];
      reply.type("text/html; charset=utf-8");
      request.csrfToken = reply.generateCsrf();
      const problem = (status: number, message: string) => reply.code(status).send(passwordPage(request, notice("problem", message)));
      if (!current || !next) return problem(400, "Enter your current password and the new one.");
      if (next !== again) return problem(400, "The new password and its repetition differ; nothing was changed.");
      if (next.length < MIN_PASSWORD_LENGTH) return problem(400, `The new password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`);
      if (next.length > 1024) return problem(400, "The new password is too long: at most 1024 characters.");
      const result = await users.changePassword(account.name, current, next, account.sessionHash, request.ip);
      if (!result.ok) {
        if (result.reason === "same") return problem(400, "The new password is the current one: choose another.");
        if (result.reason === "wrong") return problem(401, "The current password is wrong; nothing was changed.");
        const refused = refusal(result, account.name);
        return problem(refused.status, refused.message);
      }
      return reply.redirect("/account/password?done=changed", 303);
    });

    function sessionId(request: FastifyRequest): string | undefined {
      const cookie = request.cookies[SESSION_COOKIE];
      if (!cookie) return undefined;
      const unsigned = request.unsignCookie(cookie);
      return unsigned.valid && unsigned.value ? unsigned.value : undefined;
    }

    async function signedInAccount(request: FastifyRequest): Promise<Account | null> {
      const id = sessionId(request);
      if (!id) return null;
      const sessionHash = sha256(id);
      const { rows } = await options.db.query(
        `select u.name, u.role from app.sessions s join app.users u on u.id = s.user_id
         where s.id_hash = $1 and s.expires_at > now() and u.disabled_at is null`,
        [sessionHash],
      );
      return rows[0] ? { name: rows[0].name, role: rows[0].role, sessionHash } : null;
    }
  },
  { [Symbol.for("skip-override")]: true, [Symbol.for("fastify.display-name")]: "salesdw-access" },
);

/** What a refused sign-in (or password check) says, and its status. Never the password. */
function refusal(result: Exclude<SignIn, { ok: true }>, name: string): { status: number; message: string } {
  const until = "until" in result ? result.until.toISOString().slice(11, 16) : "";
  switch (result.reason) {
    case "address-locked":
      return { status: 429, message:
        `Too many failed sign-ins from your address: sign-in from it is refused until ${until} UTC ` +
        `(${MAX_IP_FAILURES} failures from one address within ${IP_LOCKOUT_MINUTES} minutes, whatever the names, refuse it for ${IP_LOCKOUT_MINUTES} minutes). Try again then.` };
    case "locked":
      return { status: 429, message:
        `Too many failed sign-ins for "${name}": locked until ${until} UTC (${MAX_FAILURES} failures lock a name for ${LOCKOUT_MINUTES} minutes). ` +
        `Try again then, or ask an administrator to run: npx salesdw users enable ${name}` };
    case "disabled":
      return { status: 403, message: "This user is disabled: ask an administrator." };
    default:
      return { status: 401, message: "Wrong user name or password." };
  }
}

function passwordPage(request: FastifyRequest, message: Html | string): string {
  return page("Change your password", "", html`${message}
<form class="sign-in" method="post" action="/account/password">
  ${csrfField(request)}
  <label>Current password<input name="current" type="password" autocomplete="current-password" required autofocus></label>
  <label>New password (at least ${String(MIN_PASSWORD_LENGTH)} characters)<input name="password" type="password" autocomplete="new-password" minlength="${String(MIN_PASSWORD_LENGTH)}" required></label>
  <label>New password again<input name="again" type="password" autocomplete="new-password" minlength="${String(MIN_PASSWORD_LENGTH)}" required></label>
  <button type="submit">Change password</button>
</form>
<p class="meta">Your other signed-in browsers are signed out; this one stays signed in. An administrator can also set a password: <code>npx salesdw users password NAME</code>.</p>`);
}

function accountBlock(request: FastifyRequest, account: Account): Html {
  return html`<div class="account"><span>${account.name} <small>(${account.role})</small></span> <a href="/account/password">Password</a>
<form class="inline" method="post" action="/logout">${csrfField(request)}<button type="submit" class="secondary">Sign out</button></form></div>`;
}

function signInPage(request: FastifyRequest, message: Html | string, name: string, next: string): string {
  return page("Sign in", "", html`${message}
<form class="sign-in" method="post" action="/login">
  ${csrfField(request)}<input type="hidden" name="next" value="${next}">
  <label>User name<input name="name" value="${name}" autocomplete="username" required autofocus></label>
  <label>Password<input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>
<p class="meta">No user yet? An administrator creates one on the server: <code>npx salesdw users add NAME --role viewer|admin</code>.</p>`, { nav: false });
}
