/**
 * Admin (/admin): identity across sources. Each source customer or product code seen in the
 * sales mart can be linked to a business key (or unlinked) in the users' mapping tables
 * (admin.customer_map, admin.product_map) that the models read on the next `dataform run`.
 * Writes go through salesdw_admin_writer with who and when, and into admin.map_changes.
 * Every route here sits behind one guard (requireAdmin, guard.ts); every form carries the CSRF
 * token that access.ts checks on each post.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { runInNewContext } from "node:vm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type pg from "pg";
import { z } from "zod";
import { projectRoot } from "../../config.ts";
import { MAPPINGS, type MappingKind } from "../../warehouse/admin-schema.ts";
import { csrfField } from "../access.ts";
import type { Warehouse } from "../db.ts";
import { formatDecimal } from "../format.ts";
import { html, type Html } from "../html.ts";
import { notice, page, table } from "../layout.ts";
import { firstOf, relationState, stateNotice } from "../marts.ts";
import { requireAdmin } from "./guard.ts";

// The models' own rule for when two ids are the same (' 072' = '72'), so the page and the marts
// agree. Dataform's includes are CommonJS files in an ES module package: evaluated here as Dataform
// does, in a sandbox that has `module`.
const identity = (() => {
  const module = { exports: {} as { normalizedId: (expression: string) => string } };
  runInNewContext(readFileSync(path.join(projectRoot, "includes", "identity.js"), "utf8"), { module, exports: module.exports });
  return module.exports;
})();

type Query = Record<string, string | string[] | undefined>;
const PAGE_SIZE = 50;
const KINDS = { customers: "customer", products: "product" } as const satisfies Record<string, MappingKind>;
const DATAFORM = "npx dataform run --track=false";

const text = (max: number) => z.string().trim().min(1).max(max);
const LinkForm = z.object({ source_system: text(100), code: text(200), key: text(200), note: z.string().trim().max(500).optional() });
const UnlinkForm = z.object({ source_system: text(100), code: text(200) });

const when = (value: Date | null) => (value ? value.toISOString().slice(0, 16).replace("T", " ") : "");

export async function adminRoutes(app: FastifyInstance, options: { warehouse: Warehouse }): Promise<void> {
  const { reader, adminWriter } = options.warehouse;
  app.addHook("preHandler", requireAdmin);

  app.get("/", async (_request, reply) => {
    reply.type("text/html; charset=utf-8");
    return page("Admin", "/admin", html`<p>Identity across sources: link each source's customer or product code to one business key. The models read these mappings on the next <code>${DATAFORM}</code>.</p>
<ul><li><a href="/admin/customers">Customers</a></li><li><a href="/admin/products">Products</a></li></ul>
<p><a href="/admin/jobs">Sync jobs</a>: extract a source for chosen days and rebuild what it feeds.</p>`);
  });

  app.get("/:kind", async (request, reply) => {
    const kind = KINDS[(request.params as { kind: string }).kind as keyof typeof KINDS];
    if (!kind) return reply.callNotFound();
    reply.type("text/html; charset=utf-8");
    const title = kind === "customer" ? "Customer identity" : "Product identity";
    const state = await relationState(reader, "mart.sales_enriched");
    if (state !== "ready") return page(title, "/admin", stateNotice("mart.sales_enriched", state, "source codes to map", "Load a source and run dataform."));
    const m = MAPPINGS[kind];
    const query = request.query as Query;
    const search = firstOf(query, "q");
    const source = firstOf(query, "source");
    const pageNumber = Math.max(1, Math.floor(Number(firstOf(query, "page") ?? 1)) || 1);

    const { rows: columns } = await reader.query(
      "select column_name from information_schema.columns where table_schema = 'mart' and table_name = 'sales_enriched' and column_name = $1",
      [m.salesKey],
    );
    const unified = columns.length ? `max(${m.salesKey})` : "null::text";
    const params: unknown[] = [];
    const conditions: string[] = [];
    if (source) conditions.push(`source_system = $${params.push(source)}`);
    if (search) conditions.push(`(${m.salesCode} ilike $${params.push(`%${search}%`)} or ${m.salesName} ilike $${params.length})`);
    const { rows: codes } = await reader.query(
      `select source_system, ${m.salesCode} as code, max(${m.salesName}) as name, count(*) as lines, ${unified} as unified_key, count(*) over () as total
       from mart.sales_enriched ${conditions.length ? `where ${conditions.join(" and ")}` : ""}
       group by 1, 2 order by 1, 2 limit ${PAGE_SIZE} offset $${params.push((pageNumber - 1) * PAGE_SIZE)}`,
      params,
    );
    const sources = (await reader.query("select distinct source_system from mart.sales_enriched order by 1")).rows.map((r) => r.source_system as string);
    const mapped = await mappingsFor(adminWriter, kind, codes.map((c) => [c.source_system, c.code]));
    const { rows: changes } = await adminWriter.query(
      `select action, source_system, source_id, old_value, new_value ->> $2 as new_key, changed_by, changed_at
       from admin.map_changes where map_table = $1 order by change_id desc limit 20`,
      [m.table, m.keyColumn],
    );

    const total = Number(codes[0]?.total ?? 0);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const here = (changes: Record<string, string | undefined>) =>
      new URLSearchParams(Object.entries({ q: search, source, page: pageNumber > 1 ? String(pageNumber) : undefined, ...changes }).filter((e): e is [string, string] => !!e[1])).toString();
    const done = firstOf(query, "done");
    const csrf = csrfField(request);
    const rows = codes.map((c) => {
      const link = mapped.get(`${c.source_system}\u0000${c.code}`);
      return [
        c.source_system, c.code, html`<span dir="auto">${c.name ?? ""}</span>`, formatDecimal(c.lines), html`<code dir="auto">${c.unified_key ?? ""}</code>`,
        linkForm(csrf, kind, c.source_system, c.code, here({}), link?.key ?? "", link?.note ?? "", Boolean(link)),
        link ? html`<form class="inline" method="post" action="/admin/${kind}s/unlink">${csrf}
          <input type="hidden" name="source_system" value="${c.source_system}"><input type="hidden" name="code" value="${c.code}">
          <input type="hidden" name="back" value="${here({})}"><button type="submit" class="secondary">Unlink</button></form>
          <small>${link.updated_by ?? ""}${link.updated_at ? `, ${when(link.updated_at)}` : ""}</small>` : html`<small>not linked</small>`,
      ];
    });
    return page(title, "/admin", html`${done ? notice("done", done) : ""}
<p class="meta">Rows with the same ${kind} key are one ${kind} across codes and sources; a code without a row counts as <code>source:code</code>. “Counted as” is what the marts use now; an edit reaches them on the next <code>${DATAFORM}</code>.</p>
<form class="filters" method="get" action="/admin/${kind}s">
  <label>Source<select name="source"><option value="">All</option>${sources.map((s) => html`<option value="${s}"${s === source ? html` selected` : ""}>${s}</option>`)}</select></label>
  <label>Code or name<input name="q" value="${search ?? ""}" dir="auto"></label>
  <button type="submit">Search</button>
</form>
<p class="meta">${formatDecimal(total)} source codes · page ${pageNumber} of ${pages}
  ${pageNumber > 1 ? html`<a href="/admin/${kind}s?${here({ page: String(pageNumber - 1) })}">← previous</a>` : ""}
  ${pageNumber < pages ? html`<a href="/admin/${kind}s?${here({ page: String(pageNumber + 1) })}">next →</a>` : ""}</p>
${table(["Source", "Code", "Name in the source", "Lines", "Counted as", `${kind === "customer" ? "Customer" : "Product"} key`, "Linked"], rows, "mappings")}
${kind === "customer" ? await suggestions(csrf, here({})) : ""}
<h2>Recent changes</h2>
${changes.length ? table(["Action", "Source", "Code", "Before", "After", "By", "When"], changes.map((c) => [
  c.action, c.source_system, c.source_id, (c.old_value ?? []).map((o: Record<string, string>) => o[m.keyColumn]).join(", ") || "–", c.new_key ?? "–", c.changed_by, when(c.changed_at),
]), "changes") : notice("empty", "No changes yet.")}`);
  });

  /** Pairs mart.identity_suggestions proposes, each a one-click link of the candidate to the Reckon customer's key. */
  async function suggestions(csrf: Html, back: string): Promise<Html | string> {
    if ((await relationState(reader, "mart.identity_suggestions")) !== "ready") return "";
    const { rows } = await reader.query(
      `select reckon_customer_id, reckon_customer_name, reckon_unified_key, candidate_source_system, candidate_id, candidate_name, reason
       from mart.identity_suggestions order by reckon_customer_name, candidate_id limit 50`,
    );
    return html`<h2>Suggested matches</h2><p class="meta">Found by account number or name; nothing is merged until someone links it.</p>
${table(["Customer", "Counted as", "Probably the same as", "Why", ""], rows.map((r) => [
  html`<span dir="auto">${r.reckon_customer_name}</span> <small>${r.reckon_customer_id}</small>`, html`<code>${r.reckon_unified_key}</code>`,
  html`<span dir="auto">${r.candidate_name}</span> <small>${r.candidate_source_system} ${r.candidate_id}</small>`, r.reason,
  linkForm(csrf, "customer", r.candidate_source_system, r.candidate_id, back, r.reckon_unified_key, `suggested: ${r.reason}`, false, true),
]), "suggestions")}`;
  }

  app.post("/:kind/link", async (request, reply) => {
    const kind = KINDS[(request.params as { kind: string }).kind as keyof typeof KINDS];
    if (!kind) return reply.callNotFound();
    const form = LinkForm.safeParse(request.body);
    if (!form.success) return badForm(reply, form.error);
    const { source_system, code, key, note } = form.data;
    const m = MAPPINGS[kind];
    await write(request, async (client) => {
      // Other spellings of the same id (' 072' for '72') are the same mapping: replaced, not left to compete.
      const before = await client.query(
        `delete from ${m.table} t where source_system = $1 and ${identity.normalizedId(m.idColumn)} = ${identity.normalizedId("$2::text")} returning to_jsonb(t) as row`,
        [source_system, code],
      );
      const after = await client.query(
        `insert into ${m.table} as t (source_system, ${m.idColumn}, ${m.keyColumn}, note, updated_by, updated_at) values ($1, $2, $3, $4, $5, now())
         returning to_jsonb(t) as row`,
        [source_system, code, key, note || null, request.adminUser],
      );
      await logChange(client, m.table, "link", source_system, code, before.rows.map((r) => r.row), after.rows[0].row, request.adminUser!);
    });
    return redirectBack(request, reply, kind, `${source_system} ${code} linked to ${key}. The marts show it after the next ${DATAFORM}.`);
  });

  app.post("/:kind/unlink", async (request, reply) => {
    const kind = KINDS[(request.params as { kind: string }).kind as keyof typeof KINDS];
    if (!kind) return reply.callNotFound();
    const form = UnlinkForm.safeParse(request.body);
    if (!form.success) return badForm(reply, form.error);
    const { source_system, code } = form.data;
    const m = MAPPINGS[kind];
    let removed = 0;
    await write(request, async (client) => {
      const before = await client.query(
        `delete from ${m.table} t where source_system = $1 and ${identity.normalizedId(m.idColumn)} = ${identity.normalizedId("$2::text")} returning to_jsonb(t) as row`,
        [source_system, code],
      );
      removed = before.rowCount ?? 0;
      if (removed) await logChange(client, m.table, "unlink", source_system, code, before.rows.map((r) => r.row), null, request.adminUser!);
    });
    return redirectBack(request, reply, kind, removed ? `${source_system} ${code} unlinked.` : `${source_system} ${code} was not linked.`);
  });

  async function write(request: FastifyRequest, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    if (!request.adminUser) throw new Error("the admin guard did not say who is editing");
    const client = await adminWriter.connect();
    try {
      await client.query("begin");
      await work(client);
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

/** The mapping row of each (source, code), matched the way the models match (numeric ids as numbers; the latest edit wins). */
async function mappingsFor(pool: pg.Pool, kind: MappingKind, codes: [string, string][]) {
  const m = MAPPINGS[kind];
  const { rows } = await pool.query<{ source_system: string; code: string; key: string; note: string | null; updated_by: string | null; updated_at: Date | null }>(
    `select distinct on (u.source_system, u.code) u.source_system, u.code, t.${m.keyColumn} as key, t.note, t.updated_by, t.updated_at
     from unnest($1::text[], $2::text[]) as u(source_system, code)
     join ${m.table} t on t.source_system = u.source_system and ${identity.normalizedId(`t.${m.idColumn}`)} = ${identity.normalizedId("u.code")}
     where nullif(btrim(t.${m.keyColumn}), '') is not null
     order by u.source_system, u.code, t.updated_at desc nulls last`,
    [codes.map((c) => c[0]), codes.map((c) => c[1])],
  );
  return new Map(rows.map((r) => [`${r.source_system}\u0000${r.code}`, r]));
}

function linkForm(csrf: Html, kind: MappingKind, source: string, code: string, back: string, key: string, note: string, linked: boolean, compact = false): Html {
  return html`<form class="inline" method="post" action="/admin/${kind}s/link">${csrf}
  <input type="hidden" name="source_system" value="${source}"><input type="hidden" name="code" value="${code}"><input type="hidden" name="back" value="${back}">
  <input ${compact ? html`type="hidden"` : html`required maxlength="200" dir="auto" placeholder="${kind} key" aria-label="${kind} key for ${code}"`} name="key" value="${key}">
  <input ${compact ? html`type="hidden"` : html`maxlength="500" dir="auto" placeholder="note" aria-label="note for ${code}"`} name="note" value="${note}">
  <button type="submit">${linked ? "Save" : "Link"}</button></form>`;
}

async function logChange(client: pg.PoolClient, table: string, action: "link" | "unlink", source: string, code: string, before: unknown[], after: unknown, by: string) {
  await client.query(
    `insert into admin.map_changes (map_table, action, source_system, source_id, old_value, new_value, changed_by) values ($1, $2, $3, $4, $5, $6, $7)`,
    [table, action, source, code, before.length ? JSON.stringify(before) : null, after === null ? null : JSON.stringify(after), by],
  );
}

function badForm(reply: FastifyReply, error: z.ZodError) {
  const fields = error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`).join("; ");
  return reply.code(400).type("text/html; charset=utf-8").send(page("Admin", "/admin", notice("problem", `The form could not be saved (${fields}). Go back and fill in every field.`)));
}

function redirectBack(request: FastifyRequest, reply: FastifyReply, kind: string, done: string) {
  const body = request.body as { back?: unknown };
  const back = new URLSearchParams(typeof body.back === "string" ? body.back : "");
  back.set("done", done);
  return reply.redirect(`/admin/${kind}s?${back.toString()}`, 303);
}
