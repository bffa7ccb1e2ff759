/**
 * The fast path for UTF-8 files (the common case): records are found and copied as bytes, so
 * the text is never decoded to JavaScript strings and encoded back for the socket (those two
 * steps were most of the extractor's CPU). Only a record that is not plainly well-formed (a
 * field count other than the header's, a stray quote, a NUL, an unclosed quote) is decoded and
 * handed to the string path (`CsvScanner` and its callers), which decides what becomes of it;
 * the test in test/csv-fast-path.test.ts holds both paths to the same output.
 *
 * Hand-written rather than csv-parse: csv-parse builds a string per field, which is exactly
 * the cost this path exists to avoid; COPY parses the fields.
 */
const QUOTE = 34;
const NEWLINE = 10;
const CR = 13;
const BACKSLASH = 92;

export interface ByteRecord {
  /** Line number (1-based) where the record starts. */
  line: number;
  /** Offsets in the scanner's buffer: the record, without its line terminator. */
  start: number;
  end: number;
  /** Where the next record starts (after this one's line terminator). */
  next: number;
  fields: number;
  /** Something the string path must look at (a stray quote, a NUL, an unclosed quote). */
  irregular: boolean;
}

/**
 * Splits UTF-8 bytes into records (RFC 4180, as CsvScanner) and notes where each field ends
 * in `fieldEnds` (reused for every record: read it before asking for the next record).
 */
export class ByteCsvScanner {
  buffer: Buffer = Buffer.alloc(0);
  private at = 0;
  private line = 1;
  private final = false;
  readonly fieldEnds = new Int32Array(4096);

  constructor(private readonly delimiter: number) {}

  /** Adds the next piece of the file (the unread rest of the previous piece is kept). */
  push(chunk: Buffer): void {
    this.buffer = this.at < this.buffer.length ? Buffer.concat([this.buffer.subarray(this.at), chunk]) : chunk;
    this.at = 0;
  }

  /** No more input: the last record may have no line terminator. */
  end(): void {
    this.final = true;
  }

  /** The next complete record, or undefined when more input is needed (or the input is done). */
  next(): ByteRecord | undefined {
    for (;;) {
      const record = this.scanOne();
      if (!record) return undefined;
      if (record.end > record.start || record.fields > 1 || record.irregular) return record;
      // An empty line: skipped, as the string path does (its line still counts).
    }
  }

  private scanOne(): ByteRecord | undefined {
    const s = this.buffer;
    const start = this.at;
    const length = s.length;
    if (start >= length) return undefined;
    const delimiter = this.delimiter;
    const fieldEnds = this.fieldEnds;
    const maxFields = fieldEnds.length;
    let fields = 1;
    let inQuotes = false;
    let fieldStart = true;
    let afterQuote = false;
    let irregular = false;
    let newlines = 0;
    for (let i = start; i < length; i++) {
      const c = s[i];
      if (inQuotes) {
        if (c === QUOTE) {
          if (i + 1 === length && !this.final) return undefined;
          if (s[i + 1] === QUOTE) i++;
          else {
            inQuotes = false;
            afterQuote = true;
          }
        } else if (c === NEWLINE) newlines++;
        else if (c === 0) irregular = true;
        continue;
      }
      if (c === delimiter) {
        if (fields <= maxFields) fieldEnds[fields - 1] = i;
        else irregular = true;
        fields++;
        fieldStart = true;
        afterQuote = false;
        continue;
      }
      if (c === NEWLINE) {
        const end = i > start && s[i - 1] === CR ? i - 1 : i;
        if (fields <= maxFields) fieldEnds[fields - 1] = end;
        else irregular = true;
        const line = this.line;
        this.line += newlines + 1;
        this.at = i + 1;
        return { line, start, end, next: i + 1, fields, irregular };
      }
      if (c === QUOTE) {
        if (fieldStart) inQuotes = true;
        else irregular = true;
      } else if ((afterQuote && c !== CR) || c === 0) {
        irregular = true;
      }
      fieldStart = false;
    }
    if (!this.final) return undefined;
    let end = length;
    if (end > start && s[end - 1] === CR) end--;
    if (fields <= maxFields) fieldEnds[fields - 1] = end;
    else irregular = true;
    const line = this.line;
    this.line += newlines;
    this.at = length;
    return { line, start, end, next: length, fields, irregular: irregular || inQuotes };
  }
}

/** An output chunk filled record by record; `take()` hands it over and starts a new one. */
export class ByteChunk {
  private bytes: Buffer;
  length = 0;
  rows = 0;

  constructor(private readonly capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + n));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  /** Appends source bytes [start, end). */
  copy(source: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.room(n);
    const bytes = this.bytes;
    let at = this.length;
    // A field or a record is short: a plain loop beats Buffer#copy, which allocates a view per call.
    if (n < 1024) for (let i = start; i < end; i++) bytes[at++] = source[i];
    else bytes.set(source.subarray(start, end), at);
    this.length += n;
  }

  /** Appends one byte. */
  byte(value: number): void {
    this.room(1);
    this.bytes[this.length++] = value;
  }

  /** Appends text (lines made by the string path, suffixes). */
  text(value: string): void {
    this.room(value.length * 3);
    this.length += this.bytes.write(value, this.length, "utf8");
  }

  /** Appends a non-negative integer in decimal. */
  number(value: number): void {
    this.room(16);
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.length + digits;
    this.length = at;
    let rest = value;
    do {
      this.bytes[--at] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  take(): Buffer {
    const out = this.bytes.subarray(0, this.length);
    this.bytes = Buffer.allocUnsafe(this.capacity);
    this.length = 0;
    this.rows = 0;
    return out;
  }
}

/**
 * Appends one field's value as a JSON string inside a quoted CSV field (every `"` doubled),
 * straight from the bytes when the value needs no escaping; `slow` does the rest.
 */
export function appendJsonValue(out: ByteChunk, source: Buffer, start: number, end: number, slow: (field: string) => string): void {
  let from = start;
  let to = end;
  if (to - from >= 2 && source[from] === QUOTE && source[to - 1] === QUOTE) {
    from++;
    to--;
  }
  for (let i = from; i < to; i++) {
    const c = source[i];
    if (c === QUOTE || c === BACKSLASH || c < 0x20) {
      out.text(slow(source.toString("utf8", start, end)));
      return;
    }
  }
  out.byte(QUOTE);
  out.byte(QUOTE);
  out.copy(source, from, to);
  out.byte(QUOTE);
  out.byte(QUOTE);
}
