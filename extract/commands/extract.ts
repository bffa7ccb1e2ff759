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
    const command = extract.command(`${name} <files...>`).description(source.description);
    for (const option of source.options ?? []) {
      const fallback = (option.env && process.env[option.env]) || option.defaultValue;
      if (option.parse) command.option(option.flags, option.description, option.parse, fallback);
      else command.option(option.flags, option.description, fallback);
    }
    if (source.recognise) command.option("--entity <name>", "load every file as this entity instead of recognising each file's from its header");
    command.action(
      exitWith(async (files: string[], options: Record<string, unknown> & { entity?: string }) => {
        const { extractFiles } = await import("../extract.ts");
        const { entity, ...sourceOptions } = options;
        return reportLoads(await extractFiles(name, files, { url: warehouseUrl(), progress: true, entity, sourceOptions }));
      }),
    );
  }
  for (const source of Object.values(pullSources)) source.register(extract);
}
