/**
 * One builder for every list endpoint: from a declaration (the mart, its columns, its key, its
 * date column and filters) it makes the route's JSON schemas (which validate the request and
 * become the OpenAPI document), the keyset-paged SQL for the reader pool, and the JSON or CSV answer.
 */
import { promisify } from "node:util";
import zlib from "node:zlib";
import { negotiate } from "@fastify/accept-negotiator";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import * as jalaali from "jalaali-js";
import type pg from "pg";
import { quoteIdent } from "../../loader/raw-schema.ts";
import { decodeCursor, encodeCursor, type CursorValue } from "./cursor.ts";
import { toCsv, wantsCsv } from "./csv.ts";
import { SnapshotCache } from "../snapshot-cache.ts";
import { ApiError, errorBodySchema } from "./errors.ts";

export type ColumnType = "text" | "date" | "integer" | "decimal" | "timestamp";

export interface Column {
  name: string;
  type: ColumnType;
  description: string;
}

export interface Filter {
  /** The query parameter. */
  param: string;
  /** The mart column it compares with. */
  column: string;
  /** Its type, when the column is not one of the route's output columns (a custom relation). */
  type?: ColumnType;
  /** Equality unless "<=" (e.g. top=N keeps ranks 1…N). */
  op?: "=" | "<=";
  schema: Record<string, unknown>;
}

export interface ListSpec {
  /** The path under /api/v1, also the cursor's route id. */
  path: string;
  tag: string;
  summary: string;
  description: string;
  /** The mart it reads (schema mart); named in the note when it does not exist yet. */
  mart: string;
  columns: Column[];
  /** Columns that order the rows and identify each one (the keyset). */
  key: string[];
  descending?: boolean;
  /**
   * The column `from` and `to` apply to: a day, a month (its first day) or a timestamp. Marts
   * with Jalali months beside Gregorian ones (a `calendar` column) name their 'YYYY-MM' column.
   */
  dateRange: { column: string; grain: "day" | "month" | "timestamp"; jalaliMonthColumn?: string };
  filters: Filter[];
  /** SQL for the rows before paging, when they are not simply the mart's rows (e.g. an aggregate). */
  relation?: (where: string) => string;
  /** The mart reads the clock (current_date, now()): its answers change without a commit, so they are never kept (snapshot-cache.ts). */
  readsClock?: boolean;
}

export const LIMIT_DEFAULT = 100;
export const LIMIT_MAX = 10_000;

const SQL_TYPE: Record<ColumnType, string> = { text: "text", date: "date", integer: "bigint", decimal: "numeric", timestamp: "timestamptz" };

const JSON_TYPE: Record<ColumnType, Record<string, unknown>> = {
  text: { type: ["string", "null"] },
  date: { type: ["string", "null"], format: "date" },
  integer: { type: ["integer", "null"] },
  // Exact: amounts keep every digit PostgreSQL has (a JSON number would round past 15 digits).
  decimal: { type: ["string", "null"], pattern: "^-?[0-9]+(\\.[0-9]+)?$" },
  timestamp: { type: ["string", "null"], format: "date-time" },
};

const CURSOR_VALUE: Record<ColumnType, RegExp> = {
  text: /^[\s\S]{0,1000}$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  integer: /^-?\d{1,18}$/,
  decimal: /^-?\d{1,40}(\.\d{1,40})?$/,
  timestamp: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
};

export const dateParam = (description: string) => ({ type: "string", format: "date", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description });

export const pagingParams = {
  limit: { type: "integer", minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT, description: `Rows per page (1–${LIMIT_MAX}, default ${LIMIT_DEFAULT}).` },
  cursor: { type: "string", maxLength: 4000, description: "next_cursor of the previous page (opaque); omit for the first page." },
};

export const listResponse = (itemProperties: Record<string, unknown>, description: string) => ({
  description,
  content: {
    "application/json": {
      schema: {
        type: "object",
        properties: {
          data: { type: "array", items: { type: "object", properties: itemProperties } },
          next_cursor: { type: ["string", "null"], description: "Pass as cursor for the next page; null on the last page." },
          note: { type: "string", description: "Present when the source has no data yet (the mart does not exist in this warehouse)." },
        },
        required: ["data", "next_cursor"],
      },
    },
    "text/csv": { schema: { type: "string", description: "The same rows as CSV with a header line (send Accept: text/csv); the next page's cursor is in the X-Next-Cursor header." } },
  },
});

export const errorResponses = {
  400: { description: "A parameter is invalid; `parameter` names it.", ...errorBodySchema },
  401: { description: "No valid API key.", ...errorBodySchema },
  403: { description: "The key's role may not do this.", ...errorBodySchema },
  429: { description: "Too many requests with this key.", ...errorBodySchema },
};

/** Parses every value as text: types are fixed by the casts in SQL and converted here, whatever parsers the pool has. */
const TEXT_VALUES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export function checkRange(query: { from?: string; to?: string }): void {
  for (const param of ["from", "to"] as const) {
    const value = query[param];
    if (value !== undefined && Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new ApiError(400, "invalid_parameter", `${param} is not a calendar date (YYYY-MM-DD).`, param);
    }
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new ApiError(400, "invalid_parameter", `from (${query.from}) is after to (${query.to}).`, "from");
  }
}

/** 'YYYY-MM' of the Jalali month a Gregorian day falls in. */
export function jalaliMonthOf(isoDay: string): string {
  const [gy, gm, gd] = isoDay.split("-").map(Number);
  const { jy, jm } = jalaali.toJalaali(gy, gm, gd);
  return `${jy}-${String(jm).padStart(2, "0")}`;
}

/** Collects bound parameters: `bind(value, "date")` gives `$n::date`. */
class Params {
  readonly values: unknown[] = [];
  bind(value: unknown, sqlType: string): string {
    this.values.push(value);
    return `$${this.values.length}::${sqlType}`;
  }
}

function output(column: Column): string {
  const ref = `r.${quoteIdent(column.name)}`;
  switch (column.type) {
    case "date":
      return `to_char(${ref}, 'YYYY-MM-DD')`;
    case "timestamp":
      return `to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    case "text":
      return ref;
    default:
      return `${ref}::text`;
  }
}

/** Text keys compare byte-wise (deterministic whatever the database's collation) and with NULL as ''. */
function keyExpression(column: Column): string {
  return column.type === "text" ? `coalesce(r.${quoteIdent(column.name)}, '') collate "C"` : `r.${quoteIdent(column.name)}`;
}

function cursorBind(params: Params, column: Column, value: CursorValue): string {
  const bound = params.bind(value ?? "", SQL_TYPE[column.type]);
  return column.type === "text" ? `${bound} collate "C"` : bound;
}

function convert(column: Column, value: string | null): unknown {
  if (value === null) return null;
  return column.type === "integer" ? Number(value) : value;
}

interface ListQuery {
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
  [filter: string]: unknown;
}

/** The conditions `from` and `to` put on the date column. */
function rangeConditions(spec: ListSpec, query: ListQuery, params: Params): string[] {
  const { column, grain, jalaliMonthColumn } = spec.dateRange;
  const conditions: string[] = [];
  if (grain === "month" && jalaliMonthColumn && query.calendar === "jalali") {
    // Jalali months: those whose Jalali month holds a day of the range.
    const jalaliMonth = quoteIdent(jalaliMonthColumn);
    if (query.from !== undefined) conditions.push(`${jalaliMonth} >= ${params.bind(jalaliMonthOf(query.from), "text")}`);
    if (query.to !== undefined) conditions.push(`${jalaliMonth} <= ${params.bind(jalaliMonthOf(query.to), "text")}`);
    return conditions;
  }
  const date = quoteIdent(column);
  if (query.from !== undefined) {
    const from = params.bind(query.from, "date");
    // Months that hold a day of the range; timestamps are answered in UTC, so their range is in UTC days.
    if (grain === "month") conditions.push(`${date} >= date_trunc('month', ${from})::date`);
    else if (grain === "timestamp") conditions.push(`${date} >= ${from}::timestamp at time zone 'UTC'`);
    else conditions.push(`${date} >= ${from}`);
  }
  if (query.to !== undefined) {
    const to = params.bind(query.to, "date");
    conditions.push(grain === "timestamp" ? `${date} < (${to} + 1)::timestamp at time zone 'UTC'` : `${date} <= ${to}`);
  }
  return conditions;
}

export function buildListQuery(spec: ListSpec, query: ListQuery): { text: string; values: unknown[] } {
  const columns = new Map(spec.columns.map((c) => [c.name, c]));
  const keyColumns = spec.key.map((name) => columns.get(name)!);
  const params = new Params();
  const where = rangeConditions(spec, query, params);
  for (const filter of spec.filters) {
    const value = query[filter.param] ?? filter.schema.default;
    if (value === undefined) continue;
    const type = filter.type ?? columns.get(filter.column)?.type ?? "text";
    where.push(`${quoteIdent(filter.column)} ${filter.op ?? "="} ${params.bind(value, SQL_TYPE[type])}`);
  }
  const condition = where.length ? where.join(" and ") : "true";
  const relation = spec.relation
    ? spec.relation(condition)
    : `select ${spec.columns.map((c) => `${quoteIdent(c.name)}::${SQL_TYPE[c.type]} as ${quoteIdent(c.name)}`).join(", ")}
       from mart.${quoteIdent(spec.mart)} where ${condition}`;

  const direction = spec.descending ? "desc" : "asc";
  const keys = keyColumns.map(keyExpression);
  let after = "true";
  if (query.cursor !== undefined) {
    const values = decodeCursor(query.cursor, spec.path, keyColumns.length);
    keyColumns.forEach((column, i) => {
      const value = values[i];
      if (value === null ? column.type !== "text" : !CURSOR_VALUE[column.type].test(value)) {
        throw new ApiError(400, "invalid_parameter", "cursor is damaged: pass next_cursor from the previous page unchanged.", "cursor");
      }
    });
    after = `(${keys.join(", ")}) ${spec.descending ? "<" : ">"} (${keyColumns.map((c, i) => cursorBind(params, c, values[i])).join(", ")})`;
  }
  // One row more than asked: its presence says whether there is a next page.
  const limit = params.bind(query.limit + 1, "int");
  const text = `select ${spec.columns.map((c) => `${output(c)} as ${quoteIdent(c.name)}`).join(", ")}
from (${relation}) r
where ${after}
order by ${keys.map((k) => `${k} ${direction}`).join(", ")}
limit ${limit}`;
  return { text, values: params.values };
}

/** A list answer as it is kept: serialised and encoded (sending a kept string would encode it again each time), with what goes in its headers. */
export interface CachedPage {
  body: Buffer;
  /** The body gzipped, made on the first request that accepts gzip (answers compress about tenfold). */
  gzipped?: Promise<Buffer>;
  nextCursor: string | null;
  note?: string;
}

const MISSING_RELATION = new Set(["42P01", "3F000"]);

/** Smaller answers go as they are (gzip would save little). */
const GZIP_FROM_BYTES = 1024;
const gzip = promisify(zlib.gzip);

function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers["accept-encoding"];
  return typeof header === "string" && negotiate(header, ["gzip", "identity"]) === "gzip";
}

/** `answers`: where answers are kept between requests while the data is unchanged (none: every request reads). */
export function registerListRoute(app: FastifyInstance, spec: ListSpec, readerPool: pg.Pool, answers?: SnapshotCache): void {
  // Filters and the date range apply to the mart's columns: the route's own ones unless it has a relation of its own.
  const { column, jalaliMonthColumn } = spec.dateRange;
  const mustBeColumns = spec.relation ? spec.key : [...spec.key, column, ...(jalaliMonthColumn ? [jalaliMonthColumn] : []), ...spec.filters.map((f) => f.column)];
  for (const name of mustBeColumns) {
    if (!spec.columns.some((c) => c.name === name)) throw new Error(`${spec.path}: ${name} is not one of its columns`);
  }
  const properties = Object.fromEntries(spec.columns.map((c) => [c.name, { ...JSON_TYPE[c.type], description: c.description }]));
  const rangeWhat = {
    month: spec.dateRange.jalaliMonthColumn
      ? `the months that hold a day of the range (Gregorian months by ${spec.dateRange.column}, Jalali months by ${spec.dateRange.jalaliMonthColumn})`
      : `the months (${spec.dateRange.column}) that hold a day of the range`,
    timestamp: `${spec.dateRange.column}, in UTC days`,
    day: spec.dateRange.column,
  }[spec.dateRange.grain];
  app.get(spec.path, {
    schema: {
      tags: [spec.tag],
      summary: spec.summary,
      description: `${spec.description}\n\nReads \`mart.${spec.mart}\`. Ordered by ${spec.key.join(", ")}${spec.descending ? " (descending)" : ""}.`,
      security: [{ bearerAuth: [] }],
      querystring: {
        type: "object",
        properties: {
          from: dateParam(`First day (YYYY-MM-DD) of the range, inclusive; applies to ${rangeWhat}.`),
          to: dateParam(`Last day (YYYY-MM-DD) of the range, inclusive; applies to ${rangeWhat}.`),
          ...Object.fromEntries(spec.filters.map((f) => [f.param, f.schema])),
          ...pagingParams,
        },
      },
      response: { 200: listResponse(properties, "One page of rows."), ...errorResponses },
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as ListQuery;
      checkRange(query);
      if (!answers || spec.readsClock) {
        const { page, nextCursor, note } = await readPage(spec, query, readerPool);
        return sendPage(request, reply, spec.columns, page, nextCursor, note);
      }
      // The same URL (and format) under the same snapshot: the same answer, kept serialised.
      const csv = wantsCsv(request);
      // The route's compiled response schema (as fastify would serialise the object), used once per kept answer.
      const compiled = reply.getSerializationFunction("200", "application/json") as ((body: unknown) => string) | undefined;
      const serializeJson = compiled ?? JSON.stringify;
      const answer = await answers.get<CachedPage>(`${csv ? "csv" : "json"} ${request.url}`, async () => {
        const { page, nextCursor, note } = await readPage(spec, query, readerPool);
        const body = Buffer.from(csv ? toCsv(spec.columns, page) : serializeJson({ data: page, next_cursor: nextCursor, ...(note ? { note } : {}) }));
        return { value: { body, nextCursor, note }, chars: body.length };
      });
      pageHeaders(request, reply, answer.nextCursor, answer.note);
      reply.type(csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8").header("vary", "accept-encoding");
      if (answer.body.length >= GZIP_FROM_BYTES && acceptsGzip(request)) {
        answer.gzipped ??= gzip(answer.body);
        return reply.header("content-encoding", "gzip").send(await answer.gzipped);
      }
      return reply.send(answer.body);
    },
  });
}

/** One page of a list: its rows, the cursor of the next page, and a note when the mart is not there yet. */
async function readPage(spec: ListSpec, query: ListQuery, readerPool: pg.Pool): Promise<{ page: Record<string, unknown>[]; nextCursor: string | null; note?: string }> {
  const sql = buildListQuery(spec, query);
  let rows: Record<string, string | null>[];
  let note: string | undefined;
  try {
    rows = (await readerPool.query({ ...sql, types: TEXT_VALUES })).rows;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && MISSING_RELATION.has(code)) {
      rows = [];
      note = `The source has no data yet: mart.${spec.mart} does not exist in this warehouse (it appears after the source is extracted and \`dataform run\` has built it).`;
    } else if (code === "42501") {
      throw new ApiError(503, "unavailable", `The API's database role may not read mart.${spec.mart}; an administrator can grant it with \`npx salesdw warehouse roles\`.`);
    } else {
      throw error;
    }
  }
  const page = rows.slice(0, query.limit).map((row) => Object.fromEntries(spec.columns.map((c) => [c.name, convert(c, row[c.name])])));
  const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
  const nextCursor = last ? encodeCursor(spec.path, spec.key.map((name) => last[name] ?? null)) : null;
  return { page, nextCursor, note };
}

/** The next cursor (and a note) in headers, as every list answer carries them. */
function pageHeaders(request: FastifyRequest, reply: FastifyReply, nextCursor: string | null, note?: string): void {
  if (nextCursor) {
    const next = new URL(request.url, "http://placeholder");
    next.searchParams.set("cursor", nextCursor);
    reply.header("x-next-cursor", nextCursor).header("link", `<${next.pathname}${next.search}>; rel="next"`);
  }
  if (note) reply.header("x-note", note.replace(/`/g, ""));
}

/** Sends a page as JSON, or as CSV when asked, with the next cursor (and a note) in headers too. */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  columns: { name: string; type: string }[],
  data: Record<string, unknown>[],
  nextCursor: string | null,
  note?: string,
): FastifyReply {
  pageHeaders(request, reply, nextCursor, note);
  if (wantsCsv(request)) return reply.type("text/csv; charset=utf-8").send(toCsv(columns, data));
  return reply.type("application/json; charset=utf-8").send({ data, next_cursor: nextCursor, ...(note ? { note } : {}) });
}
