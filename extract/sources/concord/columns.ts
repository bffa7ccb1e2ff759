/**
 * How each SQL Server column is read and landed as text, exactly: decimals and money are
 * converted to text by the server (the driver would hand over a lossy JavaScript number),
 * datetime2 keeps its 7 fractional digits (style 121), bigint stays a string, floats are
 * written in plain notation with every digit needed to give back the same double, GUIDs as
 * SQL Server prints them, binary as 0x-prefixed hex.
 */
import type { CatalogColumn } from "./catalog.ts";

export type ContractType = "integer" | "boolean" | "decimal" | "timestamp" | "uuid" | "text";

export interface ColumnReader {
  contractType: ContractType;
  /** The select-list item, aliased to the column's own name. */
  select(qualifier?: string): string;
  /** The driver's value → the text landed in raw (null stays null). */
  text(value: unknown): string | null;
}

/** [Name] with ] doubled: every identifier in our SQL goes through here. */
export function quoteName(name: string): string {
  return `[${name.replace(/]/g, "]]")}]`;
}

/** A double in plain decimal notation (no exponent), shortest digits that read back as the same double. */
export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  const text = String(value);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const digits = m[2] + (m[3] ?? "");
  const exponent = Number(m[4]);
  const point = 1 + exponent;
  if (point <= 0) return `${m[1]}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${m[1]}${digits}${"0".repeat(point - digits.length)}`;
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const asString = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** The reader for a column, or undefined for a type the extractor does not read (the table then fails, naming it). */
export function readerFor(column: CatalogColumn): ColumnReader | undefined {
  const name = quoteName(column.name);
  const ref = (q?: string) => (q ? `${q}.${name}` : name);
  const plain = (contractType: ContractType, text: (v: unknown) => string | null): ColumnReader => ({
    contractType,
    select: (q) => (q ? `${ref(q)} AS ${name}` : name),
    text,
  });
  const converted = (contractType: ContractType, expression: (r: string) => string): ColumnReader => ({
    contractType,
    select: (q) => `${expression(ref(q))} AS ${name}`,
    text: asString,
  });
  switch (column.type) {
    case "bigint":
    case "int":
    case "smallint":
    case "tinyint":
      return plain("integer", asString);
    case "bit":
      return plain("boolean", (v) => (v === null || v === undefined ? null : v ? "1" : "0"));
    case "money":
    case "smallmoney":
      // Style 2: all four decimals, no thousands separators (style 0 would round to two).
      return converted("decimal", (r) => `CONVERT(nvarchar(30), ${r}, 2)`);
    case "decimal":
    case "numeric":
      return converted("decimal", (r) => `CAST(${r} AS nvarchar(48))`);
    case "float":
    case "real":
      return plain("decimal", (v) => (v === null || v === undefined ? null : plainNumber(v as number)));
    case "datetime2":
      return converted("timestamp", (r) => `CONVERT(nvarchar(27), ${r}, 121)`);
    case "uniqueidentifier":
      return plain("uuid", asString);
    case "varbinary":
    case "binary":
      return plain("text", (v) => (v === null || v === undefined ? null : "0x" + (v as Buffer).toString("hex").toUpperCase()));
    case "nvarchar":
    case "nchar":
    case "varchar":
    case "char":
      return plain("text", asString);
    default:
      return undefined;
  }
}
