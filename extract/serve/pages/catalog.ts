/**
 * The model catalog (/catalog): every model with its layer, type, description, tags, rows and
 * last build, searchable by name, description, tag or column, with the freshness of each source
 * beside it; /catalog/<schema.name> shows one model's columns, assertions and lineage (upstream
 * and downstream lists, and a graph of everything it is built from and everything built from it).
 */
import type { FastifyInstance } from "fastify";
import { type Catalog, type CatalogModel, LAYERS } from "../catalog.ts";
import { formatDecimal } from "../format.ts";
import { html, type Html } from "../html.ts";
import { chart, notice, page, table } from "../layout.ts";
import { firstOf } from "../marts.ts";

type Query = Record<string, string | string[] | undefined>;
const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") + " UTC" : "–");
const link = (name: string) => html`<a href="/catalog/${encodeURIComponent(name)}">${name}</a>`;
const rows = (m: CatalogModel) => (m.row_count === null ? "–" : `${m.row_count_estimated ? "≈ " : ""}${formatDecimal(m.row_count)}`);

export async function catalogRoutes(app: FastifyInstance, options: { catalog: Catalog }): Promise<void> {
  const { catalog } = options;

  app.get("/catalog", async (request, reply) => {
    reply.type("text/html; charset=utf-8");
    const search = firstOf(request.query as Query, "q")?.slice(0, 200);
    const [models, freshness] = await Promise.all([catalog.models(search), catalog.freshness()]);
    const listing = models.length
      ? table(["Model", "Layer", "Type", "Description", "Tags", "Columns", "Assertions", "Rows", "Last built"], models.map((m) => [
          link(m.name), m.layer, m.type, m.description ?? "", m.tags.join(", "), formatDecimal(m.columns.length),
          m.assertions.length ? `${m.assertions.filter((a) => a.last_result === "passed").length}/${m.assertions.length} passed` : "–", rows(m), when(m.last_built_at),
        ]), "models")
      : notice("empty", `No model's name, description, tag or column contains “${search}”.`);
    const fresh = freshness.length
      ? table(["Source", "Last sale day", "Days since", "Last load", "Loads", "Canonical lines"], freshness.map((f) => [
          f.source_system, f.last_event_date ?? "no lines", f.days_since_last_event ?? "–", when(f.last_load_at as string | null), f.loads, formatDecimal(f.canonical_lines as number),
        ]), "freshness")
      : notice("empty", "No source has loaded data yet (mart.data_freshness is empty or not built).");
    return page("Catalog", "/catalog", html`<p class="meta">The Dataform project's models, from the sources' raw tables through staging, canonical and dw to the marts. Row counts are exact up to 10,000 pages, estimated (≈) beyond; last built and assertion results come from the latest <code>salesdw run</code>.</p>
<form class="filters" method="get" action="/catalog" role="search">
  <label>Name, description, tag or column<input name="q" value="${search ?? ""}" type="search" id="catalog-search"></label>
  <button type="submit">Search</button>${search ? html` <a href="/catalog">Show all</a>` : ""}
</form>
<div class="grid2">
<section><h2>Models</h2><p class="meta" id="model-count">${formatDecimal(models.length)} models${search ? ` matching “${search}”` : ""}</p>${listing}</section>
<section><h2>Freshness per source</h2>${fresh}</section>
</div>`);
  });

  app.get("/catalog/:name", async (request, reply) => {
    reply.type("text/html; charset=utf-8");
    const name = (request.params as { name: string }).name;
    const models = await catalog.models();
    const model = models.find((m) => m.name === name);
    if (!model) return reply.code(404).send(page("Catalog", "/catalog", notice("problem", html`There is no model ${name}. <a href="/catalog">All models</a>.`)));
    const byName = new Map(models.map((m) => [m.name, m]));
    return page(model.name, "/catalog", html`<p dir="auto">${model.description ?? "No description."}</p>
<p class="meta">${model.layer} · ${model.type}${model.tags.length ? ` · tags: ${model.tags.join(", ")}` : ""} · rows: ${rows(model)} · last built: ${when(model.last_built_at)}${model.file ? html` · <code>${model.file}</code>` : ""}${model.sources.length ? ` · from ${model.sources.join(", ")}` : ""}</p>
<h2>Columns</h2>
${model.columns.length ? table(["Column", "Description"], model.columns.map((c) => [html`<code>${c.name}</code>`, c.description ?? ""]), "columns") : notice("empty", "No documented columns.")}
<h2>Assertions</h2>
${model.assertions.length ? table(["Assertion", "Description", "Last result", "Checked"], model.assertions.map((a) => [
  html`<code>${a.name}</code>`, a.description ?? "", html`<span class="${a.last_result === "failed" ? "severity-error" : ""}">${a.last_result}</span>`, when(a.checked_at),
]), "assertions") : notice("empty", "No assertion checks this model.")}
<h2>Lineage</h2>
<div class="grid2">
<section><h3>Upstream (built from)</h3>${list(model.upstream, "upstream")}</section>
<section><h3>Downstream (builds)</h3>${list(model.downstream, "downstream")}</section>
</div>
${chart("lineage", `Lineage of ${model.name}`, lineageOption(model, byName), 520)}`, { charts: true });
  });
}

function list(names: string[], id: string): Html {
  return names.length ? html`<ul id="${id}">${names.map((n) => html`<li>${link(n)}</li>`)}</ul>` : html`<p class="meta" id="${id}">None.</p>`;
}

/** Every model the given one is built from and every model built from it, in one column per layer (ECharts graph, fixed positions). */
export function lineageOption(model: CatalogModel, byName: Map<string, CatalogModel>) {
  const related = new Set([model.name]);
  const walk = (start: string, next: (m: CatalogModel) => string[]) => {
    const queue = [start];
    while (queue.length) {
      for (const n of next(byName.get(queue.pop()!)!) ?? []) {
        if (!related.has(n) && byName.has(n)) {
          related.add(n);
          queue.push(n);
        }
      }
    }
  };
  walk(model.name, (m) => m.upstream);
  walk(model.name, (m) => m.downstream);
  // Sources head the graph: a node per source feeding its raw tables.
  const nodes: { name: string; layer: string }[] = [...related].map((n) => ({ name: n, layer: byName.get(n)!.layer }));
  const links: { source: string; target: string }[] = [];
  for (const n of related) {
    const m = byName.get(n)!;
    for (const up of m.upstream) if (related.has(up)) links.push({ source: up, target: n });
    if (m.type === "declaration" && m.sources.length === 1 && m.layer === "raw") {
      const source = `source: ${m.sources[0]}`;
      if (!nodes.some((x) => x.name === source)) nodes.push({ name: source, layer: "source" });
      links.push({ source, target: n });
    }
  }
  const perLayer = new Map<string, number>();
  const data = nodes
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((node) => {
      const row = perLayer.get(node.layer) ?? 0;
      perLayer.set(node.layer, row + 1);
      return {
        name: node.name,
        x: LAYERS.indexOf(node.layer as never) * 260,
        y: row * 40,
        category: LAYERS.indexOf(node.layer as never),
        symbolSize: node.name === model.name ? 18 : 10,
      };
    });
  return {
    tooltip: {},
    legend: [{ data: [...LAYERS] }],
    series: [{
      type: "graph",
      layout: "none",
      roam: true,
      data,
      links,
      categories: LAYERS.map((name) => ({ name })),
      edgeSymbol: ["none", "arrow"],
      edgeSymbolSize: 6,
      label: { show: true, position: "right", fontSize: 11 },
      lineStyle: { opacity: 0.6, curveness: 0.1 },
    }],
  };
}
