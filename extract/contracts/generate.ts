/**
 * Dataform compiles in a sandbox without `fs`, so it cannot read contracts/*.yaml itself.
 * This writes what the SQLX models need from the contracts into includes/contracts.js,
 * a generated file that `npm test` and `salesdw contracts check` refuse when stale.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../config.ts";
import { foldText } from "./fold.ts";
import { loadContracts, type Contract } from "./contracts.ts";

export const generatedFile = path.join(projectRoot, "includes", "contracts.js");

function forDataform(contract: Contract) {
  const folded = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([value, code]) => [foldText(value), code]));
  return {
    source: contract.source,
    entity: contract.entity,
    raw_table: contract.rawTable,
    description: contract.description,
    key: contract.key,
    ...(contract.line_identity && { line_identity: contract.line_identity }),
    ...(contract.rules && { rules: contract.rules }),
    columns: contract.columns.map((column) => ({
      name: column.name,
      type: column.type,
      required: column.required,
      description: column.description,
      // Folded source value → warehouse code; staging folds the raw value the same way before the lookup.
      ...(column.allowed_values && { allowed_values: folded(column.allowed_values) }),
      ...(column.contains_values && { contains_values: folded(column.contains_values) }),
      ...(column.sum_of && { sum_of: column.sum_of }),
      ...(column.timezone && { timezone: column.timezone }),
      ...(column.timezone_column && { timezone_column: column.timezone_column }),
    })),
  };
}

export function renderGeneratedContracts(contracts = loadContracts()): string {
  const body = Object.fromEntries(contracts.map((c) => [c.rawTable, forDataform(c)]));
  return [
    "// GENERATED from contracts/*.yaml by `npm run contracts:generate`. Do not edit by hand.",
    "// Dataform's compile sandbox cannot read YAML files; this is the contracts' view for SQLX.",
    `module.exports = ${JSON.stringify(body, null, 2)};`,
    "",
  ].join("\n");
}

export function writeGeneratedContracts(): boolean {
  const text = renderGeneratedContracts();
  const current = existsSync(generatedFile) ? readFileSync(generatedFile, "utf8") : "";
  if (current === text) return false;
  writeFileSync(generatedFile, text);
  return true;
}

export function generatedContractsAreCurrent(): boolean {
  return existsSync(generatedFile) && readFileSync(generatedFile, "utf8") === renderGeneratedContracts();
}
