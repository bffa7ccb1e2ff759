/**
 * The sales dashboard (/sales) and its CSV download (/sales.csv) over mart.sales_enriched.
 * Everything shown is chosen by the URL; every money figure is per currency.
 */
import { PassThrough, pipeline } from "node:stream";
import type { FastifyInstance } from "fastify";
import { to as copyTo } from "pg-copy-streams";
import { bucketLabel, bucketsBetween, daysBetween, displayDay, granularityFor, PRESETS } from "../calendar.ts";
import type { Warehouse } from "../db.ts";
import { changePercent, divide, formatChange, formatDecimal } from "../format.ts";
import { html, type Html } from "../html.ts";
import { chart, notice, page } from "../layout.ts";
import { relationState, stateNotice } from "../marts.ts";
import {
  comparisonSpans, cumulativeYears, dimensionValues, exportCopy, type Figures, figuresBySpan, figuresOrEmpty,
  GRID_PAGE_SIZE, gridPage, lastSalesDay, type PeriodSpans, ranked, type Ranked, timeSeries,
} from "../sales-queries.ts";
import { SnapshotCache } from "../snapshot-cache.ts";
import { type Dimension, parseSalesView, readSalesColumns, SALES_VIEW, type SalesColumns, type SalesView, viewQuery } from "../sales-view.ts";

type Query = Record<string, string | string[] | undefined>;
const FILTER_VALUES_LIMIT = 2000;

/** Currencies without minor units are shown whole; others with cents. */
const moneyDigits = (currency: string) => (["IRR", "IRT", "JPY", "KRW"].includes(currency) ? 0 : 2);
const money = (value: string | number | null | undefined, currency: string) => formatDecimal(value, moneyDigits(currency), moneyDigits(currency) > 0);
const units = (value: string | number | null | undefined) => formatDecimal(value, 3);

export async function salesRoutes(app: FastifyInstance, options: { warehouse: Warehouse }): Promise<void> {
  const pool = options.warehouse.reader;
  // The catalogue (columns, last day, filter values) and whole pages are kept while the warehouse's
  // data is unchanged: the next commit (a dataform run, a load) gives a new snapshot and they are read again.
  const kept = new SnapshotCache(pool, { maxEntries: 200, maxChars: 128 * 1024 * 1024 });
  const catalogue = () =>
    kept.get("catalogue", async () => {
      const columns = await readSalesColumns(pool);
      if (!columns) return { value: undefined, chars: 0 };
      const asOf = await lastSalesDay(pool);
      const values = asOf ? await dimensionValues(pool, columns.dimensions, FILTER_VALUES_LIMIT) : new Map();
      const state = { ...columns, asOf, values };
      return { value: state, chars: [...values.values()].reduce((n, list) => n + list.length * 64, 0) };
    });

  app.get("/sales", async (request, reply) => {
    reply.type("text/html; charset=utf-8");
    const search = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
    // The page is the same for every user (who is signed in is filled in as it is sent: access.ts).
    return kept.get(`page ${search}`, async () => {
      const text = await salesPage(request.query as Query);
      return { value: text, chars: text.length };
    });
  });

  async function salesPage(query: Query): Promise<string> {
    const state = await catalogue();
    if (!state) {
      // No columns visible: either the mart is not there, or the reader may not see it.
      const why = await relationState(pool, SALES_VIEW);
      if (why === "denied") return page("Sales", "/sales", stateNotice(SALES_VIEW, why, "sales data", ""));
      return page("Sales", "/sales", notice("empty", `No sales data: ${SALES_VIEW} does not exist yet. Load a source (npx salesdw extract …) and run npx dataform run --track=false.`));
    }
    if (!state.asOf) return page("Sales", "/sales", notice("empty", `No sales data: ${SALES_VIEW} has no lines yet. Load a source and run dataform.`));
    const view = parseSalesView(query, state, state.asOf, counts(state.values));
    return page("Sales", "/sales", await salesBody(options.warehouse, { ...state, asOf: state.asOf }, state.values, view), { charts: true });
  }

  app.get("/sales.csv", async (request, reply) => {
    const state = await catalogue();
    if (!state?.asOf) {
      reply.code(404).type("text/plain; charset=utf-8");
      return `No sales data in ${SALES_VIEW}.\n`;
    }
    const view = parseSalesView(request.query as Query, state, state.asOf, counts(state.values));
    if (view.problems.length) {
      reply.code(400).type("text/plain; charset=utf-8");
      return `Cannot export: ${view.problems.join(" ")}\n`;
    }
    const client = await pool.connect();
    // A long export must not hit the page queries' statement timeout; RESET restores it for the next user.
    await client.query("set statement_timeout = 0");
    const copy = client.query(copyTo(exportCopy(view, state.dimensions, state.columns)));
    // A byte-order mark first, so spreadsheets read Persian text as UTF-8.
    const body = new PassThrough();
    body.write("\uFEFF");
    pipeline(copy, body, (error) => {
      if (error) {
        request.log.warn({ err: error }, "CSV export stopped");
        client.release(true); // the connection may be mid-COPY: do not reuse it
      } else {
        client.query("reset statement_timeout").then(() => client.release(), (e) => client.release(e));
      }
    });
    reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="sales-${view.from}-${view.to}.csv"`)
      .header("cache-control", "no-store");
    return reply.send(body);
  });
}

type Catalogue = SalesColumns & { asOf: string };
const counts = (values: Values) => new Map([...values].map(([key, list]) => [key, list.length]));
type Values = Map<string, { value: string; label: string | null; lines: number }[]>;

async function salesBody(warehouse: Warehouse, state: Catalogue, values: Values, view: SalesView): Promise<Html> {
  const pool = warehouse.reader;
  const dims = state.dimensions;
  const periods = comparisonSpans(view);
  const granularity = granularityFor(view.from, view.to);
  const dimension = (key: string) => dims.find((d) => d.key === key);
  const byDimension = dimension(view.by);
  const gridColumns = gridColumnsOf(state, values);
  const [figures, series, cumulative, breakdown, topProducts, topCustomers, grid] = await Promise.all([
    figuresBySpan(pool, view, dims, periods.flatMap((p) => p.spans)),
    timeSeries(pool, view, dims, granularity),
    cumulativeYears(pool, view, dims),
    byDimension ? ranked(pool, view, dims, byDimension, 15) : Promise.resolve([]),
    dimension("product") ? ranked(pool, view, dims, dimension("product")!, 10) : Promise.resolve([]),
    dimension("customer") ? ranked(pool, view, dims, dimension("customer")!, 10) : Promise.resolve([]),
    gridPage(pool, view, dims, gridColumns),
  ]);
  const currencies = [...figures.keys()];
  const days = daysBetween(view.from, view.to) + 1;
  const buckets = bucketsBetween(view.from, view.to, granularity, view.calendar);

  return html`
${view.problems.map((p) => notice("problem", p))}
${filterForm(view, dims, values)}
<p class="meta">Showing <strong>${displayDay(view.from, view.calendar)} – ${displayDay(view.to, view.calendar)}</strong>
  (${days} ${days === 1 ? "day" : "days"}, ${view.calendar === "jalali" ? "Jalali" : "Gregorian"} calendar) · data up to ${displayDay(view.asOf, view.calendar)}
  · chart by ${granularity}${view.scope.length ? " · lines of product groups that are not sales (freight…) are left out, as in the KPI marts" : ""} · <a href="/sales?${viewQuery(view, { calendar: view.calendar === "jalali" ? "gregorian" : "jalali", page: 1 })}">switch to the ${view.calendar === "jalali" ? "Gregorian" : "Jalali"} calendar</a></p>
${currencies.length ? "" : notice("empty", "No sales lines match these filters in this range or the two years before it.")}
${currencies.map((currency) => kpiSection(currency, figures.get(currency)!, periods, view, currencies.length > 1))}
<h2>Over time</h2>
<div class="grid2">
${chart("chart-time", `Revenue by ${granularity}`, timeOption(series, buckets, granularity, view), 320)}
${chart("chart-cumulative", "Cumulative revenue: this year against last year", cumulativeOption(cumulative, view), 320)}
</div>
${byDimension ? breakdownSection(view, dims.filter((d) => (values.get(d.key)?.length ?? 0) > 1 || d.key === view.by), byDimension, breakdown) : ""}
<div class="grid2">
${topSection("Top products", "top-products", topProducts)}
${topSection("Top customers", "top-customers", topCustomers)}
</div>
${gridSection(view, gridColumns, grid, dims)}
`;
}

function filterForm(view: SalesView, dims: Dimension[], values: Values): Html {
  const jalali = view.calendar === "jalali";
  const dayInput = (name: "from" | "to", label: string) =>
    jalali
      ? html`<label>${label}<input type="text" name="${name}" value="${displayDay(view[name], "jalali")}" placeholder="1404/01/01" inputmode="numeric"></label>`
      : html`<label>${label}<input type="date" name="${name}" value="${view[name]}"></label>`;
  return html`<form class="filters" method="get" action="/sales">
  <label>Calendar<select name="cal">
    <option value="gregorian"${jalali ? "" : html` selected`}>Gregorian</option>
    <option value="jalali"${jalali ? html` selected` : ""}>Jalali (هجری شمسی)</option>
  </select></label>
  <label>Range<select name="preset">
    ${Object.entries(PRESETS).map(([key, label]) => html`<option value="${key}"${view.preset === key ? html` selected` : ""}>${label}</option>`)}
  </select></label>
  <span class="custom-range">${dayInput("from", "From")}${dayInput("to", "To")}</span>
  ${dims
    // A column no loaded source fills (market for Karamad alone) offers nothing to choose.
    .filter((d) => (values.get(d.key)?.length ?? 0) > 0 || view.filters.has(d.key))
    .map((d) => dimensionInput(d, values.get(d.key) ?? [], view.filters.get(d.key) ?? []))}
  <input type="hidden" name="by" value="${view.by}">
  <button type="submit">Apply</button>
  <a class="button secondary" href="/sales?cal=${view.calendar}">Reset</a>
</form>`;
}

function dimensionInput(d: Dimension, options: { value: string; label: string | null }[], selected: string[]): Html {
  const text = (o: { value: string; label: string | null }) => (o.label && o.label !== o.value ? `${o.label} · ${o.value}` : o.value);
  if (options.length >= FILTER_VALUES_LIMIT) {
    // Too many to list: type a code (the list suggests the first ones).
    return html`<label>${d.label}<input name="${d.key}" value="${selected[0] ?? ""}" list="list-${d.key}" dir="auto">
      <datalist id="list-${d.key}">${options.map((o) => html`<option value="${o.value}">${text(o)}</option>`)}</datalist></label>`;
  }
  const known = new Set(options.map((o) => o.value));
  const extra = selected.filter((v) => !known.has(v)).map((value) => ({ value, label: null }));
  return html`<label>${d.label}<select name="${d.key}"${selected.length > 1 ? html` multiple` : ""} dir="auto">
    <option value="">All</option>
    ${[...options, ...extra].map((o) => html`<option value="${o.value}"${selected.includes(o.value) ? html` selected` : ""} dir="auto">${text(o)}</option>`)}
  </select></label>`;
}

const METRICS = [
  { key: "revenue", label: "Revenue" },
  { key: "units", label: "Units" },
  { key: "invoices", label: "Invoices" },
  { key: "avg_price", label: "Average price" },
] as const;
type MetricKey = (typeof METRICS)[number]["key"];

function metric(f: Figures, key: MetricKey): number | string | undefined {
  return key === "avg_price" ? divide(f.revenue, f.units) : f[key];
}

function showMetric(value: number | string | undefined, key: MetricKey, currency: string): string {
  if (value === undefined) return "–";
  if (key === "revenue" || key === "avg_price") return money(value, currency);
  return key === "units" ? units(value) : formatDecimal(value);
}

function change(now: number | string | undefined, before: number | string | undefined): Html {
  const pct = changePercent(now, before);
  return html`<span class="${pct === undefined ? "" : pct >= 0 ? "up" : "down"}">${formatChange(pct)}</span>`;
}

function kpiSection(currency: string, list: Figures[], periods: PeriodSpans[], view: SalesView, several: boolean): Html {
  const at = (period: number, year: number) => figuresOrEmpty(list, period * 3 + year);
  const cards = METRICS.map(({ key, label }) => {
    const [now, last, before] = [0, 1, 2].map((year) => metric(at(0, year), key));
    return html`<div class="card" data-kpi="${key}" data-currency="${currency}">
  <div class="label">${label}${key === "revenue" || key === "avg_price" ? ` (${currency})` : ""}</div>
  <div class="value">${showMetric(now, key, currency)}</div>
  <div class="compare"><span>last year ${showMetric(last, key, currency)}</span>${change(now, last)}</div>
  <div class="compare"><span>year before ${showMetric(before, key, currency)}</span>${change(now, before)}</div>
</div>`;
  });
  const span = (p: PeriodSpans, year: number) => `${displayDay(p.spans[year].from, view.calendar)} – ${displayDay(p.spans[year].to, view.calendar)}`;
  const rows = periods.slice(1).map((p, index) => {
    const i = index + 1;
    return html`<tr data-period="${p.label}">
  <th scope="row" title="${`this year ${span(p, 0)}; last year ${span(p, 1)}; year before ${span(p, 2)}`}">${p.label}</th>
  ${METRICS.map(({ key }) => {
    const [now, last, before] = [0, 1, 2].map((year) => metric(at(i, year), key));
    return html`<td class="num">${showMetric(now, key, currency)}</td>
    <td class="num" title="last year ${showMetric(last, key, currency)}">${change(now, last)}</td>
    <td class="num" title="year before ${showMetric(before, key, currency)}">${change(now, before)}</td>`;
  })}
</tr>`;
  });
  return html`<section class="kpis" data-currency="${currency}">
${several ? html`<h2>${currency}</h2>` : ""}
<div class="cards">${cards}</div>
<div class="table-wrap"><table class="periods">
  <thead><tr><th rowspan="2">To ${displayDay(view.to, view.calendar)}</th>${METRICS.map((m) => html`<th colspan="3" class="num">${m.label}${m.key === "revenue" || m.key === "avg_price" ? ` (${currency})` : ""}</th>`)}</tr>
  <tr>${METRICS.map(() => html`<th class="num">this year</th><th class="num">vs last year</th><th class="num">vs year before</th>`)}</tr></thead>
  <tbody>${rows}</tbody>
</table></div>
</section>`;
}

const PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9"];

function timeOption(series: { currency: string; bucket: string; revenue: string }[], buckets: string[], granularity: "day" | "week" | "month", view: SalesView) {
  const currencies = [...new Set(series.map((s) => s.currency))];
  return {
    color: PALETTE,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: buckets.map((b) => bucketLabel(b, granularity, view.calendar)) },
    yAxis: { type: "value" },
    series: currencies.map((currency) => {
      const byBucket = new Map(series.filter((s) => s.currency === currency).map((s) => [s.bucket, Number(s.revenue)]));
      return { name: `Revenue ${currency}`, type: "bar", data: buckets.map((b) => byBucket.get(b) ?? 0) };
    }),
  };
}

function cumulativeOption(cumulative: Awaited<ReturnType<typeof cumulativeYears>>, view: SalesView) {
  const labels = cumulative.days.map((d) => displayDay(d, view.calendar).slice(5));
  return {
    color: PALETTE,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: labels, boundaryGap: false },
    yAxis: { type: "value" },
    series: [...cumulative.series].flatMap(([currency, s]) => [
      { name: `This year ${currency}`, type: "line", showSymbol: false, data: s.thisYear },
      { name: `Last year ${currency}`, type: "line", showSymbol: false, lineStyle: { type: "dashed" }, data: s.lastYear.slice(0, labels.length) },
    ]),
  };
}

function breakdownSection(view: SalesView, dims: Dimension[], by: Dimension, rows: Ranked[]): Html {
  const currencies = [...new Set(rows.map((r) => r.currency))];
  const name = (r: Ranked) => (r.label && r.label !== r.value ? `${r.label} · ${r.value}` : r.value);
  const option = {
    color: PALETTE,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    yAxis: { type: "category", inverse: true, data: [...new Set(rows.map(name))] },
    xAxis: { type: "value" },
    series: currencies.map((currency) => {
      const own = new Map(rows.filter((r) => r.currency === currency).map((r) => [name(r), Number(r.revenue)]));
      return { name: currency, type: "bar", data: [...new Set(rows.map(name))].map((n) => own.get(n) ?? null) };
    }),
  };
  return html`<h2>Breakdown by ${by.label.toLowerCase()}</h2>
<p class="meta">By: ${dims.filter((d) => d.key !== "currency").map((d, i) => html`${i ? " · " : ""}${d.key === by.key ? html`<strong>${d.label}</strong>` : html`<a href="/sales?${viewQuery(view, { by: d.key, page: 1 })}">${d.label}</a>`}`)}</p>
<div class="grid2">
${chart("chart-breakdown", `Revenue by ${by.label.toLowerCase()}`, option, Math.max(240, 28 * new Set(rows.map(name)).size + 60))}
${rankedTable("breakdown", by.label, rows)}
</div>`;
}

function rankedTable(id: string, label: string, rows: Ranked[]): Html {
  if (!rows.length) return notice("empty", "No lines match.");
  return html`<div class="table-wrap"><table id="${id}">
  <thead><tr><th>${label}</th><th>Currency</th><th class="num">Revenue</th><th class="num">Share</th><th class="num">Units</th><th class="num">Invoices</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr>
    <td dir="auto">${r.label ?? r.value}${r.label && r.label !== r.value ? html` <small>${r.value}</small>` : ""}</td>
    <td>${r.currency}</td><td class="num">${money(r.revenue, r.currency)}</td>
    <td class="num"><span class="bar" style="width:${Math.max(0, Math.min(60, Number(r.share ?? 0) * 0.6))}px"></span> ${r.share ?? "–"}%</td>
    <td class="num">${units(r.units)}</td><td class="num">${formatDecimal(r.invoices)}</td></tr>`)}</tbody>
</table></div>`;
}

function topSection(title: string, id: string, rows: Ranked[]): Html {
  return html`<section><h2>${title}</h2>${rankedTable(id, title.replace("Top ", "").replace(/s$/, "").replace(/^./, (c) => c.toUpperCase()), rows)}</section>`;
}

/** Grid columns: the line's identity and figures first, then every other dimension the view has. */
function gridColumnsOf(state: SalesColumns, values: Values): string[] {
  const names = new Set(state.columns.map((c) => c.name));
  const leading = ["date", "source_system", "document_id", "line_number", "event_type", "customer_code", "customer_name", "product_code", "product_name", "quantity", "net_amount", "currency"];
  const rest = state.dimensions.filter((d) => values.get(d.key)?.length).map((d) => d.column).filter((c) => !leading.includes(c));
  return [...leading, ...rest].filter((c) => names.has(c));
}

const NUMERIC_GRID = new Set(["quantity", "net_amount", "gross_amount", "discount_amount", "tax_amount", "line_number"]);

function gridSection(view: SalesView, columns: string[], grid: { rows: Record<string, string | null>[]; total: number }, dims: Dimension[]): Html {
  const pages = Math.max(1, Math.ceil(grid.total / GRID_PAGE_SIZE));
  const csvQuery = viewQuery({ ...view, page: 1 });
  const header = (c: string) => dims.find((d) => d.column === c)?.label ?? c.replace(/_/g, " ").replace(/^./, (x) => x.toUpperCase());
  const cell = (row: Record<string, string | null>, c: string) => {
    const value = row[c];
    if (c === "date" && value) return html`<td class="num">${displayDay(value, view.calendar)}</td>`;
    if (c === "net_amount") return html`<td class="num">${money(value, row.currency ?? "")}</td>`;
    if (c === "quantity") return html`<td class="num">${units(value)}</td>`;
    if (NUMERIC_GRID.has(c)) return html`<td class="num">${value}</td>`;
    return html`<td dir="auto">${value}</td>`;
  };
  return html`<h2>Transactions</h2>
<div class="pager">
  <span data-total="${grid.total}">${formatDecimal(grid.total)} matching lines</span>
  <a class="button" href="/sales.csv?${csvQuery}" download>Download CSV (all ${formatDecimal(grid.total)} lines)</a>
  ${view.page > 1 ? html`<a href="/sales?${viewQuery(view, { page: view.page - 1 })}">← previous</a>` : ""}
  <span>page ${view.page} of ${pages}</span>
  ${view.page < pages ? html`<a href="/sales?${viewQuery(view, { page: view.page + 1 })}" rel="next">next →</a>` : ""}
</div>
<div class="table-wrap"><table id="transactions">
  <thead><tr>${columns.map((c) => html`<th${NUMERIC_GRID.has(c) ? html` class="num"` : ""}>${header(c)}</th>`)}</tr></thead>
  <tbody>${grid.rows.map((row) => html`<tr>${columns.map((c) => cell(row, c))}</tr>`)}</tbody>
</table></div>`;
}
