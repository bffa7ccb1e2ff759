/**
 * The one loader: streams any source batch into its raw table with COPY, in a single
 * transaction together with its ledger row and its rejects. The same content twice is a
 * no-op (sha256 in raw._loads); two loaders of the same content serialise on an advisory lock.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Contract } from "../contracts/contracts.ts";
import { Progress, redact } from "../log.ts";
import { LoadRefused, WarehouseConnectionLost, type SourceBatch } from "../sources/source.ts";
import { ensureRawTables, quoteIdent } from "./raw-schema.ts";
import { quoteField } from "../sources/csv-scan.ts";

/** A refused file whose entity could not be told (a header no contract fits): it gets a ledger row, no raw table. */
export type LedgerOnly = Pick<Contract, "source" | "entity" | "rawTable">;

export type LoadStatus = "loaded" | "skipped" | "failed";

export interface LoadResult {
  status: LoadStatus;
  origin: string;
  loadId?: number;
  rowsLoaded: number;
  rowsRejected: number;
  message: string;
}

/** Lands one batch. Refusals and load errors are returned as a failed result, not thrown. */
export async function landBatch(client: pg.Client, batch: SourceBatch, options: { progress?: boolean } = {}): Promise<LoadResult> {
  const { contract, origin } = batch;
  const startedAt = new Date();
  await ensureRawTables(client, contract);
  const spool = await mkdtemp(path.join(tmpdir(), "salesdw-rejects-"));
  try {
    await client.query("begin");
    const lockKey = `salesdw.load:${contract.rawTable}:${batch.fingerprint}`;
    const { rows: lock } = await client.query("select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as got", [lockKey]);
    if (!lock[0].got) {
      process.stderr.write(`${origin}: another load of the same content is running; waiting for it to finish…\n`);
      await client.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [lockKey]);
    }
    const earlier = await earlierLoad(client, contract.rawTable, batch.fingerprint, origin);
    if (earlier) {
      // The same data is already there, so the cursor that came with it is safe to store.
      await writeSyncState(client, batch);
      await client.query("commit");
      return { status: "skipped", origin, loadId: earlier.loadId, rowsLoaded: 0, rowsRejected: 0, message: earlier.message };
    }
    const { rows: ledger } = await client.query(
      `insert into raw._loads (source, entity, raw_table, file_name, sha256, bytes, status, details, started_at)
       values ($1, $2, $3, $4, $5, $6, 'loaded', $7, $8) returning load_id`,
      [contract.source, contract.entity, contract.rawTable, origin, batch.fingerprint, batch.bytes ?? null, batch.details, startedAt],
    );
    const loadId = Number(ledger[0].load_id);
    const counts = await copyRecords(client, batch, loadId, path.join(spool, "rejects.tsv"), options.progress ?? false);
    await client.query(
      "update raw._loads set rows_loaded = $2, rows_rejected = $3, rows_trimmed = $4, rows_padded = $5, finished_at = clock_timestamp() where load_id = $1",
      [loadId, counts.rows, counts.rejects, counts.trimmed, counts.padded],
    );
    await writeSyncState(client, batch);
    await client.query("commit");
    const rejected = counts.rejects ? `, ${counts.rejects} rejected (see raw._rejects where load_id = ${loadId}; first: ${counts.firstReject})` : "";
    const ragged = [
      counts.trimmed ? `${counts.trimmed} with empty trailing fields trimmed` : "",
      counts.padded ? `${counts.padded} short rows padded (see raw._row_notes)` : "",
    ].filter(Boolean);
    return {
      status: "loaded",
      origin,
      loadId,
      rowsLoaded: counts.rows,
      rowsRejected: counts.rejects,
      message: `${origin}: loaded ${counts.rows} rows into raw.${contract.rawTable} as load ${loadId}${ragged.length ? ` (${ragged.join(", ")})` : ""}${rejected}.`,
    };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    if (!(error instanceof LoadRefused) && isConnectionLoss(error)) {
      throw new WarehouseConnectionLost(
        `${origin}: the warehouse connection was lost during the load (${redact((error as Error).message)}); ` +
          `nothing from this file was kept. Check that the warehouse is running and run the same command again.`,
      );
    }
    const message = error instanceof LoadRefused ? error.message : `${origin}: load failed: ${redact((error as Error).message)}`;
    await recordFailure(client, batch, startedAt, message);
    return { status: "failed", origin, rowsLoaded: 0, rowsRejected: 0, message };
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

/** Bytes of COPY data the source may run ahead of PostgreSQL (bounded, so memory stays flat). */
const COPY_BUFFER_BYTES = 16 << 20;

/** Streams the batch's lines into the raw table; rejects are spooled to a file and copied after (one COPY at a time per connection). */
async function copyRecords(client: pg.Client, batch: SourceBatch, loadId: number, spoolFile: string, showProgress: boolean) {
  const { contract } = batch;
  // _loaded_at is left to its default, now(): the same for every row of the load, and cheaper than sending it.
  const columns = [...batch.columns, "_load_id", "_source_row"].map(quoteIdent).join(", ");
  const options = [
    "format csv",
    `delimiter ${literal(batch.delimiter)}`,
    ...(batch.forceNotNull.length ? [`force_not_null (${batch.forceNotNull.map(quoteIdent).join(", ")})`] : []),
  ].join(", ");
  const rejects = createWriteStream(spoolFile);
  const counts = { rows: 0, rejects: 0, firstReject: "", trimmed: 0, padded: 0 };
  const notes = createWriteStream(`${spoolFile}.notes`);
  const progress = showProgress ? new Progress(batch.origin) : undefined;
  const rejectPrefix = `${loadId},${quoteField(contract.rawTable)},${quoteField(batch.origin)},`;

  async function* lines(): AsyncGenerator<string | Buffer> {
    for await (const chunk of batch.chunks(loadId)) {
      if (chunk.kind === "rows") {
        counts.rows += chunk.rows;
        progress?.update(counts.rows);
        yield chunk.text;
        continue;
      }
      if (chunk.kind === "note") {
        if (chunk.note === "trimmed_row") counts.trimmed++;
        else {
          counts.padded++;
          if (!notes.write(`${loadId},${quoteField(contract.rawTable)},${quoteField(chunk.sourceRow)},${quoteField(chunk.note)},${quoteField(chunk.detail)}\n`)) await once(notes, "drain");
        }
        continue;
      }
      counts.rejects++;
      counts.firstReject ||= chunk.reason;
      const line = `${rejectPrefix}${quoteField(chunk.sourceRow)},${quoteField(chunk.reason)},${quoteField(chunk.raw)}\n`;
      if (!rejects.write(line)) await once(rejects, "drain");
    }
  }

  try {
    // A deep buffer between the source and the socket lets the source prepare the next lines while
    // PostgreSQL parses the previous ones (the 16 kB default makes them take turns: one core idle).
    const copy = copyFrom(`copy raw.${quoteIdent(contract.rawTable)} (${columns}) from stdin (${options})`, { highWaterMark: COPY_BUFFER_BYTES });
    await pipeline(Readable.from(lines()), client.query(copy));
  } finally {
    progress?.done();
    rejects.end();
    notes.end();
    await Promise.all([once(rejects, "close"), once(notes, "close")]);
  }
  if (counts.padded) {
    await pipeline(
      createReadStream(`${spoolFile}.notes`),
      client.query(copyFrom("copy raw._row_notes (load_id, raw_table, source_row, note, detail) from stdin (format csv)")),
    );
  }
  if (counts.rejects) {
    await pipeline(
      createReadStream(spoolFile),
      client.query(copyFrom("copy raw._rejects (load_id, raw_table, file_name, source_row, reason, raw_record) from stdin (format csv)")),
    );
  }
  return counts;
}

/** The batch's cursor, inside the load's transaction: it never moves past data that did not land. */
export async function writeSyncState(client: pg.Client, batch: Pick<SourceBatch, "syncState">): Promise<void> {
  if (!batch.syncState) return;
  const { source, entity, cursor } = batch.syncState;
  await client.query(
    `insert into raw._sync_state (source, entity, cursor, updated_at) values ($1, $2, $3, clock_timestamp())
     on conflict (source, entity) do update set cursor = excluded.cursor, updated_at = excluded.updated_at`,
    [source, entity, JSON.stringify(cursor)],
  );
}

/** Reads a cursor written by an earlier load (undefined on the first run). */
export async function readSyncState<T = unknown>(client: pg.Client, source: string, entity: string): Promise<T | undefined> {
  const { rows: present } = await client.query("select to_regclass('raw._sync_state') is not null as present");
  if (!present[0].present) return undefined;
  const { rows } = await client.query("select cursor from raw._sync_state where source = $1 and entity = $2", [source, entity]);
  return rows[0]?.cursor as T | undefined;
}

/** A one-character SQL string literal for COPY options (the delimiter). */
function literal(value: string): string {
  if (!/^[,;\t|]$/.test(value)) throw new Error(`Unsupported CSV delimiter ${JSON.stringify(value)}`);
  return value === "\t" ? "E'\\t'" : `'${value}'`;
}

/** A failed load leaves one ledger row saying why, in its own transaction (the load itself was rolled back). */
export async function recordFailure(
  client: pg.Client,
  failure: Pick<SourceBatch, "origin" | "fingerprint" | "bytes" | "details"> & { contract: Contract | LedgerOnly },
  startedAt: Date,
  message: string,
): Promise<void> {
  const { contract } = failure;
  // A file refused before any load still gets its ledger row (and, when its entity is known, its raw table).
  await ensureRawTables(client, ...("columns" in contract ? [contract] : []));
  await client
    .query(
      `insert into raw._loads (source, entity, raw_table, file_name, sha256, bytes, status, message, details, started_at, finished_at)
       values ($1, $2, $3, $4, $5, $6, 'failed', $7, $8, $9, clock_timestamp())`,
      [contract.source, contract.entity, contract.rawTable, failure.origin, failure.fingerprint, failure.bytes ?? null, message, failure.details, startedAt],
    )
    .catch(() => undefined);
}

export function isConnectionLoss(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (
    ["ECONNRESET", "ECONNREFUSED", "EPIPE", "57P01", "57P02", "57P03", "08006", "08003"].includes(code ?? "") ||
    /Connection terminated|connection.*closed|terminating connection/i.test(message ?? "")
  );
}

/** The earlier successful load of the same content (same raw table and sha256), in the words the user sees; undefined when there is none. */
export async function earlierLoad(client: pg.ClientBase, rawTable: string, fingerprint: string, origin: string): Promise<{ loadId: number; message: string } | undefined> {
  const { rows } = await client.query("select load_id, finished_at from raw._loads where raw_table = $1 and sha256 = $2 and status = 'loaded'", [rawTable, fingerprint]);
  if (!rows.length) return undefined;
  const when = (rows[0].finished_at as Date).toISOString().slice(0, 19).replace("T", " ");
  return { loadId: Number(rows[0].load_id), message: `${origin}: already loaded (load ${rows[0].load_id} at ${when} UTC, same sha256); nothing to do.` };
}
