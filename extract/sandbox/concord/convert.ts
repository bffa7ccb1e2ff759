/**
 * CAST(x AS nvarchar(n)) and CONVERT(nvarchar(n), x, style) for the types ConcordDb uses, as
 * SQL Server renders them. Where SQL Server's rendering loses information (money without a
 * style keeps 2 decimals, float keeps 6 digits) the sandbox does the same or refuses, so a
 * careless conversion in the extractor's SQL shows up in the tests.
 */
import type { SqlType, SqlValue } from "../tds/types.ts";
import { formatScaled, roundScaled } from "../tds/values.ts";
import { SqlError } from "../tds/server.ts";

export type Converter = (value: SqlValue) => string | null;

function refuse(message: string): never {
  throw new SqlError({ number: 529, state: 2, severity: 16, message });
}

function withThousands(text: string): string {
  const [whole, fraction] = text.split(".");
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction === undefined ? "" : "." + fraction}`;
}

/** The converter for one source type and style, or an error for a conversion the sandbox does not do. */
export function converterFor(source: SqlType, style: number | undefined, columnName: string): Converter {
  const s = style ?? 0;
  switch (source.name) {
    case "bigint":
    case "int":
    case "smallint":
    case "tinyint":
      return (v) => (v === null ? null : String(v));
    case "bit":
      return (v) => (v === null ? null : v ? "1" : "0");
    case "decimal":
      return (v) => (v === null ? null : formatScaled(v as bigint, source.scale));
    case "money":
      // Style 0 rounds to 2 decimals, 1 adds thousands separators, 2 keeps all 4 decimals.
      if (s === 0) return (v) => (v === null ? null : formatScaled(roundScaled(v as bigint, 4, 2), 2));
      if (s === 1) return (v) => (v === null ? null : withThousands(formatScaled(roundScaled(v as bigint, 4, 2), 2)));
      if (s === 2) return (v) => (v === null ? null : formatScaled(v as bigint, 4));
      return refuse(`The sandbox converts money with style 0, 1 or 2 only (${columnName} asked for style ${s}).`);
    case "float":
      return refuse(`The sandbox does not convert float to text (${columnName}): SQL Server's default keeps 6 significant digits; read the float itself.`);
    case "datetime2":
      if (s === 0 || s === 121) return (v) => (v === null ? null : (v as string).slice(0, source.scale ? 20 + source.scale : 19));
      if (s === 126 || s === 127) return (v) => (v === null ? null : (v as string).slice(0, source.scale ? 20 + source.scale : 19).replace(" ", "T"));
      return refuse(`The sandbox converts datetime2 with style 121 or 126 only (${columnName} asked for style ${s}).`);
    case "uniqueidentifier":
      return (v) => (v === null ? null : (v as string).toUpperCase());
    case "varbinary":
      if (s === 1) return (v) => (v === null ? null : "0x" + (v as Buffer).toString("hex").toUpperCase());
      if (s === 2) return (v) => (v === null ? null : (v as Buffer).toString("hex").toUpperCase());
      return refuse(`The sandbox converts varbinary to text with style 1 or 2 only (${columnName}); style 0 reinterprets the bytes as characters.`);
    case "nvarchar":
      return (v) => (v === null ? null : (v as string));
  }
}

/** Applies the target length: numbers that do not fit are an error, text is cut (as SQL Server does). */
export function fitTo(length: number | "max", source: SqlType, columnName: string): (text: string | null) => string | null {
  if (length === "max") return (t) => t;
  const numeric = ["bigint", "int", "smallint", "tinyint", "decimal", "money", "bit"].includes(source.name);
  return (t) => {
    if (t === null || t.length <= length) return t;
    if (numeric) {
      throw new SqlError({ number: 8115, state: 2, severity: 16, message: `Arithmetic overflow error converting ${source.name} to data type nvarchar (${columnName} needs ${t.length} characters, nvarchar(${length})).` });
    }
    return t.slice(0, length);
  };
}
