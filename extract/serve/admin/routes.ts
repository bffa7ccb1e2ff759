/**
 * Admin (/admin): identity across sources. Each source customer or product code seen in the
 * sales mart can be linked to a business id (or unlinked); edits go to admin.customer_map /
 * admin.product_map through salesdw_admin_writer, with who and when, and to admin.map_changes.
 * Every route here sits behind the one guard passed in (see guard.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import { z } from "zod";
import { MAPPINGS, type MappingKind } from "../../warehouse/admin-schema.ts";
import type { Warehouse } from "../db.ts";
import { formatDecimal } from "../format.ts";
import { html } from "../html.ts";
import { notice, page, table } from "../layout.ts";
import { firstOf, relationState, stateNotice } from "../marts.ts";

type Query = Record<string, string | string[] | undefined>;
const PAGE_SIZE = 50;
const KINDS = { customers: "customer", products: "product" } as const satisfies Record<string, MappingKind>;
/** The sales mart's columns for each kind (code and name). */
const SALES_COLUMNS = { customer: ["customer_code", "customer_name"], product: ["product_code", "product_name"] } as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const LinkForm = z.object({ source_system: text(100), code: text(200), target_id: text(200), note: z.string().trim().max(500).optional() });
const UnlinkForm = z.object({ source_system: text(100), code: text(200) });

export async function adminRoutes(app: FastifyInstance, options: { warehouse: Warehouse; guard: preHandlerAsyncHookHandler }): Promise<void> {
  const { reader, adminWriter } = options.warehouse;
  app.addHook("preHandler", options.guard);
  // Forms post with the browser's credentials: refuse posts that another site's page made.
  app.addHook("preHandler", async (request, reply) => {
    if (request.method !== "POST") return;
    const site = request.headers["sec-fetch-site"];
    const origin = request.headers.origin;
    const sameOrigin = origin ? safeHost(origin) === request.headers.host : site === undefined || site === "same-origin" || site === "none";
    if (!sameOrigin) return reply.code(403).type("text/plain; charset=utf-8").send("Refused: this form was not sent from the salesdw admin pages.\n");
  });

  app.get("/", async (_request, reply) => {
    reply.type("text/html; charset=utf-8");
    return page("Admin", "/admin", html`<p>Identity across sources: link each source's customer or product code to one business id. The models read these mappings on the next <code>npx dataform run --track=false</code>.</p>
<ul><li><a href="/admin/customers">Customers</a></li><li><a href="/admin/products">Products</a></li></ul>`);
  });

  app.get("/:kind", async (request, reply) => {
    const kind = KINDS[(request.params as { kind: string }).kind as keyof typeof KINDS];
    if (!kind) return reply.callNotFound();
    reply.type("text/html; charset=utf-8");
    const query = request.query as Query;
    const title = kind === "customer" ? "Customer identity" : "Product identity";
    const state = await relationState(reader, "mart.sales_enriched");
    if (state !== "ready") return page(title, "/admin", stateNotice("mart.sales_enriched", state, "source codes to map", "Load a source and run dataform."));
    const search = firstOf(query, "q");
    const source = firstOf(query, "source");
    const pageNumber = Math.max(1, Math.floor(Number(firstOf(query, "page") ?? 1)) || 1);
    const [codeColumn, nameColumn] = SALES_COLUMNS[kind];
    const params: unknown[] = [];
    const conditions: string[] = [];
    if (source) conditions.push(`source_system = $${params.push(source)}`);
    if (search) conditions.push(`(${codeColumn} ilike $${params.push(`%${search}%`)} or ${nameColumn} ilike $${params.length})`);
    const where = conditions.length ? `where ${conditions.join(" and ")}` : "";
    const { rows: codes } = await reader.query(
      `select source_system, ${codeColumn} as code, max(${nameColumn}) as name, count(*) as lines, count(*) over () as total
       from mart.sales_enriched ${where} group by 1, 2 order by 1, 2 limit ${PAGE_SIZE} offset $${params.push((pageNumber - 1) * PAGE_SIZE)}`,
      params,
    );
    const sources = (await reader.query("select distinct source_system from mart.sales_enriched order by 1")).rows.map((r) => r.source_system as string);
    const mapping = MAPPINGS[kind];
    const { rows: maps } = await adminWriter.query(
      `select source_system, ${mapping.codeColumn} as code, ${mapping.idColumn} as target_id, note, updated_by, updated_at
       from ${mapping.table} where (source_system, ${mapping.codeColumn}) in (select * from unnest($1::text[], $2::text[]))`,
      [codes.map((c) => c.source_system), codes.map((c) => c.code)],
    );
    const { rows: changes } = await adminWriter.query(
      `select action, source_system, source_code, old_value ->> $2 as old_id, new_value ->> $2 as new_id, changed_by, changed_at
       from admin.map_changes where map_table = $1 order by change_id desc limit 20`,
      [mapping.table, mapping.idColumn],
    );
    const mapped = new Map(maps.map((m) => [`${m.source_system}\u0000${m.code}`, m]));
    const total = Number(codes[0]?.total ?? 0);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const back = new URLSearchParams(Object.entries({ q: search, source, page: pageNumber > 1 ? String(pageNumber) : undefined }).filter((e): e is [string, string] => !!e[1])).toString();
    const pageLink = (n: number, label: string) => html`<a href="/admin/${kind}s?${new URLSearchParams({ ...(search ? { q: search } : {}), ...(source ? { source } : {}), page: String(n) }).toString()}">${label}</a>`;
    const done = firstOf(query, "done");
    const rows = codes.map((c) => {
      const m = mapped.get(`${c.source_system}\u0000${c.code}`);
      return [
        c.source_system, c.code, html`<span dir="auto">${c.name ?? ""}</span>`, formatDecimal(c.lines),
        html`<form class="inline" method="post" action="/admin/${kind}s/link">
          <input type="hidden" name="source_system" value="${c.source_system}"><input type="hidden" name="code" value="${c.code}">
          <input type="hidden" name="back" value="${back}">
          <input name="target_id" value="${m?.target_id ?? ""}" placeholder="${kind} id" required maxlength="200" dir="auto" aria-label="${kind} id for ${c.code}">
          <input name="note" value="${m?.note ?? ""}" placeholder="note" maxlength="500" dir="auto" aria-label="note for ${c.code}">
          <button type="submit">${m ? "Save" : "Link"}</button></form>`,
        m ? html`<form class="inline" method="post" action="/admin/${kind}s/unlink">
          <input type="hidden" name="source_system" value="${c.source_system}"><input type="hidden" name="code" value="${c.code}">
          <input type="hidden" name="back" value="${back}"><button type="submit" class="secondary">Unlink</button></form>
          <small>${m.updated_by}, ${m.updated_at.toISOString().slice(0, 16).replace("T", " ")}</small>` : html`<small>not linked</small>`,
      ];
    });
    return page(title, "/admin", html`${done ? notice("done", done) : ""}
<form class="filters" method="get" action="/admin/${kind}s">
  <label>Source<select name="source"><option value="">All</option>${sources.map((s) => html`<option value="${s}"${s === source ? html` selected` : ""}>${s}</option>`)}</select></label>
  <label>Code or name<input name="q" value="${search ?? ""}" dir="auto"></label>
  <button type="submit">Search</button>
</form>
<p class="meta">${formatDecimal(total)} source codes · page ${pageNumber} of ${pages} ${pageNumber > 1 ? pageLink(pageNumber - 1, "← previous") : ""} ${pageNumber < pages ? pageLink(pageNumber + 1, "next →") : ""}</p>
${table(["Source", "Code", "Name in the source", "Lines", `Business ${kind} id`, "Linked"], rows, "mappings")}
<h2>Recent changes</h2>
${changes.length ? table(["Action", "Source", "Code", "Before", "After", "By", "When"], changes.map((c) => [c.action, c.source_system, c.source_code, c.old_id ?? "–", c.new_id ?? "–", c.changed_by, c.changed_at.toISOString().slice(0, 16).replace("T", " ")]), "changes") : notice("empty", "No changes yet.")}`);
  });

  app.post("/:kind/link", async (request, reply) => {
    const kind = KINDS[(request.params as { kind: string }).kind as keyof typeof KINDS];
    if (!kind) return reply.callNotFound();
    const form = LinkForm.safeParse(request.body);
    if (!form.success) return badForm(reply, form.error);
    const { source_system, code, target_id, note } = form.data;
    const m = MAPPINGS[kind];
    await write(request, async (client) => {
      const before = await client.query(`select to_jsonb(m) as row from ${m.table} m where source_system = $1 and ${m.codeColumn} = $2 for update`, [source_system, code]);
      const after = await client.query(
        `insert into ${m.table} as m (source_system, ${m.codeColumn}, ${m.idColumn}, note, updated_by, updated_at) values ($1, $2, $3, $4, $5, now())
         on conflict (source_system, ${m.codeColumn}) do update set ${m.idColumn} = excluded.${m.idColumn}, note = excluded.note,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at
         returning to_jsonb(m) as row`,
        [source_system, code, target_id, note || null, request.adminUser],
      );
      await client.query(
        `insert into admin.map_changes (map_table, action, source_system, source_code, old_value, new_value, changed_by) values ($1, 'link', $2, $3, $4, $5, $6)`,
        [m.table, source_system, code, before.rows[0]?.row ?? null, after.rows[0].row, request.adminUser],
      );
    });
    return redirectBack(request, reply, kind, `${source_system} ${code} linked to ${target_id}.`);
  });

  app.post("/:kind/unlink", async (request, reply) => {
    const kind = KINDS[(request.params as { kind: string }).kind as keyof typeof KINDS];
    if (!kind) return reply.callNotFound();
    const form = UnlinkForm.safeParse(request.body);
    if (!form.success) return badForm(reply, form.error);
    const { source_system, code } = form.data;
    const m = MAPPINGS[kind];
    let removed = false;
    await write(request, async (client) => {
      const before = await client.query(`delete from ${m.table} m where source_system = $1 and ${m.codeColumn} = $2 returning to_jsonb(m) as row`, [source_system, code]);
      removed = before.rowCount === 1;
      if (removed) {
        await client.query(
          `insert into admin.map_changes (map_table, action, source_system, source_code, old_value, new_value, changed_by) values ($1, 'unlink', $2, $3, $4, null, $5)`,
          [m.table, source_system, code, before.rows[0].row, request.adminUser],
        );
      }
    });
    return redirectBack(request, reply, kind, removed ? `${source_system} ${code} unlinked.` : `${source_system} ${code} was not linked.`);
  });

  async function write(request: FastifyRequest, work: (client: import("pg").PoolClient) => Promise<void>): Promise<void> {
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

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function badForm(reply: FastifyReply, error: z.ZodError) {
  const fields = error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`).join("; ");
  return reply.code(400).type("text/html; charset=utf-8").send(page("Admin", "/admin", notice("problem", `The form could not be saved (${fields}). Go back and fill in every field.`)));
}

function redirectBack(request: FastifyRequest, reply: FastifyReply, kind: string, done: string) {
  const back = new URLSearchParams(typeof (request.body as { back?: unknown }).back === "string" ? (request.body as { back: string }).back : "");
  back.set("done", done);
  return reply.redirect(`/admin/${kind}s?${back.toString()}`, 303);
}
