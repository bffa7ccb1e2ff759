/**
 * Sync jobs in the dashboard (/admin/jobs, admin only): a form that starts a job for a source
 * and a date range, through the same JobRunner as POST /api/v1/sync, and the jobs with their
 * status, progress, rows and errors. Behind requireAdmin like every admin page; the form carries the CSRF token.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { JobConflict, type JobRunner, type SyncJob } from "../jobs.ts";
import { pullSources } from "../../sources/registry.ts";
import { formatDecimal } from "../format.ts";
import { html } from "../html.ts";
import { notice, page, table } from "../layout.ts";
import { firstOf } from "../marts.ts";
import { csrfField } from "../access.ts";
import { requireAdmin } from "./guard.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD").refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "not a calendar date");
const SyncForm = z
  .object({
    source: z.string().trim().regex(/^[a-z][a-z0-9_]{0,62}$/, "a source name such as iiko"),
    from: z.union([z.literal(""), day]).optional(),
    to: z.union([z.literal(""), day]).optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "from is after to", path: ["from"] });

const when = (iso: string | null) => (iso ? iso.slice(0, 19).replace("T", " ") + " UTC" : "–");

export async function adminJobRoutes(app: FastifyInstance, options: { runner: JobRunner }): Promise<void> {
  const { runner } = options;
  app.addHook("preHandler", requireAdmin);

  app.get("/", async (request, reply) => {
    reply.type("text/html; charset=utf-8");
    const query = request.query as Record<string, string | undefined>;
    const done = firstOf(query, "done");
    const problem = firstOf(query, "problem");
    const sources = Object.keys(pullSources).filter((s) => runner.canSync(s)).sort();
    const jobs = await runner.list({ limit: 50 });
    const running = jobs.some((j) => j.status === "running");
    return page("Sync jobs", "/admin", html`${done ? notice("done", done) : ""}${problem ? notice("problem", problem) : ""}
<p class="meta">Extracts a source for the days chosen (as <code>salesdw extract &lt;source&gt; --from … --to …</code>), then runs Dataform for the models that source feeds and everything built from them. One job per source at a time.</p>
<form class="filters" method="post" action="/admin/jobs" id="sync-form">${csrfField(request)}
  <label>Source<input name="source" list="sync-sources" required pattern="[a-z][a-z0-9_]{0,62}" value="${firstOf(query, "source") ?? ""}"></label>
  <datalist id="sync-sources">${sources.map((s) => html`<option value="${s}">`)}</datalist>
  <label>From<input type="date" name="from"></label>
  <label>To<input type="date" name="to"></label>
  <button type="submit">Start sync</button>
</form>
<h2>Jobs</h2>
<p class="meta">${running ? html`A job is running: <a href="/admin/jobs">refresh</a> to follow it.` : "Newest first, the last 50."}</p>
${jobs.length ? table(["Job", "Source", "Days", "Status", "Phase", "Progress", "Loads", "Rows loaded", "Rows rejected", "Errors", "By", "Started", "Finished"], jobs.map((j) => jobRow(j)), "jobs") : notice("empty", "No sync job yet.")}`);
  });

  app.post("/", async (request, reply) => {
    const form = SyncForm.safeParse(request.body);
    if (!form.success) {
      const fields = form.error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`).join("; ");
      return reply.redirect(`/admin/jobs?${new URLSearchParams({ problem: `The job was not started (${fields}).` })}`, 303);
    }
    const { source, from, to } = form.data;
    const range = { from: from || undefined, to: to || undefined };
    if (!runner.canSync(source, range)) {
      return reply.redirect(`/admin/jobs?${new URLSearchParams({ problem: `${source} cannot be synced by this server: choose one of the listed sources.` })}`, 303);
    }
    try {
      const job = await runner.submit(source, range, request.adminUser ?? null);
      return reply.redirect(`/admin/jobs?${new URLSearchParams({ done: `Job ${job.id} started: ${source}${range.from || range.to ? ` from ${range.from ?? "the start"} to ${range.to ?? "today"}` : ""}.` })}`, 303);
    } catch (error) {
      if (error instanceof JobConflict) return reply.redirect(`/admin/jobs?${new URLSearchParams({ problem: error.message })}`, 303);
      throw error;
    }
  });
}

function jobRow(j: SyncJob): unknown[] {
  return [
    String(j.id), j.source, j.from || j.to ? `${j.from ?? "…"} – ${j.to ?? "…"}` : "as configured",
    html`<span class="${j.status === "failed" ? "severity-error" : ""}" data-status="${j.status}">${j.status}</span>`, j.phase, j.progress ?? "",
    formatDecimal(j.loads), formatDecimal(j.rows_loaded), formatDecimal(j.rows_rejected),
    j.errors.length ? html`<ul>${j.errors.map((e) => html`<li>${e}</li>`)}</ul>` : "", j.requested_by ?? "", when(j.created_at), when(j.finished_at),
  ];
}
