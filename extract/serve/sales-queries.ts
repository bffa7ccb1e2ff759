/**
 * The sales dashboard's SQL over mart.sales_enriched. Every figure is grouped by currency:
 * amounts in different currencies are never added. Filters are bound parameters (escaped literals in the CSV's COPY); column
 * names come from the catalogue (sales-view.ts) and are checked there.
 */
import pg from "pg";
import { FORMULA_START } from "./api/csv.ts";
import { addDays, type Calendar, daysBetween, type Granularity, monthStart, shiftYears, weekStart, yearEnd, yearStart } from "./calendar.ts";
import { type Dimension, filterConditions, SALES_VIEW, type SalesColumn, type SalesView } from "./sales-view.ts";

export interface Span {
  from: string;
  to: string;
}

export interface Figures {
  revenue: string;
  units: string;
  invoices: string;
}

const { escapeLiteral } = pg;
const EMPTY: Figures = { revenue: "0", units: "0", invoices: "0" };
/** A sale document, counted once per source (document numbers are only unique inside a source). */
const INVOICE = `case when event_type = 'SALE' then source_system || ':' || document_id end`;

function where(view: SalesView, dimensions: Dimension[], params: unknown[], span?: Span): string {
  const conditions = filterConditions(view, dimensions, params);
  if (span) {
    params.push(span.from, span.to);
    conditions.push(`date between $${params.length - 1}::date and $${params.length}::date`);
  }
  return conditions.length ? `where ${conditions.join(" and ")}` : "";
}

/** Last day with sales (presets count back from it), or undefined when the mart is empty. */
export async function lastSalesDay(pool: pg.Pool): Promise<string | undefined> {
  const { rows } = await pool.query(`select max(date) as day from ${SALES_VIEW}`);
  return rows[0]?.day ?? undefined;
}

/**
 * Revenue, units and invoices per currency for each span, in one scan. Invoices are counted at the
 * invoice's grain (an invoice with a line in the span counts once) rather than with a
 * `count(distinct …)` per span: one hash aggregate instead of a sort per span, the same figures.
 */
export async function figuresBySpan(
  pool: pg.Pool, view: SalesView, dimensions: Dimension[], spans: Span[],
): Promise<Map<string, Figures[]>> {
  const params: unknown[] = [];
  const perInvoice = spans.map((span, i) => {
    params.push(span.from, span.to);
    const inSpan = `date between $${params.length - 1}::date and $${params.length}::date`;
    return `sum(net_amount) filter (where ${inSpan}) as r${i}, sum(quantity) filter (where ${inSpan}) as u${i}, bool_or(${inSpan}) as in${i}`;
  });
  const perCurrency = spans.map((_, i) => `sum(r${i}) as r${i}, sum(u${i}) as u${i}, count(*) filter (where in${i} and invoice is not null) as i${i}`);
  const outer: Span = { from: spans.map((s) => s.from).sort()[0], to: spans.map((s) => s.to).sort().at(-1)! };
  const { rows } = await pool.query(
    `select currency, ${perCurrency.join(", ")}
     from (select currency, ${INVOICE} as invoice, ${perInvoice.join(", ")}
           from ${SALES_VIEW} ${where(view, dimensions, params, outer)} group by 1, 2) invoices
     group by currency order by currency`,
    params,
  );
  const result = new Map<string, Figures[]>();
  for (const row of rows) {
    result.set(row.currency, spans.map((_, i) => ({ revenue: row[`r${i}`] ?? "0", units: row[`u${i}`] ?? "0", invoices: row[`i${i}`] ?? "0" })));
  }
  return result;
}

export const figuresOrEmpty = (list: Figures[] | undefined, i: number) => list?.[i] ?? EMPTY;

export interface PeriodSpans {
  label: string;
  /** This year, last year, the year before. */
  spans: [Span, Span, Span];
}

/** The same span one and two years earlier, in the view's calendar. */
function yearsBack(span: Span, calendar: Calendar): [Span, Span, Span] {
  const back = (n: number) => ({ from: shiftYears(span.from, -n, calendar), to: shiftYears(span.to, -n, calendar) });
  return [span, back(1), back(2)];
}

/** The range, then week-, month- and year-to-date as of the range's last day. */
export function comparisonSpans(view: SalesView): PeriodSpans[] {
  const { calendar, to } = view;
  return [
    { label: "Range", spans: yearsBack({ from: view.from, to }, calendar) },
    { label: "WTD", spans: yearsBack({ from: weekStart(to, calendar), to }, calendar) },
    { label: "MTD", spans: yearsBack({ from: monthStart(to, calendar), to }, calendar) },
    { label: "YTD", spans: yearsBack({ from: yearStart(to, calendar), to }, calendar) },
  ];
}

/** SQL naming the bucket a row falls in; must agree with calendar.ts bucketKey. */
function bucketSql(granularity: Granularity, calendar: Calendar): string {
  if (granularity === "day") return "date::text";
  if (granularity === "week") {
    return calendar === "jalali" ? "(date - ((extract(isodow from date)::int + 1) % 7))::text" : "date_trunc('week', date)::date::text";
  }
  return calendar === "jalali" ? "jalali_year || '/' || lpad(jalali_month::text, 2, '0')" : "to_char(date, 'YYYY-MM')";
}

export interface SeriesPoint {
  currency: string;
  bucket: string;
  revenue: string;
  units: string;
}

export async function timeSeries(
  pool: pg.Pool, view: SalesView, dimensions: Dimension[], granularity: Granularity,
): Promise<SeriesPoint[]> {
  const params: unknown[] = [];
  const { rows } = await pool.query<SeriesPoint>(
    `select currency, ${bucketSql(granularity, view.calendar)} as bucket, sum(net_amount) as revenue, sum(quantity) as units
     from ${SALES_VIEW} ${where(view, dimensions, params, view)} group by 1, 2 order by 1, 2`,
    params,
  );
  return rows;
}

export interface Cumulative {
  /** Days of this year, first to last. */
  days: string[];
  /** Per currency: running revenue this year (up to the range's end) and all of last year, by day of the year. */
  series: Map<string, { thisYear: (number | null)[]; lastYear: number[] }>;
}

/** Running revenue through this year against last year, by day of the calendar year of the range's end. */
export async function cumulativeYears(pool: pg.Pool, view: SalesView, dimensions: Dimension[]): Promise<Cumulative> {
  const { calendar, to } = view;
  const thisStart = yearStart(to, calendar);
  const lastStart = yearStart(shiftYears(to, -1, calendar), calendar);
  const lastEnd = addDays(thisStart, -1);
  const params: unknown[] = [];
  const filters = filterConditions(view, dimensions, params);
  params.push(lastStart, to);
  const { rows } = await pool.query<{ currency: string; day: string; revenue: string }>(
    `select currency, date as day, sum(net_amount) as revenue from ${SALES_VIEW}
     where ${[...filters, `date between $${params.length - 1}::date and $${params.length}::date`].join(" and ")}
     group by 1, 2 order by 1, 2`,
    params,
  );
  const length = daysBetween(thisStart, yearEnd(to, calendar)) + 1;
  const lastLength = daysBetween(lastStart, lastEnd) + 1;
  const days = Array.from({ length }, (_, i) => addDays(thisStart, i));
  const series = new Map<string, { thisYear: (number | null)[]; lastYear: number[] }>();
  const daily = new Map<string, { thisYear: number[]; lastYear: number[] }>();
  for (const row of rows) {
    if (!daily.has(row.currency)) daily.set(row.currency, { thisYear: Array(length).fill(0), lastYear: Array(lastLength).fill(0) });
    const entry = daily.get(row.currency)!;
    if (row.day >= thisStart) entry.thisYear[daysBetween(thisStart, row.day)] += Number(row.revenue);
    else entry.lastYear[daysBetween(lastStart, row.day)] += Number(row.revenue);
  }
  const upTo = daysBetween(thisStart, to);
  for (const [currency, entry] of daily) {
    let running = 0;
    const thisYear = entry.thisYear.map((v, i) => (i <= upTo ? (running += v) : null));
    running = 0;
    const lastYear = entry.lastYear.map((v) => (running += v));
    series.set(currency, { thisYear, lastYear });
  }
  return { days, series };
}

export interface Ranked {
  value: string;
  label: string | null;
  currency: string;
  revenue: string;
  units: string;
  invoices: string;
  share: string | null;
  value_count: number;
}

/** The `limit` largest values of a dimension by revenue, per currency, with their share of that currency's revenue. */
export async function ranked(
  pool: pg.Pool, view: SalesView, dimensions: Dimension[], dimension: Dimension, limit: number,
): Promise<Ranked[]> {
  const params: unknown[] = [];
  const label = dimension.labelColumn ? `max("${dimension.labelColumn}")` : "null::text";
  const filter = where(view, dimensions, params, view);
  params.push(limit);
  const { rows } = await pool.query<Ranked>(
    `with grouped as (
       select "${dimension.column}" as value, ${label} as label, currency, sum(net_amount) as revenue, sum(quantity) as units,
         count(distinct ${INVOICE}) as invoices
       from ${SALES_VIEW} ${filter} group by 1, 3
     ), ranked as (
       select *, row_number() over (partition by currency order by revenue desc, value) as pos,
         round(100 * revenue / nullif(sum(revenue) over (partition by currency), 0), 1) as share,
         count(*) over (partition by currency) as value_count
       from grouped
     )
     select value, label, currency, revenue, units, invoices, share, value_count::int as value_count from ranked
     where pos <= $${params.length} order by currency, pos`,
    params,
  );
  return rows;
}

export const GRID_PAGE_SIZE = 50;
/** A line's place: the order mart.sales_enriched is written and indexed in. */
const LINE_ORDER = ["date", "source_system", "document_id", "line_number"];
const GRID_ORDER = `order by ${LINE_ORDER[0]} desc, ${LINE_ORDER.slice(1).join(", ")}`;

/** One page of matching lines, newest first, and how many lines match in all. */
export async function gridPage(
  pool: pg.Pool, view: SalesView, dimensions: Dimension[], columns: string[],
): Promise<{ rows: Record<string, string | null>[]; total: number }> {
  const params: unknown[] = [];
  const filter = where(view, dimensions, params, view);
  const count = await pool.query(`select count(*)::bigint as n from ${SALES_VIEW} ${filter}`, params);
  const pageParams = [...params, GRID_PAGE_SIZE, (view.page - 1) * GRID_PAGE_SIZE];
  const { rows } = await pool.query(
    `select ${columns.map((c) => `"${c}"`).join(", ")} from ${SALES_VIEW} ${filter} ${GRID_ORDER}
     limit $${pageParams.length - 1} offset $${pageParams.length}`,
    pageParams,
  );
  return { rows, total: Number(count.rows[0].n) };
}

/** = + - @ tab CR as character codes: ascii() per cell is cheaper than comparing text through the collation. */
const FORMULA_START_CODES = [...FORMULA_START].map((c) => c.charCodeAt(0)).join(", ");

/**
 * The CSV of every matching line, every column, oldest first, as one `COPY … TO STDOUT`:
 * PostgreSQL writes the CSV itself, in line order, and the server only passes the bytes on. Text
 * that a spreadsheet would run as a formula gets a leading apostrophe (FORMULA_START of
 * api/csv.ts, in SQL). COPY takes no bound parameters, so the filter values go in as literals
 * escaped by pg's escapeLiteral.
 */
export function exportCopy(view: SalesView, dimensions: Dimension[], columns: SalesColumn[]): string {
  const params: unknown[] = [];
  const select = columns.map(({ name, text, dataType }) => {
    if (text) return `case when ascii("${name}") in (${FORMULA_START_CODES}) then '''' || "${name}" else "${name}" end as "${name}"`;
    return dataType === "boolean" ? `"${name}"::text as "${name}"` : `"${name}"`; // true/false rather than COPY's t/f
  });
  // The order names the table's columns: a bare name would sort by the output column (line 10 before line 2).
  const order = LINE_ORDER.map((c) => `${SALES_VIEW}."${c}"`).join(", ");
  const query = `select ${select.join(", ")} from ${SALES_VIEW} ${where(view, dimensions, params, view)} order by ${order}`;
  return `copy (${query.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]))}) to stdout with (format csv, header true)`;
}

function literal(value: unknown): string {
  if (typeof value === "string") return escapeLiteral(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return `array[${value.map((v) => escapeLiteral(v)).join(", ")}]`;
  throw new Error(`exportCopy: a filter value of an unexpected kind (${typeof value})`);
}

/** Distinct values of every dimension, with a label and line count, in one scan (for the filter lists). */
export async function dimensionValues(
  pool: pg.Pool, dimensions: Dimension[], limit: number,
): Promise<Map<string, { value: string; label: string | null; lines: number }[]>> {
  const result = new Map<string, { value: string; label: string | null; lines: number }[]>();
  if (!dimensions.length) return result;
  const sets = dimensions.map((d) => `("${d.column}")`).join(", ");
  const which = `case ${dimensions.map((d, i) => `when grouping("${d.column}") = 0 then ${i}`).join(" ")} end`;
  const value = `coalesce(${dimensions.map((d) => `"${d.column}"`).join(", ")})`;
  const labels = dimensions.filter((d) => d.labelColumn);
  const label = labels.length
    ? `case ${labels.map((d) => `when grouping("${d.column}") = 0 then max("${d.labelColumn}")`).join(" ")} end`
    : "null::text";
  const { rows } = await pool.query<{ dim: number; value: string | null; label: string | null; lines: string }>(
    `select ${which} as dim, ${value} as value, ${label} as label, count(*) as lines
     from ${SALES_VIEW} group by grouping sets (${sets})`,
  );
  for (const d of dimensions) result.set(d.key, []);
  for (const row of rows) {
    if (row.value === null) continue;
    result.get(dimensions[row.dim].key)!.push({ value: row.value, label: row.label, lines: Number(row.lines) });
  }
  for (const [key, values] of result) {
    values.sort((a, b) => (a.label ?? a.value).localeCompare(b.label ?? b.value, "fa") || a.value.localeCompare(b.value));
    if (values.length > limit) result.set(key, values.slice(0, limit));
  }
  return result;
}
