/**
 * salesdw: the command line. Thin on purpose: each command parses its options and calls a module.
 */
import { loadDotEnv, UserError, warehouseSettings } from "./config.ts";
import { info, redact, warn } from "./log.ts";
import { runningPort, stopEmbedded } from "./warehouse/embedded.ts";
import { describeUrl, ensureWarehouse, warehouseUrl, writeDataformCredentials } from "./warehouse/warehouse.ts";
// Commands import their modules when they run, so that `extract` starts without loading the rest.

const USAGE = `usage: salesdw <command>

  warehouse start | stop | status | url   manage the warehouse (embedded PostgreSQL unless WAREHOUSE_URL is set)
  warehouse roles                         create/update the loader, transformer and reader roles (least privilege)
  extract <source> <file…>               land files in raw (sources: karamad)
  contracts generate | check              write / verify includes/contracts.js from contracts/*.yaml
  samples karamad [--out DIR] [--months N] [--rows N] [--seed N]   write generated Karamad exports
  check                                   run only the assertions against the warehouse as it stands (no rebuild)
  bench [--rows N]                        measure extractor vs plain COPY, peak memory, full vs incremental dataform run
  demo                                    the main job: warehouse, sample exports, extract, dataform run, summary
  serve [--port 8080] [--host 127.0.0.1]  the dashboard: sales, restaurants, seller balances, data quality, admin
`;

type Command = (args: string[]) => Promise<number>;

/** Reads `--name value` options; everything else is positional. */
function parseOptions(args: string[]): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) positional.push(args[i]);
    else options[match[1]] = match[2] ?? (args[i + 1] && !args[i + 1].startsWith("--") ? args[++i] : "true");
  }
  return { positional, options };
}

function numberOption(options: Record<string, string>, name: string, fallback: number): number {
  if (options[name] === undefined) return fallback;
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 0) throw new UserError(`--${name} must be a whole number, got "${options[name]}".`);
  return value;
}

const commands: Record<string, Command> = {
  demo: async () => (await import("./demo.ts")).runDemo(),
  bench: async (args) => (await import("./bench.ts")).runBench(numberOption(parseOptions(args).options, "rows", 1_000_000)),
  check: async () => {
    const { assertionNames, dataform } = await import("./dataform.ts");
    const url = warehouseUrl();
    const names = await assertionNames(url);
    info(`Running ${names.length} assertions against the warehouse as it stands (nothing is rebuilt)…`);
    const run = await dataform("run", url, names.flatMap((name) => ["--actions", name]));
    for (const name of run.assertionsFailed) warn(`failed: ${name}  (see: select * from ${name})`);
    const missing = names.length - run.assertionsPassed.length - run.assertionsFailed.length;
    if (run.code !== 0 && !run.assertionsFailed.length) warn(run.output.trim());
    info(`${run.assertionsPassed.length} passed, ${run.assertionsFailed.length} failed${missing > 0 ? `, ${missing} did not run` : ""}.`);
    return run.code === 0 && !run.assertionsFailed.length ? 0 : 1;
  },
  extract: async ([source, ...files]) => {
    if (!source) throw new UserError("usage: salesdw extract <source> <file…>");
    const { extractFiles } = await import("./extract.ts");
    const results = await extractFiles(source, files, { url: warehouseUrl(), progress: true });
    const failed = results.filter((r) => r.status === "failed").length;
    const loaded = results.filter((r) => r.status === "loaded").length;
    const skipped = results.filter((r) => r.status === "skipped").length;
    info(`${loaded} loaded, ${skipped} already loaded, ${failed} failed.`);
    return failed ? 1 : 0;
  },
  contracts: async ([action]) => {
    const { generatedContractsAreCurrent, writeGeneratedContracts } = await import("./contracts/generate.ts");
    const { loadContracts } = await import("./contracts/contracts.ts");
    if (action === "generate") {
      info(writeGeneratedContracts() ? "includes/contracts.js updated." : "includes/contracts.js is up to date.");
      return 0;
    }
    if (action === "check") {
      const contracts = loadContracts();
      if (!generatedContractsAreCurrent()) {
        warn("error: includes/contracts.js is stale: run `npm run contracts:generate` and commit it.");
        return 1;
      }
      info(`${contracts.length} contract(s) valid; includes/contracts.js is up to date.`);
      return 0;
    }
    throw new UserError("usage: salesdw contracts generate | check");
  },
  samples: async (args) => {
    const { positional, options } = parseOptions(args);
    if (positional[0] !== "karamad") throw new UserError("usage: salesdw samples karamad [--out DIR] [--months N] [--rows N] [--seed N]");
    const { writeSampleMonths } = await import("./samples/months.ts");
    const written = await writeSampleMonths(options.out ?? "samples/karamad", {
      months: numberOption(options, "months", 3),
      rowsPerMonth: numberOption(options, "rows", 2000),
      seed: numberOption(options, "seed", 1),
    });
    for (const month of written) info(`${month.file}: ${month.rawRows + month.rejectedRows} rows`);
    return 0;
  },
  warehouse: async ([action]) => {
    const settings = warehouseSettings();
    switch (action) {
      case "start": {
        const url = await ensureWarehouse(info, settings);
        const file = writeDataformCredentials(url);
        info(`Warehouse ready at ${describeUrl(url)}; Dataform credentials written to ${file}.`);
        return 0;
      }
      case "stop":
        if (settings.externalUrl) throw new UserError("WAREHOUSE_URL is set: that PostgreSQL is not ours to stop.");
        info((await stopEmbedded(settings)) ? "Embedded warehouse stopped." : "Embedded warehouse was not running.");
        return 0;
      case "status": {
        if (settings.externalUrl) {
          info(`Using WAREHOUSE_URL: ${describeUrl(settings.externalUrl)}`);
          return 0;
        }
        const port = runningPort(settings);
        info(port === undefined ? `Embedded warehouse (${settings.dir}) is not running.` : `Embedded warehouse running on port ${port} (data in ${settings.dir}).`);
        return port === undefined ? 3 : 0;
      }
      case "url":
        // The one place a password is printed on purpose: `psql "$(npx salesdw warehouse url)"`.
        process.stdout.write(warehouseUrl(settings) + "\n");
        return 0;
      case "roles": {
        const { ensureRoles, ROLES } = await import("./warehouse/roles.ts");
        const { connect } = await import("./warehouse/warehouse.ts");
        const client = await connect(warehouseUrl(settings));
        try {
          for (const line of await ensureRoles(client)) info(line);
        } finally {
          await client.end();
        }
        info(`Roles ready: ${Object.values(ROLES).join(", ")} (see README, "Least privilege").`);
        return 0;
      }
      default:
        throw new UserError(`usage: salesdw warehouse start | stop | status | url | roles`);
    }
  },
};

// ── serve: the dashboard (extract/serve/command.ts does the work) ──
commands.serve = async (args) => {
  const { serveCommand } = await import("./serve/command.ts");
  return serveCommand(parseOptions(args).options);
};

// The benchmark measures a child extractor's peak memory this way (Node cannot read a child's rusage).
if (process.env.SALESDW_REPORT_PEAK_RSS) {
  process.on("exit", () => process.stderr.write(`peak_rss_kb=${process.resourceUsage().maxRSS}\n`));
}

async function main(argv: string[]): Promise<number> {
  loadDotEnv();
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    warn(`Unknown command "${name}".\n${USAGE}`);
    return 2;
  }
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UserError) warn(`error: ${error.message}`);
    else warn(`error: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
    process.exitCode = 1;
  },
);
