/** `salesdw sandbox mssql [options]` (alias `concord`): the ConcordDb sandbox's subcommand (its work is imported when it runs). */
import { Option, type Command } from "commander";
import { info } from "../../log.ts";
import { commaList, exitWith, wholeNumber } from "../../commands/program.ts";

export function registerConcordSandbox(sandbox: Command): void {
  sandbox
    .command("mssql")
    .alias("concord")
    .description("a TDS (SQL Server protocol) server serving ConcordDb tables, generated or from --data; prints the CONCORD_URL that reaches it")
    .option("--port <n>", "port on 127.0.0.1 (default: any free port)", wholeNumber)
    .option("--data <file.json>", "serve exactly the tables of this JSON file (format: README, ConcordDb, \"The sandbox's data file\") instead of generated ones")
    .option("--sales <n>", "fill the sales tables (empty in the real database): N orders and sales, 3N order items", wholeNumber, 0)
    .option("--rows <table=n,...>", "rows per table instead of the development database's counts, e.g. ClientBankDetails=1000000", commaList)
    .addOption(new Option("--change-tracking <tables>", 'tables with Change Tracking on: "all", "none" or a comma-separated list (default: the client tables and invoice documents)'))
    .option("--fail-login", "refuse every login (as with a wrong password)")
    .option("--drop-after-rows <n>", "cut the connection once, after this many rows have been served", wholeNumber)
    .option("--drop-table <table>", "with --drop-after-rows: only on this table")
    .option("--slow-ms <n>", "wait this long before answering each query", wholeNumber)
    .action(
      exitWith(async (options: {
        port?: number;
        data?: string;
        sales: number;
        rows?: string[];
        changeTracking?: string;
        failLogin?: boolean;
        dropAfterRows?: number;
        dropTable?: string;
        slowMs?: number;
      }) => {
        const { startConcordSandbox, SANDBOX_NOTICE } = await import("./sandbox.ts");
        const { UserError } = await import("../../config.ts");
        const { readSandboxData, DataFileError } = await import("./data-file.ts");
        let data: Awaited<ReturnType<typeof readSandboxData>> | undefined;
        if (options.data !== undefined) {
          const generatedOnly = [options.sales ? "--sales" : "", options.rows ? "--rows" : "", options.changeTracking !== undefined ? "--change-tracking" : ""].filter(Boolean);
          if (generatedOnly.length) throw new UserError(`--data serves the file's tables as they are (change tracking included): drop ${generatedOnly.join(", ")}.`);
          try {
            data = readSandboxData(options.data);
          } catch (error) {
            if (error instanceof DataFileError) throw new UserError(error.message);
            throw error;
          }
        }
        const rows: Record<string, number> = {};
        for (const item of options.rows ?? []) {
          const match = /^(\w+)=(\d+)$/.exec(item);
          if (!match) throw new UserError(`--rows: expected table=count, got "${item}".`);
          rows[match[1]] = Number(match[2]);
        }
        const tracked = options.changeTracking;
        const sandbox = await startConcordSandbox({
          port: options.port,
          data,
          sales: options.sales,
          rows,
          changeTracking: tracked === undefined ? undefined : tracked === "all" || tracked === "none" ? tracked : tracked.split(",").map((t) => t.trim()),
          faults: {
            failLogin: options.failLogin,
            dropConnection: options.dropAfterRows === undefined ? undefined : { afterRows: options.dropAfterRows, table: options.dropTable },
            slowQuery: options.slowMs === undefined ? undefined : { ms: options.slowMs },
          },
        });
        info(SANDBOX_NOTICE);
        info(`Serving ${sandbox.db.tables.size} ${data ? `tables from ${options.data}` : "generated ConcordDb tables"} on 127.0.0.1:${sandbox.port} (no TLS: encrypt=false).`);
        info(`Point the extractor at it (a sandbox password, not a secret):`);
        info(`  CONCORD_URL='${sandbox.url}'`);
        info("Press Ctrl+C to stop.");
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await sandbox.close();
        return 0;
      }),
    );
}
