/**
 * Xero records → raw rows, driven by the contract: each column's first header is the field's
 * path in Xero's JSON (`Contact.ContactID`, `SalesDetails.UnitPrice`); `LineItems.X` reads the
 * line, `LineItems[n]` is the line's position. A document version becomes one row per line with
 * its fields repeated (a version without lines, one row at position 0).
 */
import type { Contract } from "../../contracts/contracts.ts";
import type { LandedRecord } from "../source.ts";

type Json = Record<string, unknown>;

/** The whole document goes into _extra (on its first row) only up to this size. */
const DOCUMENT_IN_EXTRA_MAX = 16_384;

const LINE_PREFIX = "LineItems.";
const POSITION = "LineItems[n]";

/** Raw text of a JSON value: strings as they are (numbers arrive as their text), objects as JSON. */
function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function at(record: unknown, parts: string[]): unknown {
  let value = record;
  for (const part of parts) value = value && typeof value === "object" ? (value as Json)[part] : undefined;
  return value;
}

export interface RowMapper {
  /** Rows for one record (a document version, a contact, an item). */
  rows(record: Json, sourceKey: string): LandedRecord[];
}

/** Where a column's value comes from: the document, its line, or the line's position. */
type Source = { from: "document" | "line"; parts: string[] } | { from: "position" };

export function rowMapper(contract: Contract): RowMapper {
  const paths = contract.columns.map((c) => c.headers[0]);
  const hasLines = paths.some((p) => p === POSITION || p.startsWith(LINE_PREFIX));
  const documentFields = new Set(paths.filter((p) => !p.startsWith(LINE_PREFIX) && p !== POSITION).map((p) => p.split(".")[0]));
  const lineFields = new Set(paths.filter((p) => p.startsWith(LINE_PREFIX)).map((p) => p.slice(LINE_PREFIX.length).split(".")[0]));
  // Paths split once, not for every value of every row (a large history has hundreds of thousands of lines).
  const sources: Source[] = paths.map((p) =>
    p === POSITION ? { from: "position" } : p.startsWith(LINE_PREFIX) ? { from: "line", parts: p.slice(LINE_PREFIX.length).split(".") } : { from: "document", parts: p.split(".") },
  );

  const unmapped = (record: Json, mapped: Set<string>, skip?: string) => {
    const extra: Record<string, string> = {};
    for (const key in record) {
      const value = record[key];
      if (mapped.has(key) || key === skip || value === null || value === undefined) continue;
      if (Array.isArray(value) && !value.length) continue;
      extra[key] = text(value)!;
    }
    return extra;
  };
  const hasKeys = (object: object) => {
    for (const _ in object) return true;
    return false;
  };

  return {
    rows(record, sourceKey) {
      if (!hasLines) {
        const extra = unmapped(record, documentFields);
        return [{ kind: "row", sourceRow: sourceKey, values: sources.map((s) => (s.from === "position" ? null : text(at(record, s.parts)))), extra: hasKeys(extra) ? extra : null }];
      }
      const lines = Array.isArray(record.LineItems) ? (record.LineItems as Json[]) : [];
      const whole = JSON.stringify(record);
      const documentExtra: Record<string, string> =
        whole.length <= DOCUMENT_IN_EXTRA_MAX ? { document: whole } : { document_fields: JSON.stringify(unmapped(record, documentFields, "LineItems")) };
      // The document's own columns are the same on every line: read once.
      const documentValues = sources.map((s) => (s.from === "document" ? text(at(record, s.parts)) : null));
      const count = lines.length || 1;
      const rows: LandedRecord[] = new Array(count);
      for (let index = 0; index < count; index++) {
        const position = lines.length ? index + 1 : 0;
        const line = position ? lines[index] : {};
        const values = documentValues.slice();
        for (let i = 0; i < sources.length; i++) {
          const source = sources[i];
          if (source.from === "position") values[i] = String(position);
          else if (source.from === "line") values[i] = text(at(line, source.parts));
        }
        const lineExtra = unmapped(line, lineFields);
        const extra = index === 0 ? { ...documentExtra, ...lineExtra } : lineExtra;
        rows[index] = { kind: "row", sourceRow: `${sourceKey}#${position}`, values, extra: hasKeys(extra) ? extra : null };
      }
      return rows;
    },
  };
}
