/**
 * A table's catalog against its contract: which columns to read and where each lands (a
 * contract column, or `_extra` for a column the contract does not know yet), and the drift
 * that stops the table (a column gone, a type that no longer fits the contract, no single
 * integer key) or only warns (a new column).
 */
import { UserError } from "../../config.ts";
import type { Contract } from "../../contracts/contracts.ts";
import { foldText } from "../../contracts/fold.ts";
import { sqlTypeText, type CatalogColumn, type CatalogTable } from "./catalog.ts";
import { readerFor, type ColumnReader } from "./columns.ts";

/** Headers of the columns the extractor adds to every ConcordDb contract (never source columns). */
export const SYNC_HEADERS = {
  operation: "salesdw:operation",
  version: "salesdw:version",
  rowHash: "salesdw:row_hash",
} as const;

export interface PlannedColumn {
  catalog: CatalogColumn;
  reader: ColumnReader;
  /** Index of the contract column it fills, or the `_extra` key when the contract does not know it. */
  target: { kind: "contract"; index: number; name: string } | { kind: "extra"; key: string };
}

export interface TablePlan {
  table: CatalogTable;
  contract: Contract;
  /** Read in this order (the key first). */
  columns: PlannedColumn[];
  sync: { operation: number; version: number; rowHash: number };
  /** Contract index of the key column. */
  keyIndex: number;
  /** Source columns the contract does not know (they land in `_extra`). */
  unknownColumns: string[];
  warnings: string[];
}

/** Drift that stops a table: nothing of it is read until the contract is updated. */
export class DriftError extends UserError {}

export function planTable(table: CatalogTable, contract: Contract): TablePlan {
  const problems: string[] = [];
  const warnings: string[] = [];
  const where = `dbo.${table.name}`;
  const syncIndex = (header: string) => contract.columns.findIndex((c) => c.headers.includes(header));
  const sync = { operation: syncIndex(SYNC_HEADERS.operation), version: syncIndex(SYNC_HEADERS.version), rowHash: syncIndex(SYNC_HEADERS.rowHash) };
  for (const [what, index] of Object.entries(sync)) {
    if (index < 0) problems.push(`${contract.file} has no column with header "${SYNC_HEADERS[what as keyof typeof SYNC_HEADERS]}" (re-run \`salesdw contracts scaffold concord\`)`);
  }
  if (table.primaryKey.length !== 1) {
    problems.push(`${where} has ${table.primaryKey.length ? `a composite primary key (${table.primaryKey.join(", ")})` : "no primary key"}; the extractor pages by a single integer key`);
  }
  const keyColumn = table.columns.find((c) => c.name === table.primaryKey[0]);
  if (keyColumn && !["bigint", "int", "smallint", "tinyint"].includes(keyColumn.type)) {
    problems.push(`${where}'s key ${keyColumn.name} is ${keyColumn.type}; the extractor pages by an integer key`);
  }
  const byFolded = new Map(table.columns.map((c) => [foldText(c.name), c]));
  const planned: PlannedColumn[] = [];
  const matched = new Set<CatalogColumn>();
  contract.columns.forEach((column, index) => {
    if (Object.values(sync).includes(index)) return;
    const source = column.headers.map((h) => byFolded.get(foldText(h))).find(Boolean);
    if (!source) {
      problems.push(`column ${column.headers[0]} (${column.name}) is in ${contract.file} but no longer in ${where}`);
      return;
    }
    matched.add(source);
    const reader = readerFor(source);
    if (!reader) {
      problems.push(`column ${source.name} is ${sqlTypeText(source)}, a type the extractor does not read`);
      return;
    }
    if (reader.contractType !== column.type) {
      problems.push(`column ${source.name} is now ${sqlTypeText(source)} (${reader.contractType}) but ${contract.file} says ${column.type}`);
      return;
    }
    planned.push({ catalog: source, reader, target: { kind: "contract", index, name: column.name } });
  });
  const unknownColumns: string[] = [];
  for (const source of table.columns) {
    if (matched.has(source)) continue;
    const reader = readerFor(source);
    if (!reader) {
      warnings.push(`${where}: new column ${source.name} (${sqlTypeText(source)}) is not in ${contract.file} and is of a type the extractor does not read; it is left out`);
      continue;
    }
    unknownColumns.push(source.name);
    planned.push({ catalog: source, reader, target: { kind: "extra", key: source.name } });
  }
  if (unknownColumns.length) {
    warnings.push(`${where}: ${unknownColumns.length} column(s) not in ${contract.file}, kept in _extra: ${unknownColumns.join(", ")}`);
  }
  const keyIndex = contract.columns.findIndex((c) => keyColumn && c.headers.some((h) => foldText(h) === foldText(keyColumn.name)));
  if (keyColumn && keyIndex < 0) problems.push(`${contract.file} has no column for the key ${keyColumn.name}`);
  if (problems.length) throw new DriftError(`${where}: ${problems.join("; ")}. Nothing of this table was read.`);
  // The key first: the keyset pages order by it and records are keyed by it.
  planned.sort((a, b) => Number(b.catalog === keyColumn) - Number(a.catalog === keyColumn));
  return { table, contract, columns: planned, sync, keyIndex, unknownColumns, warnings };
}
