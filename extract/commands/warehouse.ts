import type { Command } from "commander";
import { UserError, warehouseSettings } from "../config.ts";
import { info } from "../log.ts";
import { runningPort, stopEmbedded } from "../warehouse/embedded.ts";
import { connect, describeUrl, ensureWarehouse, warehouseUrl, writeDataformCredentials } from "../warehouse/warehouse.ts";
import { exitWith } from "./program.ts";

export function register(program: Command): void {
  const warehouse = program.command("warehouse").description("manage the warehouse (embedded PostgreSQL unless WAREHOUSE_URL is set)");

  warehouse
    .command("start")
    .description("start (and on first use create) the embedded warehouse; write .df-credentials.json")
    .action(
      exitWith(async () => {
        const url = await ensureWarehouse(info, warehouseSettings());
        const file = writeDataformCredentials(url);
        info(`Warehouse ready at ${describeUrl(url)}; Dataform credentials written to ${file}.`);
        return 0;
      }),
    );

  warehouse
    .command("stop")
    .description("stop the embedded warehouse")
    .action(
      exitWith(async () => {
        const settings = warehouseSettings();
        if (settings.externalUrl) throw new UserError("WAREHOUSE_URL is set: that PostgreSQL is not ours to stop.");
        info((await stopEmbedded(settings)) ? "Embedded warehouse stopped." : "Embedded warehouse was not running.");
        return 0;
      }),
    );

  warehouse
    .command("status")
    .description("say whether the warehouse runs (exit code 3 when the embedded one is stopped)")
    .action(
      exitWith(async () => {
        const settings = warehouseSettings();
        if (settings.externalUrl) {
          info(`Using WAREHOUSE_URL: ${describeUrl(settings.externalUrl)}`);
          return 0;
        }
        const port = runningPort(settings);
        info(port === undefined ? `Embedded warehouse (${settings.dir}) is not running.` : `Embedded warehouse running on port ${port} (data in ${settings.dir}).`);
        return port === undefined ? 3 : 0;
      }),
    );

  warehouse
    .command("url")
    .description("print the connection URL, password included, for psql \"$(npx salesdw warehouse url)\"")
    .action(
      exitWith(async () => {
        // The one place a password is printed on purpose.
        process.stdout.write(warehouseUrl(warehouseSettings()) + "\n");
        return 0;
      }),
    );

  warehouse
    .command("roles")
    .description("create/update the loader, transformer and reader roles (least privilege)")
    .action(
      exitWith(async () => {
        const { ensureRoles, ROLES } = await import("../warehouse/roles.ts");
        const client = await connect(warehouseUrl(warehouseSettings()));
        try {
          for (const line of await ensureRoles(client)) info(line);
        } finally {
          await client.end();
        }
        info(`Roles ready: ${Object.values(ROLES).join(", ")} (see README, "Least privilege").`);
        return 0;
      }),
    );
}
