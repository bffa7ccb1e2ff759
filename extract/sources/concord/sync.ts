/**
 * One ConcordDb table into its raw table, as one load:
 * - no saved cursor: a snapshot, read in keyset pages on ID (never OFFSET);
 * - Change Tracking on and the saved version still valid: the changes since that version
 *   (CHANGETABLE), deletes as tombstones; a version below the table's minimum valid one means
 *   the history is gone, so the table is compared in full again;
 * - otherwise: every row read again and its hash compared with the current version in raw,
 *   which gives inserts, updates (also those that left `Updated` alone), soft deletes (an update
 *   of `Deleted`) and hard deletes. `Updated` is never used as a cursor.
 * Rows are spooled while read, then landed with the cursor in one transaction; a failure on
 * the way lands nothing and leaves the cursor where it was.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { Progress, warn } from "../../log.ts";
import type { Contract } from "../../contracts/contracts.ts";
import { landBatch, readSyncState, recordFailure, type LoadResult } from "../../loader/loader.ts";
import { quoteIdent } from "../../loader/raw-schema.ts";
import { spoolRecords } from "../records.ts";
import type { LandedRecord } from "../source.ts";
import { ConcordError, queryRows, streamRows, type ConcordPool } from "./client.ts";
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

export async function syncTable(pool: ConcordPool, pgClient: pg.Client, catalog: Map<string, CatalogTable>, contract: Contract, options: SyncOptions): Promise<LoadResult> {
  const startedAt = new Date();
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
    const progress = options.progress ? new Progress(`${origin} (reading)`) : undefined;
    let read = 0;
    const onRead = () => progress?.update(++read);

    const records =
      mode === "changes"
        ? changeRecords(pool, plan, BigInt(cursor!.version!), options.pageSize, counts, onRead)
        : compareRecords(pool, pgClient, plan, mode === "snapshot" ? "snapshot" : "insert", eventVersion, options.pageSize, counts, onRead);
    let batch;
    try {
      batch = await spoolRecords({
        contract,
        origin,
        details,
        warnings: plan.warnings,
        records,
        syncState: () => ({ source: SOURCE, entity: contract.entity, cursor: next }),
      });
    } catch (error) {
      progress?.done();
      if (!(error instanceof ConcordError)) throw error;
      return fail(
        `${origin}: reading from ConcordDb failed (${error.message}); nothing from this table was kept and its cursor did not move. Run the same command again.`,
      );
    }
    progress?.done();
    try {
      const result = await landBatch(pgClient, batch, { progress: options.progress });
      return describe(result, batch.records, mode, counts, cursor, next);
    } finally {
      await batch.dispose();
    }
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
  const nulColumns: string[] = [];
  plan.columns.forEach((column, i) => {
    let text = column.reader.text(row[offset + i]);
    if (text !== null && text.includes("\u0000")) {
      text = text.replaceAll("\u0000", NUL_REPLACEMENT);
      nulColumns.push(column.target.kind === "contract" ? column.target.name : column.target.key);
    }
    if (column.target.kind === "contract") values[column.target.index] = text;
    else if (text !== null) (extra ??= {})[column.target.key] = text;
  });
  if (nulColumns.length) (extra ??= {})[NUL_MARKER] = nulColumns.join(",");
  const id = BigInt(values[plan.keyIndex]!);
  values[plan.sync.rowHash] = rowHash(values, extra, plan);
  return { id, values, extra, hash: values[plan.sync.rowHash]! };
}

/** The hash of a row's values (sync columns left out) and its `_extra`: equal hashes, equal rows. */
function rowHash(values: (string | null)[], extra: Record<string, string> | null, plan: TablePlan): string {
  const data = values.filter((_, i) => i !== plan.sync.operation && i !== plan.sync.version && i !== plan.sync.rowHash);
  const sortedExtra = extra ? Object.fromEntries(Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : 1))) : null;
  return createHash("sha256").update(JSON.stringify([data, sortedExtra])).digest("hex").slice(0, 32);
}

function event(plan: TablePlan, row: SourceRow, operation: Operation, version: string): LandedRecord {
  const values = [...row.values];
  values[plan.sync.operation] = operation;
  values[plan.sync.version] = version;
  return { kind: "row", sourceRow: row.id.toString(), values, extra: row.extra };
}

function tombstone(plan: TablePlan, id: bigint, version: string): LandedRecord {
  const values: (string | null)[] = new Array(plan.contract.columns.length).fill(null);
  values[plan.keyIndex] = id.toString();
  values[plan.sync.operation] = "delete";
  values[plan.sync.version] = version;
  return { kind: "row", sourceRow: id.toString(), values, extra: null };
}

/** Every row of the table in key order, in keyset pages: SELECT TOP (@n) … WHERE ID > @after ORDER BY ID. */
async function* readAll(pool: ConcordPool, plan: TablePlan, pageSize: number, onRead: () => void): AsyncGenerator<SourceRow> {
  const key = quoteName(plan.table.primaryKey[0]);
  const statement = `SELECT TOP (@n) ${plan.columns.map((c) => c.reader.select()).join(", ")} FROM [dbo].${quoteName(plan.table.name)} WHERE ${key} > @after ORDER BY ${key}`;
  let after = MIN_BIGINT;
  for (;;) {
    let rows = 0;
    for await (const row of streamRows(pool, statement, [
      { name: "n", type: "int", value: pageSize },
      { name: "after", type: "bigint", value: after },
    ])) {
      const shaped = shapeRow(plan, row, 0);
      if (shaped.id <= after) throw new ConcordError(`dbo.${plan.table.name} returned key ${shaped.id} after ${after}: keys out of order`);
      after = shaped.id;
      rows++;
      onRead();
      yield shaped;
    }
    if (rows < pageSize) return;
  }
}

/** The current version of each key in raw (deleted keys left out), in key order, through a cursor. */
async function* warehouseState(client: pg.Client, plan: TablePlan): AsyncGenerator<{ id: bigint; hash: string | null }> {
  const { rows: present } = await client.query("select to_regclass($1) is not null as present", [`raw.${plan.contract.rawTable}`]);
  if (!present[0].present) return;
  const c = plan.contract.columns;
  const id = quoteIdent(c[plan.keyIndex].name);
  const hash = quoteIdent(c[plan.sync.rowHash].name);
  const op = quoteIdent(c[plan.sync.operation].name);
  await client.query("begin isolation level repeatable read read only");
  let ok = false;
  try {
    await client.query(
      `declare concord_state no scroll cursor for
       select id, hash from (
         select distinct on (${id}::numeric) ${id} as id, ${hash} as hash, ${op} as op
         from raw.${quoteIdent(plan.contract.rawTable)}
         order by ${id}::numeric, _load_id desc
       ) latest where op is distinct from 'delete' order by id::numeric`,
    );
    for (;;) {
      const { rows } = await client.query("fetch forward 5000 from concord_state");
      if (!rows.length) break;
      for (const row of rows) yield { id: BigInt(row.id), hash: row.hash };
    }
    ok = true;
  } finally {
    await client.query(ok ? "commit" : "rollback").catch(() => undefined);
  }
}

/**
 * Every source row against the current state in raw, both in key order (a merge, so memory
 * stays flat): new keys are inserts (or the snapshot), changed hashes updates, keys gone deletes.
 */
async function* compareRecords(
  pool: ConcordPool,
  client: pg.Client,
  plan: TablePlan,
  newRow: "snapshot" | "insert",
  version: string,
  pageSize: number,
  counts: Record<Operation, number>,
  onRead: () => void,
): AsyncGenerator<LandedRecord> {
  const source = readAll(pool, plan, pageSize, onRead);
  const held = warehouseState(client, plan);
  try {
    let s = await source.next();
    let h = await held.next();
    while (!s.done || !h.done) {
      if (!s.done && (h.done || s.value.id < h.value.id)) {
        counts[newRow]++;
        yield event(plan, s.value, newRow, version);
        s = await source.next();
      } else if (!h.done && (s.done || h.value.id < s.value.id)) {
        counts.delete++;
        yield tombstone(plan, h.value.id, version);
        h = await held.next();
      } else if (!s.done && !h.done) {
        if (s.value.hash !== h.value.hash) {
          counts.update++;
          yield event(plan, s.value, "update", version);
        }
        s = await source.next();
        h = await held.next();
      }
    }
  } finally {
    await held.return(undefined);
    await source.return(undefined);
  }
}

/** CHANGETABLE(CHANGES …, @since) joined to the table's current rows, in pages on the key. */
async function* changeRecords(
  pool: ConcordPool,
  plan: TablePlan,
  since: bigint,
  pageSize: number,
  counts: Record<Operation, number>,
  onRead: () => void,
): AsyncGenerator<LandedRecord> {
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
    let rows = 0;
    for await (const row of streamRows(pool, statement, [
      { name: "n", type: "int", value: pageSize },
      { name: "since", type: "bigint", value: since },
      { name: "after", type: "bigint", value: after },
    ])) {
      rows++;
      onRead();
      const id = BigInt(String(row[0]));
      after = id;
      const operation = String(row[1]);
      const version = String(row[2]);
      // A delete, or a change to a row deleted since: a tombstone.
      if (operation === "D" || row[3] === null) {
        counts.delete++;
        yield tombstone(plan, id, version);
        continue;
      }
      // Same layout as a snapshot row: the key, then the other columns.
      const shaped = shapeRow(plan, [row[0], ...row.slice(4)], 0);
      const op: Operation = operation === "I" ? "insert" : "update";
      counts[op]++;
      yield event(plan, shaped, op, version);
    }
    if (rows < pageSize) return;
  }
}

