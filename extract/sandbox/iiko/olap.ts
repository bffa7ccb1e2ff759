/**
 * The sandbox's OLAP v2 engine: the SALES fields an iikoServer lists at
 * /resto/api/v2/reports/olap/columns, and reports aggregated over the sandbox's own order lines
 * by whatever fields are asked, checked the way iikoServer checks them (409 with a text body
 * meant for a person when a request makes no sense).
 */
import type { SandboxDish, SandboxOrder } from "./data.ts";

type FieldType = "STRING" | "ENUM" | "DATE" | "DATETIME" | "INTEGER" | "ID" | "MONEY" | "AMOUNT";

interface Line {
  order: SandboxOrder;
  dish: SandboxDish;
}

interface FieldDef {
  name: string;
  type: FieldType;
  tags: string[];
  /** The value of a line, for grouping and filtering. */
  value?: (line: Line) => string | number | null;
  /** The aggregate over a group's lines. */
  aggregate?: (lines: Line[]) => number;
}

const sum = (lines: Line[], of: (dish: SandboxDish) => number) => lines.reduce((total, line) => total + of(line.dish), 0);
const distinctOrders = (lines: Line[]) => [...new Map(lines.map((line) => [line.order.id, line.order])).values()];

const FIELDS: FieldDef[] = [
  { name: "Department", type: "STRING", tags: ["Organization"], value: ({ order }) => order.department },
  { name: "Department.Id", type: "ID", tags: ["Organization"], value: ({ order }) => order.departmentId },
  { name: "OpenDate.Typed", type: "DATE", tags: ["Order"], value: ({ order }) => order.businessDay },
  { name: "OpenTime", type: "DATETIME", tags: ["Order"], value: ({ order }) => order.openTime },
  { name: "CloseTime", type: "DATETIME", tags: ["Order"], value: ({ order }) => order.closeTime },
  { name: "HourOpen", type: "STRING", tags: ["Order"], value: ({ order }) => String(order.openHour) },
  { name: "HourClose", type: "STRING", tags: ["Order"], value: ({ order }) => String(order.closeHour) },
  { name: "OrderNum", type: "INTEGER", tags: ["Order"], value: ({ order }) => order.number },
  { name: "UniqOrderId.Id", type: "ID", tags: ["Order"], value: ({ order }) => order.id },
  { name: "Storned", type: "ENUM", tags: ["Order"], value: ({ order }) => (order.storned ? "TRUE" : "FALSE") },
  { name: "OrderDeleted", type: "ENUM", tags: ["Order"], value: ({ order }) => order.deleted },
  { name: "DeletedWithWriteoff", type: "ENUM", tags: ["Order"], value: ({ order }) => order.deletedWithWriteoff },
  { name: "PayTypes", type: "STRING", tags: ["Payment"], value: ({ order }) => order.payType },
  { name: "DishCode", type: "STRING", tags: ["Dish"], value: ({ dish }) => dish.code },
  { name: "DishName", type: "STRING", tags: ["Dish"], value: ({ dish }) => dish.name },
  { name: "DishGroup", type: "STRING", tags: ["Dish"], value: ({ dish }) => dish.group },
  { name: "DishSumInt", type: "MONEY", tags: ["Amount"], aggregate: (lines) => sum(lines, (d) => d.sumCents) / 100 },
  { name: "DishDiscountSumInt", type: "MONEY", tags: ["Amount"], aggregate: (lines) => sum(lines, (d) => d.discountedCents) / 100 },
  { name: "DiscountSum", type: "MONEY", tags: ["Amount"], aggregate: (lines) => sum(lines, (d) => d.sumCents - d.discountedCents) / 100 },
  { name: "DishAmountInt", type: "AMOUNT", tags: ["Amount"], aggregate: (lines) => sum(lines, (d) => d.amountMilli) / 1000 },
  // Counted per order: summed over groups finer than an order (dishes), guests are counted again in each.
  { name: "GuestNum", type: "INTEGER", tags: ["Order"], aggregate: (lines) => distinctOrders(lines).reduce((total, order) => total + order.guests, 0) },
  { name: "UniqOrderId.OrdersCount", type: "INTEGER", tags: ["Order"], aggregate: (lines) => distinctOrders(lines).length },
];

/** A request the server refuses with 409 and a text body (iiko's business-logic error). */
export class OlapConflict extends Error {}

/** What /resto/api/v2/reports/olap/columns?reportType=SALES answers; `missing` leaves fields out (an older server). */
export function olapColumns(missing: string[] = []): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const field of FIELDS) {
    if (missing.includes(field.name)) continue;
    columns[field.name] = {
      name: field.name,
      type: field.type,
      aggregationAllowed: Boolean(field.aggregate),
      groupingAllowed: Boolean(field.value),
      filteringAllowed: Boolean(field.value),
      tags: field.tags,
    };
  }
  return columns;
}

export interface OlapRequest {
  reportType?: unknown;
  buildSummary?: unknown;
  groupByRowFields?: unknown;
  groupByColFields?: unknown;
  aggregateFields?: unknown;
  filters?: unknown;
}

interface DateRange {
  field: FieldDef;
  from: string;
  to: string;
  includeLow: boolean;
  includeHigh: boolean;
}

const MAX_GROUP_FIELDS = 7;

/** The first business day a request's date filter covers (for faults aimed at a day). */
export function requestedDay(body: OlapRequest): string | undefined {
  const filter = (body.filters as Record<string, { from?: unknown }> | undefined)?.["OpenDate.Typed"];
  return typeof filter?.from === "string" ? filter.from.slice(0, 10) : undefined;
}

export function buildReport(orders: SandboxOrder[], body: OlapRequest, missing: string[] = []): { data: Record<string, unknown>[]; summary: Record<string, unknown>[] } {
  const known = (name: string) => FIELDS.find((f) => f.name === name && !missing.includes(name));
  if (body.reportType !== "SALES") throw new OlapConflict(`Report type ${JSON.stringify(body.reportType)} is not supported by this server (SALES is).`);
  const groups = stringList(body.groupByRowFields, "groupByRowFields");
  const columns = stringList(body.groupByColFields, "groupByColFields");
  const aggregates = stringList(body.aggregateFields, "aggregateFields");
  if (groups.length + columns.length > MAX_GROUP_FIELDS) {
    throw new OlapConflict(`Too many grouping fields: ${groups.length + columns.length}; a report may group by at most ${MAX_GROUP_FIELDS} fields.`);
  }
  const groupFields = [...groups, ...columns].map((name) => {
    const field = known(name);
    if (!field) throw new OlapConflict(`Unknown OLAP field "${name}" for report type SALES.`);
    if (!field.value) throw new OlapConflict(`Field "${name}" cannot be used for grouping.`);
    return field;
  });
  const aggregateFields = aggregates.map((name) => {
    const field = known(name);
    if (!field) throw new OlapConflict(`Unknown OLAP field "${name}" for report type SALES.`);
    if (!field.aggregate) throw new OlapConflict(`Field "${name}" cannot be aggregated.`);
    return field;
  });

  const filters = body.filters ?? {};
  if (typeof filters !== "object" || Array.isArray(filters)) throw new OlapConflict("filters must be an object keyed by field name.");
  const ranges: DateRange[] = [];
  const predicates: ((line: Line) => boolean)[] = [];
  for (const [name, raw] of Object.entries(filters as Record<string, Record<string, unknown>>)) {
    const field = known(name);
    if (!field || !field.value) throw new OlapConflict(`Unknown OLAP field "${name}" in filters for report type SALES.`);
    const value = field.value;
    if (raw?.filterType === "DateRange") {
      const range = dateRange(field, raw);
      ranges.push(range);
      predicates.push((line) => inRange(range, String(value(line) ?? "")));
    } else if (raw?.filterType === "IncludeValues" || raw?.filterType === "ExcludeValues") {
      if (!Array.isArray(raw.values)) throw new OlapConflict(`Filter on "${name}": values must be a list.`);
      const values = new Set(raw.values.map(String));
      const include = raw.filterType === "IncludeValues";
      predicates.push((line) => values.has(String(value(line))) === include);
    } else {
      throw new OlapConflict(`Filter on "${name}": unknown filterType ${JSON.stringify(raw?.filterType)}.`);
    }
  }
  if (!ranges.some((r) => r.field.type === "DATE" || r.field.type === "DATETIME")) {
    throw new OlapConflict("A date filter is required for an OLAP report (filter SALES on OpenDate.Typed).");
  }

  const lines = orders.flatMap((order) => order.dishes.map((dish) => ({ order, dish }))).filter((line) => predicates.every((p) => p(line)));
  const grouped = new Map<string, Line[]>();
  for (const line of lines) {
    const key = JSON.stringify(groupFields.map((f) => f.value!(line)));
    const group = grouped.get(key);
    if (group) group.push(line);
    else grouped.set(key, [line]);
  }
  const data = [...grouped.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, group]) => {
      const row: Record<string, unknown> = {};
      for (const field of groupFields) row[field.name] = field.value!(group[0]);
      for (const field of aggregateFields) row[field.name] = field.aggregate!(group);
      return row;
    });
  // iiko's default for buildSummary changed between versions; this server builds it unless told not to.
  const summary = body.buildSummary === false ? [] : [Object.fromEntries(aggregateFields.map((f) => [f.name, f.aggregate!(lines)]))];
  return { data, summary };
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new OlapConflict(`${name} must be a list of field names.`);
  return value as string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?$/;

function dateRange(field: FieldDef, raw: Record<string, unknown>): DateRange {
  if (field.type !== "DATE" && field.type !== "DATETIME") throw new OlapConflict(`Field "${field.name}" is not a date: a DateRange filter cannot apply to it.`);
  if (raw.periodType !== "CUSTOM") throw new OlapConflict(`Filter on "${field.name}": periodType ${JSON.stringify(raw.periodType)} is not supported here; use CUSTOM with from and to.`);
  const range = {
    field,
    from: String(raw.from ?? ""),
    to: String(raw.to ?? ""),
    includeLow: raw.includeLow === undefined ? true : raw.includeLow === true,
    includeHigh: raw.includeHigh === true,
  };
  for (const bound of [range.from, range.to]) {
    if (field.type === "DATE" && !DATE.test(bound)) {
      throw new OlapConflict(
        DATETIME.test(bound)
          ? `Field "${field.name}" has type DATE: its filter takes a date without a time part, got "${bound}".`
          : `Field "${field.name}": cannot read the date "${bound}" (expected yyyy-MM-dd).`,
      );
    }
    if (field.type === "DATETIME" && !DATETIME.test(bound)) throw new OlapConflict(`Field "${field.name}": cannot read the date "${bound}" (expected yyyy-MM-ddTHH:mm:ss.SSS).`);
  }
  const from = comparable(range.from);
  const to = comparable(range.to);
  if (from > to || (from === to && !(range.includeLow && range.includeHigh))) {
    throw new OlapConflict(
      `The date range of "${field.name}" is empty: from ${range.from} to ${range.to} with includeLow=${range.includeLow}, includeHigh=${range.includeHigh}.`,
    );
  }
  return range;
}

function comparable(value: string): number {
  return Date.parse(value.length === 10 ? `${value}T00:00:00Z` : `${value}Z`);
}

function inRange(range: DateRange, value: string): boolean {
  if (!value) return false;
  const v = comparable(value);
  const from = comparable(range.from);
  const to = comparable(range.to);
  return (range.includeLow ? v >= from : v > from) && (range.includeHigh ? v <= to : v < to);
}
