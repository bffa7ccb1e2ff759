/** GET /catalog: the model catalog (extract/serve/catalog.ts) for any key, viewer or admin. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Catalog } from "../catalog.ts";
import { ApiError, errorBodySchema } from "./errors.ts";
import { errorResponses } from "./list-route.ts";

const text = (description: string) => ({ type: "string", description });
const nullable = (type: string, description: string) => ({ type: [type, "null"], description });

const assertionSchema = {
  type: "object",
  properties: {
    name: text("The assertion (schema.name)."),
    description: nullable("string", "What it checks."),
    last_result: { type: "string", enum: ["passed", "failed", "not run"], description: "Its result in the latest salesdw run that ran the checks; not run when none has." },
    checked_at: nullable("string", "When that run's checks finished (ISO 8601, UTC)."),
  },
};

const modelSchema = {
  type: "object",
  properties: {
    name: text("schema.name, as Dataform and SQL name it."),
    schema: text("Warehouse schema."),
    type: text("table, view, incremental, operation, or declaration (a raw table the extractors land)."),
    layer: { type: "string", enum: ["raw", "staging", "canonical", "dw", "dq", "mart"], description: "Where it sits in the lineage." },
    description: nullable("string", "Its documentation."),
    file: nullable("string", "Its definition file."),
    tags: { type: "array", items: { type: "string" }, description: "Dataform tags." },
    columns: {
      type: "array",
      description: "Documented columns.",
      items: { type: "object", properties: { name: text("Column."), description: nullable("string", "Its documentation.") } },
    },
    assertions: { type: "array", items: assertionSchema, description: "Assertions that check it." },
    row_count: nullable("integer", "Rows now: exact for tables up to 10,000 pages, the planner's estimate beyond; null for views."),
    row_count_estimated: { type: "boolean", description: "Whether row_count is pg_class.reltuples rather than a count." },
    last_built_at: nullable("string", "When the latest salesdw run that built the models finished, unless this model failed in it (ISO 8601, UTC)."),
    upstream: { type: "array", items: { type: "string" }, description: "What it is built from, directly." },
    downstream: { type: "array", items: { type: "string" }, description: "What is built from it, directly." },
    sources: { type: "array", items: { type: "string" }, description: "The sources whose raw tables it is built from (through any number of steps)." },
  },
};

const freshnessSchema = {
  type: "object",
  properties: {
    source_system: text("Source."),
    last_event_date: nullable("string", "Latest event date in canonical (YYYY-MM-DD)."),
    days_since_last_event: nullable("integer", "Days from the last event to today."),
    last_load_at: nullable("string", "When the last successful load finished (ISO 8601, UTC)."),
    loads: { type: "integer", description: "Successful loads." },
    failed_loads: { type: "integer", description: "Failed load attempts." },
    raw_rows: { type: "integer", description: "Rows landed in raw." },
    rejected_rows: { type: "integer", description: "Rows kept in raw._rejects." },
    canonical_lines: { type: "integer", description: "Lines in canonical.sales_line." },
  },
};

export function registerCatalogRoute(app: FastifyInstance, catalog: Catalog): void {
  app.get("/catalog", {
    schema: {
      tags: ["Catalog"],
      summary: "Models, columns, assertions, row counts and lineage",
      description:
        "Every model of the Dataform project (from its compiled graph) with its schema, type, description, columns, tags, assertions and their latest result, rows and last build, and its direct upstream and downstream; with the freshness of each source (mart.data_freshness). `q` keeps the models whose name, description, tag or column contains it.",
      security: [{ bearerAuth: [] }],
      querystring: {
        type: "object",
        properties: { q: { type: "string", minLength: 1, maxLength: 200, description: "Text to find in a model's name, description, tags or columns (case-insensitive)." } },
      },
      response: {
        200: {
          description: "The catalog.",
          type: "object",
          properties: {
            models: { type: "array", items: modelSchema },
            freshness: { type: "array", items: freshnessSchema, description: "Per source, from mart.data_freshness (empty before the marts are built)." },
          },
          required: ["models", "freshness"],
        },
        503: { description: "The Dataform project does not compile.", ...errorBodySchema },
        ...errorResponses,
      },
    },
    handler: async (request: FastifyRequest) => {
      const { q } = request.query as { q?: string };
      let models;
      try {
        models = await catalog.models(q);
      } catch (error) {
        throw new ApiError(503, "unavailable", `The catalog could not be read: ${(error as Error).message}`);
      }
      return { models, freshness: await catalog.freshness() };
    },
  });
}
