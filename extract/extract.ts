/**
 * `salesdw extract <source> <file…>`: each file is its own load (own transaction), so one
 * bad file never stops the others.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "./config.ts";
import { warn } from "./log.ts";
import { printLoad } from "./commands/program.ts";
import { landBatch, recordFailure, type LoadResult } from "./loader/loader.ts";
import type { Contract } from "./contracts/contracts.ts";
import { fileSource } from "./sources/registry.ts";
import { LoadRefused } from "./sources/source.ts";
import { connect } from "./warehouse/warehouse.ts";

export async function extractFiles(
  sourceName: string,
  files: string[],
  options: { url: string; progress?: boolean; entity?: string; sourceOptions?: Record<string, unknown> },
): Promise<LoadResult[]> {
  const { source, contractFor } = fileSource(sourceName);
  if (!files.length) throw new UserError(`usage: salesdw extract ${sourceName} <file…>`);
  const client = await connect(options.url);
  const results: LoadResult[] = [];
  try {
    for (const file of files) {
      const origin = path.basename(file);
      const startedAt = new Date();
      let result: LoadResult;
      if (!existsSync(file) || !statSync(file).isFile()) {
        result = { status: "failed", origin, rowsLoaded: 0, rowsRejected: 0, message: `${file}: no such file.` };
      } else {
        // Known once the file's entity is (a source with several entities recognises it from the header).
        let contract: Contract | undefined;
        try {
          contract = await contractFor(file, options.entity);
          const batch = await source.open(file, contract, options.sourceOptions);
          for (const line of batch.warnings) warn(`warning: ${line}`);
          result = await landBatch(client, batch, { progress: options.progress });
        } catch (error) {
          if (!(error instanceof LoadRefused)) throw error;
          const { fingerprint, bytes } = error.content ?? { fingerprint: "(not read)", bytes: statSync(file).size };
          const ledgerContract = contract ?? { source: sourceName, entity: "unrecognised", rawTable: "(unrecognised)" };
          await recordFailure(client, { contract: ledgerContract, origin, fingerprint, bytes, details: { path: path.resolve(file) } }, startedAt, error.message);
          result = { status: "failed", origin, rowsLoaded: 0, rowsRejected: 0, message: error.message };
        }
      }
      printLoad(result);
      results.push(result);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return results;
}
