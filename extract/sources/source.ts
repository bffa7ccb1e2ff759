/**
 * What every source hands the one loader: a batch (one file, one API page set, one table)
 * as CSV lines ready for PostgreSQL's COPY, plus the records it could not use, kept verbatim.
 * File sources pass their own lines through (COPY parses them); API and database sources
 * yield records and `encodeRecords` writes the lines.
 */
import type { Contract } from "../contracts/contracts.ts";
import { UserError } from "../config.ts";
import { quoteField } from "./csv-scan.ts";

export interface LandedRecord {
  kind: "row";
  /** The source's own key for the record (line number for files). */
  sourceRow: string;
  /** One value per contract column, in contract order; null where the source has no value. */
  values: (string | null)[];
  /** Fields the contract does not know, kept so nothing is lost. */
  extra: Record<string, string> | null;
}

export interface RejectedRecord {
  kind: "reject";
  sourceRow: string;
  /** The record as received, as far as it could be decoded. */
  raw: string;
  reason: string;
}

/** Something about one record that did not stop it from landing (a padded short row), kept for dq. */
export interface RowNote {
  kind: "note";
  note: "short_row" | "trimmed_row";
  sourceRow: string;
  detail: string;
}

/** Complete CSV lines for COPY; each ends with `<delimiter><load id><delimiter><source row>\n`. */
export interface CopyChunk {
  kind: "rows";
  /** UTF-8 bytes (the file byte path) or text. */
  text: string | Buffer;
  rows: number;
}

export interface SourceBatch {
  contract: Contract;
  /** What the batch came from, for the ledger and messages: a file name, an endpoint, a table. */
  origin: string;
  /** Identifies the exact content (sha256 for files): the same content twice is loaded once. */
  fingerprint: string;
  bytes?: number;
  /** Facts about the batch recorded in the ledger (encoding, delimiter, header mapping…). */
  details: Record<string, unknown>;
  /** Things a person should know that do not stop the load (schema drift). */
  warnings: string[];
  /** Raw-table columns in the order each CSV line gives them (before _load_id and _source_row; _loaded_at is the load's now()). */
  columns: string[];
  delimiter: string;
  /** Columns where an empty unquoted field means '' rather than NULL (files keep values verbatim). */
  forceNotNull: string[];
  chunks(loadId: number): AsyncIterable<CopyChunk | RejectedRecord | RowNote>;
  /** A cursor the loader writes to raw._sync_state in the same transaction as the rows. */
  syncState?: SyncState;
}

/** One source entity's incremental cursor (raw._sync_state), e.g. `{ source: "xero", entity: "invoices", cursor: { updated_since: "…" } }`. */
export interface SyncState {
  source: string;
  entity: string;
  cursor: unknown;
}

/** The batch cannot be used at all (missing header, undecodable file); nothing of it is loaded. */
export class LoadRefused extends UserError {
  /** What was read before refusing, for the ledger's failed row. */
  content?: { fingerprint: string; bytes: number };
}

/** The warehouse went away mid-load: the transaction is gone, and so is any chance to record it. */
export class WarehouseConnectionLost extends UserError {}

const CHUNK_CHARS = 1 << 20;

/** For record-yielding sources: the columns and CSV lines the loader needs. */
export function encodeRecords(
  contract: Contract,
  records: () => AsyncIterable<LandedRecord | RejectedRecord>,
): Pick<SourceBatch, "columns" | "delimiter" | "forceNotNull" | "chunks"> {
  return {
    columns: [...contract.columns.map((c) => c.name), "_extra"],
    delimiter: ",",
    forceNotNull: [],
    async *chunks(loadId) {
      let text = "";
      let rows = 0;
      for await (const record of records()) {
        if (record.kind === "reject") {
          yield record;
          continue;
        }
        for (const value of record.values) text += (value === null ? "" : quoteField(value)) + ",";
        text += `${record.extra ? quoteField(JSON.stringify(record.extra)) : ""},${loadId},${quoteField(record.sourceRow)}\n`;
        rows++;
        if (text.length >= CHUNK_CHARS) {
          yield { kind: "rows", text, rows };
          text = "";
          rows = 0;
        }
      }
      if (rows) yield { kind: "rows", text, rows };
    },
  };
}
