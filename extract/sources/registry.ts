/**
 * The sources `salesdw extract` knows, by kind. A file source is one entry in `fileSources`
 * plus its contract; an API ("http") or database source is one entry in `pullSources`: it adds
 * its own `extract <name>` subcommand (its options) and can be run by `salesdw run`.
 */
import type { Command } from "commander";
import { UserError } from "../config.ts";
import { findContract, type Contract } from "../contracts/contracts.ts";
import type { LoadResult } from "../loader/loader.ts";
import { openCsvFile } from "./csv-file.ts";
import type { SourceBatch } from "./source.ts";
import { concordSource } from "./concord/source.ts";

export interface FileSource {
  kind: "file";
  entity: string;
  description: string;
  open(file: string, contract: Contract): Promise<SourceBatch>;
}

export interface PullSource {
  kind: "http" | "database";
  description: string;
  /** True when the environment holds this source's settings (credentials, servers), so `salesdw run` includes it. */
  configured(env: NodeJS.ProcessEnv): boolean;
  /** Adds `salesdw extract <name> [options]`. */
  register(extract: Command): void;
  /** Extracts with the given options into the warehouse at `url`; one result per load (each printed as it lands). */
  run(url: string, options: Record<string, unknown>): Promise<LoadResult[]>;
}

export const fileSources: Record<string, FileSource> = {
  karamad: { kind: "file", entity: "sales_line", description: "Karamad monthly sales export (CSV, Persian headers)", open: openCsvFile },
};

export const pullSources: Record<string, PullSource> = {};

// ConcordDb (SQL Server).
pullSources.concord = concordSource;

export function fileSource(name: string): { source: FileSource; contract: Contract } {
  const source = fileSources[name];
  if (!source) {
    throw new UserError(`Unknown source "${name}"; file sources: ${Object.keys(fileSources).join(", ")}.`);
  }
  return { source, contract: findContract(name, source.entity) };
}
