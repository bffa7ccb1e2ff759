/**
 * `salesdw serve`: one Fastify server for the dashboard pages and the admin (the API under
 * /api/v1 registers on the same instance). Pages are rendered on the server; ECharts comes from
 * node_modules, so nothing is fetched from the internet and it works offline.
 */
import { createReadStream } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import formbody from "@fastify/formbody";
import Fastify, { type FastifyInstance } from "fastify";
import { redact } from "../log.ts";
import { adminRoutes } from "./admin/routes.ts";
import { adminJobRoutes } from "./admin/jobs-page.ts";
import { Catalog } from "./catalog.ts";
import { JobRunner, type JobRunnerOptions } from "./jobs.ts";
import { catalogRoutes } from "./pages/catalog.ts";
import { access } from "./access.ts";
import { apiKeyAuth } from "./auth.ts";
import { api } from "./api/index.ts";
import pg from "pg";
import { ensureServeRoles, openWarehouse, type Warehouse } from "./db.ts";
import { notice, page } from "./layout.ts";
import { qualityRoutes } from "./pages/quality.ts";
import { restaurantRoutes } from "./pages/restaurants.ts";
import { salesRoutes } from "./pages/sales.ts";
import { sellerRoutes } from "./pages/sellers.ts";
import { sessionSecret } from "./session-secret.ts";
import type { TrustProxy } from "./proxy.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** Connection pools by role: `reader` (mart only) and `adminWriter` (mapping tables only). */
    warehouse: Warehouse;
  }
}

export interface ServeOptions {
  /** A warehouse login that may take the roles salesdw_reader and salesdw_admin_writer. */
  url: string;
  /** Signs the session and CSRF cookies; by default SALESDW_SESSION_SECRET or the generated secret file (session-secret.ts). */
  sessionSecret?: string;
  /** Set up the roles first when they are missing and this login may (default true). */
  prepareRoles?: boolean;
  logger?: boolean;
  /** How sync jobs run (the API and the jobs page share one runner); defaults as JobRunner's. */
  jobs?: Omit<JobRunnerOptions, "warehouseUrl">;
  /** Fastify's trustProxy: behind an HTTPS reverse proxy (SALESDW_TRUST_PROXY, proxy.ts). Default false. */
  trustProxy?: TrustProxy;
  /** The API's requests per key per time window (the API's default when absent); the benchmark lifts it. */
  apiRateLimit?: { max: number; timeWindow: number | string };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const echartsFile = path.join(path.dirname(createRequire(import.meta.url).resolve("echarts")), "echarts.min.js");
const ASSETS: Record<string, { file: string; type: string }> = {
  "echarts.min.js": { file: echartsFile, type: "text/javascript; charset=utf-8" },
  "dashboard.js": { file: path.join(here, "assets", "dashboard.js"), type: "text/javascript; charset=utf-8" },
  "app.css": { file: path.join(here, "assets", "app.css"), type: "text/css; charset=utf-8" },
  "favicon.svg": { file: path.join(here, "assets", "favicon.svg"), type: "image/svg+xml" },
};

/** The configured server, not yet listening: register more route plugins on it, then `listen`. */
export async function buildServer(options: ServeOptions): Promise<FastifyInstance> {
  if (options.prepareRoles !== false) await ensureServeRoles(options.url);
  const warehouse = openWarehouse(options.url);
  const app = Fastify({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? false });
  app.decorate("warehouse", warehouse);
  app.addHook("onClose", async () => warehouse.close());
  await app.register(formbody);
  // Before any route: a route takes the error handler that is set when it is registered.
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith("/api/")) return reply.code(404).send({ error: "not found" });
    return reply.code(404).type("text/html; charset=utf-8").send(page("Not found", "", notice("empty", `Nothing at ${request.url}.`)));
  });
  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    const message = explain(error);
    if (status >= 500) request.log.error({ err: error }, message);
    if (request.url.startsWith("/api/")) return reply.code(status).send({ error: message });
    return reply.code(status).type("text/html; charset=utf-8").send(page("Something went wrong", "", notice("problem", message)));
  });

  app.addHook("onSend", async (_request, reply, payload) => {
    // Everything is served from here: no script, style or request may reach another host.
    reply.header("content-security-policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'");
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "same-origin");
    return payload;
  });

  app.get("/assets/:name", async (request, reply) => {
    const asset = ASSETS[(request.params as { name: string }).name];
    if (!asset) return reply.code(404).type("text/plain").send("No such asset.\n");
    reply.type(asset.type).header("cache-control", "public, max-age=3600");
    return reply.send(createReadStream(asset.file));
  });
  app.get("/", async (_request, reply) => reply.redirect("/sales"));
  app.get("/favicon.ico", async (_request, reply) => reply.redirect("/assets/favicon.svg", 301));

  // Schema app (users, sessions, API keys, jobs) through the server's own login, never the reader pool.
  const appPool = new pg.Pool({ connectionString: options.url, max: 4, application_name: "salesdw-app" });
  app.addHook("onClose", async () => appPool.end());
  // Signed-in users for the pages and the admin (before every route it guards); API keys for the API only.
  await app.register(access, { db: appPool, secret: options.sessionSecret ?? sessionSecret() });
  await app.register(salesRoutes, { warehouse });
  await app.register(restaurantRoutes, { warehouse });
  await app.register(sellerRoutes, { warehouse });
  await app.register(qualityRoutes, { warehouse });
  await app.register(apiKeyAuth, { db: appPool });
  // One job runner and one catalog for the API and the pages.
  const runner = new JobRunner({ ...options.jobs, warehouseUrl: options.url });
  await runner.start();
  app.addHook("onClose", async () => runner.close());
  const catalog = new Catalog(runner.pool);
  await app.register(catalogRoutes, { catalog });
  await app.register(api, { prefix: "/api/v1", readerPool: warehouse.reader, warehouseUrl: options.url, runner, catalog, rateLimit: options.apiRateLimit });
  await app.register(adminRoutes, { prefix: "/admin", warehouse });
  await app.register(adminJobRoutes, { prefix: "/admin/jobs", runner });

  return app;
}

/** One plain sentence for a failure; warehouse errors name what to do. */
function explain(error: Error & { code?: string }): string {
  if (error.code?.startsWith("FST_CSRF_")) return "Refused: this form was not sent from this page of salesdw, or it is out of date. Reload the page and send it again.";
  if (error.code === "42501") return `The dashboard's reader role may not read this: ${redact(error.message)}. Run \`npx salesdw warehouse roles\` and reload.`;
  if (error.code === "42P01") return `A table this page needs is missing: ${redact(error.message)}. Run \`npx dataform run --track=false\`.`;
  if (error.code === "ECONNREFUSED" || error.code === "57P01") return "The warehouse is not reachable: start it with `npx salesdw warehouse start`.";
  return redact(error.message);
}
