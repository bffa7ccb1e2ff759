/**
 * `salesdw extract concord --discover [--json]`: every dbo table with its approximate row
 * count, primary key, change-tracking state, the contract that covers it and the drift
 * against that contract. Exits non-zero when a contracted table is missing or has drift
 * that would stop its sync.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { info } from "../../log.ts";
import { contractsDir, loadContracts, type Contract } from "../../contracts/contracts.ts";
import type { CatalogTable } from "./catalog.ts";
import { DriftError, planTable } from "./plan.ts";
import { CONCORD_TABLES, entityOf } from "./tables.ts";

export interface DiscoveredTable {
  table: string;
  approximate_rows: number | null;
  primary_key: string[];
  change_tracking: boolean;
  min_valid_version: string | null;
  phase: number | null;
  contract: string | null;
  /** ok, warning (new columns land in _extra), fails (drift stops the sync), missing (contracted, not in the database), no contract. */
  status: "ok" | "warning" | "fails" | "missing" | "no contract";
  drift: string[];
}

/** The ConcordDb contracts, or only those of these entities (parsing all 32 costs more than landing a small table). */
export function concordContracts(entities?: string[]): Contract[] {
  return loadContracts(contractsDir, (source, entity) => source === "concord" && (!entities || entities.includes(entity)));
}

/** The entities contracts/concord/ has a contract for, from the file names alone (contracts/<source>/<entity>.yaml). */
export function concordEntities(): string[] {
  const dir = path.join(contractsDir, "concord");
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files.filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, "")).sort();
}

export function phaseOf(table: string): number | null {
  const entry = Object.entries(CONCORD_TABLES).find(([name]) => name.toLowerCase() === table.toLowerCase());
  return entry ? entry[1].phase : null;
}

export function discover(catalog: Map<string, CatalogTable>, contracts: Contract[]): DiscoveredTable[] {
  const byEntity = new Map(contracts.map((c) => [c.entity, c]));
  const out: DiscoveredTable[] = [];
  for (const table of catalog.values()) {
    const contract = byEntity.get(entityOf(table.name));
    byEntity.delete(entityOf(table.name));
    const row: DiscoveredTable = {
      table: table.name,
      approximate_rows: table.approximateRows ?? null,
      primary_key: table.primaryKey,
      change_tracking: table.changeTracking,
      min_valid_version: table.minValidVersion ?? null,
      phase: phaseOf(table.name),
      contract: contract?.file ?? null,
      status: contract ? "ok" : "no contract",
      drift: [],
    };
    if (contract) {
      try {
        const plan = planTable(table, contract);
        if (plan.warnings.length) {
          row.status = "warning";
          row.drift = plan.warnings;
        }
      } catch (error) {
        if (!(error instanceof DriftError)) throw error;
        row.status = "fails";
        row.drift = [error.message];
      }
    }
    out.push(row);
  }
  for (const contract of byEntity.values()) {
    out.push({
      table: contract.entity,
      approximate_rows: null,
      primary_key: [],
      change_tracking: false,
      min_valid_version: null,
      phase: phaseOf(contract.entity),
      contract: contract.file,
      status: "missing",
      drift: [`${contract.file} covers dbo.${contract.entity}, which ConcordDb does not have`],
    });
  }
  return out.sort((a, b) => a.table.localeCompare(b.table));
}

export function printDiscovery(where: string, tables: DiscoveredTable[], json: boolean): number {
  const failing = tables.filter((t) => t.status === "fails" || t.status === "missing");
  if (json) {
    process.stdout.write(JSON.stringify({ server: where, tables }, null, 2) + "\n");
    return failing.length ? 1 : 0;
  }
  const tracked = tables.filter((t) => t.change_tracking).length;
  info(`ConcordDb at ${where}: ${tables.filter((t) => t.status !== "missing").length} tables in dbo, change tracking on ${tracked}.`);
  const header = ["table", "rows", "key", "change tracking", "phase", "contract", "status"];
  const lines = tables.map((t) => [
    t.table,
    t.approximate_rows === null ? "?" : t.approximate_rows.toLocaleString("en-US"),
    t.primary_key.join(",") || "-",
    t.change_tracking ? `on (min ${t.min_valid_version ?? "?"})` : "off",
    t.phase === null ? "-" : String(t.phase),
    t.contract ?? "-",
    t.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  info(format(header));
  for (const line of lines) info(format(line));
  for (const t of tables) for (const d of t.drift) info(`${t.status === "warning" ? "warning" : "drift"}: ${d}`);
  if (failing.length) info(`${failing.length} table(s) cannot be synced as they stand: ${failing.map((t) => t.table).join(", ")}.`);
  return failing.length ? 1 : 0;
}
