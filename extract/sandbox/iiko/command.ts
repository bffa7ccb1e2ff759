/** `salesdw sandbox iiko [options]`: the iiko sandbox's subcommand (its work is imported when it runs). */
import type { Command } from "commander";
import { exitWith, isoDate, wholeNumber } from "../../commands/program.ts";
import type { IikoSandboxCliOptions } from "./cli.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerIikoSandbox(sandbox: Command): void {
  sandbox
    .command("iiko")
    .description("iikoServer sandbox: SHA-1 login, licence seats, session expiry, OLAP v2 over generated orders, faults on demand")
    .option("--port <n>", "port of the first server; the next servers take the following ports", wholeNumber, 18080)
    .option("--servers <n>", "restaurants (servers), each in its own time zone (1-3)", wholeNumber, 2)
    .option("--seats <n>", "licence seats per server", wholeNumber, 2)
    .option("--session-seconds <n>", "session lifetime after login", wholeNumber, 3600)
    .option("--seed <n>", "seed of the generated orders", wholeNumber, 1)
    .option("--slow-ms <n>", "how long a slow fault holds its answer", wholeNumber, 5000)
    .option("--fault <spec>", "[server/]kind[:yyyy-mm-dd][:times]; kind: 5xx, html, slow, 409, expire, garbage (repeatable)", collect, [])
    .option("--closed-day <yyyy-mm-dd>", "a business day without any orders (repeatable)", (v: string, p: string[]) => [...p, isoDate(v)], [])
    .action(
      exitWith(async (options: IikoSandboxCliOptions) => {
        const { runIikoSandbox } = await import("./cli.ts");
        return runIikoSandbox(options);
      }),
    );
}
