/** `salesdw serve`: the dashboard (extract/serve/command.ts does the work). */
import { type Command, InvalidArgumentError } from "commander";
import { SERVE_DEFAULTS, serveCommand } from "../serve/command.ts";
import { exitWith } from "./program.ts";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`must be a port number (0-65535), got "${value}".`);
  return n;
}

export function register(program: Command): void {
  program
    .command("serve")
    .description("the dashboard: sales, restaurants, seller balances, data quality, admin")
    .option("--port <n>", "port to listen on", port, SERVE_DEFAULTS.port)
    .option("--host <address>", "address to listen on", SERVE_DEFAULTS.host)
    .action(exitWith(async (options: { port: number; host: string }) => serveCommand(options)));
}
