/**
 * Lands a record source while it is read, for sources too large to spool first (ConcordDb
 * tables): one transaction holds the ledger row, a COPY fed as the rows arrive, and the cursor,
 * so reading and COPY overlap and a crash or a failed read leaves nothing. The source writes
 * rows into a RowSink, which encodes them straight into COPY text, hands COPY big chunks and
 * asks the source to wait while COPY catches up (back-pressure, not a promise per row).
 *
 * The batch's fingerprint (sha256 of the rows landed, load id left out) is only known at the
 * end: when a load of the same raw table already has it, the rows are rolled back and the batch
 * is a no-op, as for a spooled batch (`landBatch`); its cursor is saved either way.
 */
import { createHash, randomUUID, type Hash } from "node:crypto";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type { Writable } from "node:stream";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Contract } from "../contracts/contracts.ts";
import { Progress, redact } from "../log.ts";
import { quoteField } from "../sources/csv-scan.ts";
import { WarehouseConnectionLost, type SyncState } from "../sources/source.ts";
import { earlierLoad, isConnectionLoss, recordFailure, writeSyncState, type LoadResult } from "./loader.ts";
import { ensureRawTables, quoteIdent } from "./raw-schema.ts";

/**
 * COPY text handed over at a time: large enough that per-chunk costs vanish, small enough that
 * the row strings it is built from die young (a megabyte of them outlives minor GCs and costs
 * more in garbage collection than everything else the sink does).
 */
const CHUNK_CHARS = 64 << 10;
/** COPY text queued before the source is asked to wait. */
const COPY_QUEUE_BYTES = 4 << 20;

export interface StreamedBatch {
  contract: Contract;
  /** What the batch comes from, for the ledger and messages: `concord:dbo.Client`. */
  origin: string;
  /** Facts recorded in the ledger; read again at the end, so counts filled in while reading land too. */
  details: Record<string, unknown>;
  /** Reads the source into the sink. A rejection (other than the sink's own) fails the batch, nothing kept, and is re-thrown. */
  read(sink: RowSink): Promise<void>;
  /** The cursor to save with the rows, worked out once they are read. */
  syncState(): SyncState | undefined;
}

export interface StreamedResult extends LoadResult {
  /** Rows and rejects the source wrote (also when the batch was a no-op). */
  records: number;
}

/**
 * Rows as COPY CSV lines (`landBatch`'s layout: contract columns, `_extra`, `_load_id`,
 * `_source_row`), in chunks. `row` returns a promise only while COPY has too much queued:
 * the source should pause until it settles (rows written meanwhile are still kept).
 */
export class RowSink {
  rows = 0;
  bytes = 0;
  private text = "";
  private waiting: Promise<void> | undefined;
  private failure: Error | undefined;
  private aborted = false;
  private readonly progress: Progress | undefined;

  constructor(
    private readonly copy: Writable,
    private readonly hash: Hash,
    loadId: number,
    progressLabel?: string,
  ) {
    this.suffix = `,${loadId},`;
    this.progress = progressLabel ? new Progress(progressLabel) : undefined;
    copy.on("error", (error: Error) => {
      if (!this.aborted) this.failure ??= error;
    });
  }

  private readonly suffix: string;

  /** COPY's own error, if it failed (the source should stop); not set by `abort`. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Records the source could not turn into rows: landed in raw._rejects with the load (few, so kept in memory). */
  readonly rejects: { sourceRow: string; reason: string; raw: string }[] = [];

  reject(sourceRow: string, reason: string, raw: string): void {
    if (this.failure) throw this.failure;
    this.hash.update(`reject ${JSON.stringify([sourceRow, reason, raw])}\n`);
    this.rejects.push({ sourceRow, reason, raw });
  }

  row(values: (string | null)[], extra: Record<string, string> | null, sourceRow: string): void | Promise<void> {
    if (this.failure) throw this.failure;
    let line = "";
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      line += (value === null ? "" : quoteField(value)) + ",";
    }
    if (extra) line += quoteField(JSON.stringify(extra));
    // The fingerprint covers the rows without load id and source row (the key is among the values).
    this.hash.update(line + "\n");
    this.text += line + this.suffix + quoteField(sourceRow) + "\n";
    if (++this.rows % 1024 === 0) this.progress?.update(this.rows);
    if (this.text.length >= CHUNK_CHARS) this.flush();
    return this.waiting;
  }

  private flush(): void {
    if (!this.text) return;
    const chunk = Buffer.from(this.text);
    this.text = "";
    this.bytes += chunk.length;
    const room = this.copy.write(chunk);
    if (!room && !this.waiting) {
      this.waiting = once(this.copy, "drain").then(
        () => void (this.waiting = undefined),
        (error: Error) => {
          this.failure ??= error;
          throw error;
        },
      );
      // The source sees the failure through its next row (or end); never as an unhandled rejection.
      this.waiting.catch(() => undefined);
    }
  }

  /** Sends the last chunk and waits for COPY to finish. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.flush();
    this.copy.end();
    await finished(this.copy);
    this.progress?.done();
  }

  /** Stops COPY (CopyFail) and waits until the connection is free again. */
  async abort(reason: Error): Promise<void> {
    this.progress?.done();
    this.aborted = true;
    if (!this.copy.destroyed) this.copy.destroy(reason);
    await finished(this.copy).catch(() => undefined);
  }
}

/** Lands one streamed batch. Load errors are returned as a failed result; the source's own errors are re-thrown after the rollback. */
export async function landStreamed(
  client: pg.Client,
  batch: StreamedBatch,
  /** `queueBytes`: COPY text queued before the source waits (tests make it tiny to exercise the waiting). */
  options: { progress?: boolean; queueBytes?: number } = {},
): Promise<StreamedResult> {
  const { contract, origin } = batch;
  const startedAt = new Date();
  await ensureRawTables(client, contract);
  const hash = createHash("sha256").update(`${contract.rawTable}\n`);
  let sink: RowSink | undefined;
  try {
    await client.query("begin");
    const { rows: ledger } = await client.query(
      `insert into raw._loads (source, entity, raw_table, file_name, sha256, status, details, started_at)
       values ($1, $2, $3, $4, $5, 'loaded', $6, $7) returning load_id`,
      // A placeholder until the rows are read: unique, so that it never collides with a real fingerprint.
      [contract.source, contract.entity, contract.rawTable, origin, `landing:${randomUUID()}`, batch.details, startedAt],
    );
    const loadId = Number(ledger[0].load_id);
    const columns = [...contract.columns.map((c) => c.name), "_extra", "_load_id", "_source_row"].map(quoteIdent).join(", ");
    const copy = client.query(copyFrom(`copy raw.${quoteIdent(contract.rawTable)} (${columns}) from stdin (format csv)`, { highWaterMark: options.queueBytes ?? COPY_QUEUE_BYTES }));
    sink = new RowSink(copy, hash, loadId, options.progress ? origin : undefined);
    try {
      await batch.read(sink);
      await sink.end();
    } catch (error) {
      await sink.abort(error as Error);
      throw error;
    }
    const fingerprint = hash.digest("hex");
    // Two loads of the same content serialise here, as in landBatch; the second is a no-op.
    await client.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`salesdw.load:${contract.rawTable}:${fingerprint}`]);
    const earlier = await earlierLoad(client, contract.rawTable, fingerprint, origin);
    if (earlier) {
      await client.query("rollback");
      // The same data is already there, so the cursor that came with it is safe to store.
      await client.query("begin");
      await writeSyncState(client, { syncState: batch.syncState() });
      await client.query("commit");
      return { status: "skipped", origin, loadId: earlier.loadId, rowsLoaded: 0, rowsRejected: 0, records: sink.rows + sink.rejects.length, message: earlier.message };
    }
    const rejects = sink.rejects;
    if (rejects.length) {
      await client.query(
        `insert into raw._rejects (load_id, raw_table, file_name, source_row, reason, raw_record)
         select $1, $2, $3, r.source_row, r.reason, r.raw_record from unnest($4::text[], $5::text[], $6::text[]) as r (source_row, reason, raw_record)`,
        [loadId, contract.rawTable, origin, rejects.map((r) => r.sourceRow), rejects.map((r) => r.reason), rejects.map((r) => r.raw)],
      );
    }
    await client.query(
      "update raw._loads set sha256 = $2, bytes = $3, rows_loaded = $4, rows_rejected = $6, details = $5, finished_at = clock_timestamp() where load_id = $1",
      [loadId, fingerprint, sink.bytes, sink.rows, batch.details, rejects.length],
    );
    await writeSyncState(client, { syncState: batch.syncState() });
    await client.query("commit");
    const rejected = rejects.length ? `, ${rejects.length} rejected (see raw._rejects where load_id = ${loadId}; first: ${rejects[0].reason})` : "";
    return {
      status: "loaded",
      origin,
      loadId,
      rowsLoaded: sink.rows,
      rowsRejected: rejects.length,
      records: sink.rows + rejects.length,
      message: `${origin}: loaded ${sink.rows} rows into raw.${contract.rawTable} as load ${loadId}${rejected}.`,
    };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    if (isConnectionLoss(error)) {
      throw new WarehouseConnectionLost(
        `${origin}: the warehouse connection was lost during the load (${redact((error as Error).message)}); ` +
          `nothing from this table was kept. Check that the warehouse is running and run the same command again.`,
      );
    }
    // The source's own failure: its caller says what went wrong (and records it).
    if (!sink?.error) throw error;
    const message = `${origin}: load failed: ${redact(sink.error.message)}`;
    await recordFailure(client, { contract, origin, fingerprint: "(not landed)", bytes: sink.bytes, details: batch.details }, startedAt, message);
    return { status: "failed", origin, rowsLoaded: 0, rowsRejected: 0, records: sink.rows + sink.rejects.length, message };
  }
}
