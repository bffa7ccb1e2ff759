/**
 * What the sales dashboard shows, held entirely in the URL: calendar, date range (a preset
 * counted back from the last day with sales, or custom days), one or more values per
 * dimension, the breakdown dimension and the grid page. Dimensions are read from the columns
 * mart.sales_enriched has, so a source that adds market or product group adds its filter.
 */
import type pg from "pg";
import { type Calendar, parseDay, type Preset, PRESETS, presetRange } from "./calendar.ts";

export const SALES_VIEW = "mart.sales_enriched";

export interface Dimension {
  /** URL parameter and label key: "customer", "branch", "market", … */
  key: string;
  /** Column filtered and grouped on (the code when the view has a code/name pair). */
  column: string;
  /** Column shown beside the code, when there is one. */
  labelColumn?: string;
  label: string;
}

const LABELS: Record<string, string> = {
  source_system: "Source", currency: "Currency", unified_customer_key: "Customer (merged)", unified_product_key: "Product (merged)", event_type: "Type", customer: "Customer", product: "Product",
  parent_customer: "Parent customer", market: "Market", cluster: "Cluster", merchant_group: "Merchant group",
  product_group: "Product group", branch: "Branch", salesperson: "Salesperson", region: "Region", unit: "Unit",
};
/** Text columns that are not something to filter or group on. */
const NOT_DIMENSIONS = new Set(["sales_line_key", "document_id", "jalali_date", "jalali_month_name"]);
const RESERVED_PARAMS = new Set(["from", "to", "preset", "cal", "by", "page"]);
const SAFE_COLUMN = /^[a-z_][a-z0-9_]{0,62}$/;
const FIRST = ["source_system", "currency"];
/** The breakdown shown first, when the view has it. */
const BREAKDOWN_PREFERENCE = ["market", "parent_customer", "product_group", "cluster", "merchant_group", "branch", "region"];

export interface SalesColumn {
  name: string;
  text: boolean;
  /** PostgreSQL's data_type (information_schema). */
  dataType: string;
}

export interface SalesColumns {
  dimensions: Dimension[];
  /** Conditions every figure obeys: lines of product groups that are not sales (freight…) are not revenue, as in the KPI marts. */
  scope: string[];
  /** Every column of the view in order, with whether it holds text and its type (for the CSV). */
  columns: SalesColumn[];
}

export async function readSalesColumns(pool: pg.Pool): Promise<SalesColumns | undefined> {
  const { rows } = await pool.query<{ name: string; data_type: string }>(
    `select column_name as name, data_type from information_schema.columns
     where table_schema = 'mart' and table_name = 'sales_enriched' order by ordinal_position`,
  );
  if (!rows.length) return undefined;
  const columns = rows.filter((r) => SAFE_COLUMN.test(r.name)).map((r) => ({ name: r.name, text: /char|text/.test(r.data_type), dataType: r.data_type }));
  const text = new Set(columns.filter((c) => c.text).map((c) => c.name));
  const dimensions: Dimension[] = [];
  for (const { name } of columns) {
    if (!text.has(name) || NOT_DIMENSIONS.has(name)) continue;
    const pair = /^(.+)_(code|name)$/.exec(name);
    if (pair && pair[2] === "name" && text.has(`${pair[1]}_code`)) continue; // shown beside its code
    const key = pair && pair[2] === "code" && text.has(`${pair[1]}_name`) ? pair[1] : name;
    if (RESERVED_PARAMS.has(key)) continue;
    dimensions.push({
      key, column: name, labelColumn: key !== name ? `${key}_name` : undefined,
      label: LABELS[key] ?? key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()),
    });
  }
  dimensions.sort((a, b) => rank(a.key) - rank(b.key));
  const scope = rows.some((r) => r.name === "is_sales_product" && r.data_type === "boolean") ? [`"is_sales_product" is not false`] : [];
  return { dimensions, columns, scope };
}

const rank = (key: string) => (FIRST.includes(key) ? FIRST.indexOf(key) - FIRST.length : 0);

export interface SalesView {
  calendar: Calendar;
  preset: Preset;
  from: string;
  to: string;
  /** The last day with sales: presets count back from it. */
  asOf: string;
  filters: Map<string, string[]>;
  by: string;
  page: number;
  /** Conditions from the mart (SalesColumns.scope). */
  scope: string[];
  /** What in the URL could not be used, said plainly on the page. */
  problems: string[];
}

type Query = Record<string, string | string[] | undefined>;
const list = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const first = (value: string | string[] | undefined) => list(value)[0];

/**
 * `valueCounts`: how many distinct values each dimension has; a dimension whose column is empty
 * for every loaded source is not offered as the default breakdown.
 */
export function parseSalesView(query: Query, mart: SalesColumns, asOf: string, valueCounts: Map<string, number>): SalesView {
  const { dimensions } = mart;
  const problems: string[] = [];
  const calendar: Calendar = first(query.cal) === "jalali" ? "jalali" : "gregorian";
  let preset = (first(query.preset) ?? "mtd") as Preset;
  if (!(preset in PRESETS)) {
    problems.push(`preset "${preset}" is not one of ${Object.keys(PRESETS).join(", ")}: showing month to date.`);
    preset = "mtd";
  }
  let range = preset === "custom" ? undefined : presetRange(preset, asOf, calendar);
  if (preset === "custom") {
    const from = parseDay(first(query.from));
    const to = parseDay(first(query.to));
    if (!from || !to) {
      const bad = [!from && `from "${first(query.from) ?? ""}"`, !to && `to "${first(query.to) ?? ""}"`].filter(Boolean).join(" and ");
      problems.push(`${bad}: not a day (use 2025-03-21, or 1404/01/01 for a Jalali day): showing month to date.`);
      preset = "mtd";
      range = presetRange("mtd", asOf, calendar);
    } else {
      range = from <= to ? { from, to } : { from: to, to: from };
    }
  }
  const filters = new Map<string, string[]>();
  for (const dimension of dimensions) {
    const values = list(query[dimension.key]).filter((v) => v !== "");
    if (values.length) filters.set(dimension.key, values);
  }
  const keys = dimensions.map((d) => d.key);
  const varied = [...BREAKDOWN_PREFERENCE, ...keys.filter((k) => k !== "currency")].filter((k) => keys.includes(k) && (valueCounts.get(k) ?? 0) > 1);
  const fallback = varied[0] ?? keys[0] ?? "";
  let by = first(query.by) ?? fallback;
  if (!keys.includes(by)) {
    problems.push(`breakdown "${by}" is not a column of ${SALES_VIEW}.`);
    by = fallback;
  }
  const page = Math.max(1, Math.floor(Number(first(query.page) ?? 1)) || 1);
  return { calendar, preset, from: range!.from, to: range!.to, asOf, filters, by, page, scope: mart.scope, problems };
}

/** The URL query of a view (presets stay presets, so a saved link keeps counting from the latest data). */
export function viewQuery(view: SalesView, changes: Partial<Pick<SalesView, "calendar" | "page" | "by">> = {}): string {
  const next = { ...view, ...changes };
  const params = new URLSearchParams();
  params.set("cal", next.calendar);
  params.set("preset", next.preset);
  if (next.preset === "custom") {
    params.set("from", next.from);
    params.set("to", next.to);
  }
  for (const [key, values] of next.filters) for (const value of values) params.append(key, value);
  if (next.by) params.set("by", next.by);
  if (next.page > 1) params.set("page", String(next.page));
  return params.toString();
}

/** SQL conditions for the view's scope and dimension filters (values bound as parameters, columns from the catalogue). */
export function filterConditions(view: SalesView, dimensions: Dimension[], params: unknown[]): string[] {
  const conditions: string[] = [...view.scope];
  for (const dimension of dimensions) {
    const values = view.filters.get(dimension.key);
    if (!values) continue;
    params.push(values);
    conditions.push(`"${dimension.column}" = any($${params.length}::text[])`);
  }
  return conditions;
}
