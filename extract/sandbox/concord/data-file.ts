/**
 * `salesdw sandbox mssql --data FILE.json`: the tables the sandbox serves, read from a JSON file
 * instead of generated. The format (README, "ConcordDb" → "The sandbox's data file"):
 *
 *   { "changeTrackingVersion": "1000",
 *     "tables": {
 *       "Client": {
 *         "columns": [{ "name": "ID", "type": "bigint" }, { "name": "Name", "type": "nvarchar(150)", "nullable": true }, …],
 *         "rows": [{ "ID": "1", "Name": "ТОВ «Ромашка»", "Created": "2025-11-20 10:00:00.1234567", … }],
 *         "changeTracking": { "minValidVersion": "990", "changes": [{ "ID": "1", "operation": "U", "version": "1000" }] } } } }
 *
 * bigint, decimal and money values are JSON strings holding the exact number (a JavaScript number
 * loses digits), datetime2 is its text to 100 ns, varbinary is hex ("0x…"). Shape errors come from
 * zod; value errors name the table, row and column.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { SqlType, SqlValue } from "../tds/types.ts";
import { formatDatetime2, parseDatetime2, parseScaled } from "../tds/values.ts";
import { parseSqlType } from "./generate.ts";
import { CONCORD_TABLES, type TableSpec } from "./schema.ts";

const exactInteger = z.union([z.string().regex(/^-?\d+$/, "an integer as text"), z.number().int()]);

const dataFileSchema = z.object({
  changeTrackingVersion: exactInteger.optional(),
  tables: z.record(
    z.string().regex(/^\w+$/, "a table name (letters, digits, _)"),
    z.object({
      columns: z
        .array(z.object({ name: z.string().regex(/^\w+$/), type: z.string(), nullable: z.boolean().default(false), references: z.string().optional() }))
        .min(1)
        .optional(),
      rows: z.array(z.record(z.string(), z.unknown())).default([]),
      changeTracking: z
        .union([
          z.boolean(),
          z.object({
            minValidVersion: exactInteger.optional(),
            changes: z.array(z.object({ ID: exactInteger, operation: z.enum(["I", "U", "D"]), version: exactInteger })).default([]),
          }),
        ])
        .default(false),
    }),
  ),
});

export interface DataFileTable {
  spec: TableSpec;
  /** Values in column order, in ID order. */
  rows: SqlValue[][];
  changeTracking: false | { minValidVersion?: bigint; changes: { id: bigint; operation: "I" | "U" | "D"; version: bigint }[] };
}

export interface SandboxData {
  changeTrackingVersion?: bigint;
  tables: DataFileTable[];
}

export class DataFileError extends Error {}

/** One JSON value as the sandbox holds a value of this SQL type (see types.ts); throws a message saying what was expected. */
function toSqlValue(value: unknown, type: SqlType): SqlValue {
  const text = typeof value === "string" ? value : undefined;
  switch (type.name) {
    case "bigint":
      if (text !== undefined && /^-?\d+$/.test(text)) return BigInt(text);
      if (Number.isSafeInteger(value)) return BigInt(value as number);
      throw new Error("expected an integer as text, e.g. \"9007199254740993\"");
    case "int":
    case "smallint":
    case "tinyint":
      if (Number.isInteger(value)) return value as number;
      throw new Error("expected a JSON integer");
    case "bit":
      if (typeof value === "boolean") return value;
      if (value === 0 || value === 1) return value === 1;
      throw new Error("expected true or false");
    case "float":
      if (typeof value === "number") return value;
      throw new Error("expected a JSON number");
    case "money":
    case "decimal":
      if (text === undefined) throw new Error(`expected the exact number as text, e.g. "12.3400"`);
      return parseScaled(text, type.name === "money" ? 4 : type.scale);
    case "nvarchar":
      if (text === undefined) throw new Error("expected a string");
      if (type.length !== "max" && text.length > type.length) throw new Error(`longer than nvarchar(${type.length})`);
      return text;
    case "uniqueidentifier":
      if (text === undefined || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) throw new Error("expected a GUID, e.g. \"6F9619FF-8B86-D011-B42D-00C04FC964FF\"");
      return text.toUpperCase();
    case "varbinary":
      if (text === undefined || !/^0x([0-9a-f]{2})*$/i.test(text)) throw new Error("expected hex text, e.g. \"0x00FF\"");
      return Buffer.from(text.slice(2), "hex");
    case "datetime2":
      if (text === undefined) throw new Error("expected \"yyyy-mm-dd hh:mi:ss.fffffff\" (UTC, up to 7 fractional digits)");
      return formatDatetime2(parseDatetime2(text), 7);
  }
}

/** Reads and checks a data file; every problem is one line naming the file, table, row and column. */
export function readSandboxData(path: string): SandboxData {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DataFileError(`${path}: cannot read it as JSON (${(error as Error).message}).`);
  }
  const parsed = dataFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataFileError(`${path}: ${issue.path.join(".") || "(top level)"}: ${issue.message}. See the README's "The sandbox's data file".`);
  }
  const known = new Map(CONCORD_TABLES.map((t) => [t.name.toLowerCase(), t]));
  const tables = Object.entries(parsed.data.tables).map(([name, table]): DataFileTable => {
    const columns = table.columns ?? known.get(name.toLowerCase())?.columns;
    if (!columns) throw new DataFileError(`${path}: tables.${name}: give its "columns" (only ConcordDb's 32 tables have them built in).`);
    if (!columns.some((c) => c.name === "ID")) throw new DataFileError(`${path}: tables.${name}: needs an "ID" column (bigint, the key the extractor pages on).`);
    const types = columns.map((c) => {
      try {
        return parseSqlType(c.type);
      } catch (error) {
        throw new DataFileError(`${path}: tables.${name}.columns ${c.name}: ${(error as Error).message}.`);
      }
    });
    const rows = table.rows.map((row, r) => {
      for (const key of Object.keys(row)) {
        if (!columns.some((c) => c.name === key)) throw new DataFileError(`${path}: tables.${name}.rows[${r}]: no column "${key}" in the table.`);
      }
      return columns.map((column, i) => {
        const value = row[column.name];
        if (value === undefined || value === null) {
          if (!column.nullable) throw new DataFileError(`${path}: tables.${name}.rows[${r}].${column.name}: the column is NOT NULL; give it a value.`);
          return null;
        }
        try {
          return toSqlValue(value, types[i]);
        } catch (error) {
          throw new DataFileError(`${path}: tables.${name}.rows[${r}].${column.name} (${column.type}): ${(error as Error).message}; got ${JSON.stringify(value).slice(0, 60)}.`);
        }
      });
    });
    const idAt = columns.findIndex((c) => c.name === "ID");
    rows.sort((a, b) => ((a[idAt] as bigint) < (b[idAt] as bigint) ? -1 : 1));
    rows.forEach((row, i) => {
      if (i > 0 && row[idAt] === rows[i - 1][idAt]) throw new DataFileError(`${path}: tables.${name}: ID ${row[idAt]} appears twice.`);
    });
    const tracking = table.changeTracking;
    return {
      spec: { name, rows: rows.length, columns: columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable ?? false, references: c.references })) },
      rows,
      changeTracking:
        tracking === false
          ? false
          : tracking === true
            ? { changes: [] }
            : {
                minValidVersion: tracking.minValidVersion === undefined ? undefined : BigInt(tracking.minValidVersion),
                changes: tracking.changes.map((c) => ({ id: BigInt(c.ID), operation: c.operation, version: BigInt(c.version) })),
              },
    };
  });
  const version = parsed.data.changeTrackingVersion;
  for (const table of tables) {
    for (const change of table.changeTracking ? table.changeTracking.changes : []) {
      if (version !== undefined && change.version > BigInt(version)) {
        throw new DataFileError(`${path}: tables.${table.spec.name}.changeTracking: the change of ID ${change.id} at version ${change.version} is newer than changeTrackingVersion ${version}.`);
      }
    }
  }
  return { changeTrackingVersion: version === undefined ? undefined : BigInt(version), tables };
}
