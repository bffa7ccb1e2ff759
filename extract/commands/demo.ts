/** The main job, sample data and the benchmark. */
import { Option, type Command } from "commander";
import { info } from "../log.ts";
import { exitWith, wholeNumber } from "./program.ts";

export function register(program: Command): void {
  program
    .command("demo")
    .description("the main job: warehouse, sample data for every source, extract, dataform run, summary")
    .action(exitWith(async () => (await import("../demo.ts")).runDemo()));

  program
    .command("bench")
    .description("measure extractor vs plain COPY, peak memory, full vs incremental dataform run")
    .option("--rows <n>", "rows in the generated file", wholeNumber, 1_000_000)
    .action(exitWith(async (options: { rows: number }) => (await import("../bench.ts")).runBench(options.rows)));

  const samples = program.command("samples").description("write generated sample files");
  samples
    .command("karamad")
    .description("Karamad exports: the short monthly layout and the 61-column sales-detail layout")
    .option("--out <dir>", "output folder", "samples/karamad")
    .addOption(new Option("--layout <layout>", "which layout to write").choices(["monthly", "detail", "both"]).default("both"))
    .option("--months <n>", "months", wholeNumber, 3)
    .option("--rows <n>", "rows per month", wholeNumber, 2000)
    .option("--seed <n>", "random seed", wholeNumber, 1)
    .action(
      exitWith(async (options: { out: string; months: number; rows: number; seed: number; layout: string }) => {
        const { writeSampleMonths, writeSampleDetail } = await import("../samples/months.ts");
        const settings = { months: options.months, rowsPerMonth: options.rows, seed: options.seed };
        if (options.layout !== "detail") {
          for (const month of await writeSampleMonths(options.out, settings)) info(`${month.file}: ${month.rawRows + month.rejectedRows} rows`);
        }
        if (options.layout !== "monthly") {
          for (const month of await writeSampleDetail(options.out, settings)) info(`${month.file}: ${month.rawRows} rows (61 columns)`);
        }
        return 0;
      }),
    );
}
