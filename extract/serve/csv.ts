/**
 * CSV for downloads. The encoding is a few lines by hand because the project has a CSV parser
 * but no writer, and quoting one field is all a writer does. Text cells that a spreadsheet would
 * run as a formula (starting with = + - @, tab or carriage return) get a leading apostrophe;
 * numbers are written as they are, so a negative amount stays a number.
 */
import { Transform } from "node:stream";

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: unknown, text: boolean): string {
  if (value === null || value === undefined) return "";
  let out = String(value);
  if (text && FORMULA_START.test(out)) out = `'${out}`;
  return /[",\r\n]/.test(out) ? `"${out.replace(/"/g, '""')}"` : out;
}

export function csvLine(values: unknown[], textColumns: boolean[]): string {
  return values.map((v, i) => csvField(v, textColumns[i])).join(",") + "\r\n";
}

/** Turns row arrays into CSV lines; starts with a UTF-8 byte-order mark and the header, so spreadsheets read Persian text. */
export function csvStream(columns: { name: string; text: boolean }[]): Transform {
  const text = columns.map((c) => c.text);
  let first = true;
  return new Transform({
    writableObjectMode: true,
    transform(row: unknown[], _encoding, done) {
      let out = "";
      if (first) {
        out = "\ufeff" + csvLine(columns.map((c) => c.name), columns.map(() => true));
        first = false;
      }
      done(null, out + csvLine(row, text));
    },
    flush(done) {
      done(null, first ? "\ufeff" + csvLine(columns.map((c) => c.name), columns.map(() => true)) : "");
    },
  });
}
