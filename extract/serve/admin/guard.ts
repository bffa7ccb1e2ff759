/**
 * The one check in front of every /admin route. A stand-in until sign-in with users and roles
 * arrives: HTTP Basic with the password in SALESDW_ADMIN_PASSWORD (any user name, recorded as
 * who made each edit). Without that variable the admin is off. Swap it by passing another
 * preHandler as `adminGuard` to buildServer; it must set `request.adminUser`.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import { registerSecret } from "../../log.ts";
import { notice, page } from "../layout.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Who is editing: set by the admin guard, written to updated_by / changed_by. */
    adminUser?: string;
  }
}

const digest = (text: string) => createHash("sha256").update(text).digest();

export function basicAuthGuard(password = process.env.SALESDW_ADMIN_PASSWORD): preHandlerAsyncHookHandler {
  registerSecret(password);
  return async function adminGuard(request: FastifyRequest, reply: FastifyReply) {
    if (!password) {
      return reply.code(403).type("text/html; charset=utf-8").send(page("Admin", "/admin", notice("problem",
        "The admin is off: set SALESDW_ADMIN_PASSWORD (in .env or the environment) and start `npx salesdw serve` again; then sign in with your name and that password.")));
    }
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? "");
    const decoded = match ? Buffer.from(match[1], "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    const user = colon > 0 ? decoded.slice(0, colon).trim() : "";
    // Compared as digests: equal length, constant time.
    if (!user || !timingSafeEqual(digest(decoded.slice(colon + 1)), digest(password))) {
      return reply.code(401).header("www-authenticate", 'Basic realm="salesdw admin", charset="UTF-8"').type("text/html; charset=utf-8")
        .send(page("Admin", "/admin", notice("problem", "Sign in with your name and the admin password.")));
    }
    request.adminUser = user;
  };
}

/**
 * The default admin guard: the same users and roles as the API. Sign in with your name and an
 * admin API key (`npx salesdw keys create --role admin --name you`) as the password; a browser
 * sends them as HTTP Basic, a script may send `Authorization: Bearer <key>`.
 */
export function adminKeyGuard(): preHandlerAsyncHookHandler {
  return async function adminGuard(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization ?? "";
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(header);
    const decoded = basic ? Buffer.from(basic[1], "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    const key = basic ? decoded.slice(colon + 1) : /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const identity = key ? await request.server.apiKeys?.verify(key) : undefined;
    if (!identity || identity.role !== "admin") {
      return reply.code(401).header("www-authenticate", 'Basic realm="salesdw admin", charset="UTF-8"').type("text/html; charset=utf-8")
        .send(page("Admin", "/admin", notice("problem", "Sign in with your name and an admin API key (npx salesdw keys create --role admin --name you).")));
    }
    request.adminUser = (basic && colon > 0 ? decoded.slice(0, colon).trim() : "") || identity.name;
  };
}
