/**
 * `salesdw extract <source> …`: one subcommand per source. File sources share one shape
 * (`<file…>`); API and database sources register their own options (see sources/registry.ts).
 */
import type { Command } from "commander";
import { warehouseUrl } from "../warehouse/warehouse.ts";
import { fileSources, pullSources } from "../sources/registry.ts";
import { exitWith, reportLoads } from "./program.ts";

export function register(program: Command): void {
  const extract = program.command("extract").description("land a source in raw (each file, page set or table is its own load)");
  for (const [name, source] of Object.entries(fileSources)) {
    extract
      .command(`${name} <files...>`)
      .description(source.description)
      .action(
        exitWith(async (files: string[]) => {
          const { extractFiles } = await import("../extract.ts");
          return reportLoads(await extractFiles(name, files, { url: warehouseUrl(), progress: true }));
        }),
      );
  }
  for (const source of Object.values(pullSources)) source.register(extract);
}
