/**
 * `salesdw sandbox <source>`: local servers that behave like sources that cannot run here. Each
 * says plainly that it is a sandbox and prints the settings that point a client at it.
 */
import type { Command } from "commander";
import { info } from "../log.ts";
import { exitWith, wholeNumber } from "./program.ts";
import { registerIikoSandbox } from "../sandbox/iiko/command.ts";
import { registerConcordSandbox } from "../sandbox/concord/command.ts";

export function register(program: Command): void {
  const sandbox = program.command("sandbox").description("run a local imitation of a source's server (generated data; not the real service)");

  sandbox
    .command("xero")
    .description("a local server that behaves like Xero's identity and Accounting API (tokens, tenants, paging, limits, faults)")
    .option("--port <n>", "port on 127.0.0.1 (default: any free port)", wholeNumber, 0)
    .option("--seed <n>", "seed of the generated organisation", wholeNumber, 20250701)
    .option("--invoices <n>", "sales invoices to generate", wholeNumber, 320)
    .option("--no-pagination", "answer paged requests without the pagination object, as older servers do")
    .action(
      exitWith(async (options: { port: number; seed: number; invoices: number; pagination: boolean }) => {
        const { startXeroSandbox } = await import("../sandbox/xero/server.ts");
        const server = await startXeroSandbox({ port: options.port, seed: options.seed, invoices: options.invoices, pagination: options.pagination });
        info(`SANDBOX: this is a local imitation of Xero on ${server.url}, with generated data. It is not Xero and holds no real organisation.`);
        info(`Organisation "${server.data.tenantName}" (tenant ${server.data.tenantId}): ${server.data.documents.length} documents, ${server.data.contacts.length} contacts, ${server.data.items.length} items.`);
        info("Point the Xero client at it with these settings (.env or the environment):");
        for (const [name, value] of Object.entries(server.settings)) info(`  ${name}=${value}`);
        info("  XERO_TOKEN_FILE=.xero-sandbox-token.json   (keeps the sandbox's rotated tokens apart from real ones)");
        info(`Faults on demand: POST ${server.url}/_sandbox/faults {"kind":"503","path":"/api.xro/2.0/Invoices","times":2}, or ?sandbox_fault=429 on any URL.`);
        info(`Changes between syncs: POST ${server.url}/_sandbox/changes {"action":"void","number":"INV-00012"}. State: GET ${server.url}/_sandbox`);
        info("Ctrl-C stops it; tokens and changes live in memory only.");
        await new Promise<void>((resolve) => {
          for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
        });
        await server.close();
        return 0;
      }),
    );
  // iiko: extract/sandbox/iiko/
  registerIikoSandbox(sandbox);
  // ConcordDb: extract/sandbox/concord/
  registerConcordSandbox(sandbox);
}
