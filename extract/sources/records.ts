/**
 * Batches for API and database sources. A source yields records (one entity at a time); they
 * are spooled to a temporary file while their sha256 is computed, so that the batch has a
 * fingerprint before it lands (the same data fetched again is a no-op, as for files) and memory
 * stays flat however many records there are. NDJSON, because a JSON line never holds a raw
 * newline, so the spool reads back line by line whatever the values contain.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Contract } from "../contracts/contracts.ts";
import { encodeRecords, type LandedRecord, type RejectedRecord, type SourceBatch, type SyncState } from "./source.ts";

export interface RecordBatchSpec {
  contract: Contract;
  /** What the batch came from, for the ledger and messages: `xero:/Invoices`, `concord:dbo.Client`… */
  origin: string;
  details?: Record<string, unknown>;
  warnings?: string[];
  records: AsyncIterable<LandedRecord | RejectedRecord>;
  /**
   * The cursor to store with the data, worked out after the records were read (e.g. the highest
   * UpdatedDateUTC seen). Written in the same transaction as the rows.
   */
  syncState?: () => SyncState | undefined;
}

export interface SpooledBatch extends SourceBatch {
  /** Records in the batch (rows and rejects). */
  records: number;
  /** Removes the spool file; call when the batch has landed (or failed). */
  dispose(): Promise<void>;
}

export async function spoolRecords(spec: RecordBatchSpec): Promise<SpooledBatch> {
  const dir = await mkdtemp(path.join(tmpdir(), "salesdw-records-"));
  const file = path.join(dir, "records.ndjson");
  const out = createWriteStream(file);
  const hash = createHash("sha256").update(`${spec.contract.rawTable}\n`);
  let records = 0;
  let bytes = 0;
  try {
    for await (const record of spec.records) {
      const line = JSON.stringify(record) + "\n";
      hash.update(line);
      bytes += Buffer.byteLength(line);
      records++;
      if (!out.write(line)) await once(out, "drain");
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  const encoded = encodeRecords(spec.contract, async function* () {
    const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield JSON.parse(line) as LandedRecord | RejectedRecord;
  });
  return {
    contract: spec.contract,
    origin: spec.origin,
    fingerprint: hash.digest("hex"),
    bytes,
    details: spec.details ?? {},
    warnings: spec.warnings ?? [],
    syncState: spec.syncState?.(),
    records,
    ...encoded,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
