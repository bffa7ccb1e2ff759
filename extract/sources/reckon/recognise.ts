/**
 * Which Reckon extract a file is, from its header: the extract whose layout (every column of
 * its contract that arrives under a header, by any alias; not a line number staging can number)
 * the header holds. A header that
 * holds no layout, or more than one, is refused with the candidates; `--entity` names one.
 */
import { open } from "node:fs/promises";
import path from "node:path";
import { parse as parseSync } from "csv-parse/sync";
import iconv from "iconv-lite";
import { loadContracts, type Contract } from "../../contracts/contracts.ts";
import { foldText } from "../../contracts/fold.ts";
import { UserError } from "../../config.ts";
import { detectDelimiter } from "../csv-file.ts";
import { LoadRefused } from "../source.ts";

const HEAD_BYTES = 64 << 10;

export const RECKON = "reckon";

export function reckonContracts(): Contract[] {
  return loadContracts().filter((c) => c.source === RECKON);
}

/**
 * The header fields of a CSV file: its first line with text (Reckon's invoice and line files
 * begin with an empty line), decoded as UTF-8 or UTF-16 by byte-order mark.
 */
export async function readHeaderFields(file: string): Promise<string[]> {
  const handle = await open(file, "r");
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const encoding = head[0] === 0xff && head[1] === 0xfe ? "utf-16le" : head[0] === 0xfe && head[1] === 0xff ? "utf-16be" : "utf-8";
  const text = iconv.decode(head, encoding, { stripBOM: true });
  const line = text.split("\n").map((l) => l.replace(/\r$/, "")).find((l) => l.trim() !== "");
  if (line === undefined) return [];
  try {
    return (parseSync(line, { delimiter: detectDelimiter(line), relax_column_count: true, relax_quotes: true }) as string[][])[0] ?? [];
  } catch {
    return [];
  }
}

export interface LayoutFit {
  contract: Contract;
  /** Layout columns the header lacks (their first header). */
  missing: string[];
}

/** How well a header holds each contract's layout; a contract fits when nothing is missing. */
export function layoutFits(headers: string[], contracts: Contract[]): LayoutFit[] {
  const present = new Set(headers.map(foldText));
  return contracts.map((contract) => ({
    contract,
    missing: contract.columns
      // A numbered column (line_identity) is not part of the layout: staging numbers it when the file has none.
      .filter((column) => column.headers.length && column.name !== contract.line_identity?.column)
      .filter((column) => !column.headers.some((h) => present.has(foldText(h))))
      .map((column) => column.headers[0]),
  }));
}

/** The contract for one file: the forced entity, or the one layout its header holds. */
export async function recogniseReckonFile(file: string, entity?: string): Promise<Contract> {
  const contracts = reckonContracts();
  const label = path.basename(file);
  if (entity) {
    const forced = contracts.find((c) => c.entity === entity);
    if (!forced) throw new UserError(`Unknown Reckon extract "${entity}"; extracts: ${contracts.map((c) => c.entity).join(", ")}.`);
    return forced;
  }
  const fits = layoutFits(await readHeaderFields(file), contracts);
  const matches = fits.filter((f) => !f.missing.length);
  if (matches.length === 1) return matches[0].contract;
  const names = (list: LayoutFit[]) => list.map((f) => f.contract.entity).join(", ");
  if (matches.length > 1) {
    throw new LoadRefused(
      `${label}: the header holds the columns of several Reckon extracts (${names(matches)}); ` +
        `load it with --entity ${matches.map((f) => f.contract.entity).join("|")}, or split the file.`,
    );
  }
  const closest = [...fits].sort((a, b) => a.missing.length - b.missing.length).slice(0, 2);
  const detail = closest.map((f) => `${f.contract.entity} lacks ${f.missing.slice(0, 4).join(", ")}${f.missing.length > 4 ? ", …" : ""}`).join("; ");
  throw new LoadRefused(
    `${label}: the header matches none of the Reckon extracts (${names(fits)}); closest: ${detail}. ` +
      `Fix the header, or load it as one of them with --entity NAME.`,
  );
}
