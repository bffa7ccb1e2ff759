/**
 * Files a real user will one day send, built from a source's header and a valid row so that
 * any file source can run the same corpus. Each entry says what a correct loader does with it.
 */
import iconv from "iconv-lite";

export interface HostileFile {
  name: string;
  bytes: Buffer;
  /** "refused": nothing loaded, one error line; "loaded": loaded with `rows` rows and `rejects` rejects. */
  outcome: "refused" | "loaded";
  rows?: number;
  rejects?: number;
  /** What the one message (error, or the loaded line) must say. */
  message: RegExp;
  /** What the first reject's reason must say. */
  rejectReason?: RegExp;
}

function deterministicBytes(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** `header` and `row` are lists of fields for one valid record; `textColumn` is an index of a free-text field. */
export function hostileCorpus(header: string[], row: string[], textColumn: number, requiredHeader: string): HostileFile[] {
  const line = (fields: string[]) => fields.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(",");
  const good = line(row);
  const head = line(header);
  const withText = (text: string) => line(row.map((f, i) => (i === textColumn ? text : f)));
  const utf8 = (text: string) => Buffer.from(text, "utf8");
  const wideHeader = [...header, ...Array.from({ length: 5000 - header.length }, (_, i) => `extra_${i + 1}`)];
  const wideRow = [...row, ...Array.from({ length: 5000 - row.length }, (_, i) => `v${i + 1}`)];

  return [
    { name: "empty.csv", bytes: Buffer.alloc(0), outcome: "refused", message: /empty\.csv: the file is empty/ },
    { name: "header-only.csv", bytes: utf8(`${head}\n`), outcome: "loaded", rows: 0, rejects: 0, message: /header-only\.csv: loaded 0 rows/ },
    {
      name: "truncated-last-line.csv",
      bytes: utf8(`${head}\n${good}\n${good}\n${line(row.slice(0, Math.ceil(row.length / 2)))}`),
      // A short row is padded with empty trailing fields and noted (short_row), not rejected.
      outcome: "loaded", rows: 3, rejects: 0, message: /truncated-last-line\.csv: loaded 3 rows .*1 short rows padded/,
    },
    {
      name: "unclosed-quote.csv",
      // The last field opens a quote that nothing closes: the rest of the file is one broken record.
      bytes: utf8(`${head}\n${good}\n${good}\n${line(row.slice(0, -1))},"never closed\nand the export stopped here\n`),
      outcome: "loaded", rows: 2, rejects: 1, message: /unclosed-quote\.csv: loaded 2 rows .*line 4 opens a quote that never closes/,
      rejectReason: /^line 4 opens a quote that never closes/,
    },
    {
      name: "nul-bytes.csv",
      bytes: utf8(`${head}\n${good}\n${withText("a\u0000b")}\n${good}\n`),
      outcome: "loaded", rows: 2, rejects: 1, message: /nul-bytes\.csv: loaded 2 rows .*line 3 contains NUL bytes/,
      rejectReason: /^line 3 contains NUL bytes/,
    },
    {
      name: "binary-garbage.csv",
      bytes: deterministicBytes(64 * 1024),
      outcome: "refused", message: new RegExp(`binary-garbage\\.csv: (line 1 contains NUL bytes|required header)`),
    },
    {
      name: "ten-megabyte-field.csv",
      bytes: utf8(`${head}\n${withText("x".repeat(10 * 1024 * 1024))}\n${good}\n`),
      outcome: "loaded", rows: 2, rejects: 0, message: /ten-megabyte-field\.csv: loaded 2 rows/,
    },
    {
      name: "five-thousand-columns.csv",
      bytes: utf8(`${line(wideHeader)}\n${line(wideRow)}\n${line(wideRow)}\n`),
      outcome: "loaded", rows: 2, rejects: 0, message: /five-thousand-columns\.csv: loaded 2 rows/,
    },
    {
      name: "utf16.csv",
      bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`${head}\r\n${good}\r\n${good}\r\n`, "utf-16le")]),
      outcome: "loaded", rows: 2, rejects: 0, message: /utf16\.csv: loaded 2 rows/,
    },
    {
      name: "mixed-encodings.csv",
      bytes: Buffer.concat([utf8(`${head}\n${good}\n`), iconv.encode(`${withText("فروشگاه مركزي")}\n`, "windows-1256"), utf8(`${good}\n`)]),
      outcome: "loaded", rows: 2, rejects: 1, message: /mixed-encodings\.csv: loaded 2 rows .*line 3 is not valid UTF-8/,
      rejectReason: /^line 3 is not valid UTF-8/,
    },
    {
      name: "duplicate-headers.csv",
      bytes: utf8(`${line([...header, requiredHeader])}\n${line([...row, row[header.indexOf(requiredHeader)]])}\n`),
      outcome: "refused", message: /duplicate-headers\.csv: columns \d+ \(".+"\) and \d+ \(".+"\) both map to/,
    },
    {
      name: "sql-looking-headers.csv",
      bytes: utf8(`${line([...header, '"; drop table raw._loads; --', "x'); delete from raw._loads; --"])}\n${line([...row, "1", "2"])}\n`),
      outcome: "loaded", rows: 1, rejects: 0, message: /sql-looking-headers\.csv: loaded 1 rows/,
    },
    {
      name: "formula-cells.csv",
      bytes: utf8(`${head}\n${withText("=1+1")}\n${withText("+cmd|' /C calc'!A0")}\n${withText("-2+3")}\n${withText("@SUM(A1:A9)")}\n`),
      outcome: "loaded", rows: 4, rejects: 0, message: /formula-cells\.csv: loaded 4 rows/,
    },
    {
      name: `missing-${requiredHeader}.csv`,
      bytes: utf8(`${line(header.filter((h) => h !== requiredHeader))}\n${line(row.filter((_, i) => header[i] !== requiredHeader))}\n`),
      outcome: "refused", message: new RegExp(`required header "${requiredHeader}"`),
    },
  ];
}
