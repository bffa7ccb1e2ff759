/**
 * The read-only KPI API and the admin sync jobs, as one Fastify plugin: register it with
 * `{ prefix: "/api/v1" }`.
 *
 *   readerPool    a pg Pool whose sessions `set role salesdw_reader`: every list reads mart only
 *   warehouseUrl  the warehouse as the server's own login: API keys and jobs (schema app), extractions
 *
 * Every route needs an API key (viewer; admin for sync jobs) and is rate limited per key. The
 * OpenAPI document is generated from the route schemas that validate the requests, and the
 * documentation UI at /docs is served from node_modules.
 */
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type pg from "pg";
import { apiKeyAuth, requireRole } from "../auth.ts";
import { JobRunner, type JobRunnerOptions } from "../jobs.ts";
import { ApiError, installErrorHandlers, rejectUnknownFields } from "./errors.ts";
import { Catalog } from "../catalog.ts";
import { registerCatalogRoute } from "./catalog.ts";
import { registerJobRoutes } from "./jobs.ts";
import { registerListRoute } from "./list-route.ts";
import { SnapshotCache } from "../snapshot-cache.ts";
import { LIST_ROUTES } from "./routes.ts";

export interface ApiOptions {
  readerPool: pg.Pool;
  warehouseUrl: string;
  /** How sync jobs run their extraction and transformation (defaults: `salesdw extract`, `dataform run`). */
  jobs?: Omit<JobRunnerOptions, "warehouseUrl">;
  /** A runner the server shares with its jobs page (it starts and closes it); otherwise the API makes its own from `jobs`. */
  runner?: JobRunner;
  /** The catalog the server shares with its catalog page; otherwise the API makes its own. */
  catalog?: Catalog;
  /** Requests per key per time window (default 600 a minute). */
  rateLimit?: { max: number; timeWindow: number | string };
}

const DESCRIPTION = `Read-only KPIs of the salesdw warehouse, and sync jobs for administrators.

Send an API key (\`npx salesdw keys create --role viewer|admin\`) as \`Authorization: Bearer <key>\`.
Answers are JSON, or CSV with \`Accept: text/csv\`. Lists take \`from\`/\`to\` (YYYY-MM-DD, inclusive),
filters, \`limit\` (default 100, at most 10,000) and \`cursor\` (the previous page's \`next_cursor\`).
Amounts are decimal strings (exact). Errors are JSON: \`{ error, message, parameter }\`.`;

export const api: FastifyPluginAsync<ApiOptions> = async (app: FastifyInstance, options: ApiOptions) => {
  let runner = options.runner;
  if (!runner) {
    const own = new JobRunner({ ...options.jobs, warehouseUrl: options.warehouseUrl });
    await own.start();
    app.addHook("onClose", () => own.close());
    runner = own;
  }
  const catalog = options.catalog ?? new Catalog(runner.pool);
  // A server that registered the key plugin at its root shares it; otherwise the API brings its own.
  if (!app.hasDecorator("apiKeys")) await app.register(apiKeyAuth, { db: runner.pool });

  installErrorHandlers(app);
  app.addHook("onRoute", rejectUnknownFields);

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "salesdw API", version: "1", description: DESCRIPTION },
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An API key from `npx salesdw keys create`." } },
      },
      tags: [
        { name: "KPIs", description: "Sales KPIs from the marts." },
        { name: "Restaurant sales", description: "Restaurant sales per day, hour, department." },
        { name: "Sellers", description: "Seller balances." },
        { name: "Operations", description: "Freshness, loads, data quality." },
        { name: "Sync jobs", description: "Extraction and dataform run on demand (admin keys)." },
        { name: "Catalog", description: "The models, their columns, assertions and lineage." },
      ],
    },
  });
  // Everything the page loads comes from @fastify/swagger-ui's own files; the online validator stays
  // off and the page's CSP allows this server only (the plugin's default also allows any https: style
  // and blocks an inline one the page uses). indexPrefix: the page links its files under this plugin's prefix.
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    indexPrefix: app.prefix,
    staticCSP: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'",
    validatorUrl: false,
    uiConfig: { deepLinking: false },
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (secured) => {
    secured.addHook("onRequest", requireRole("viewer"));
    await secured.register(rateLimit, {
      global: true,
      max: options.rateLimit?.max ?? 600,
      timeWindow: options.rateLimit?.timeWindow ?? "1 minute",
      // After the key check (onRequest), so each key has its own budget.
      hook: "preHandler",
      keyGenerator: (request) => `key:${request.apiKey?.id ?? request.ip}`,
      errorResponseBuilder: (_request, context) =>
        new ApiError(429, "rate_limited", `Too many requests with this key: at most ${context.max} per ${context.after}; try again after the Retry-After header's seconds.`),
    });
    // Answers kept while the warehouse's data is unchanged (a year in one page is a large answer to build per request).
    const answers = new SnapshotCache(options.readerPool);
    for (const spec of LIST_ROUTES) registerListRoute(secured, spec, options.readerPool, answers);
    registerJobRoutes(secured, runner);
    registerCatalogRoute(secured, catalog);
  });
};

export default api;
