/**
 * A run of consecutive Karamad months in rotating styles, so every export quirk shows up in a
 * few files: encodings, digits, delimiters, header spellings, line endings.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { writeKaramadMonth, type KaramadMonthOptions, type MonthTruth } from "./karamad.ts";
import { writeKaramadDetail, type DetailTruth } from "./karamad-detail.ts";

type Style = Pick<KaramadMonthOptions, "encoding" | "digits" | "delimiter" | "headerStyle" | "lineEnding">;

export const MONTH_STYLES: Style[] = [
  { encoding: "utf-8", digits: "latin", delimiter: ",", headerStyle: "standard", lineEnding: "\n" },
  { encoding: "windows-1256", digits: "latin", delimiter: ",", headerStyle: "arabic", lineEnding: "\r\n" },
  { encoding: "utf-8-bom", digits: "persian", delimiter: ";", headerStyle: "aliases", lineEnding: "\r\n" },
  { encoding: "utf-8", digits: "persian", delimiter: "\t", headerStyle: "arabic", lineEnding: "\n" },
];

/** The first generated month: Bahman 1402, so runs of months cross Nowruz and give year-on-year comparisons. */
export const FIRST_MONTH = { jalaliYear: 1402, jalaliMonth: 11 };

export async function writeSampleMonths(
  dir: string,
  options: { months: number; rowsPerMonth: number; seed?: number; start?: typeof FIRST_MONTH },
): Promise<MonthTruth[]> {
  mkdirSync(dir, { recursive: true });
  const truths: MonthTruth[] = [];
  let { jalaliYear, jalaliMonth } = options.start ?? FIRST_MONTH;
  for (let i = 0; i < options.months; i++) {
    const style = MONTH_STYLES[i % MONTH_STYLES.length];
    const name = `karamad-${jalaliYear}-${String(jalaliMonth).padStart(2, "0")}.csv`;
    truths.push(
      await writeKaramadMonth(path.join(dir, name), {
        jalaliYear, jalaliMonth, lines: options.rowsPerMonth, seed: (options.seed ?? 1) * 7919 + i,
        brokenRows: 3, shortRows: 2, trailingRows: 2, dirtyRows: 2, inconsistentRows: 2, ...style,
      }),
    );
    jalaliMonth = (jalaliMonth % 12) + 1;
    if (jalaliMonth === 1) jalaliYear++;
  }
  return truths;
}

/** Sales-detail exports (the real 61-column layout), one per month from `start`, with every quirk of that layout. */
export async function writeSampleDetail(
  dir: string,
  options: { months: number; rowsPerMonth: number; seed?: number; start?: typeof FIRST_MONTH },
): Promise<DetailTruth[]> {
  mkdirSync(dir, { recursive: true });
  const truths: DetailTruth[] = [];
  let { jalaliYear, jalaliMonth } = options.start ?? FIRST_MONTH;
  for (let i = 0; i < options.months; i++) {
    const name = `karamad-detail-${jalaliYear}-${String(jalaliMonth).padStart(2, "0")}.csv`;
    truths.push(
      await writeKaramadDetail(path.join(dir, name), {
        jalaliYear, jalaliMonth, rows: options.rowsPerMonth, seed: (options.seed ?? 1) * 104729 + i, keepLines: false,
      }),
    );
    jalaliMonth = (jalaliMonth % 12) + 1;
    if (jalaliMonth === 1) jalaliYear++;
  }
  return truths;
}
