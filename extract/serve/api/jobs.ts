/**
 * Admin routes for sync jobs: POST /sync starts one, GET /jobs/{id} follows it, GET /jobs lists them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { requireRole } from "../auth.ts";
import { JobConflict, type JobRunner, type JobStatus, type SyncJob } from "../jobs.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { wantsCsv } from "./csv.ts";
import { ApiError, errorBodySchema } from "./errors.ts";
import { checkRange, dateParam, errorResponses, listResponse, pagingParams, sendPage } from "./list-route.ts";

const nullableString = (description: string) => ({ type: ["string", "null"], description });

const jobProperties = {
  id: { type: "integer", description: "Job id." },
  source: { type: "string", description: "Source synced." },
  from: nullableString("First day asked for (YYYY-MM-DD), if any."),
  to: nullableString("Last day asked for (YYYY-MM-DD), if any."),
  status: { type: "string", enum: ["running", "succeeded", "failed"], description: "running, succeeded or failed." },
  phase: { type: "string", description: "extract, transform (dataform run) or done." },
  progress: nullableString("The latest progress line."),
  loads: { type: "integer", description: "Loads the extraction landed." },
  failed_loads: { type: "integer", description: "Loads the extraction recorded as failed." },
  rows_loaded: { type: "integer", description: "Rows landed in raw." },
  rows_rejected: { type: "integer", description: "Rows kept in raw._rejects." },
  errors: { type: "array", items: { type: "string" }, description: "What went wrong (empty when nothing did)." },
  output: { type: "string", description: "The last lines the extraction and dataform printed (passwords redacted)." },
  requested_by: nullableString("Name of the API key that started the job."),
  created_at: { type: "string", format: "date-time", description: "When the job started." },
  finished_at: { type: ["string", "null"], format: "date-time", description: "When it ended." },
};

const jobSchema = { type: "object", properties: jobProperties };
// For CSV: every cell that holds a string is treated as text (formulas neutralised).
const jobColumns = Object.keys(jobProperties).map((name) => ({ name, type: "text" }));

const sourceParam = { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}$", description: "Source name as `salesdw extract` knows it (e.g. iiko)." };

export function registerJobRoutes(app: FastifyInstance, runner: JobRunner): void {
  const admin = { preHandler: requireRole("admin") };
  const security = [{ bearerAuth: [] }];

  app.post("/sync", {
    ...admin,
    schema: {
      tags: ["Sync jobs"],
      summary: "Start a sync job (admin)",
      description:
        "Runs the same extraction as `salesdw extract <source> [--from D --to D]`, then `dataform run`, in the background. Answers the job at once; follow it with GET /jobs/{id}. One job per source at a time: a second is refused with 409 and the running job's id.",
      security,
      body: {
        type: "object",
        required: ["source"],
        properties: {
          source: sourceParam,
          from: dateParam("First day to extract (YYYY-MM-DD), inclusive."),
          to: dateParam("Last day to extract (YYYY-MM-DD), inclusive; not before from."),
        },
      },
      response: {
        202: { description: "The job, started.", ...jobSchema },
        409: {
          description: "A job for this source is running; job_id names it.",
          ...errorBodySchema,
          properties: { ...errorBodySchema.properties, job_id: { type: "integer", description: "The running job." } },
        },
        ...errorResponses,
      },
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as { source: string; from?: string; to?: string };
      checkRange(body);
      const range = { from: body.from, to: body.to };
      if (!runner.canSync(body.source, range)) {
        throw new ApiError(400, "invalid_parameter", `source "${body.source}" cannot be synced by this server.`, "source");
      }
      try {
        const job = await runner.submit(body.source, range, request.apiKey?.name ?? null);
        return reply.code(202).header("location", `${request.url.replace(/\/sync$/, "")}/jobs/${job.id}`).send(job);
      } catch (error) {
        if (error instanceof JobConflict) {
          throw new ApiError(409, "conflict", error.message, "source", { job_id: error.runningJobId });
        }
        throw error;
      }
    },
  });

  app.get("/jobs/:id", {
    ...admin,
    schema: {
      tags: ["Sync jobs"],
      summary: "A sync job: status, progress, rows, errors (admin)",
      security,
      params: { type: "object", properties: { id: { type: "integer", minimum: 1, description: "Job id." } }, required: ["id"] },
      response: { 200: { description: "The job.", ...jobSchema }, 404: { description: "No such job.", ...errorBodySchema }, ...errorResponses },
    },
    handler: async (request: FastifyRequest) => {
      const { id } = request.params as { id: number };
      const job = await runner.get(id);
      if (!job) throw new ApiError(404, "not_found", `There is no job ${id}.`, "id");
      return job;
    },
  });

  app.get("/jobs", {
    ...admin,
    schema: {
      tags: ["Sync jobs"],
      summary: "Sync jobs, newest first (admin)",
      security,
      querystring: {
        type: "object",
        properties: {
          from: dateParam("First day (YYYY-MM-DD, UTC) the jobs started on, inclusive."),
          to: dateParam("Last day (YYYY-MM-DD, UTC) the jobs started on, inclusive."),
          source: sourceParam,
          status: { type: "string", enum: ["running", "succeeded", "failed"], description: "Status." },
          ...pagingParams,
        },
      },
      response: { 200: listResponse(jobProperties, "One page of jobs."), ...errorResponses },
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as { from?: string; to?: string; source?: string; status?: JobStatus; limit: number; cursor?: string };
      checkRange(query);
      let beforeId: number | undefined;
      if (query.cursor !== undefined) {
        const [value] = decodeCursor(query.cursor, "/jobs", 1);
        if (!value || !/^\d{1,18}$/.test(value)) throw new ApiError(400, "invalid_parameter", "cursor is damaged: pass next_cursor from the previous page unchanged.", "cursor");
        beforeId = Number(value);
      }
      const jobs = await runner.list({ ...query, beforeId, limit: query.limit + 1 });
      const page: SyncJob[] = jobs.slice(0, query.limit);
      const next = jobs.length > query.limit ? encodeCursor("/jobs", [String(page[page.length - 1].id)]) : null;
      // JSON keeps errors as a list; CSV gets them in one cell.
      const rows = (wantsCsv(request) ? page.map((job) => ({ ...job, errors: job.errors.join("; ") })) : page) as unknown as Record<string, unknown>[];
      return sendPage(request, reply, jobColumns, rows, next);
    },
  });
}
