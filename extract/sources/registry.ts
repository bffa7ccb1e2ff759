/**
 * The sources `salesdw extract` knows, by kind. A file source is one entry in `fileSources`
 * plus its contract; an API ("http") or database source is one entry in `pullSources`: it adds
 * its own `extract <name>` subcommand (its options) and can be run by `salesdw run`.
 */
import type { Command } from "commander";
import { UserError } from "../config.ts";
import type { Contract } from "../contracts/contracts.ts";
import type { LoadResult } from "../loader/loader.ts";
import { openSellerEventsFile, timezoneOption } from "./events/events-file.ts";
import type { SourceBatch } from "./source.ts";
import { xeroSource } from "./xero/source.ts";
import { iikoSource } from "./iiko/index.ts";
import { concordSource } from "./concord/source.ts";

// Readers are imported when a file is opened: every command's start-up (and `--help`) loads this
// registry, and the readers pull in the contracts (YAML, zod) and the CSV machinery.
const openCsvFile: FileSource["open"] = async (file, contract) => (await import("./csv-file.ts")).openCsvFile(file, contract);
const recogniseReckonFile: NonNullable<FileSource["recognise"]> = async (file, entity) => (await import("./reckon/recognise.ts")).recogniseReckonFile(file, entity);

export interface FileSource {
  kind: "file";
  /** The entity every file of this source holds; a source with several entities has `recognise` instead. */
  entity?: string;
  /** The contract's source when it differs from the registry name (a source with several file entities). */
  contractSource?: string;
  description: string;
  /** Options of `salesdw extract <name>` beyond the files, handed to `open` by their camel-cased name. */
  options?: FileSourceOption[];
  /** Several entities: the contract of one file, recognised from its header or named by `--entity`. */
  recognise?(file: string, entity?: string): Promise<Contract>;
  open(file: string, contract: Contract, options?: Record<string, unknown>): Promise<SourceBatch>;
}

export interface FileSourceOption {
  flags: string;
  description: string;
  /** An environment variable that gives the default, then `defaultValue`. */
  env?: string;
  defaultValue?: string;
  parse?: (value: string) => string;
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
  // Seller money events (contracts/events/): the event files, and the optional opening balances per seller.
  events: {
    kind: "file", entity: "seller_event", description: "seller money events (CSV, both event vocabularies)",
    options: [timezoneOption], open: openSellerEventsFile,
  },
  "events-opening-balances": {
    kind: "file", contractSource: "events", entity: "opening_balance",
    description: "opening balance per seller and currency (CSV: seller_id, currency, opening_balance)", open: openCsvFile,
  },
  reckon: {
    kind: "file",
    description: "Reckon history extracts (customers, products, invoices, sales lines, clusters): each file's extract recognised from its header",
    recognise: recogniseReckonFile,
    open: openCsvFile,
  },
};

export const pullSources: Record<string, PullSource> = {
  xero: xeroSource,
  // iiko: restaurant sales from iikoServer's OLAP API (extract/sources/iiko/)
  iiko: iikoSource,
};

// ConcordDb (SQL Server).
pullSources.concord = concordSource;

export function fileSource(name: string): { source: FileSource; contractFor(file: string, entity?: string): Promise<Contract> } {
  const source = fileSources[name];
  if (!source) {
    throw new UserError(`Unknown source "${name}"; file sources: ${Object.keys(fileSources).join(", ")}.`);
  }
  if (source.recognise) return { source, contractFor: (file, entity) => source.recognise!(file, entity) };
  return { source, contractFor: async () => (await import("../contracts/contracts.ts")).findContract(source.contractSource ?? name, source.entity) };
}
