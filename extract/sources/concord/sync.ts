/**
 * One ConcordDb table into its raw table, as one load:
 * - no saved cursor: a snapshot, read in keyset pages on ID (never OFFSET);
 * - Change Tracking on and the saved version still valid: the changes since that version
 *   (CHANGETABLE), deletes as tombstones; a version below the table's minimum valid one means
 *   the history is gone, so the table is compared in full again;
 * - otherwise: every row read again and its hash compared with the current version in raw,
 *   which gives inserts, updates (also those that left `Updated` alone), soft deletes (an update
 *   of `Deleted`) and hard deletes. `Updated` is never used as a cursor.
 * Rows land while they are read (COPY fed as the driver parses them, `landStreamed`), with the
 * cursor, in one transaction; a failure on the way lands nothing and leaves the cursor where it was.
 * Rows go from the driver's callback to COPY text without a promise per row: the read pauses
 * only while COPY, or the warehouse state it is compared with, has to catch up.
 */
import { hash } from "node:crypto";
import type pg from "pg";
import { warn } from "../../log.ts";
import type { Contract } from "../../contracts/contracts.ts";
import { readSyncState, recordFailure, type LoadResult } from "../../loader/loader.ts";
import { landStreamed, type RowSink } from "../../loader/stream-load.ts";
import { quoteIdent } from "../../loader/raw-schema.ts";
import { ConcordError, eachRow, queryRows, type ConcordPool } from "./client.ts";
import { findTable, type CatalogTable } from "./catalog.ts";
import { quoteName } from "./columns.ts";
import { DriftError, planTable, type TablePlan } from "./plan.ts";

export const SOURCE = "concord";

/** raw._sync_state cursor of one table. */
export interface TableCursor {
  /** How the last run read the table. */
  mode: "change_tracking" | "compare";
  /** CHANGE_TRACKING_CURRENT_VERSION() read before the last run's rows (when the table is tracked). */
  version?: string;
  /** Successful runs so far; the version number of events found by comparison. */
  run: number;
  synced_at: string;
}

export type Operation = "snapshot" | "insert" | "update" | "delete";

/** Replaces NUL, which PostgreSQL text cannot hold, with U+2400 SYMBOL FOR NULL; the row's _extra names the columns. */
export const NUL_REPLACEMENT = "\u2400";
export const NUL_MARKER = "salesdw:nul_replaced";

export interface SyncOptions {
  pageSize: number;
  progress: boolean;
}

interface SourceRow {
  id: bigint;
  values: (string | null)[];
  extra: Record<string, string> | null;
  hash: string;
}

const MIN_BIGINT = -(2n ** 63n);

/** The warehouse connections of a sync: `client` lands (and holds the table's lock), `reader` reads raw's current state meanwhile. */
export interface WarehouseClients {
  client: pg.Client;
  reader: pg.Client;
}

export async function syncTable(pool: ConcordPool, warehouse: WarehouseClients, catalog: Map<string, CatalogTable>, contract: Contract, options: SyncOptions): Promise<LoadResult> {
  const startedAt = new Date();
  const pgClient = warehouse.client;
  const table = findTable(catalog, contract.entity);
  const origin = `concord:dbo.${table?.name ?? contract.entity}`;
  const fail = async (message: string): Promise<LoadResult> => {
    await recordFailure(pgClient, { contract, origin, fingerprint: "(not read)", bytes: 0, details: { table: table?.name } }, startedAt, message);
    return { status: "failed", origin, rowsLoaded: 0, rowsRejected: 0, message };
  };
  if (!table) return fail(`${origin}: ConcordDb has no table dbo.${contract.entity} (from ${contract.file}); run \`salesdw extract concord --discover\`.`);
  let plan: TablePlan;
  try {
    plan = planTable(table, contract);
  } catch (error) {
    if (error instanceof DriftError) return fail(`${origin}: ${error.message.replace(`dbo.${table.name}: `, "")}`);
    throw error;
  }
  for (const line of plan.warnings) warn(`warning: ${line}`);

  // One sync of a table at a time, whoever runs it: both would compare against the same state.
  const lockKey = `salesdw.concord:${contract.rawTable}`;
  const { rows: lock } = await pgClient.query("select pg_try_advisory_lock(hashtextextended($1, 0)) as got", [lockKey]);
  if (!lock[0].got) {
    warn(`${origin}: another sync of this table is running; waiting for it to finish…`);
    await pgClient.query("select pg_advisory_lock(hashtextextended($1, 0))", [lockKey]);
  }
  try {
    const cursor = await readSyncState<TableCursor>(pgClient, SOURCE, contract.entity);
    let current: string | undefined;
    let minValid: string | undefined;
    if (table.changeTracking) {
      const [versions] = await queryRows<{ current_version: string | null; min_valid_version: string | null }>(
        pool,
        "SELECT CHANGE_TRACKING_CURRENT_VERSION() AS current_version, CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID(@table)) AS min_valid_version",
        [{ name: "table", type: "nvarchar", value: `dbo.${quoteName(table.name)}` }],
      );
      current = versions?.current_version ?? undefined;
      minValid = versions?.min_valid_version ?? undefined;
    }
    const run = (cursor?.run ?? 0) + 1;
    const tracked = current !== undefined && minValid !== undefined;
    let mode: "snapshot" | "changes" | "compare" = !cursor ? "snapshot" : tracked && cursor.version !== undefined ? "changes" : "compare";
    let note = "";
    if (mode === "changes" && BigInt(cursor!.version!) < BigInt(minValid!)) {
      note = `the saved change-tracking version ${cursor!.version} is older than the oldest kept (${minValid}): the history is gone, so the table is compared in full again`;
      warn(`warning: ${origin}: ${note}.`);
      mode = "compare";
    }
    const counts: Record<Operation, number> = { snapshot: 0, insert: 0, update: 0, delete: 0 };
    const details: Record<string, unknown> = {
      table: `dbo.${table.name}`,
      mode,
      change_tracking_version: current ?? null,
      since_version: mode === "changes" ? cursor!.version : null,
      unknown_headers: plan.unknownColumns,
      counts,
      ...(note && { note }),
    };
    const next: TableCursor = { mode: tracked ? "change_tracking" : "compare", version: tracked ? current : undefined, run, synced_at: new Date().toISOString() };
    const eventVersion = tracked ? current! : String(run);
    const read =
      mode === "changes"
        ? (sink: RowSink) => readChanges(pool, plan, BigInt(cursor!.version!), options.pageSize, counts, sink)
        : (sink: RowSink) => readCompared(pool, warehouse.reader, plan, mode === "snapshot" ? "snapshot" : "insert", eventVersion, options.pageSize, counts, sink);
    let result;
    try {
      result = await landStreamed(
        pgClient,
        { contract, origin, details, read, syncState: () => ({ source: SOURCE, entity: contract.entity, cursor: next }) },
        { progress: options.progress },
      );
    } catch (error) {
      if (!(error instanceof ConcordError)) throw error;
      return fail(
        `${origin}: reading from ConcordDb failed (${error.message}); nothing from this table was kept and its cursor did not move. Run the same command again.`,
      );
    }
    return describe(result, result.records, mode, counts, cursor, next);
  } finally {
    await pgClient.query("select pg_advisory_unlock(hashtextextended($1, 0))", [lockKey]).catch(() => undefined);
  }
}

function describe(result: LoadResult, records: number, mode: string, counts: Record<Operation, number>, before: TableCursor | undefined, after: TableCursor): LoadResult {
  if (result.status === "failed") return result;
  const where = after.version !== undefined ? `change-tracking version ${after.version}` : `comparison run ${after.run}`;
  if (records === 0) {
    const what = mode === "snapshot" ? "the table is empty" : mode === "changes" ? `no changes since version ${before?.version}` : "no changes";
    return { ...result, status: "skipped", message: `${result.origin}: ${what}; cursor at ${where}.` };
  }
  const parts = (Object.entries(counts) as [Operation, number][]).filter(([, n]) => n).map(([op, n]) => `${n} ${op}`);
  const how = mode === "snapshot" ? `a snapshot of ${records} rows` : `${mode === "changes" ? "changes from change tracking" : "compared with raw"}: ${parts.join(", ")}`;
  return { ...result, message: `${result.message.replace(/\.$/, "")} (${how}; cursor at ${where}).` };
}

/** Text values of one source row in contract order, its `_extra`, and its hash. */
function shapeRow(plan: TablePlan, row: unknown[], offset: number): SourceRow {
  const values: (string | null)[] = new Array(plan.contract.columns.length).fill(null);
  let extra: Record<string, string> | null = null;
  let nulColumns: string[] | undefined;
  const columns = plan.columns;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i];
    let text = column.reader.text(row[offset + i]);
    if (text !== null && text.includes("\u0000")) {
      text = text.replaceAll("\u0000", NUL_REPLACEMENT);
      (nulColumns ??= []).push(column.target.kind === "contract" ? column.target.name : column.target.key);
    }
    if (column.target.kind === "contract") values[column.target.index] = text;
    else if (text !== null) (extra ??= {})[column.target.key] = text;
  }
  if (nulColumns) (extra ??= {})[NUL_MARKER] = nulColumns.join(",");
  const id = BigInt(values[plan.keyIndex]!);
  const rowHash = hashRow(values, extra, plan);
  values[plan.sync.rowHash] = rowHash;
  return { id, values, extra, hash: rowHash };
}

/** The hash of a row's values (sync columns left out) and its `_extra`: equal hashes, equal rows. */
function hashRow(values: (string | null)[], extra: Record<string, string> | null, plan: TablePlan): string {
  const data = values.filter((_, i) => i !== plan.sync.operation && i !== plan.sync.version && i !== plan.sync.rowHash);
  const sortedExtra = extra ? Object.fromEntries(Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : 1))) : null;
  return hash("sha256", JSON.stringify([data, sortedExtra])).slice(0, 32);
}

/** A source row as an event of the load (its values array is reused: a shaped row is landed once). */
function landEvent(sink: RowSink, plan: TablePlan, row: SourceRow, operation: Operation, version: string): void | Promise<void> {
  row.values[plan.sync.operation] = operation;
  row.values[plan.sync.version] = version;
  return sink.row(row.values, row.extra, row.values[plan.keyIndex]!);
}

function landTombstone(sink: RowSink, plan: TablePlan, id: bigint, version: string): void | Promise<void> {
  const values: (string | null)[] = new Array(plan.contract.columns.length).fill(null);
  values[plan.keyIndex] = id.toString();
  values[plan.sync.operation] = "delete";
  values[plan.sync.version] = version;
  return sink.row(values, null, id.toString());
}

/**
 * Every row of the table in key order, in keyset pages (SELECT TOP (@n) … WHERE ID > @after
 * ORDER BY ID), each handed to `onRow` as the driver parses it.
 */
async function readAll(pool: ConcordPool, plan: TablePlan, pageSize: number, onRow: (row: SourceRow) => void | Promise<void>): Promise<void> {
  const key = quoteName(plan.table.primaryKey[0]);
  const statement = `SELECT TOP (@n) ${plan.columns.map((c) => c.reader.select()).join(", ")} FROM [dbo].${quoteName(plan.table.name)} WHERE ${key} > @after ORDER BY ${key}`;
  let after = MIN_BIGINT;
  for (;;) {
    const rows = await eachRow(pool, statement, [
      { name: "n", type: "int", value: pageSize },
      { name: "after", type: "bigint", value: after },
    ], (row) => {
      const shaped = shapeRow(plan, row, 0);
      if (shaped.id <= after) throw new ConcordError(`dbo.${plan.table.name} returned key ${shaped.id} after ${after}: keys out of order`);
      after = shaped.id;
      return onRow(shaped);
    });
    if (rows < pageSize) return;
  }
}

/**
 * The current version of each key in raw (deleted keys left out), in key order, through a
 * cursor in batches, on a connection of its own (the other one is busy with the COPY).
 * `current` is the row at hand; `fetch()` is needed whenever `needsFetch` says so.
 */
class WarehouseState {
  private rows: { id: string; hash: string | null }[] = [];
  private at = 0;
  private ended = false;
  private open = false;

  private constructor(
    private readonly client: pg.Client,
    private readonly plan: TablePlan,
  ) {}

  static async start(client: pg.Client, plan: TablePlan): Promise<WarehouseState> {
    const state = new WarehouseState(client, plan);
    const { rows: present } = await client.query("select to_regclass($1) is not null as present", [`raw.${plan.contract.rawTable}`]);
    if (!present[0].present) {
      state.ended = true;
      return state;
    }
    const c = plan.contract.columns;
    const id = quoteIdent(c[plan.keyIndex].name);
    const hash = quoteIdent(c[plan.sync.rowHash].name);
    const op = quoteIdent(c[plan.sync.operation].name);
    await client.query("begin isolation level repeatable read read only");
    state.open = true;
    await client.query(
      `declare concord_state no scroll cursor for
       select id, hash from (
         select distinct on (${id}::numeric) ${id} as id, ${hash} as hash, ${op} as op
         from raw.${quoteIdent(plan.contract.rawTable)}
         order by ${id}::numeric, _load_id desc
       ) latest where op is distinct from 'delete' order by id::numeric`,
    );
    await state.fetch();
    return state;
  }

  get needsFetch(): boolean {
    return !this.ended && this.at >= this.rows.length;
  }

  /** The row at hand, or undefined when every row was read (check `needsFetch` first). */
  get current(): { id: bigint; hash: string | null } | undefined {
    const row = this.rows[this.at];
    return row && { id: BigInt(row.id), hash: row.hash };
  }

  advance(): void {
    this.at++;
  }

  async fetch(): Promise<void> {
    const { rows } = await this.client.query("fetch forward 5000 from concord_state");
    this.rows = rows;
    this.at = 0;
    if (!rows.length) this.ended = true;
  }

  async close(ok: boolean): Promise<void> {
    if (this.open) await this.client.query(ok ? "commit" : "rollback").catch(() => undefined);
    this.open = false;
  }
}

/**
 * Every source row against the current state in raw, both in key order (a merge, so memory
 * stays flat): new keys are inserts (or the snapshot), changed hashes updates, keys gone deletes.
 */
async function readCompared(
  pool: ConcordPool,
  reader: pg.Client,
  plan: TablePlan,
  newRow: "snapshot" | "insert",
  version: string,
  pageSize: number,
  counts: Record<Operation, number>,
  sink: RowSink,
): Promise<void> {
  const held = await WarehouseState.start(reader, plan);
  let ok = false;
  // Lands what comes before the source row `s` in the merge, then `s` itself. Synchronous but
  // for the rare moments when the held state needs its next batch or COPY has to catch up.
  const merge = (s: SourceRow): void | Promise<void> => {
    for (;;) {
      if (held.needsFetch) return held.fetch().then(() => merge(s));
      const h = held.current;
      if (h && h.id < s.id) {
        counts.delete++;
        held.advance();
        const waiting = landTombstone(sink, plan, h.id, version);
        if (waiting) return waiting.then(() => merge(s));
        continue;
      }
      if (h && h.id === s.id) {
        held.advance();
        if (s.hash === h.hash) return;
        counts.update++;
        return landEvent(sink, plan, s, "update", version);
      }
      counts[newRow]++;
      return landEvent(sink, plan, s, newRow, version);
    }
  };
  try {
    await readAll(pool, plan, pageSize, merge);
    // Keys still held after the last source row are gone from the source.
    for (;;) {
      if (held.needsFetch) await held.fetch();
      const h = held.current;
      if (!h) break;
      counts.delete++;
      held.advance();
      await landTombstone(sink, plan, h.id, version);
    }
    ok = true;
  } finally {
    await held.close(ok);
  }
}

/** CHANGETABLE(CHANGES …, @since) joined to the table's current rows, in pages on the key. */
async function readChanges(pool: ConcordPool, plan: TablePlan, since: bigint, pageSize: number, counts: Record<Operation, number>, sink: RowSink): Promise<void> {
  const key = quoteName(plan.table.primaryKey[0]);
  const table = `[dbo].${quoteName(plan.table.name)}`;
  const columns = plan.columns.slice(1).map((c) => c.reader.select("T"));
  const statement =
    `SELECT TOP (@n) CT.${key} AS ${key}, CT.SYS_CHANGE_OPERATION AS [SYS_CHANGE_OPERATION], CT.SYS_CHANGE_VERSION AS [SYS_CHANGE_VERSION], ` +
    `T.${key} AS [salesdw_row_key]${columns.length ? ", " + columns.join(", ") : ""} ` +
    `FROM CHANGETABLE(CHANGES ${table}, @since) AS CT LEFT JOIN ${table} AS T ON T.${key} = CT.${key} ` +
    `WHERE CT.${key} > @after ORDER BY CT.${key}`;
  let after = MIN_BIGINT;
  for (;;) {
    const rows = await eachRow(pool, statement, [
      { name: "n", type: "int", value: pageSize },
      { name: "since", type: "bigint", value: since },
      { name: "after", type: "bigint", value: after },
    ], (row) => {
      const id = BigInt(String(row[0]));
      after = id;
      const operation = String(row[1]);
      const version = String(row[2]);
      // A delete, or a change to a row deleted since: a tombstone.
      if (operation === "D" || row[3] === null) {
        counts.delete++;
        return landTombstone(sink, plan, id, version);
      }
      // Same layout as a snapshot row: the key, then the other columns.
      const shaped = shapeRow(plan, [row[0], ...row.slice(4)], 0);
      const op: Operation = operation === "I" ? "insert" : "update";
      counts[op]++;
      return landEvent(sink, plan, shaped, op, version);
    });
    if (rows < pageSize) return;
  }
}
