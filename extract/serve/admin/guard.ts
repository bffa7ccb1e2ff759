/**
 * The one check in front of every /admin route (buildServer's `adminGuard`; another guard may
 * replace it, and must set `request.adminUser`).
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import { notice, page } from "../layout.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Who is editing: set by the admin guard, written to updated_by / changed_by. */
    adminUser?: string;
  }
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
