/**
 * ConcordDb as a pull source: `salesdw extract concord [--phase 1,2 | --tables A,B] [--discover [--json]]`.
 * Each table is its own load; a table that fails does not stop the others, and the command
 * ends non-zero naming it.
 */
import type { Command } from "commander";
import { UserError } from "../../config.ts";
import type { LoadResult } from "../../loader/loader.ts";
import { commaList, exitWith, printLoad, reportLoads, wholeNumber } from "../../commands/program.ts";
import type { PullSource } from "../registry.ts";
import { concordConfigured } from "./settings.ts";

export interface ConcordOptions {
  discover?: boolean;
  json?: boolean;
  phase?: string[];
  tables?: string[];
  pageSize?: number;
  progress?: boolean;
}

/** The entities a run covers: all ConcordDb contracts, or those of the phases or tables asked for. */
export function selectEntities(all: string[], options: ConcordOptions, phaseOf: (table: string) => number | null): string[] {
  if (options.phase?.length && options.tables?.length) throw new UserError("Give --phase or --tables, not both.");
  if (options.phase?.length) {
    const phases = options.phase.map((p) => {
      const n = Number(p);
      if (![1, 2, 3, 4].includes(n)) throw new UserError(`--phase: phases are 1, 2, 3 and 4, got "${p}".`);
      return n;
    });
    return all.filter((entity) => phases.includes(phaseOf(entity) ?? -1));
  }
  if (options.tables?.length) {
    const unknown = options.tables.filter((t) => !all.includes(t.toLowerCase()));
    if (unknown.length) throw new UserError(`--tables: no ConcordDb contract for ${unknown.join(", ")}; known: ${all.join(", ")}.`);
    return all.filter((entity) => options.tables!.some((t) => t.toLowerCase() === entity));
  }
  return all;
}

/**
 * Options from salesdw.yaml (`sources: concord: …`) as well as from the command line:
 * `phases` or `phase` ([1, 2] or "1,2"), `tables` ([Client] or "Client,ClientType"), `page_size`.
 */
export function runOptions(raw: Record<string, unknown>): ConcordOptions {
  const list = (value: unknown, name: string): string[] | undefined => {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value.map(String);
    if (typeof value === "string" || typeof value === "number") return String(value).split(",").map((s) => s.trim()).filter(Boolean);
    throw new UserError(`concord: ${name} must be a list, got ${JSON.stringify(value)}.`);
  };
  const known = new Set(["phase", "phases", "tables", "page_size", "pageSize", "progress", "timezone", "discover", "json"]);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length) throw new UserError(`concord: unknown option(s) ${unknown.join(", ")}; known: phases, tables, page_size.`);
  const pageSize = raw.page_size ?? raw.pageSize;
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || (pageSize as number) < 1)) throw new UserError(`concord: page_size must be a whole number, got ${JSON.stringify(pageSize)}.`);
  return {
    phase: list(raw.phases ?? raw.phase, "phases"),
    tables: list(raw.tables, "tables"),
    pageSize: pageSize as number | undefined,
    progress: Boolean(raw.progress),
  };
}

async function run(url: string, options: ConcordOptions): Promise<LoadResult[]> {
  const { concordSettings } = await import("./settings.ts");
  const { openConcord, ConcordError } = await import("./client.ts");
  const { readCatalog } = await import("./catalog.ts");
  const { concordContracts, concordEntities, phaseOf } = await import("./discover.ts");
  const { syncTable } = await import("./sync.ts");
  const { connect } = await import("../../warehouse/warehouse.ts");
  const entities = selectEntities(concordEntities(), options, phaseOf);
  const contracts = entities.length ? concordContracts(entities) : [];
  if (!contracts.length) throw new UserError("No ConcordDb contracts selected (contracts/concord/ is empty? run `salesdw contracts scaffold concord`).");
  const pool = await openConcord(concordSettings());
  const results: LoadResult[] = [];
  try {
    const catalog = await readCatalog(pool);
    const client = await connect(url);
    // A second connection reads raw's current state while the first one lands rows.
    const reader = await connect(url).catch(async (error) => {
      await client.end().catch(() => undefined);
      throw error;
    });
    try {
      for (const contract of contracts) {
        let result: LoadResult;
        try {
          result = await syncTable(pool, { client, reader }, catalog, contract, { pageSize: options.pageSize ?? 20_000, progress: options.progress ?? false });
        } catch (error) {
          if (!(error instanceof ConcordError)) throw error;
          result = { status: "failed", origin: `concord:dbo.${contract.entity}`, rowsLoaded: 0, rowsRejected: 0, message: `concord:dbo.${contract.entity}: ${error.message}; its cursor did not move.` };
        }
        printLoad(result);
        results.push(result);
      }
    } finally {
      await Promise.all([client.end().catch(() => undefined), reader.end().catch(() => undefined)]);
    }
  } finally {
    await pool.close().catch(() => undefined);
  }
  return results;
}

async function discoverCommand(options: ConcordOptions): Promise<number> {
  const { concordSettings, describeConcord } = await import("./settings.ts");
  const { openConcord } = await import("./client.ts");
  const { readCatalog } = await import("./catalog.ts");
  const { concordContracts, discover, printDiscovery } = await import("./discover.ts");
  const settings = concordSettings();
  const pool = await openConcord(settings);
  try {
    const catalog = await readCatalog(pool);
    return printDiscovery(describeConcord(settings), discover(catalog, concordContracts()), Boolean(options.json));
  } finally {
    await pool.close().catch(() => undefined);
  }
}

export const concordSource: PullSource = {
  kind: "database",
  description: "ConcordDb on SQL Server: snapshot, then change tracking or full comparison, per table",
  configured: concordConfigured,
  register(extract: Command) {
    extract
      .command("concord")
      .description("ConcordDb (SQL Server) client and sales tables: a snapshot per table, then the changes (CONCORD_URL or CONCORD_SERVER…)")
      .option("--discover", "list every dbo table with rows, key, change tracking, contract and drift; land nothing")
      .option("--json", "with --discover: print JSON")
      .option("--phase <list>", "only the tables of these phases (1-4), e.g. 1,2", commaList)
      .option("--tables <list>", "only these tables, e.g. Client,ClientType", commaList)
      .option("--page-size <n>", "rows per keyset page", wholeNumber, 20_000)
      .action(
        exitWith(async (options: ConcordOptions) => {
          if (options.discover) return discoverCommand(options);
          const { warehouseUrl } = await import("../../warehouse/warehouse.ts");
          return reportLoads(await run(warehouseUrl(), { ...options, progress: true }));
        }),
      );
  },
  run: (url, options) => run(url, runOptions(options)),
};
