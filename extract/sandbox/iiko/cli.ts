/** `salesdw sandbox iiko`: starts the sandbox servers, says plainly what they are, prints the settings that reach them, runs until Ctrl-C. */
import { once } from "node:events";
import { info } from "../../log.ts";
import { parseFault, SANDBOX_BANNER, startIikoSandbox, type IikoSandboxOptions } from "./server.ts";

export interface IikoSandboxCliOptions {
  port: number;
  servers: number;
  seats: number;
  sessionSeconds: number;
  seed: number;
  slowMs: number;
  fault: string[];
  closedDay: string[];
}

export async function runIikoSandbox(options: IikoSandboxCliOptions): Promise<number> {
  const settings: IikoSandboxOptions = {
    port: options.port,
    servers: options.servers,
    seats: options.seats,
    sessionSeconds: options.sessionSeconds,
    seed: options.seed,
    slowMs: options.slowMs,
    faults: options.fault.map(parseFault),
    closedDays: options.closedDay,
  };
  const sandbox = await startIikoSandbox(settings);
  info(`${SANDBOX_BANNER}.`);
  info(`Generated orders (seed ${options.seed}) for any business day; ${sandbox.seats} licence seat(s) per server; sessions expire ${sandbox.sessionSeconds} s after login.`);
  for (const s of sandbox.servers) info(`  ${s.name.padEnd(8)} ${s.url}  ${s.timezone}  ${s.currency}  departments: ${s.departments.join(", ")}`);
  const faults = sandbox.faultsServed();
  info(faults.length ? `Faults: ${faults.map((f) => `${f.server ? `${f.server}/` : ""}${f.kind}${f.day ? ` on ${f.day}` : ""}${f.times ? ` ×${f.times}` : ""}`).join("; ")}.` : "Faults: none (add --fault 409:yyyy-mm-dd, 5xx, html, slow, expire, garbage).");
  info("\nSettings that point `salesdw extract iiko` at this sandbox (environment or .env):");
  for (const [name, value] of Object.entries(sandbox.env())) info(`${name}=${value}`);
  info("\nPress Ctrl-C to stop.");
  await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
  await sandbox.close();
  info("iiko sandbox stopped.");
  return 0;
}
