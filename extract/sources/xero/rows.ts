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

function at(record: Json, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split(".")) value = value && typeof value === "object" ? (value as Json)[part] : undefined;
  return value;
}

export interface RowMapper {
  /** Rows for one record (a document version, a contact, an item). */
  rows(record: Json, sourceKey: string): LandedRecord[];
}

export function rowMapper(contract: Contract): RowMapper {
  const paths = contract.columns.map((c) => c.headers[0]);
  const hasLines = paths.some((p) => p === POSITION || p.startsWith(LINE_PREFIX));
  const documentFields = new Set(paths.filter((p) => !p.startsWith(LINE_PREFIX) && p !== POSITION).map((p) => p.split(".")[0]));
  const lineFields = new Set(paths.filter((p) => p.startsWith(LINE_PREFIX)).map((p) => p.slice(LINE_PREFIX.length).split(".")[0]));

  const unmapped = (record: Json, mapped: Set<string>, skip: string[] = []) => {
    const extra: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) {
      if (mapped.has(key) || skip.includes(key) || value === null || value === undefined) continue;
      if (Array.isArray(value) && !value.length) continue;
      extra[key] = text(value)!;
    }
    return extra;
  };

  return {
    rows(record, sourceKey) {
      if (!hasLines) {
        const extra = unmapped(record, documentFields);
        return [{ kind: "row", sourceRow: sourceKey, values: paths.map((p) => text(at(record, p))), extra: Object.keys(extra).length ? extra : null }];
      }
      const lines = Array.isArray(record.LineItems) ? (record.LineItems as Json[]) : [];
      const whole = JSON.stringify(record);
      const documentExtra: Record<string, string> =
        whole.length <= DOCUMENT_IN_EXTRA_MAX ? { document: whole } : { document_fields: JSON.stringify(unmapped(record, documentFields, ["LineItems"])) };
      const positions = lines.length ? lines.map((_, i) => i + 1) : [0];
      return positions.map((position, index) => {
        const line = position ? lines[position - 1] : {};
        const values = paths.map((p) => (p === POSITION ? String(position) : p.startsWith(LINE_PREFIX) ? text(at(line, p.slice(LINE_PREFIX.length))) : text(at(record, p))));
        const extra = { ...(index === 0 ? documentExtra : {}), ...unmapped(line, lineFields) };
        return { kind: "row" as const, sourceRow: `${sourceKey}#${position}`, values, extra: Object.keys(extra).length ? extra : null };
      });
    },
  };
}
