/**
 * The dashboard's CSV download as streams: rows (arrays) in, CSV text out, written by
 * csv-stringify with a UTF-8 byte-order mark (so spreadsheets read Persian text) and text cells
 * neutralised as the API does (a cell starting with = + - @ gets a leading apostrophe; numbers
 * are left alone, so a negative amount stays a number).
 */
import { Transform } from "node:stream";
import { stringify, type Stringifier } from "csv-stringify";
import { neutralise } from "./api/csv.ts";

export function csvStreams(columns: { name: string; text: boolean }[]): { rows: Transform; csv: Stringifier } {
  const rows = new Transform({
    objectMode: true,
    transform(row: unknown[], _encoding, done) {
      done(null, row.map((value, i) => neutralise(value, columns[i].text)));
    },
  });
  const csv = stringify({ header: true, columns: columns.map((c) => c.name), bom: true, record_delimiter: "\r\n" });
  return { rows, csv };
}
