/**
 * CSV answers: chosen by the Accept header, written by csv-stringify, with spreadsheet formulas
 * neutralised (raw values are kept verbatim in the warehouse, so a text cell may start with "=").
 */
import { stringify } from "csv-stringify/sync";
import type { FastifyRequest } from "fastify";

/**
 * True when the client prefers text/csv to JSON. Two media types only, so this reads the q-values
 * itself rather than pull in a negotiation library: JSON wins ties and wildcards.
 */
export function wantsCsv(request: FastifyRequest): boolean {
  const header = request.headers.accept;
  if (!header) return false;
  let csv = 0;
  let json = 0;
  for (const part of header.split(",")) {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
    if (type === "text/csv") csv = Math.max(csv, q);
    else if (type === "application/json" || type === "application/*" || type === "*/*") json = Math.max(json, q);
  }
  return csv > 0 && csv > json;
}

/** First characters that make a spreadsheet run a cell as a formula (the API's CSV and the sales page's export). */
export const FORMULA_START = "=+-@\t\r";

/** Text cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP's advice). */
export function neutralise(value: unknown, isText: boolean): unknown {
  return isText && typeof value === "string" && value !== "" && FORMULA_START.includes(value[0]) ? `'${value}` : value;
}

export function toCsv(columns: { name: string; type: string }[], rows: Record<string, unknown>[]): string {
  const records = rows.map((row) => columns.map((c) => neutralise(row[c.name], c.type === "text")));
  return stringify(records, { header: true, columns: columns.map((c) => c.name), record_delimiter: "\r\n" });
}
