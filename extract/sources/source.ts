/**
 * What every source yields and the one loader lands: a batch (one file, one API page set,
 * one table) of records mapped to a contract's columns, or rejects kept verbatim.
 */
import type { Contract } from "../contracts/contracts.ts";
import { UserError } from "../config.ts";

export interface LandedRecord {
  kind: "row";
  /** Line number in the file, or the source's own key for APIs and tables. */
  sourceRow: string;
  /** One value per contract column, in contract order; null where the source has no such column. */
  values: (string | null)[];
  /** Columns the contract does not know, kept so nothing is lost. */
  extra: Record<string, string> | null;
}

export interface RejectedRecord {
  kind: "reject";
  sourceRow: string;
  /** The record as received, as far as it could be decoded. */
  raw: string;
  reason: string;
}

export type SourceRecord = LandedRecord | RejectedRecord;

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
  records(): AsyncIterable<SourceRecord>;
}

/** The batch cannot be used at all (missing header, undecodable file); nothing of it is loaded. */
export class LoadRefused extends UserError {}
