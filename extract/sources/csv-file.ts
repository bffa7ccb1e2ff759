/**
 * A CSV export as a source batch: detects encoding and delimiter, maps headers to the
 * contract (after folding; csv-parse reads the header line), then streams the records to
 * COPY, turning every record COPY could not take into a reject that keeps its text and line.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { parse as parseSync } from "csv-parse/sync";
import iconv from "iconv-lite";
import type { Contract } from "../contracts/contracts.ts";
import { foldText } from "../contracts/fold.ts";
import { decodeFile, iconvName, inspectFile, type FileInspection } from "./encoding.ts";
import { CsvScanner, quoteField, unquoteField, type ScannedRecord } from "./csv-scan.ts";
import { appendJsonValue, ByteChunk, ByteCsvScanner } from "./csv-bytes.ts";
import { LoadRefused, type CopyChunk, type RejectedRecord, type RowNote, type SourceBatch } from "./source.ts";

const DELIMITERS = [",", ";", "\t"] as const;
const HEADER_SAMPLE_BYTES = 4 << 20;

export interface HeaderMapping {
  /** For each contract column, the index of the file column that holds it, or -1. */
  columnSource: number[];
  /** For each file column: the contract column it holds, or null when the contract does not know it. */
  fileColumns: (string | null)[];
  /** For each file column that the contract does not know, the key it gets in `_extra`. */
  extraKeys: (string | null)[];
  unknownHeaders: string[];
}

/** Counts each candidate delimiter outside quotes in the header line; the most frequent wins. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ",";
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/** Matches file headers to contract columns; refuses missing required headers and ambiguous duplicates. */
export function mapHeaders(headers: string[], contract: Contract, fileLabel: string): HeaderMapping {
  const columnSource = contract.columns.map(() => -1);
  const fileColumns: (string | null)[] = [];
  const extraKeys: (string | null)[] = [];
  const unknownHeaders: string[] = [];
  const usedExtraKeys = new Set<string>();
  headers.forEach((header, index) => {
    const column = contract.headerIndex.get(foldText(header));
    if (column) {
      const slot = contract.columns.indexOf(column);
      if (columnSource[slot] !== -1) {
        throw new LoadRefused(
          `${fileLabel}: columns ${columnSource[slot] + 1} ("${headers[columnSource[slot]]}") and ${index + 1} ("${header}") ` +
            `both map to ${column.name}; remove or rename one of them and load the file again.`,
        );
      }
      columnSource[slot] = index;
      fileColumns.push(column.name);
      extraKeys.push(null);
      return;
    }
    let key = header.trim() || `column_${index + 1}`;
    for (let n = 2; usedExtraKeys.has(key); n++) key = `${header.trim()}#${n}`;
    usedExtraKeys.add(key);
    fileColumns.push(null);
    extraKeys.push(key);
    unknownHeaders.push(header);
  });
  const missing = contract.columns.filter((column, slot) => column.required && columnSource[slot] === -1);
  if (missing.length) {
    const list = missing.map((c) => `"${c.headers[0]}" (${c.name})`).join(", ");
    throw new LoadRefused(
      `${fileLabel}: required header${missing.length > 1 ? "s" : ""} ${list} not found; ` +
        `add the column to the export, or add its header as an alias in ${contract.file}.`,
    );
  }
  return { columnSource, fileColumns, extraKeys, unknownHeaders };
}

async function readHeaderSample(file: string, inspection: FileInspection): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(Math.min(HEADER_SAMPLE_BYTES, Math.max(inspection.bytes - inspection.bomLength, 0)));
    await handle.read(buffer, 0, buffer.length, inspection.bomLength);
    return iconv.decode(buffer, iconvName(inspection.encoding), { stripBOM: true });
  } finally {
    await handle.close();
  }
}


/** Opens a CSV export as a batch for the loader. Throws LoadRefused when no row of it can be used. */
export async function openCsvFile(file: string, contract: Contract): Promise<SourceBatch> {
  const inspection = await inspectFile(file);
  try {
    return await batchFor(file, contract, inspection);
  } catch (error) {
    if (error instanceof LoadRefused) error.content ??= { fingerprint: inspection.sha256, bytes: inspection.bytes };
    throw error;
  }
}

async function batchFor(file: string, contract: Contract, inspection: FileInspection): Promise<SourceBatch> {
  const label = path.basename(file);
  if (inspection.bytes - inspection.bomLength === 0) {
    throw new LoadRefused(`${label}: the file is empty; export it again from the source.`);
  }
  const sample = await readHeaderSample(file, inspection);
  // Some exports (Reckon's) begin with empty lines: the header is the first line with text.
  const headerStart = /^(?:[ \t]*\r?\n)*/.exec(sample)![0].length;
  const headerLineNumber = (sample.slice(0, headerStart).match(/\n/g)?.length ?? 0) + 1;
  const rest = sample.slice(headerStart);
  const firstLine = rest.slice(0, (rest.indexOf("\n") + 1 || rest.length + 1) - 1).replace(/\r$/, "");
  if (!firstLine.trim()) throw new LoadRefused(`${label}: the file has no header line (only empty lines); the first line with text must be the header.`);
  if (firstLine.includes("\0")) {
    throw new LoadRefused(`${label}: line ${headerLineNumber} contains NUL bytes, so this is not a text CSV; export it again as CSV (UTF-8).`);
  }
  const delimiter = detectDelimiter(firstLine);
  let headers: string[];
  try {
    headers = (parseSync(firstLine, { delimiter, relax_column_count: true }) as string[][])[0] ?? [];
  } catch (error) {
    throw new LoadRefused(`${label}: line ${headerLineNumber} (the header) is not valid CSV: ${(error as Error).message}`);
  }
  const mapping = mapHeaders(headers, contract, label);
  const warnings = mapping.unknownHeaders.length
    ? [`${label}: ${mapping.unknownHeaders.length} column(s) not in ${contract.file}, kept in _extra: ${mapping.unknownHeaders.slice(0, 10).join(", ")}${mapping.unknownHeaders.length > 10 ? ", …" : ""}`]
    : [];
  if (inspection.mixedEncoding) {
    warnings.push(`${label}: parts of the file are not UTF-8 (mixed encodings); those lines go to raw._rejects. Re-export the whole file as UTF-8.`);
  }

  const knownColumns = mapping.fileColumns.filter((c): c is string => c !== null);
  return {
    contract,
    origin: label,
    fingerprint: inspection.sha256,
    bytes: inspection.bytes,
    details: {
      path: path.resolve(file),
      encoding: inspection.encoding,
      mixed_encoding: inspection.mixedEncoding,
      delimiter,
      headers,
      header_line: headerLineNumber,
      unknown_headers: mapping.unknownHeaders,
    },
    warnings,
    columns: mapping.unknownHeaders.length ? [...knownColumns, "_extra"] : knownColumns,
    delimiter,
    forceNotNull: knownColumns,
    chunks: (loadId) => fileChunks(file, inspection, delimiter, headers.length, mapping, loadId),
  };
}

const CHUNK_CHARS = 1 << 20;

/**
 * The file's data records as COPY lines. Records COPY can take go through as written, with
 * the load id and line number appended; when the file has columns the contract does not
 * know, those fields are cut out and appended as one JSON field for _extra. UTF-8 files take
 * the byte path (csv-bytes.ts); other encodings are decoded to text first.
 */
function fileChunks(
  file: string,
  inspection: FileInspection,
  delimiter: string,
  headerWidth: number,
  mapping: HeaderMapping,
  loadId: number,
): AsyncGenerator<CopyChunk | RejectedRecord | RowNote> {
  const utf8 = inspection.encoding === "utf-8" || inspection.encoding === "utf-8-bom";
  return utf8 && !inspection.mixedEncoding
    ? byteChunks(readBytes(file, inspection), delimiter, headerWidth, mapping, loadId)
    : textChunks(decodeFile(file, inspection), inspection.mixedEncoding, delimiter, headerWidth, mapping, loadId);
}

async function* readBytes(file: string, inspection: FileInspection): AsyncGenerator<Buffer> {
  yield* createReadStream(file, { start: inspection.bomLength, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
}

/**
 * What becomes of one data record, decided on its text: the COPY line (without the lineage
 * suffix), or undefined when it is rejected; ragged rows and rejects leave a note in `notes`.
 */
function recordLine(
  record: ScannedRecord,
  mixedEncoding: boolean,
  delimiter: string,
  headerWidth: number,
  mapping: HeaderMapping,
  notes: (RejectedRecord | RowNote)[],
): string | undefined {
  let problem =
    record.problem ?? (mixedEncoding && record.text.includes("\ufffd") ? "is not valid UTF-8 (the file mixes encodings)" : undefined);
  if (!problem && record.fields !== headerWidth) {
    const fitted = fitToHeader(record, headerWidth, delimiter);
    if (fitted.kind === "reject") problem = fitted.reason;
    else {
      notes.push({ kind: "note", note: fitted.kind, sourceRow: String(record.line), detail: `line ${record.line} had ${record.fields} fields, the header ${headerWidth}` });
      record = fitted.record;
    }
  }
  if (problem) {
    notes.push({ kind: "reject", sourceRow: String(record.line), raw: record.text.replace(/\0/g, "\u2400"), reason: `line ${record.line} ${problem}` });
    return undefined;
  }
  return mapping.unknownHeaders.length ? withExtra(record, mapping, delimiter) : record.text;
}

/** The text path: decoded text, records split by CsvScanner, every record decided by recordLine. */
export async function* textChunks(
  pieces: AsyncIterable<string>,
  mixedEncoding: boolean,
  delimiter: string,
  headerWidth: number,
  mapping: HeaderMapping,
  loadId: number,
): AsyncGenerator<CopyChunk | RejectedRecord | RowNote> {
  const scanner = new CsvScanner(delimiter, mapping.unknownHeaders.length > 0);
  const suffix = `${delimiter}${loadId}${delimiter}`;
  let header = true;
  let out = "";
  let rows = 0;
  const notes: (RejectedRecord | RowNote)[] = [];

  const take = (records: ScannedRecord[]) => {
    for (const record of records) {
      if (header) {
        header = false;
        continue;
      }
      const line = recordLine(record, mixedEncoding, delimiter, headerWidth, mapping, notes);
      if (line === undefined) continue;
      out += line + suffix + record.line + "\n";
      rows++;
    }
  };

  for await (const piece of pieces) {
    take(scanner.push(piece));
    yield* notes.splice(0);
    if (out.length >= CHUNK_CHARS) {
      yield { kind: "rows", text: out, rows };
      out = "";
      rows = 0;
    }
  }
  take(scanner.end());
  yield* notes.splice(0);
  if (rows) yield { kind: "rows", text: out, rows };
}

/**
 * The byte path for valid UTF-8: a well-formed record (as many fields as the header, nothing
 * irregular) is copied as bytes, its unknown fields written as JSON straight from the bytes;
 * any other record is decoded (with its own line terminator, so it reads exactly as on the
 * text path) and decided by recordLine.
 */
export async function* byteChunks(
  pieces: AsyncIterable<Buffer>,
  delimiter: string,
  headerWidth: number,
  mapping: HeaderMapping,
  loadId: number,
): AsyncGenerator<CopyChunk | RejectedRecord | RowNote> {
  const scanner = new ByteCsvScanner(delimiter.charCodeAt(0));
  const out = new ByteChunk(CHUNK_CHARS + (CHUNK_CHARS >> 2));
  const delimiterByte = delimiter.charCodeAt(0);
  const suffix = Buffer.from(`${delimiter}${loadId}${delimiter}`);
  const extra = mapping.unknownHeaders.length ? extraWriter(mapping, delimiter) : undefined;
  const notes: (RejectedRecord | RowNote)[] = [];
  let header = true;

  const take = () => {
    for (let record = scanner.next(); record; record = scanner.next()) {
      if (header) {
        header = false;
        continue;
      }
      const bytes = scanner.buffer;
      if (!record.irregular && record.fields === headerWidth) {
        if (extra) extra(out, bytes, record.start, scanner.fieldEnds, delimiterByte);
        else out.copy(bytes, record.start, record.end);
      } else {
        const textScanner = new CsvScanner(delimiter, true);
        const [scanned] = [...textScanner.push(bytes.toString("utf8", record.start, record.next)), ...textScanner.end()];
        const line = recordLine({ ...scanned, line: record.line }, false, delimiter, headerWidth, mapping, notes);
        if (line === undefined) continue;
        out.text(line);
      }
      out.copy(suffix, 0, suffix.length);
      out.number(record.line);
      out.byte(10);
      out.rows++;
    }
  };

  for await (const piece of pieces) {
    scanner.push(piece);
    take();
    yield* notes.splice(0);
    if (out.length >= CHUNK_CHARS) {
      const rows = out.rows;
      yield { kind: "rows", text: out.take(), rows };
    }
  }
  scanner.end();
  take();
  yield* notes.splice(0);
  if (out.rows) {
    const rows = out.rows;
    yield { kind: "rows", text: out.take(), rows };
  }
}

/**
 * Writes a well-formed record with its unknown fields cut out and appended as one quoted
 * JSON field, as withExtra does, without building strings (the JSON keys are prepared once).
 */
function extraWriter(mapping: HeaderMapping, delimiter: string) {
  const csvJson = (value: string) => value.replace(/"/g, '""');
  let first = true;
  const keys = mapping.extraKeys.map((key) => {
    if (key === null) return null;
    const prefix = Buffer.from(csvJson(`${first ? "{" : ","}${JSON.stringify(key)}:`));
    first = false;
    return prefix;
  });
  const anyKnown = mapping.fileColumns.some((column) => column !== null);
  const slowValue = (field: string) => csvJson(JSON.stringify(unquoteField(field)));
  const opening = Buffer.from(anyKnown ? `${delimiter}"` : '"');
  const closing = Buffer.from('}"');
  return (out: ByteChunk, bytes: Buffer, recordStart: number, fieldEnds: Int32Array, delimiterByte: number) => {
    let start = recordStart;
    let knownWritten = false;
    for (let index = 0; index < keys.length; index++) {
      const end = fieldEnds[index];
      if (keys[index] === null) {
        if (knownWritten) out.byte(delimiterByte);
        out.copy(bytes, start, end);
        knownWritten = true;
      }
      start = end + 1;
    }
    out.copy(opening, 0, opening.length);
    start = recordStart;
    for (let index = 0; index < keys.length; index++) {
      const end = fieldEnds[index];
      const key = keys[index];
      if (key !== null) {
        out.copy(key, 0, key.length);
        appendJsonValue(out, bytes, start, end, slowValue);
      }
      start = end + 1;
    }
    out.copy(closing, 0, closing.length);
  };
}

/**
 * Ragged rows, as real exports write them: trailing fields that are all empty (trailing
 * commas) are trimmed; a short row gets its missing trailing fields as empty (and a note,
 * so staging reports `short_row`); extra fields with text stay a reject.
 */
function fitToHeader(
  record: ScannedRecord,
  headerWidth: number,
  delimiter: string,
): { kind: "trimmed_row" | "short_row"; record: ScannedRecord } | { kind: "reject"; reason: string } {
  if (record.fields < headerWidth) {
    const text = record.text + delimiter.repeat(headerWidth - record.fields);
    return { kind: "short_row", record: { ...record, text, fields: headerWidth, fieldEnds: fieldEndsOf(text, delimiter) } };
  }
  const ends = fieldEndsOf(record.text, delimiter);
  const keep = ends[headerWidth - 1];
  const surplus = record.text.slice(keep + 1).split(delimiter);
  if (surplus.some((field) => unquoteField(field).trim() !== "")) {
    return { kind: "reject", reason: `has ${record.fields} fields but the header has ${headerWidth}, and the extra fields are not empty` };
  }
  const text = record.text.slice(0, keep);
  return { kind: "trimmed_row", record: { ...record, text, fields: headerWidth, fieldEnds: ends.slice(0, headerWidth) } };
}

/** Where each field of one record ends (the rare ragged row only: the fast path never splits fields). */
function fieldEndsOf(text: string, delimiter: string): number[] {
  const [scanned] = new CsvScanner(delimiter, true).push(text + "\n");
  return scanned.fieldEnds!;
}

/** The record with unknown fields cut out and appended as a JSON object (the _extra column). */
function withExtra(record: ScannedRecord, mapping: HeaderMapping, delimiter: string): string {
  const ends = record.fieldEnds!;
  const known: string[] = [];
  const extra: Record<string, string> = {};
  let start = 0;
  ends.forEach((end, index) => {
    const field = record.text.slice(start, end);
    start = end + 1;
    const key = mapping.extraKeys[index];
    if (key === null) known.push(field);
    else extra[key] = unquoteField(field);
  });
  known.push(quoteField(JSON.stringify(extra)));
  return known.join(delimiter);
}

