/**
 * What ConcordDb says about itself: every dbo table with its columns and SQL types, primary
 * key, foreign keys, approximate row count (sys.dm_db_partition_stats, needs VIEW DATABASE
 * STATE) and change-tracking state (sys.change_tracking_tables, needs VIEW CHANGE TRACKING).
 */
import { warn } from "../../log.ts";
import { queryRows, type ConcordPool } from "./client.ts";

export interface CatalogColumn {
  name: string;
  /** sys.types name: bigint, nvarchar, decimal… */
  type: string;
  /** sys.columns.max_length: bytes, -1 for (max). */
  maxLength: number;
  precision: number;
  scale: number;
  nullable: boolean;
  identity: boolean;
  /** The table a foreign key on this column points at. */
  references?: string;
}

export interface CatalogTable {
  name: string;
  columns: CatalogColumn[];
  primaryKey: string[];
  /** Approximate (partition statistics); undefined when the login may not read them. */
  approximateRows?: number;
  changeTracking: boolean;
  minValidVersion?: string;
}

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

/** Reads the catalog of schema dbo. */
export async function readCatalog(pool: ConcordPool): Promise<Map<string, CatalogTable>> {
  const tables = new Map<string, CatalogTable>();
  for (const row of await queryRows<{ table_name: string; change_tracking: boolean | null; min_valid_version: string | null }>(pool, TABLES)) {
    tables.set(row.table_name, {
      name: row.table_name,
      columns: [],
      primaryKey: [],
      changeTracking: Boolean(row.change_tracking),
      minValidVersion: row.min_valid_version ?? undefined,
    });
  }
  type ColumnRow = { table_name: string; column_name: string; type_name: string; max_length: number; precision: number; scale: number; is_nullable: boolean; is_identity: boolean };
  for (const row of await queryRows<ColumnRow>(pool, COLUMNS)) {
    tables.get(row.table_name)?.columns.push({
      name: row.column_name,
      type: row.type_name,
      maxLength: row.max_length,
      precision: row.precision,
      scale: row.scale,
      nullable: Boolean(row.is_nullable),
      identity: Boolean(row.is_identity),
    });
  }
  for (const row of await queryRows<{ table_name: string; column_name: string }>(pool, PRIMARY_KEYS)) {
    tables.get(row.table_name)?.primaryKey.push(row.column_name);
  }
  for (const row of await queryRows<{ table_name: string; column_name: string; referenced_table: string | null }>(pool, FOREIGN_KEYS)) {
    const column = tables.get(row.table_name)?.columns.find((c) => c.name === row.column_name);
    if (column && row.referenced_table) column.references = row.referenced_table;
  }
  try {
    for (const row of await queryRows<{ table_name: string; approximate_rows: string | null }>(pool, ROW_COUNTS)) {
      const table = tables.get(row.table_name);
      if (table && row.approximate_rows !== null) table.approximateRows = Number(row.approximate_rows);
    }
  } catch (error) {
    warn(`warning: ConcordDb row counts are not available (${(error as Error).message}); grant the login VIEW DATABASE STATE to see them.`);
  }
  return tables;
}

/** A table by name, case-insensitively (SQL Server's default collation), or undefined. */
export function findTable(catalog: Map<string, CatalogTable>, name: string): CatalogTable | undefined {
  const lower = name.toLowerCase();
  for (const table of catalog.values()) if (table.name.toLowerCase() === lower) return table;
  return undefined;
}

/** How a column's type is written in SQL: nvarchar(150), decimal(30,14), varbinary(max)… */
export function sqlTypeText(column: CatalogColumn): string {
  switch (column.type) {
    case "nvarchar":
    case "nchar":
      return `${column.type}(${column.maxLength === -1 ? "max" : column.maxLength / 2})`;
    case "varchar":
    case "char":
    case "varbinary":
    case "binary":
      return `${column.type}(${column.maxLength === -1 ? "max" : column.maxLength})`;
    case "decimal":
    case "numeric":
      return `${column.type}(${column.precision},${column.scale})`;
    case "datetime2":
      return column.scale === 7 ? "datetime2" : `datetime2(${column.scale})`;
    default:
      return column.type;
  }
}
