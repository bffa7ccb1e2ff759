/**
 * The sources `salesdw extract` knows. A new file source is one line here plus its contract;
 * API and database sources add their own `open` that yields batches the same loader lands.
 */
import { UserError } from "../config.ts";
import { findContract, type Contract } from "../contracts/contracts.ts";
import { openCsvFile } from "./csv-file.ts";
import type { SourceBatch } from "./source.ts";

export interface FileSource {
  kind: "file";
  entity: string;
  description: string;
  open(file: string, contract: Contract): Promise<SourceBatch>;
}

export const fileSources: Record<string, FileSource> = {
  karamad: { kind: "file", entity: "sales_line", description: "Karamad monthly sales export (CSV, Persian headers)", open: openCsvFile },
};

export function fileSource(name: string): { source: FileSource; contract: Contract } {
  const source = fileSources[name];
  if (!source) {
    throw new UserError(`Unknown source "${name}"; file sources: ${Object.keys(fileSources).join(", ")}.`);
  }
  return { source, contract: findContract(name, source.entity) };
}
