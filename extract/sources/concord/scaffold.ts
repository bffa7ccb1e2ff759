/**
 * `salesdw contracts scaffold concord`: writes contracts/concord/<table>.yaml for the ConcordDb
 * tables salesdw syncs, from the SQL Server catalog (names, types, nullability, foreign keys),
 * ready to review. Existing files are kept unless --force.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../config.ts";
import { contractsDir, parseContract } from "../../contracts/contracts.ts";
import { info } from "../../log.ts";
import { readCatalog, sqlTypeText, type CatalogColumn, type CatalogTable } from "./catalog.ts";
import { openConcord } from "./client.ts";
import { readerFor } from "./columns.ts";
import { SYNC_HEADERS } from "./plan.ts";
import { concordSettings, describeConcord } from "./settings.ts";
import { columnNameOf, CONCORD_TABLES, entityOf } from "./tables.ts";
import { REVIEW_NOTES, SCHEMA_NOTES } from "./notes.ts";

const COMMON: Record<string, string> = {
  ID: "Primary key (identity); the extractor pages by it.",
  NetUID: "The application's GUID for the row.",
  Created: "When the row was created, UTC without an offset.",
  Updated: "Written by the application, which leaves it alone in about a third of its updates: not a change cursor.",
  Deleted: "Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts).",
};

function columnDescription(table: string, column: CatalogColumn): string {
  const parts = [`${sqlTypeText(column)}${column.nullable ? "" : " not null"}.`];
  for (const note of [COMMON[column.name], SCHEMA_NOTES[`${table}.${column.name}`], REVIEW_NOTES[`${table}.${column.name}`]]) if (note) parts.push(note);
  if (column.references) parts.push(`References ${column.references}.ID.`);
  if (column.type === "money") parts.push("Text with all 4 decimals (converted by the server).");
  if (column.type === "decimal" || column.type === "numeric") parts.push("Exact text from the server (a double would lose digits).");
  if (column.type === "datetime2") parts.push("Text with 7 fractional digits (style 121).");
  if (column.type === "varbinary" || column.type === "binary") parts.push("Hex, 0x-prefixed.");
  return parts.join(" ");
}

const q = (text: string) => JSON.stringify(text);

export function renderContract(table: CatalogTable): string {
  const info = Object.entries(CONCORD_TABLES).find(([name]) => name.toLowerCase() === table.name.toLowerCase())?.[1];
  const entity = entityOf(table.name);
  const lines: string[] = [
    `# ConcordDb dbo.${table.name}: written by \`salesdw contracts scaffold concord\` from the SQL Server catalog, then reviewed.`,
    "# One contract column per source column (headers: the SQL Server name), plus three columns the extractor",
    "# adds to every row: the operation, the change version and the row hash.",
    "contract_version: 1",
    "source: concord",
    `entity: ${entity}`,
    `description: ${q(`ConcordDb dbo.${table.name}${info ? ` (phase ${info.phase})` : ""}: ${info?.description ?? "a table of the ConcordDb ERP."} Raw keeps every version of a row with its operation; staging gives the current state.`)}`,
    "origin:",
    "  kind: mssql",
    `key: [${columnNameOf(table.primaryKey[0] ?? "ID")}]`,
    "columns:",
  ];
  const names = new Set<string>();
  for (const column of table.columns) {
    const reader = readerFor(column);
    if (!reader) throw new UserError(`dbo.${table.name}.${column.name} is ${sqlTypeText(column)}, a type the extractor does not read.`);
    const name = columnNameOf(column.name);
    if (names.has(name)) throw new UserError(`dbo.${table.name}: two columns become "${name}"; name one by hand.`);
    names.add(name);
    lines.push(
      `  - name: ${name}`,
      `    headers: [${q(column.name)}]`,
      `    type: ${reader.contractType}`,
      ...(table.primaryKey.includes(column.name) ? ["    required: true"] : []),
      `    description: ${q(columnDescription(table.name, column))}`,
    );
  }
  lines.push(
    "  - name: sync_operation",
    `    headers: [${q(SYNC_HEADERS.operation)}]`,
    "    type: text",
    `    description: ${q("What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only).")}`,
    "  - name: sync_version",
    `    headers: [${q(SYNC_HEADERS.version)}]`,
    "    type: integer",
    `    description: ${q("The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run.")}`,
    "  - name: sync_row_hash",
    `    headers: [${q(SYNC_HEADERS.rowHash)}]`,
    "    type: text",
    `    description: ${q("Hash of the row's values; the next full read compares it to find updates.")}`,
    "",
  );
  return lines.join("\n");
}

export async function scaffoldConcord(options: { tables?: string[]; force?: boolean }, dir = contractsDir): Promise<number> {
  const settings = concordSettings();
  const pool = await openConcord(settings);
  try {
    const catalog = await readCatalog(pool);
    const wanted = options.tables?.length ? options.tables : Object.keys(CONCORD_TABLES);
    const missing = wanted.filter((name) => ![...catalog.keys()].some((t) => t.toLowerCase() === name.toLowerCase()));
    if (missing.length) throw new UserError(`ConcordDb at ${describeConcord(settings)} has no table ${missing.map((m) => `dbo.${m}`).join(", ")}.`);
    mkdirSync(path.join(dir, "concord"), { recursive: true });
    let written = 0;
    for (const table of [...catalog.values()].filter((t) => wanted.some((w) => w.toLowerCase() === t.name.toLowerCase()))) {
      const file = path.join(dir, "concord", `${entityOf(table.name)}.yaml`);
      const shown = path.relative(process.cwd(), file);
      if (existsSync(file) && !options.force) {
        info(`${shown}: exists, kept (--force to overwrite).`);
        continue;
      }
      const text = renderContract(table);
      parseContract(text, shown); // what is written must be a valid contract
      writeFileSync(file, text);
      written++;
      info(`${shown}: written (${table.columns.length} columns).`);
    }
    info(`${written} contract(s) written. Review them, then run \`npm run contracts:generate\`.`);
    return 0;
  } finally {
    await pool.close();
  }
}
