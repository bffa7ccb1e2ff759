/**
 * salesdw: the command line. Thin on purpose: each command parses its options and calls a module.
 */
import { loadDotEnv, UserError, warehouseSettings } from "./config.ts";
import { info, redact, warn } from "./log.ts";
import { runningPort, stopEmbedded } from "./warehouse/embedded.ts";
import { describeUrl, ensureWarehouse, warehouseUrl, writeDataformCredentials } from "./warehouse/warehouse.ts";

const USAGE = `usage: salesdw <command>

  warehouse start | stop | status | url   manage the warehouse (embedded PostgreSQL unless WAREHOUSE_URL is set)
  extract <source> <file…>               land files in raw (sources: karamad)
  contracts generate | check              write / verify includes/contracts.js from contracts/*.yaml
  samples karamad [--out DIR] [--months N] [--rows N] [--seed N]   write generated Karamad exports
  demo                                    the main job: warehouse, sample exports, extract, dataform run, summary
`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
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
      default:
        throw new UserError(`usage: salesdw warehouse start | stop | status | url`);
    }
  },
};

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
