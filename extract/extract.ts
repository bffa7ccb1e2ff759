/**
 * `salesdw extract <source> <file…>`: each file is its own load (own transaction), so one
 * bad file never stops the others.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "./config.ts";
import { info, warn } from "./log.ts";
import { landBatch, recordFailure, type LoadResult } from "./loader/loader.ts";
import { ensureRawTables } from "./loader/raw-schema.ts";
import { fileSource } from "./sources/registry.ts";
import { LoadRefused } from "./sources/source.ts";
import { connect } from "./warehouse/warehouse.ts";

export async function extractFiles(
  sourceName: string,
  files: string[],
  options: { url: string; progress?: boolean; quiet?: boolean },
): Promise<LoadResult[]> {
  const { source, contract } = fileSource(sourceName);
  if (!files.length) throw new UserError(`usage: salesdw extract ${sourceName} <file…>`);
  const client = await connect(options.url);
  const results: LoadResult[] = [];
  try {
    await ensureRawTables(client, contract);
    for (const file of files) {
      const origin = path.basename(file);
      const startedAt = new Date();
      let result: LoadResult;
      if (!existsSync(file) || !statSync(file).isFile()) {
        result = { status: "failed", origin, rowsLoaded: 0, rowsRejected: 0, message: `${file}: no such file.` };
      } else {
        try {
          const batch = await source.open(file, contract);
          for (const line of batch.warnings) warn(`warning: ${line}`);
          result = await landBatch(client, batch, { progress: options.progress });
        } catch (error) {
          if (!(error instanceof LoadRefused) || /connection was lost/.test(error.message)) throw error;
          const fingerprint = await sha256(file);
          await recordFailure(client, { contract, origin, fingerprint, bytes: statSync(file).size, details: { path: path.resolve(file) } }, startedAt, error.message);
          result = { status: "failed", origin, rowsLoaded: 0, rowsRejected: 0, message: error.message };
        }
      }
      if (result.status === "failed") warn(`error: ${result.message}`);
      else if (!options.quiet) info(result.message);
      results.push(result);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return results;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
