/**
 * The OLAP v2 SALES report the extractor asks for: one business day, order grain, deleted orders
 * excluded, no summary; the fields it needs checked once per server against the columns the
 * server lists; and the answer turned into records in the contract's column order.
 */
import { UserError } from "../../config.ts";
import type { Contract } from "../../contracts/contracts.ts";
import type { LandedRecord, RejectedRecord } from "../source.ts";
import { addDays } from "./days.ts";
import type { IikoSession } from "./session.ts";
import type { IikoServerSettings } from "./settings.ts";

/** Order grain: seven group fields, iiko's limit. Grouping by dish would count guests and orders again per dish. */
export const GROUP_FIELDS = ["Department", "OpenDate.Typed", "UniqOrderId.Id", "OrderNum", "CloseTime", "HourClose", "Storned"] as const;
export const AGGREGATE_FIELDS = ["DishSumInt", "DishDiscountSumInt", "DishAmountInt", "GuestNum"] as const;
const FILTER_FIELDS = ["OpenDate.Typed", "OrderDeleted"] as const;

/** Contract columns the extractor fills from the settings rather than from the report. */
const STAMPED = ["source_server", "server_timezone", "currency"] as const;

/** One business day, half-open [day, day + 1) on OpenDate.Typed (a DATE field: no time part, or the server answers 409). */
export function reportRequest(day: string) {
  return {
    reportType: "SALES",
    buildSummary: false,
    groupByRowFields: [...GROUP_FIELDS],
    aggregateFields: [...AGGREGATE_FIELDS],
    filters: {
      "OpenDate.Typed": { filterType: "DateRange", periodType: "CUSTOM", from: day, to: addDays(day, 1), includeLow: true, includeHigh: false },
      OrderDeleted: { filterType: "IncludeValues", values: ["NOT_DELETED"] },
    },
  };
}

interface ColumnInfo {
  aggregationAllowed?: boolean;
  groupingAllowed?: boolean;
  filteringAllowed?: boolean;
}

/** Fails the server clearly when it lacks a field the report needs (fields differ between iiko versions). */
export async function checkColumns(session: IikoSession, server: IikoServerSettings): Promise<void> {
  const { body } = await session.request<Record<string, ColumnInfo>>("/resto/api/v2/reports/olap/columns", { query: { reportType: "SALES" } });
  if (!body || typeof body !== "object") throw new UserError(`iiko server ${server.name}: the OLAP columns list is not a JSON object.`);
  const problems = [
    ...GROUP_FIELDS.filter((f) => !body[f]?.groupingAllowed).map((f) => (body[f] ? `${f} (cannot group)` : f)),
    ...AGGREGATE_FIELDS.filter((f) => !body[f]?.aggregationAllowed).map((f) => (body[f] ? `${f} (cannot aggregate)` : f)),
    ...FILTER_FIELDS.filter((f) => !body[f]?.filteringAllowed && !GROUP_FIELDS.includes(f as never)).map((f) => (body[f] ? `${f} (cannot filter)` : f)),
  ];
  if (problems.length) {
    throw new UserError(
      `iiko server ${server.name}: its OLAP SALES report lacks field(s) this extractor needs: ${problems.join(", ")} ` +
        `(see GET /resto/api/v2/reports/olap/columns?reportType=SALES). The server's version may be too old or name them differently; nothing was read from it.`,
    );
  }
}

export interface ReportRows {
  data: unknown[];
}

/** Checks the shape of an answer: an object with a `data` list. */
export function reportRows(body: unknown, server: IikoServerSettings, day: string): unknown[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new UserError(`iiko server ${server.name}, business day ${day}: the OLAP answer has no "data" list.`);
  return data;
}

/**
 * Records in the contract's column order: report fields found under the column's headers (iiko
 * field names), the stamped ones from the settings. A row of another business day is rejected
 * (kept in raw._rejects), never landed on the wrong day.
 */
export async function* dayRecords(contract: Contract, rows: unknown[], server: IikoServerSettings, day: string): AsyncGenerator<LandedRecord | RejectedRecord> {
  const stamped: Record<string, string | null> = { source_server: server.name, server_timezone: server.timezone, currency: server.currency };
  const known = new Set(contract.columns.flatMap((c) => c.headers));
  for (const [i, row] of rows.entries()) {
    const sourceRow = String(i + 1);
    if (!row || typeof row !== "object" || Array.isArray(row)) {
      yield { kind: "reject", sourceRow, raw: JSON.stringify(row) ?? String(row), reason: "report row is not a JSON object" };
      continue;
    }
    const fields = row as Record<string, unknown>;
    const opened = text(fields["OpenDate.Typed"]);
    if (!opened?.startsWith(day)) {
      yield { kind: "reject", sourceRow, raw: JSON.stringify(row), reason: `OpenDate.Typed ${JSON.stringify(opened)} is not the business day asked for (${day})` };
      continue;
    }
    const values = contract.columns.map((column) =>
      (STAMPED as readonly string[]).includes(column.name) ? stamped[column.name] : text(fields[column.headers.find((h) => h in fields) ?? column.headers[0]]),
    );
    const extraEntries = Object.entries(fields).filter(([name]) => !known.has(name));
    const extra = extraEntries.length ? Object.fromEntries(extraEntries.map(([name, value]) => [name, text(value) ?? ""])) : null;
    yield { kind: "row", sourceRow, values, extra };
  }
}

/** A JSON value as raw text: numbers exactly as JavaScript prints them (no rounding), null stays null. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
