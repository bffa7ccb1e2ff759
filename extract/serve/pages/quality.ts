/**
 * Data quality and freshness (/quality): freshness per source, findings by check and severity
 * with the rows behind them (?check=…), recent loads with what the models made of them, and
 * the records loads could not use. Reads mart views only (data_freshness, dq_findings,
 * load_log, load_rejects).
 */
import type { FastifyInstance } from "fastify";
import type { Warehouse } from "../db.ts";
import { formatDecimal } from "../format.ts";
import { html, type Html } from "../html.ts";
import { notice, page, table } from "../layout.ts";
import { firstOf, relationState, stateNotice } from "../marts.ts";

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
    const [freshness, findings, loads, rejects] = await Promise.all(
      ["mart.data_freshness", "mart.dq_findings", "mart.load_log", "mart.load_rejects"].map((r) => relationState(pool, r)),
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
    if (findings !== "ready") sections.push(findings === "empty" ? notice("done", "No data-quality findings: every checked line passed.") : stateNotice("mart.dq_findings", findings, "data-quality findings", RUN_DATAFORM));
    else {
      const { rows } = await pool.query(`select check_name, severity, count(*) as findings, count(distinct load_id) as loads, max(detected_at) as last_seen
        from mart.dq_findings group by 1, 2 order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, findings desc`);
      sections.push(table(["Check", "Severity", "Findings", "Loads", "Last seen"], rows.map((r) => [
        html`<a href="/quality?check=${encodeURIComponent(r.check_name)}#rows">${r.check_name}</a>`,
        html`<span class="severity-${r.severity}">${r.severity}</span>`, num(r.findings), num(r.loads), time(r.last_seen),
      ]), "findings"));
      if (check) sections.push(await findingRows(check, pageNumber));
    }

    sections.push(html`<h2>Recent loads</h2>`);
    if (loads !== "ready") sections.push(stateNotice("mart.load_log", loads, "loads", "Land files with `npx salesdw extract …`."));
    else {
      const { rows } = await pool.query(`select load_id, source, file_name, status, rows_loaded, rows_rejected, message, finished_at, load_seconds,
        canonical_lines, errors, warnings, processed_at from mart.load_log order by load_id desc limit 30`);
      sections.push(table(["Load", "Source", "File", "Status", "Rows", "Rejected", "Canonical", "Errors", "Warnings", "Finished", "Seconds", "Modelled", "Message"], rows.map((r) => [
        r.load_id, r.source, html`<span dir="auto">${r.file_name}</span>`, html`<span class="${r.status === "failed" ? "severity-error" : ""}">${r.status}</span>`,
        num(r.rows_loaded), num(r.rows_rejected), num(r.canonical_lines), num(r.errors), num(r.warnings), time(r.finished_at),
        r.load_seconds === null ? "–" : Number(r.load_seconds).toFixed(1), r.processed_at ? time(r.processed_at) : "not yet", html`<span dir="auto">${r.message ?? ""}</span>`,
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
    const { rows: count } = await pool.query("select count(*)::int as n from mart.dq_findings where check_name = $1", [check]);
    const total = count[0].n;
    if (!total) return notice("problem", `No findings for check "${check}".`);
    const { rows } = await pool.query(
      `select severity, table_name, record_key, detail, load_id, file_name, detected_at, raw_row from mart.dq_findings
       where check_name = $1 order by load_id, record_key limit $2 offset $3`,
      [check, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE],
    );
    const pages = Math.ceil(total / PAGE_SIZE);
    const link = (n: number, text: string) => html`<a href="/quality?check=${encodeURIComponent(check)}&page=${n}#rows">${text}</a>`;
    return html`<h3 id="rows">${check}: ${formatDecimal(total)} ${total === 1 ? "finding" : "findings"}, the rows behind them</h3>
<div class="pager">${pageNumber > 1 ? link(pageNumber - 1, "← previous") : ""}<span>page ${pageNumber} of ${pages}</span>${pageNumber < pages ? link(pageNumber + 1, "next →") : ""}</div>
${table(["Severity", "Where", "Record", "Detail", "File", "Found", "Row as landed"], rows.map((r) => [
  html`<span class="severity-${r.severity}">${r.severity}</span>`, r.table_name, r.record_key, html`<span dir="auto">${r.detail}</span>`,
  html`<span dir="auto">${r.file_name ?? ""}</span>`, time(r.detected_at),
  r.raw_row ? html`<pre class="raw" dir="auto">${rowText(r.raw_row)}</pre>` : "–",
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
