/**
 * The catalog statements the sandbox answers, matched token by token (whitespace and keyword
 * case do not matter), and their results from the in-memory tables. They are the sandbox's own
 * copies of what a discovery client asks SQL Server (sys.tables, sys.columns + sys.types,
 * primary keys, foreign keys, sys.dm_db_partition_stats, sys.change_tracking_tables).
 */
import type { ResultColumn, SqlValue } from "../tds/types.ts";
import type { ConcordDb, SandboxTable } from "./db.ts";
import { sameStatement, tokenize, type Token } from "./sql.ts";

export interface CatalogAnswer {
  columns: ResultColumn[];
  rows: SqlValue[][];
}

const sysname = (name: string): ResultColumn => ({ name, type: { name: "nvarchar", length: 128 }, nullable: false });

const TABLES = `
SELECT t.name AS table_name,
  CAST(CASE WHEN ct.object_id IS NULL THEN 0 ELSE 1 END AS bit) AS change_tracking,
  CHANGE_TRACKING_MIN_VALID_VERSION(t.object_id) AS min_valid_version
FROM sys.tables AS t
LEFT JOIN sys.change_tracking_tables AS ct ON ct.object_id = t.object_id
WHERE t.schema_id = SCHEMA_ID(N'dbo') AND t.is_ms_shipped = 0
ORDER BY t.name`;

const COLUMNS = `
SELECT t.name AS table_name, c.column_id, c.name AS column_name, ty.name AS type_name,
  c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity
FROM sys.tables AS t
JOIN sys.columns AS c ON c.object_id = t.object_id
JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id
WHERE t.schema_id = SCHEMA_ID(N'dbo') AND t.is_ms_shipped = 0
ORDER BY t.name, c.column_id`;

const PRIMARY_KEYS = `
SELECT t.name AS table_name, c.name AS column_name, ic.key_ordinal
FROM sys.tables AS t
JOIN sys.key_constraints AS k ON k.parent_object_id = t.object_id AND k.type = 'PK'
JOIN sys.index_columns AS ic ON ic.object_id = t.object_id AND ic.index_id = k.unique_index_id
JOIN sys.columns AS c ON c.object_id = t.object_id AND c.column_id = ic.column_id
WHERE t.schema_id = SCHEMA_ID(N'dbo')
ORDER BY t.name, ic.key_ordinal`;

const FOREIGN_KEYS = `
SELECT t.name AS table_name, c.name AS column_name, OBJECT_NAME(fkc.referenced_object_id) AS referenced_table
FROM sys.foreign_key_columns AS fkc
JOIN sys.tables AS t ON t.object_id = fkc.parent_object_id
JOIN sys.columns AS c ON c.object_id = fkc.parent_object_id AND c.column_id = fkc.parent_column_id
WHERE t.schema_id = SCHEMA_ID(N'dbo')
ORDER BY t.name, c.name`;

const ROW_COUNTS = `
SELECT t.name AS table_name, SUM(p.row_count) AS approximate_rows
FROM sys.tables AS t
JOIN sys.dm_db_partition_stats AS p ON p.object_id = t.object_id AND p.index_id IN (0, 1)
WHERE t.schema_id = SCHEMA_ID(N'dbo')
GROUP BY t.name
ORDER BY t.name`;

function sorted(db: ConcordDb): SandboxTable[] {
  return [...db.tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** sys.columns.max_length, precision and scale as SQL Server reports them. */
export function columnShape(type: SandboxTable["columns"][number]["type"]): { typeName: string; maxLength: number; precision: number; scale: number } {
  switch (type.name) {
    case "bigint":
      return { typeName: "bigint", maxLength: 8, precision: 19, scale: 0 };
    case "int":
      return { typeName: "int", maxLength: 4, precision: 10, scale: 0 };
    case "smallint":
      return { typeName: "smallint", maxLength: 2, precision: 5, scale: 0 };
    case "tinyint":
      return { typeName: "tinyint", maxLength: 1, precision: 3, scale: 0 };
    case "bit":
      return { typeName: "bit", maxLength: 1, precision: 1, scale: 0 };
    case "money":
      return { typeName: "money", maxLength: 8, precision: 19, scale: 4 };
    case "float":
      return { typeName: "float", maxLength: 8, precision: 53, scale: 0 };
    case "decimal":
      return { typeName: "decimal", maxLength: type.precision <= 9 ? 5 : type.precision <= 19 ? 9 : type.precision <= 28 ? 13 : 17, precision: type.precision, scale: type.scale };
    case "nvarchar":
      return { typeName: "nvarchar", maxLength: type.length === "max" ? -1 : type.length * 2, precision: 0, scale: 0 };
    case "varbinary":
      return { typeName: "varbinary", maxLength: type.length === "max" ? -1 : type.length, precision: 0, scale: 0 };
    case "uniqueidentifier":
      return { typeName: "uniqueidentifier", maxLength: 16, precision: 0, scale: 0 };
    case "datetime2":
      return { typeName: "datetime2", maxLength: type.scale <= 2 ? 6 : type.scale <= 4 ? 7 : 8, precision: type.scale ? 20 + type.scale : 19, scale: type.scale };
  }
}

const ANSWERS: { name: string; tokens: Token[]; answer(db: ConcordDb, options: { viewDatabaseState: boolean }): CatalogAnswer }[] = [
  {
    name: "tables",
    tokens: tokenize(TABLES),
    answer: (db) => ({
      columns: [sysname("table_name"), { name: "change_tracking", type: { name: "bit" }, nullable: true }, { name: "min_valid_version", type: { name: "bigint" }, nullable: true }],
      rows: sorted(db).map((t) => [t.name, Boolean(t.changeTracking), t.changeTracking ? t.changeTracking.minValidVersion : null]),
    }),
  },
  {
    name: "columns",
    tokens: tokenize(COLUMNS),
    answer: (db) => ({
      columns: [
        sysname("table_name"),
        { name: "column_id", type: { name: "int" }, nullable: false },
        sysname("column_name"),
        sysname("type_name"),
        { name: "max_length", type: { name: "smallint" }, nullable: false },
        { name: "precision", type: { name: "tinyint" }, nullable: false },
        { name: "scale", type: { name: "tinyint" }, nullable: false },
        { name: "is_nullable", type: { name: "bit" }, nullable: true },
        { name: "is_identity", type: { name: "bit" }, nullable: false },
      ],
      rows: sorted(db).flatMap((t) =>
        t.columns.map((c, i) => {
          const shape = columnShape(c.type);
          return [t.name, i + 1, c.name, shape.typeName, shape.maxLength, shape.precision, shape.scale, c.nullable, c.name === "ID"];
        }),
      ),
    }),
  },
  {
    name: "primary keys",
    tokens: tokenize(PRIMARY_KEYS),
    answer: (db) => ({
      columns: [sysname("table_name"), sysname("column_name"), { name: "key_ordinal", type: { name: "tinyint" }, nullable: false }],
      rows: sorted(db).filter((t) => t.column("ID")).map((t) => [t.name, "ID", 1]),
    }),
  },
  {
    name: "foreign keys",
    tokens: tokenize(FOREIGN_KEYS),
    answer: (db) => ({
      columns: [sysname("table_name"), sysname("column_name"), { name: "referenced_table", type: { name: "nvarchar", length: 128 }, nullable: true }],
      rows: sorted(db).flatMap((t) =>
        t.columns
          .filter((c) => c.spec.references)
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .map((c) => [t.name, c.name, c.spec.references!]),
      ),
    }),
  },
  {
    name: "row counts",
    tokens: tokenize(ROW_COUNTS),
    answer: (db, options) => {
      if (!options.viewDatabaseState) {
        throw Object.assign(new Error("VIEW DATABASE STATE permission denied in database 'ConcordDb'."), { number: 300 });
      }
      return {
        columns: [sysname("table_name"), { name: "approximate_rows", type: { name: "bigint" }, nullable: true }],
        rows: sorted(db).map((t) => [t.name, BigInt(t.size)]),
      };
    },
  },
];

/** The catalog answer for a statement, or undefined when it is not one of the catalog statements. */
export function catalogStatement(tokens: Token[]): (typeof ANSWERS)[number] | undefined {
  return ANSWERS.find((a) => sameStatement(a.tokens, tokens));
}
