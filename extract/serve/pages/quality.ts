/**
 * Data quality and freshness (/quality): freshness per source, findings by check and severity
 * with the rows behind them (?check=…), the run log, recent loads, and the records loads could
 * not use. Reads mart views only (data_freshness, dq_issues, dq_issue_rows, etl_run_log,
 * load_runs, load_rejects).
 */
import type { FastifyInstance } from "fastify";
import type { Warehouse } from "../db.ts";
import { formatDecimal } from "../format.ts";
import { html, type Html } from "../html.ts";
import { notice, page, table } from "../layout.ts";
import { firstOf, relationState, rowsBehind, stateNotice } from "../marts.ts";

type Query = Record<string, string | string[] | undefined>;
const PAGE_SIZE = 50;
const RUN_DATAFORM = "Load a source and run `npx dataform run --track=false`.";

export async function qualityRoutes(app: FastifyInstance, options: { warehouse: Warehouse }): Promise<void> {
  const pool = options.warehouse.reader;

  app.get("/quality", async (request, reply) => {
    reply.type("text/html; charset=utf-8");
    const query = request.query as Query;
    const check = firstOf(query, "check");
    const pageNumber = Math.max(1, Math.floor(Number(firstOf(query, "page") ?? 1)) || 1);
    const [freshness, findings, loads, runs, rejects] = await Promise.all(
      ["mart.data_freshness", "mart.dq_issues", "mart.load_runs", "mart.etl_run_log", "mart.load_rejects"].map((r) => relationState(pool, r)),
    );
    const sections: Html[] = [];

    sections.push(html`<h2>Freshness per source</h2>`);
    if (freshness !== "ready") sections.push(stateNotice("mart.data_freshness", freshness, "source has loaded data", RUN_DATAFORM));
    else {
      const { rows } = await pool.query(`select source_system, last_event_date, days_since_last_event, last_load_at, loads, failed_loads,
        raw_rows, rejected_rows, canonical_lines from mart.data_freshness order by source_system`);
      sections.push(table(["Source", "Last sale day", "Days since", "Last load", "Loads", "Failed loads", "Raw rows", "Rejected rows", "Canonical lines"], rows.map((r) => [
        r.source_system, r.last_event_date ?? "no lines", num(r.days_since_last_event), time(r.last_load_at), num(r.loads), num(r.failed_loads),
        num(r.raw_rows), num(r.rejected_rows), num(r.canonical_lines),
      ]), "freshness"));
    }

    sections.push(html`<h2>Findings by check and severity</h2>`);
    if (findings !== "ready") sections.push(findings === "empty" ? notice("done", "No data-quality findings: every checked line passed.") : stateNotice("mart.dq_issues", findings, "data-quality findings", RUN_DATAFORM));
    else {
      const { rows } = await pool.query(`select check_name, severity, count(*) as findings, count(distinct load_id) as loads, max(detected_at) as last_seen
        from mart.dq_issues group by 1, 2 order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, findings desc`);
      sections.push(table(["Check", "Severity", "Findings", "Loads", "Last seen"], rows.map((r) => [
        html`<a href="/quality?check=${encodeURIComponent(r.check_name)}#rows">${r.check_name}</a>`,
        html`<span class="severity-${r.severity}">${r.severity}</span>`, num(r.findings), num(r.loads), time(r.last_seen),
      ]), "findings"));
      if (check) sections.push(await findingRows(check, pageNumber));
    }

    sections.push(html`<h2>Runs</h2>`);
    if (runs !== "ready") sections.push(stateNotice("mart.etl_run_log", runs, "runs recorded", "`npx salesdw run` records each run and its steps here."));
    else {
      const { rows } = await pool.query(`select run_id, run_status, step, name, status, started_at, seconds, new_loads, rows_loaded, failed_loads, message
        from mart.etl_run_log where step <> 'load' and run_id in (select distinct run_id from mart.etl_run_log where run_id is not null order by run_id desc limit 10)
        order by run_id desc, step_order`);
      // Loads made by a plain `salesdw extract` are in the log too, without a run.
      if (!rows.length) sections.push(stateNotice("mart.etl_run_log", "empty", "runs recorded", "`npx salesdw run` records each run and its steps here."));
      else sections.push(table(["Run", "Run status", "Step", "What", "Status", "Started", "Seconds", "New loads", "Rows", "Failed loads", "Message"], rows.map((r) => [
        r.run_id, r.run_status, r.step, r.name, html`<span class="${/fail/.test(r.status) ? "severity-error" : ""}">${r.status}</span>`, time(r.started_at),
        r.seconds === null ? "–" : Number(r.seconds).toFixed(1), num(r.new_loads), num(r.rows_loaded), num(r.failed_loads), html`<span dir="auto">${r.message ?? ""}</span>`,
      ]), "runs"));
    }

    sections.push(html`<h2>Recent loads</h2>`);
    if (loads !== "ready") sections.push(stateNotice("mart.load_runs", loads, "loads", "Land files with `npx salesdw extract …`."));
    else {
      const counts = findings === "ready"
        ? "(select count(*) filter (where severity = 'error') as errors, count(*) filter (where severity = 'warning') as warnings from mart.dq_issues i where i.load_id = l.load_id)"
        : "(select null::bigint as errors, null::bigint as warnings)";
      const { rows } = await pool.query(`select l.load_id, l.source_system, l.file_name, l.status, l.rows_loaded, l.rows_rejected, l.message, l.finished_at, l.seconds, f.errors, f.warnings
        from mart.load_runs l cross join lateral ${counts} f order by l.load_id desc limit 30`);
      sections.push(table(["Load", "Source", "File", "Status", "Rows", "Rejected", "Errors", "Warnings", "Finished", "Seconds", "Message"], rows.map((r) => [
        r.load_id, r.source_system, html`<span dir="auto">${r.file_name}</span>`, html`<span class="${r.status === "failed" ? "severity-error" : ""}">${r.status}</span>`,
        num(r.rows_loaded), num(r.rows_rejected), num(r.errors), num(r.warnings), time(r.finished_at),
        r.seconds === null ? "–" : Number(r.seconds).toFixed(1), html`<span dir="auto">${r.message ?? ""}</span>`,
      ]), "loads"));
    }

    sections.push(html`<h2>Rejected records</h2>`);
    if (rejects !== "ready") sections.push(rejects === "empty" ? notice("done", "No rejected records: every record of every load could be used.") : stateNotice("mart.load_rejects", rejects, "rejected records", ""));
    else {
      const { rows } = await pool.query(`select load_id, source, file_name, source_row, reason, left(raw_record, 400) as raw_record, length(raw_record) as length
        from mart.load_rejects order by rejected_at desc, load_id desc, source_row limit 30`);
      sections.push(table(["Load", "Source", "File", "Line", "Reason", "Record as received"], rows.map((r) => [
        r.load_id, r.source ?? "", html`<span dir="auto">${r.file_name}</span>`, r.source_row, r.reason,
        html`<pre class="raw" dir="auto">${r.raw_record}${r.length > 400 ? ` … (${formatDecimal(r.length)} characters)` : ""}</pre>`,
      ]), "rejects"));
    }
    return page("Data quality and freshness", "/quality", html`${sections}`);
  });

  async function findingRows(check: string, pageNumber: number): Promise<Html> {
    const { rows: count } = await pool.query("select count(*)::int as n from mart.dq_issues where check_name = $1", [check]);
    const total = count[0].n;
    if (!total) return notice("problem", `No findings for check "${check}".`);
    const { rows } = await pool.query(
      `select i.issue_key, i.severity, i.table_name, i.record_key, i.detail, i.load_id, l.file_name, i.detected_at
       from mart.dq_issues i left join mart.load_runs l using (load_id)
       where i.check_name = $1 order by i.load_id, i.record_key limit $2 offset $3`,
      [check, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE],
    );
    const behind = await rowsBehind(pool, rows.map((r) => r.issue_key));
    const pages = Math.ceil(total / PAGE_SIZE);
    const link = (n: number, text: string) => html`<a href="/quality?check=${encodeURIComponent(check)}&page=${n}#rows">${text}</a>`;
    return html`<h3 id="rows">${check}: ${formatDecimal(total)} ${total === 1 ? "finding" : "findings"}, the rows behind them</h3>
<div class="pager">${pageNumber > 1 ? link(pageNumber - 1, "← previous") : ""}<span>page ${pageNumber} of ${pages}</span>${pageNumber < pages ? link(pageNumber + 1, "next →") : ""}</div>
${table(["Severity", "Where", "Record", "Detail", "File", "Found", "Row as landed"], rows.map((r) => [
  html`<span class="severity-${r.severity}">${r.severity}</span>`, r.table_name, r.record_key, html`<span dir="auto">${r.detail}</span>`,
  html`<span dir="auto">${r.file_name ?? ""}</span>`, time(r.detected_at),
  behind.get(r.issue_key) ? html`<pre class="raw" dir="auto">${rowText(behind.get(r.issue_key)!)}</pre>` : "–",
]), "finding-rows")}`;
  }
}

/** A raw row as `column: value` lines, columns in a stable order. */
function rowText(row: Record<string, unknown>): string {
  return Object.entries(row)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("  ·  ");
}

const num = (value: unknown) => (value === null || value === undefined ? "–" : formatDecimal(String(value)));
const time = (value: unknown) => (value instanceof Date ? value.toISOString().replace("T", " ").slice(0, 16) + " UTC" : value ? String(value) : "–");
