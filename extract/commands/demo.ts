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
    .option("--api-seconds <n>", "seconds of load on each API endpoint (50 clients, autocannon) after the warehouse is built; 0 skips it", wholeNumber, 10)
    .option("--events <n>", "instead: the seller-balance benchmark on this many generated events (full build, then one late event)", wholeNumber)
    .option("--concord <n>", "instead: the ConcordDb snapshot benchmark on a sandbox table of this many rows (extractor vs a bare client)", wholeNumber)
    .option("--xero <n>", "instead: the Xero sync benchmark on a sandbox history of this many sales invoices (calls against pages needed; documents/s)", wholeNumber)
    .action(
      exitWith(async (options: { rows: number; apiSeconds: number; events?: number; concord?: number; xero?: number }) =>
        options.xero !== undefined
          ? (await import("../sources/xero/bench.ts")).runXeroBench(options.xero)
          : options.concord !== undefined
          ? (await import("../sources/concord/bench.ts")).runConcordBench(options.concord)
          : options.events !== undefined
            ? (await import("../bench-events.ts")).runEventsBench(options.events)
            : (await import("../bench.ts")).runBench(options.rows, { apiSeconds: options.apiSeconds }),
      ),
    );

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
  samples
    .command("events")
    .description("seller money event files (both layouts, every quirk) and an opening-balances file")
    .option("--out <dir>", "output folder", "samples/events")
    .option("--sellers <n>", "sellers", wholeNumber, 10)
    .option("--days <n>", "days, one file per week", wholeNumber, 14)
    .option("--events <n>", "regular events (default 8 per seller and day; planted quirks come on top)", wholeNumber)
    .option("--seed <n>", "random seed", wholeNumber, 1)
    .option("--timezone <zone>", "write naive timestamps in this IANA zone (load them with the same --timezone)", "UTC")
    .action(
      exitWith(async (options: { out: string; sellers: number; days: number; events?: number; seed: number; timezone: string }) => {
        const { writeSellerEventSample } = await import("../samples/events.ts");
        const sample = await writeSellerEventSample(options.out, options);
        info(`${sample.eventFiles.length} event files, ${sample.rows.toLocaleString("en-US")} rows: ${sample.eventFiles.join(", ")}`);
        info(`planted: ${Object.entries(sample.planted).map(([quirk, n]) => `${n} ${quirk}`).join(", ")}`);
        info(`opening balances: ${sample.openingBalanceFile}`);
        return 0;
      }),
    );
  samples
    .command("reckon")
    .description("a Reckon history: the six extracts in the real layouts, with every quirk of the real files")
    .option("--out <dir>", "output folder", "samples/reckon")
    .option("--seed <n>", "random seed", wholeNumber, 1)
    .action(
      exitWith(async (options: { out: string; seed: number }) => {
        const { writeReckonSample } = await import("../samples/reckon.ts");
        const sample = writeReckonSample(options.out, { seed: options.seed });
        info(`${Object.values(sample.files).join("\n")}\n${sample.documents.length} documents, ${sample.lines.length} lines, ${sample.customers.length} customers.`);
        return 0;
      }),
    );
}
