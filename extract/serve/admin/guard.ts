/**
 * The one check in front of every /admin route: the signed-in user's role (see access.ts, which
 * has already sent anyone not signed in to /login). API keys are for the API only.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { notice, page } from "../layout.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Who is editing: set by the admin guard, written to updated_by / changed_by. */
    adminUser?: string;
  }
}

/** Admins only; a viewer is told so (403). Sets who is editing. */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const account = request.account;
  if (!account) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  if (account.role !== "admin") {
    return reply.code(403).type("text/html; charset=utf-8")
      .send(page("Admin", "/admin", notice("problem", `The admin pages are for administrators; ${account.name} is a viewer. Ask an administrator to change what you need.`)));
  }
  request.adminUser = account.name;
}
