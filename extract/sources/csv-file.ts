/**
 * A CSV export as a source batch: detects encoding and delimiter, maps headers to the
 * contract (after folding), streams records through csv-parse, and turns every record it
 * cannot use into a reject that keeps the text and the line number.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import iconv from "iconv-lite";
import type { Contract } from "../contracts/contracts.ts";
import { foldText } from "../contracts/fold.ts";
import { iconvName, inspectFile, type FileInspection } from "./encoding.ts";
import { LoadRefused, type SourceBatch, type SourceRecord } from "./source.ts";

const DELIMITERS = [",", ";", "\t"] as const;
const HEADER_SAMPLE_BYTES = 4 << 20;

export interface HeaderMapping {
  /** For each contract column, the index of the file column that holds it, or -1. */
  columnSource: number[];
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
      extraKeys.push(null);
      return;
    }
    let key = header.trim() || `column_${index + 1}`;
    for (let n = 2; usedExtraKeys.has(key); n++) key = `${header.trim()}#${n}`;
    usedExtraKeys.add(key);
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
  return { columnSource, extraKeys, unknownHeaders };
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

function csvOptions(delimiter: string) {
  return {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  } as const;
}

/** Opens a CSV export as a batch for the loader. Throws LoadRefused when no row of it can be used. */
export async function openCsvFile(file: string, contract: Contract): Promise<SourceBatch> {
  const label = path.basename(file);
  const inspection = await inspectFile(file);
  if (inspection.bytes - inspection.bomLength === 0) {
    throw new LoadRefused(`${label}: the file is empty; export it again from the source.`);
  }
  const sample = await readHeaderSample(file, inspection);
  const firstLine = sample.slice(0, (sample.indexOf("\n") + 1 || sample.length + 1) - 1);
  if (!firstLine.trim()) throw new LoadRefused(`${label}: line 1 is empty; the first line must be the header.`);
  if (firstLine.includes("\0")) {
    throw new LoadRefused(`${label}: line 1 contains NUL bytes, so this is not a text CSV; export it again as CSV (UTF-8).`);
  }
  const delimiter = detectDelimiter(firstLine);
  let headers: string[];
  try {
    headers = (parseSync(firstLine, { ...csvOptions(delimiter), skip_records_with_error: false }) as string[][])[0] ?? [];
  } catch (error) {
    throw new LoadRefused(`${label}: line 1 (the header) is not valid CSV: ${(error as Error).message}`);
  }
  const mapping = mapHeaders(headers, contract, label);
  const warnings = mapping.unknownHeaders.length
    ? [`${label}: ${mapping.unknownHeaders.length} column(s) not in ${contract.file}, kept in _extra: ${mapping.unknownHeaders.slice(0, 10).join(", ")}${mapping.unknownHeaders.length > 10 ? ", …" : ""}`]
    : [];
  if (inspection.mixedEncoding) {
    warnings.push(`${label}: parts of the file are not UTF-8 (mixed encodings); those lines go to raw._rejects. Re-export the whole file as UTF-8.`);
  }

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
      unknown_headers: mapping.unknownHeaders,
    },
    warnings,
    records: () => readRecords(file, inspection, delimiter, headers.length, mapping),
  };
}

interface ParsedRecord {
  record: string[];
  raw: string;
  line: number;
}

async function* readRecords(
  file: string,
  inspection: FileInspection,
  delimiter: string,
  headerWidth: number,
  mapping: HeaderMapping,
): AsyncGenerator<SourceRecord> {
  // Line numbers are worked out in csv-parse's synchronous callbacks, in file order.
  const skipped: SourceRecord[] = [];
  let lastLine = 0;
  const parser = parse({
    ...csvOptions(delimiter),
    raw: true,
    info: true,
    on_record: ({ record, raw, info }: { record: string[]; raw: string; info: { lines: number } }): ParsedRecord => {
      const text = raw.replace(/^(\r?\n)+/, "").replace(/(\r\n|\n|\r)$/, "");
      const line = info.lines - (text.match(/\n/g)?.length ?? 0);
      lastLine = info.lines;
      return { record, raw: text, line };
    },
    on_skip: (error, raw) => {
      const line = lastLine + 1;
      skipped.push({ kind: "reject", sourceRow: String(line), raw: (raw ?? "").replace(/\0/g, "\u2400"), reason: describeCsvError(error, line) });
      lastLine = (error as { lines?: number }).lines ?? lastLine;
    },
  });
  const text = createReadStream(file, { start: inspection.bomLength, highWaterMark: 1 << 20 }).pipe(
    iconv.decodeStream(iconvName(inspection.encoding), { stripBOM: true }),
  );
  text.on("error", (error) => parser.destroy(error));
  text.pipe(parser);

  let header = true;
  for await (const { record, raw, line } of parser as AsyncIterable<ParsedRecord>) {
    while (skipped.length) yield skipped.shift()!;
    if (header) {
      header = false;
      continue;
    }
    const problem =
      record.length !== headerWidth
        ? `has ${record.length} fields but the header has ${headerWidth}`
        : raw.includes("\0")
          ? "contains NUL bytes (binary data), which a text column cannot hold"
          : inspection.mixedEncoding && raw.includes("\ufffd")
            ? "is not valid UTF-8 (the file mixes encodings)"
            : undefined;
    if (problem) {
      yield { kind: "reject", sourceRow: String(line), raw: raw.replace(/\0/g, "\u2400"), reason: `line ${line} ${problem}` };
      continue;
    }
    let extra: Record<string, string> | null = null;
    mapping.extraKeys.forEach((key, index) => {
      if (key !== null) (extra ??= {})[key] = record[index];
    });
    yield {
      kind: "row",
      sourceRow: String(line),
      values: mapping.columnSource.map((index) => (index === -1 ? null : record[index])),
      extra,
    };
  }
  while (skipped.length) yield skipped.shift()!;
}

function describeCsvError(error: Error & { code?: string }, line: number): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `line ${line} opens a quote that never closes; everything from there to the end of the file is kept as this reject`;
    default:
      return `line ${line} is not valid CSV (${error.code ?? "parse error"}): ${error.message}`;
  }
}
