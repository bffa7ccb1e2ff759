/**
 * Splits CSV text into records without building field arrays: PostgreSQL's COPY parses the
 * fields (it is several times faster than any JavaScript CSV parser), so here we only find
 * where each record starts and ends, count its fields, number its lines, and catch what
 * COPY would choke on. The rules are RFC 4180: a field is quoted from its first character
 * or not at all; "" inside quotes is a quote; quoted fields may hold delimiters and newlines.
 */

export interface ScannedRecord {
  /** Line number (1-based) where the record starts. */
  line: number;
  /** The record's text, without its line terminator. */
  text: string;
  fields: number;
  /** Why COPY could not take it as it is, if so. */
  problem?: string;
  /** Offsets in `text` where each field ends (only when field boundaries were asked for). */
  fieldEnds?: number[];
}

const QUOTE = 34;
const NEWLINE = 10;
const CR = 13;

export class CsvScanner {
  private carry = "";
  private line = 1;
  private readonly delimiter: number;

  constructor(delimiter: string, private readonly wantFieldEnds = false) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Scans the next piece of text; returns the records completed so far. */
  push(chunk: string): ScannedRecord[] {
    this.carry += chunk;
    return this.scan(false);
  }

  /** Ends the input: the last record (without a final newline) or an unclosed quote. */
  end(): ScannedRecord[] {
    return this.scan(true);
  }

  private scan(final: boolean): ScannedRecord[] {
    const s = this.carry;
    const records: ScannedRecord[] = [];
    let start = 0;
    let line = this.line;
    while (start < s.length) {
      const record = this.scanOne(s, start, line, final);
      if (!record) break; // incomplete: wait for more text
      line = record.nextLine;
      start = record.next;
      if (record.scanned.text !== "") records.push(record.scanned);
    }
    this.carry = s.slice(start);
    this.line = line;
    return records;
  }

  private scanOne(s: string, start: number, line: number, final: boolean) {
    const delimiter = this.delimiter;
    const fieldEnds: number[] | undefined = this.wantFieldEnds ? [] : undefined;
    let fields = 1;
    let inQuotes = false;
    let fieldStart = true;
    let afterQuote = false;
    let problem: string | undefined;
    let newlines = 0;
    for (let i = start; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (inQuotes) {
        if (c === QUOTE) {
          if (i + 1 === s.length && !final) return undefined; // "" may straddle the chunk boundary
          if (s.charCodeAt(i + 1) === QUOTE) i++;
          else {
            inQuotes = false;
            afterQuote = true;
          }
        } else if (c === NEWLINE) newlines++;
        else if (c === 0) problem ??= "contains NUL bytes (binary data), which a text column cannot hold";
        continue;
      }
      if (c === delimiter) {
        fieldEnds?.push(i - start);
        fields++;
        fieldStart = true;
        afterQuote = false;
        continue;
      }
      if (c === NEWLINE) {
        const end = i > start && s.charCodeAt(i - 1) === CR ? i - 1 : i;
        fieldEnds?.push(end - start);
        return { scanned: { line, text: s.slice(start, end), fields, problem, fieldEnds }, next: i + 1, nextLine: line + newlines + 1 };
      }
      if (c === QUOTE) {
        if (fieldStart) inQuotes = true;
        else problem ??= "has a quote inside an unquoted field";
      } else if (afterQuote && c !== CR) {
        problem ??= "has text after a closing quote";
      } else if (c === 0) {
        problem ??= "contains NUL bytes (binary data), which a text column cannot hold";
      }
      fieldStart = false;
    }
    if (!final) return undefined;
    let end = s.length;
    if (end > start && s.charCodeAt(end - 1) === CR) end--;
    if (inQuotes) problem = "opens a quote that never closes; everything from there to the end of the file is kept in this reject";
    fieldEnds?.push(end - start);
    return { scanned: { line, text: s.slice(start, end), fields, problem, fieldEnds }, next: s.length, nextLine: line + newlines };
  }
}

/** The value of one CSV field as written (quotes removed, "" unescaped). */
export function unquoteField(field: string): string {
  return field.length >= 2 && field.charCodeAt(0) === QUOTE && field.charCodeAt(field.length - 1) === QUOTE
    ? field.slice(1, -1).replace(/""/g, '"')
    : field;
}

/** A value as a CSV field that COPY reads back exactly: always quoted. */
export function quoteField(value: string): string {
  // Most values hold no quote: skipping the replace then roughly halves the cost of a busy path.
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}
