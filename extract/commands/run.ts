/** `salesdw run` (the whole warehouse in one command) and `salesdw runs` (what recent runs did). */
import type { Command } from "commander";
import { warehouseUrl } from "../warehouse/warehouse.ts";
import { commaList, exitWith, wholeNumber } from "./program.ts";

interface RunFlags {
  only?: string[];
  skipExtract?: boolean;
  skipModels?: boolean;
  skipChecks?: boolean;
  fullRefresh?: boolean;
  wait: boolean;
  config?: string;
}

export function register(program: Command): void {
  program
    .command("run")
    .description("extract every configured source (salesdw.yaml), then dataform run, then the assertions; summary, run log, alerts")
    .option("--only <sources>", "extract only these sources (comma-separated)", commaList)
    .option("--skip-extract", "extract nothing (build and check only)")
    .option("--skip-models", "do not rebuild the models (the assertions still run unless --skip-checks)")
    .option("--skip-checks", "do not run the assertions")
    .option("--full-refresh", "rebuild incremental models from scratch (dataform run --full-refresh)")
    .option("--no-wait", "when another run holds the warehouse, refuse (exit code 3) instead of waiting")
    .option("--config <file>", "configuration file (default: salesdw.yaml in the current folder or the project)")
    .addHelpText("after", "\nExit codes: 0 everything succeeded, 1 something failed (see the summary), 3 refused (--no-wait).")
    .action(
      exitWith(async (flags: RunFlags) => {
        const { runWarehouse } = await import("../run/run.ts");
        return runWarehouse(flags);
      }),
    );

  program
    .command("runs")
    .description("recent salesdw runs: status, durations, loads, models, assertions, failures")
    .option("--last <n>", "how many runs", wholeNumber, 10)
    .option("--config <file>", "configuration file (for its time zone)")
    .action(
      exitWith(async (flags: { last: number; config?: string }) => {
        const { listRuns } = await import("../run/history.ts");
        return listRuns(warehouseUrl(), flags.last, flags.config);
      }),
    );
}
