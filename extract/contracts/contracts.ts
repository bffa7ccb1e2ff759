/**
 * Reads and validates the YAML data contracts. A contract names a source entity's raw table,
 * its columns, the headers each column may arrive under, types, keys and coded values.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { projectRoot, UserError } from "../config.ts";
import { foldText } from "./fold.ts";
import { contractSchema, type ContractColumn, type ContractDocument } from "./schema.ts";

export interface Contract extends ContractDocument {
  /** Where it was read from, for messages. */
  file: string;
  /** `raw.<source>__<entity>`: the table name inside schema raw. */
  rawTable: string;
  /** Folded header → column. */
  headerIndex: Map<string, ContractColumn>;
}

export const contractsDir = path.join(projectRoot, "contracts");

export class ContractError extends UserError {}

/** Parses and checks one contract; every problem names the file and the path inside it. */
export function parseContract(text: string, file: string): Contract {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : "";
    throw new ContractError(`${file}:${where} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const parsed = contractSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new ContractError(`${file}: ${problems.join("; ")}`);
  }
  const contract = parsed.data;
  const problems: string[] = [];
  const names = new Set<string>();
  const headerIndex = new Map<string, ContractColumn>();
  contract.columns.forEach((column, i) => {
    if (names.has(column.name)) problems.push(`columns[${i}].name: "${column.name}" is defined twice`);
    if (column.name.startsWith("_")) problems.push(`columns[${i}].name: names starting with _ are reserved`);
    names.add(column.name);
    for (const header of column.headers) {
      const folded = foldText(header);
      const owner = headerIndex.get(folded);
      if (owner && owner !== column) problems.push(`columns[${i}].headers: "${header}" is also a header of ${owner.name}`);
      headerIndex.set(folded, column);
    }
  });
  contract.columns.forEach((column, i) => {
    if (!column.headers.length && !column.sum_of) problems.push(`columns[${i}].headers: list at least one source header (or derive the column with sum_of)`);
    for (const part of column.sum_of ?? []) {
      const source = contract.columns.find((c) => c.name === part);
      if (!source) problems.push(`columns[${i}].sum_of: "${part}" is not one of the columns`);
      else if (source.type !== "decimal" || column.type !== "decimal") problems.push(`columns[${i}].sum_of: sums need decimal columns ("${part}" is ${source.type})`);
    }
    if ((column.timezone || column.timezone_column) && column.type !== "timestamp") problems.push(`columns[${i}]: timezone applies to timestamp columns only`);
    if (column.timezone_column && !names.has(column.timezone_column)) problems.push(`columns[${i}].timezone_column: "${column.timezone_column}" is not one of the columns`);
  });
  const known = (name: string, where: string) => {
    if (!names.has(name)) problems.push(`${where}: "${name}" is not one of the columns`);
  };
  contract.key.forEach((key, i) => known(key, `key[${i}]`));
  if (contract.line_identity) {
    known(contract.line_identity.column, "line_identity.column");
    contract.line_identity.position_within.forEach((name, i) => known(name, `line_identity.position_within[${i}]`));
  }
  if (contract.rules) {
    const { event_type, event_date } = contract.rules;
    known(event_type.column, "rules.event_type.column");
    [...event_type.negative_columns, ...event_type.same_sign_columns].forEach((name) => known(name, "rules.event_type"));
    const typeColumn = contract.columns.find((c) => c.name === event_type.column);
    const codes = new Set([...Object.values(typeColumn?.allowed_values ?? {}), ...Object.values(typeColumn?.contains_values ?? {})]);
    event_type.return_codes.forEach((code, i) => {
      if (!codes.has(code)) problems.push(`rules.event_type.return_codes[${i}]: "${code}" is not a code in ${event_type.column}'s allowed_values`);
    });
    for (const [type, columns] of Object.entries(event_date)) columns.forEach((name, i) => known(name, `rules.event_date.${type}[${i}]`));
  }
  if (problems.length) throw new ContractError(`${file}: ${problems.join("; ")}`);
  return { ...contract, file, rawTable: `${contract.source}__${contract.entity}`, headerIndex };
}

function formatPath(parts: PropertyKey[]): string {
  return parts.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "") || "(top level)";
}

/**
 * Contracts already parsed in this process, by file and text: a run reads every contract more
 * than once (the generated view's check, the raw layer before Dataform), and YAML parsing plus
 * validation is most of the cost. An edited file has another text, so it is parsed again.
 */
const parsed = new Map<string, { text: string; contract: Contract }>();

function parsedContract(full: string, text: string): Contract {
  const kept = parsed.get(full);
  if (kept?.text === text) return kept.contract;
  const contract = parseContract(text, path.relative(projectRoot, full));
  parsed.set(full, { text, contract });
  return contract;
}

/**
 * Every contract under contracts/, sorted by source and entity. `wanted` (source, entity from the
 * file name) skips the files a caller does not need before they are parsed.
 */
export function loadContracts(dir = contractsDir, wanted?: (source: string, entity: string) => boolean): Contract[] {
  const contracts: Contract[] = [];
  for (const source of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(path.join(dir, source.name)).filter((f) => /\.ya?ml$/.test(f))) {
      if (wanted && !wanted(source.name, file.replace(/\.ya?ml$/, ""))) continue;
      const full = path.join(dir, source.name, file);
      const contract = parsedContract(full, readFileSync(full, "utf8"));
      const expected = `${contract.source}/${contract.entity}`;
      if (`${source.name}/${file.replace(/\.ya?ml$/, "")}` !== expected) {
        throw new ContractError(`${contract.file}: a contract for ${expected} must be stored as contracts/${expected}.yaml`);
      }
      contracts.push(contract);
    }
  }
  return contracts.sort((a, b) => a.rawTable.localeCompare(b.rawTable));
}

/** The contract of `source` (and `entity`, when the source has several). Reads only that source's files (YAML parsing is a good part of an extraction's start-up); every file only to list the known sources in an error. */
export function findContract(source: string, entity?: string, dir = contractsDir): Contract {
  const matches = loadContracts(dir, (s, e) => s === source && (!entity || e === entity));
  if (matches.length === 1) return matches[0];
  const known = [...new Set(loadContracts(dir).map((c) => c.source))].join(", ");
  if (!matches.length) throw new UserError(`No contract for source "${source}"${entity ? ` entity "${entity}"` : ""}; known sources: ${known}.`);
  throw new UserError(`Source "${source}" has several entities (${matches.map((c) => c.entity).join(", ")}); name one.`);
}
