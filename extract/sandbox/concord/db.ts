/**
 * The sandbox's ConcordDb: the 32 tables with generated base rows, the changes a test makes
 * (inserts, updates that do or do not touch Updated, soft and hard deletes, schema drift), and
 * simulated Change Tracking (one database-wide version counter, per-table change log, a minimum
 * valid version that retention can move past a client's saved version).
 */
import type { ResultColumn, SqlValue } from "../tds/types.ts";
import { formatDatetime2, parseDatetime2 } from "../tds/values.ts";
import { generateRow, idOf, indexOfId, parseSqlType, Random } from "./generate.ts";
import { CONCORD_TABLES, type ColumnSpec, type TableSpec } from "./schema.ts";
import type { DataFileTable, SandboxData } from "./data-file.ts";

export type ChangeOperation = "I" | "U" | "D";

export interface ChangeRow {
  id: bigint;
  operation: ChangeOperation;
  version: bigint;
  creationVersion: bigint | null;
}

interface TrackedChange {
  insertVersion?: bigint;
  lastVersion: bigint;
  lastOperation: ChangeOperation;
}

export interface SandboxColumn extends ResultColumn {
  spec: ColumnSpec;
  /** Where a base row's value comes from: its generated position, or a function of the id for a column added later. */
  source: number | ((id: bigint) => SqlValue);
}

export class SandboxTable {
  readonly columns: SandboxColumn[];
  private overrides = new Map<bigint, SqlValue[] | null>();
  private insertedIds: bigint[] = [];
  private nextId: bigint;
  /** Rows present (sys.dm_db_partition_stats' row_count). */
  size: number;
  changeTracking: { minValidVersion: bigint; log: Map<bigint, TrackedChange> } | undefined;

  constructor(
    readonly spec: TableSpec,
    readonly baseRows: number,
    private db: ConcordDb,
  ) {
    this.columns = spec.columns.map((column, i) => ({
      name: column.name,
      type: parseSqlType(column.type),
      nullable: column.nullable,
      identity: column.name === "ID",
      spec: column,
      source: i,
    }));
    this.nextId = baseRows ? idOf(baseRows) + 1n : 1n;
    this.size = baseRows;
  }

  get name(): string {
    return this.spec.name;
  }

  column(name: string): SandboxColumn | undefined {
    const lower = name.toLowerCase();
    return this.columns.find((c) => c.name.toLowerCase() === lower);
  }

  private baseRow(id: bigint): SqlValue[] | undefined {
    const index = indexOfId(id);
    if (index === undefined || index > this.baseRows) return undefined;
    const generated = generateRow(this.spec, index, this.db);
    return this.columns.map((c) => (typeof c.source === "number" ? generated[c.source] : c.source(id)));
  }

  /** The row with this ID as it stands, or undefined. */
  get(id: bigint): SqlValue[] | undefined {
    if (this.overrides.has(id)) return this.overrides.get(id) ?? undefined;
    return this.baseRow(id);
  }

  /** Rows with ID greater than `after`, in ID order. */
  *scan(after = 0n): Generator<SqlValue[]> {
    let index = Math.max(1, Number(after - after / 10n));
    while (index > 1 && idOf(index - 1) > after) index--;
    for (; index <= this.baseRows; index++) {
      const id = idOf(index);
      if (id <= after) continue;
      const row = this.get(id);
      if (row) yield row;
    }
    for (const id of this.insertedIds) {
      if (id <= after) continue;
      const row = this.get(id);
      if (row) yield row;
    }
  }

  /** Rows currently present. */
  count(): number {
    let n = 0;
    for (const _ of this.scan()) n++;
    return n;
  }

  insert(values: Record<string, SqlValue>): bigint {
    const id = this.nextId++;
    const r = new Random(`${this.name}:insert:${id}`);
    const now = this.db.tick();
    const defaults: Record<string, SqlValue> = {
      ID: id,
      NetUID: [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => r.int(0, 15).toString(16)).join("")).join("-").toUpperCase(),
      Created: now,
      Updated: now,
      Deleted: false,
    };
    const row = this.columns.map((c) => {
      const value = c.name in values ? values[c.name] : defaults[c.name] ?? null;
      if (value === null && !c.nullable) throw new Error(`${this.name}.${c.name} is NOT NULL: give it a value`);
      return value;
    });
    this.overrides.set(id, row);
    this.insertedIds.push(id);
    this.size++;
    this.db.recordChange(this, id, "I");
    return id;
  }

  /** Changes columns of a row. `touchUpdated: false` is the application's UPDATE that leaves Updated alone. */
  update(id: bigint, patch: Record<string, SqlValue>, options: { touchUpdated?: boolean } = {}): void {
    const row = this.get(id);
    if (!row) throw new Error(`${this.name} has no row with ID ${id}`);
    const next = [...row];
    for (const [name, value] of Object.entries(patch)) {
      const at = this.columns.findIndex((c) => c.name === name);
      if (at < 0) throw new Error(`${this.name} has no column ${name}`);
      next[at] = value;
    }
    if (options.touchUpdated ?? true) {
      const at = this.columns.findIndex((c) => c.name === "Updated");
      if (at >= 0) next[at] = this.db.tick();
    }
    this.overrides.set(id, next);
    this.db.recordChange(this, id, "U");
  }

  /** `SET Deleted = 1`, by default without touching Updated (as most of the application's soft deletes do). */
  softDelete(id: bigint, options: { touchUpdated?: boolean } = {}): void {
    this.update(id, { Deleted: true }, { touchUpdated: options.touchUpdated ?? false });
  }

  hardDelete(id: bigint): void {
    if (!this.get(id)) throw new Error(`${this.name} has no row with ID ${id}`);
    this.overrides.set(id, null);
    this.size--;
    this.db.recordChange(this, id, "D");
  }

  /** Schema drift: a new column at the end, its value for every row given by `valueOf`. */
  addColumn(spec: ColumnSpec, valueOf: (id: bigint) => SqlValue = () => null): void {
    this.columns.push({ name: spec.name, type: parseSqlType(spec.type), nullable: spec.nullable, spec, source: valueOf });
    for (const [id, row] of this.overrides) if (row) row.push(valueOf(id));
  }

  /** Schema drift: the catalog reports another type (stored values are not converted). */
  changeColumnType(name: string, type: string): void {
    const column = this.column(name);
    if (!column) throw new Error(`${this.name} has no column ${name}`);
    column.type = parseSqlType(type);
    column.spec = { ...column.spec, type };
  }

  dropColumn(name: string): void {
    const at = this.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    if (at < 0) throw new Error(`${this.name} has no column ${name}`);
    this.columns.splice(at, 1);
    for (const row of this.overrides.values()) row?.splice(at, 1);
  }

  /** Rows read from a data file, in ID order: there from the start (not changes). */
  loadRows(rows: SqlValue[][]): void {
    const at = this.columns.findIndex((c) => c.name === "ID");
    for (const row of rows) {
      const id = row[at] as bigint;
      this.overrides.set(id, row);
      this.insertedIds.push(id);
    }
    this.size += rows.length;
    if (rows.length) this.nextId = (rows[rows.length - 1][at] as bigint) + 1n;
  }

  enableChangeTracking(): void {
    this.changeTracking ??= { minValidVersion: this.db.version, log: new Map() };
  }

  disableChangeTracking(): void {
    this.changeTracking = undefined;
  }

  /** Retention cleanup (or TRUNCATE): history up to now is gone, so older saved versions are no longer valid. */
  expireChangeTracking(): void {
    if (!this.changeTracking) throw new Error(`${this.name} is not change-tracked`);
    this.changeTracking.minValidVersion = this.db.version;
    this.changeTracking.log.clear();
  }

  /** CHANGETABLE(CHANGES …, since): one row per key changed after `since`, in key order. */
  changesSince(since: bigint): ChangeRow[] {
    const tracking = this.changeTracking;
    if (!tracking) throw new Error(`Change tracking is not enabled on table '${this.name}'.`);
    const out: ChangeRow[] = [];
    for (const [id, change] of tracking.log) {
      if (change.lastVersion <= since) continue;
      const inserted = change.insertVersion !== undefined && change.insertVersion > since;
      out.push({
        id,
        operation: change.lastOperation === "D" ? "D" : inserted ? "I" : "U",
        version: change.lastVersion,
        creationVersion: change.insertVersion ?? null,
      });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

export interface ConcordDbOptions {
  /** Rows per table instead of the development database's counts (e.g. `{ ClientBankDetails: 1_000_000 }`). */
  rows?: Record<string, number>;
  /** Fill the sales tables (empty in the development database): N orders and sales, 3N order items, N/10 returns. */
  sales?: number;
  /** Tables with Change Tracking on ("all", "none" or names); default: the client tables and invoice documents. */
  changeTracking?: "all" | "none" | string[];
  /** Serve exactly these tables (a data file: `--data FILE.json`) instead of the generated 32; the options above then do not apply. */
  data?: SandboxData;
}

export const DEFAULT_CHANGE_TRACKED = ["Client", "RetailClient", "OrganizationClient", "ClientAgreement", "SaleInvoiceDocument", "SaleInvoiceNumber", "Sale", "OrderItem"];

export class ConcordDb {
  readonly name = "ConcordDb";
  readonly tables = new Map<string, SandboxTable>();
  /** CHANGE_TRACKING_CURRENT_VERSION(): bumped by every change. */
  version = 1000n;
  private clock = parseDatetime2("2025-11-20 10:00:00.1234567");

  constructor(options: ConcordDbOptions = {}) {
    if (options.data) {
      this.loadData(options.data);
      return;
    }
    const sales = options.sales ?? 0;
    const salesRows: Record<string, number> = sales
      ? { Order: sales, Sale: sales, OrderItem: sales * 3, SaleReturn: Math.floor(sales / 10), SaleReturnItem: Math.floor(sales / 10) }
      : {};
    for (const spec of CONCORD_TABLES) {
      const rows = options.rows?.[spec.name] ?? salesRows[spec.name] ?? spec.rows;
      this.tables.set(spec.name.toLowerCase(), new SandboxTable(spec, rows, this));
    }
    const tracked = options.changeTracking ?? DEFAULT_CHANGE_TRACKED;
    for (const table of this.tables.values()) {
      if (tracked === "all" || (Array.isArray(tracked) && tracked.some((t) => t.toLowerCase() === table.name.toLowerCase()))) {
        table.enableChangeTracking();
      }
    }
  }

  private loadData(data: SandboxData): void {
    const tracked: [SandboxTable, Exclude<DataFileTable["changeTracking"], false>][] = [];
    for (const entry of data.tables) {
      const table = new SandboxTable(entry.spec, 0, this);
      table.loadRows(entry.rows);
      this.tables.set(entry.spec.name.toLowerCase(), table);
      if (entry.changeTracking) tracked.push([table, entry.changeTracking]);
    }
    const versions = tracked.flatMap(([, t]) => [...t.changes.map((c) => c.version), ...(t.minValidVersion === undefined ? [] : [t.minValidVersion])]);
    this.version = data.changeTrackingVersion ?? versions.reduce((max, v) => (v > max ? v : max), this.version);
    for (const [table, tracking] of tracked) {
      table.changeTracking = { minValidVersion: tracking.minValidVersion ?? this.version, log: new Map() };
      for (const change of tracking.changes) {
        table.changeTracking.log.set(change.id, { insertVersion: change.operation === "I" ? change.version : undefined, lastVersion: change.version, lastOperation: change.operation });
      }
    }
  }

  table(name: string): SandboxTable {
    const table = this.tables.get(name.toLowerCase());
    if (!table) throw new Error(`ConcordDb has no table ${name}`);
    return table;
  }

  rowsOf(table: string): number {
    return this.tables.get(table.toLowerCase())?.baseRows ?? 0;
  }

  /** True when change tracking is on for the database (any table tracked). */
  get changeTrackingEnabled(): boolean {
    return [...this.tables.values()].some((t) => t.changeTracking);
  }

  /** The sandbox's clock for Created/Updated of changes: one second per change, 7 fractional digits. */
  tick(): string {
    this.clock = { days: this.clock.days, ticks: this.clock.ticks + 10_000_000n };
    return formatDatetime2(this.clock);
  }

  recordChange(table: SandboxTable, id: bigint, operation: ChangeOperation): void {
    if (!table.changeTracking) return;
    this.version++;
    const log = table.changeTracking.log;
    const previous = log.get(id);
    log.set(id, {
      insertVersion: operation === "I" ? this.version : previous?.insertVersion,
      lastVersion: this.version,
      lastOperation: operation,
    });
  }
}
