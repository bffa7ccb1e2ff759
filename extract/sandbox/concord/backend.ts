/**
 * What the ConcordDb sandbox answers: logins, the session SETs clients send, the catalog
 * statements, keyset pages, change-tracking reads and versions, and faults on demand. Every
 * statement it does not recognise gets an ERROR token that quotes it.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Login7 } from "../tds/login.ts";
import { DropConnection, SqlError, type LoginOutcome, type TdsBackend, type TdsResult } from "../tds/server.ts";
import type { TdsRequest } from "../tds/requests.ts";
import type { ParamValue, ResultColumn, SqlValue } from "../tds/types.ts";
import { catalogStatement } from "./catalog.ts";
import { converterFor, fitTo } from "./convert.ts";
import type { ConcordDb, SandboxTable } from "./db.ts";
import { parseSelect, SqlSyntaxError, tokenize, type ColumnRef, type Expression, type SelectStatement, type Value } from "./sql.ts";

export const SANDBOX_NOTICE =
  "salesdw ConcordDb sandbox: a TDS server for tests and demos. It checks the wire format and the extractor's SQL text, not SQL Server's semantics.";

export interface Faults {
  /** Every login fails (as with a wrong password). */
  failLogin?: boolean;
  /** Cut the connection once this many rows of the table (any table when omitted) have been served, counted across statements; `times` cuts, default one. */
  dropConnection?: { table?: string; afterRows: number; times?: number; served?: number };
  /** Wait before answering statements on the table (any when omitted); `times` runs, default every time. */
  slowQuery?: { table?: string; ms: number; times?: number };
  /** The login lacks VIEW DATABASE STATE: row counts are refused. */
  denyViewDatabaseState?: boolean;
}

export interface ConcordBackendOptions {
  user: string;
  password: string;
  faults: Faults;
  /** Called with each statement received (tests check what the extractor sends). */
  onStatement?: (sql: string, params: Map<string, ParamValue>) => void;
}

interface OutputColumn extends ResultColumn {
  value: (row: SqlValue[] | undefined, change?: ChangeValues) => SqlValue;
}

interface ChangeValues {
  id: bigint;
  operation: string;
  version: bigint;
  creationVersion: bigint | null;
}

function error(number: number, message: string, severity = 16): SqlError {
  return new SqlError({ number, state: 1, severity, message });
}

function quoteStatement(sql: string): string {
  const oneLine = sql.replace(/\s+/g, " ").trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

export class ConcordBackend implements TdsBackend {
  readonly serverName = "CONCORD-SANDBOX";

  constructor(
    readonly db: ConcordDb,
    readonly options: ConcordBackendOptions,
  ) {}

  /** LOGIN7 messages received (a client that refuses to log in sends none). */
  logins = 0;

  login(login: Login7): LoginOutcome {
    this.logins++;
    const failed = { ok: false as const, error: { number: 18456, state: 1, severity: 14, message: `Login failed for user '${login.userName}'.` } };
    if (this.options.faults.failLogin) return failed;
    if (login.userName !== this.options.user || login.password !== this.options.password) return failed;
    if (login.database && login.database.toLowerCase() !== this.db.name.toLowerCase()) {
      return { ok: false, error: { number: 4060, state: 1, severity: 11, message: `Cannot open database "${login.database}" requested by the login. The login failed.` } };
    }
    return { ok: true, database: this.db.name, messages: [{ number: 50000, state: 1, severity: 0, message: SANDBOX_NOTICE }] };
  }

  async *execute(request: TdsRequest, context: { signal: AbortSignal }): AsyncIterable<TdsResult> {
    this.options.onStatement?.(request.sql, request.params);
    let tokens;
    try {
      tokens = tokenize(request.sql);
    } catch (e) {
      throw error(102, (e as Error).message);
    }
    if (!tokens.length) {
      yield { kind: "done" };
      return;
    }
    const first = tokens[0].text.toLowerCase();
    if (tokens[0].kind === "word" && first === "set") {
      // Session options (tedious and FreeTDS send a batch of SETs after login): accepted, nothing to do.
      yield { kind: "done" };
      return;
    }
    const catalog = catalogStatement(tokens);
    if (catalog) {
      await this.maybeSlow(undefined, context.signal);
      let answer;
      try {
        answer = catalog.answer(this.db, { viewDatabaseState: !this.options.faults.denyViewDatabaseState });
      } catch (e) {
        throw error((e as { number?: number }).number ?? 50000, (e as Error).message, 14);
      }
      yield { kind: "rows", columns: answer.columns, rows: answer.rows };
      return;
    }
    if (tokens[0].kind !== "word" || first !== "select") {
      throw error(50000, `The ConcordDb sandbox does not answer this statement: ${quoteStatement(request.sql)}`);
    }
    let statement: SelectStatement;
    try {
      statement = parseSelect(tokens);
    } catch (e) {
      if (!(e instanceof SqlSyntaxError)) throw e;
      throw error(102, `${e.message} The ConcordDb sandbox does not answer this statement: ${quoteStatement(request.sql)}`);
    }
    yield await this.select(statement, request.params, context.signal);
  }

  private async maybeSlow(table: string | undefined, signal: AbortSignal): Promise<void> {
    const slow = this.options.faults.slowQuery;
    if (!slow || (slow.table && slow.table.toLowerCase() !== table?.toLowerCase())) return;
    if (slow.times !== undefined) {
      if (slow.times <= 0) return;
      slow.times--;
    }
    await delay(slow.ms, undefined, { signal }).catch(() => undefined);
  }

  private value(v: Value, params: Map<string, ParamValue>): bigint | string | null {
    if (v.kind === "number") return v.value;
    if (v.kind === "string") return v.value;
    const param = params.get(v.name);
    if (!param) throw error(137, `Must declare the scalar variable "@${v.name}".`, 15);
    if (param.value === null) return null;
    if (typeof param.value === "bigint" || typeof param.value === "number") return BigInt(param.value);
    if (typeof param.value === "string") return param.value;
    throw error(206, `Operand type clash: ${param.type} is incompatible with the comparison in the statement.`);
  }

  private integer(v: Value, params: Map<string, ParamValue>, what: string): bigint {
    const value = this.value(v, params);
    if (typeof value !== "bigint") throw error(1060, `The ${what} must be an integer, got ${value === null ? "NULL" : JSON.stringify(value)}.`);
    return value;
  }

  private async select(statement: SelectStatement, params: Map<string, ParamValue>, signal: AbortSignal): Promise<TdsResult> {
    if (!statement.source) return { kind: "rows", ...this.scalars(statement, params) };
    const source = statement.source;
    if (source.table.schema.toLowerCase() !== "dbo") throw error(208, `Invalid object name '${source.table.schema}.${source.table.name}'.`);
    const table = this.db.tables.get(source.table.name.toLowerCase());
    if (!table) throw error(208, `Invalid object name 'dbo.${source.table.name}'.`);
    await this.maybeSlow(table.name, signal);
    const top = statement.top ? this.integer(statement.top, params, "TOP value") : undefined;
    if (top !== undefined && top < 0n) throw error(1014, "A TOP or FETCH clause contains an invalid value.");
    if (top !== undefined && !statement.orderBy) {
      throw error(50000, "TOP without ORDER BY returns an arbitrary set of rows on SQL Server; the sandbox refuses it.");
    }
    const changes = source.kind === "changes";
    const rowAlias = changes ? source.rowAlias : (source.alias ?? table.name);
    const changeAlias = changes ? source.changesAlias : undefined;
    const isId = (ref: ColumnRef) => ref.name.toLowerCase() === "id" && (!ref.qualifier || [rowAlias, changeAlias].some((a) => a?.toLowerCase() === ref.qualifier!.toLowerCase()));
    if (statement.orderBy && !isId(statement.orderBy)) throw error(50000, "The sandbox orders by ID only.");
    if (statement.after && !isId(statement.after.ref)) throw error(50000, "The sandbox filters on ID > value only.");
    const after = statement.after ? this.integer(statement.after.value, params, "key after which to read") : 0n;
    const columns = statement.items.flatMap((item) => this.output(item.expression, item.alias, table, rowAlias, changeAlias));
    const limit = top === undefined ? Infinity : Number(top);
    const faults = this.options.faults;
    const drop = faults.dropConnection && (!faults.dropConnection.table || faults.dropConnection.table.toLowerCase() === table.name.toLowerCase()) ? faults.dropConnection : undefined;

    let source_rows: Iterable<{ row: SqlValue[] | undefined; change?: ChangeValues }>;
    if (changes) {
      if (!table.changeTracking) throw error(4998, `Change tracking is not enabled on table 'dbo.${table.name}'.`);
      const since = this.value(source.since, params);
      if (since === null) throw error(22106, "The CHANGES clause requires a version; NULL was given.");
      if (typeof since !== "bigint") throw error(206, "CHANGETABLE's version must be a bigint.");
      const list = table.changesSince(since).filter((c) => c.id > after);
      source_rows = (function* () {
        for (const change of list) yield { row: change.operation === "D" ? undefined : table.get(change.id), change };
      })();
    } else {
      source_rows = (function* () {
        for (const row of table.scan(after)) yield { row };
      })();
    }
    const rows = (function* () {
      let produced = 0;
      for (const { row, change } of source_rows) {
        if (produced >= limit) return;
        if (drop && (drop.times ?? 1) > 0) {
          if ((drop.served ?? 0) >= drop.afterRows) {
            drop.times = (drop.times ?? 1) - 1;
            drop.served = 0;
            throw new DropConnection(`dropped after ${drop.afterRows} rows of ${table.name}`);
          }
          drop.served = (drop.served ?? 0) + 1;
        }
        yield columns.map((c) => c.value(row, change));
        produced++;
      }
    })();
    return { kind: "rows", columns, rows };
  }

  /** SELECT without FROM: change-tracking versions and literals. */
  private scalars(statement: SelectStatement, params: Map<string, ParamValue>): { columns: ResultColumn[]; rows: SqlValue[][] } {
    const columns: ResultColumn[] = [];
    const row: SqlValue[] = [];
    for (const { expression: e, alias } of statement.items) {
      if (e.kind === "ct_current_version") {
        columns.push({ name: alias ?? "", type: { name: "bigint" }, nullable: true });
        row.push(this.db.changeTrackingEnabled ? this.db.version : null);
      } else if (e.kind === "ct_min_valid_version") {
        const name = this.value(e.object, params);
        const bare = typeof name === "string" ? name.replace(/[[\]]/g, "").replace(/^dbo\./i, "") : "";
        const table = this.db.tables.get(bare.toLowerCase());
        columns.push({ name: alias ?? "", type: { name: "bigint" }, nullable: true });
        row.push(table?.changeTracking ? table.changeTracking.minValidVersion : null);
      } else if (e.kind === "literal") {
        const v = this.value(e.value, params);
        if (typeof v === "bigint") {
          columns.push({ name: alias ?? "", type: { name: "int" }, nullable: false });
          row.push(Number(v));
        } else {
          columns.push({ name: alias ?? "", type: { name: "nvarchar", length: Math.max(1, (v ?? "").length) }, nullable: v === null });
          row.push(v);
        }
      } else {
        throw error(207, "The sandbox answers columns only with a FROM clause.");
      }
    }
    return { columns, rows: [row] };
  }

  private output(e: Expression, alias: string | undefined, table: SandboxTable, rowAlias: string, changeAlias: string | undefined): OutputColumn[] {
    const changeColumns: Record<string, OutputColumn> = {
      id: { name: "ID", type: { name: "bigint" }, nullable: false, value: (_r, c) => c!.id },
      sys_change_operation: { name: "SYS_CHANGE_OPERATION", type: { name: "nvarchar", length: 1 }, nullable: true, value: (_r, c) => c!.operation },
      sys_change_version: { name: "SYS_CHANGE_VERSION", type: { name: "bigint" }, nullable: true, value: (_r, c) => c!.version },
      sys_change_creation_version: { name: "SYS_CHANGE_CREATION_VERSION", type: { name: "bigint" }, nullable: true, value: (_r, c) => c!.creationVersion },
    };
    const resolve = (ref: ColumnRef): OutputColumn => {
      const qualifier = ref.qualifier?.toLowerCase();
      if (changeAlias && qualifier === changeAlias.toLowerCase()) {
        const c = changeColumns[ref.name.toLowerCase()];
        if (!c) throw error(207, `Invalid column name '${ref.name}'.`);
        return c;
      }
      if (qualifier && qualifier !== rowAlias.toLowerCase()) throw error(4104, `The multi-part identifier "${ref.qualifier}.${ref.name}" could not be bound.`);
      if (changeAlias && !qualifier) throw error(209, `Ambiguous column name '${ref.name}'.`);
      const at = table.columns.findIndex((c) => c.name.toLowerCase() === ref.name.toLowerCase());
      if (at < 0) throw error(207, `Invalid column name '${ref.name}'.`);
      const column = table.columns[at];
      // Columns of the joined row are NULL when the change is a delete.
      return { name: column.name, type: column.type, nullable: column.nullable || Boolean(changeAlias), value: (row) => (row ? row[at] : null) };
    };
    switch (e.kind) {
      case "star": {
        if (e.qualifier && changeAlias && e.qualifier.toLowerCase() === changeAlias.toLowerCase()) return Object.values(changeColumns);
        return table.columns.map((c) => resolve({ qualifier: changeAlias ? rowAlias : undefined, name: c.name }));
      }
      case "column": {
        const c = resolve(e.ref);
        return [{ ...c, name: alias ?? c.name }];
      }
      case "cast": {
        const c = resolve(e.ref);
        const convert = converterFor(c.type, e.style, c.name);
        const fit = fitTo(e.target.length, c.type, c.name);
        return [
          {
            name: alias ?? "",
            type: { name: "nvarchar", length: e.target.length },
            nullable: true,
            value: (row, change) => fit(convert(c.value(row, change))),
          },
        ];
      }
      default:
        throw error(50000, "The sandbox answers CHANGE_TRACKING functions and literals only without a FROM clause.");
    }
  }
}
