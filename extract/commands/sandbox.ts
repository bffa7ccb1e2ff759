/**
 * `salesdw sandbox <source>`: local servers that behave like sources that cannot run here. Each
 * says plainly that it is a sandbox and prints the settings that point a client at it.
 */
import type { Command } from "commander";
import { registerIikoSandbox } from "../sandbox/iiko/command.ts";

export function register(program: Command): void {
  const sandbox = program.command("sandbox").description("run a local imitation of a source's server (generated data; not the real service)");

  // iiko: extract/sandbox/iiko/
  registerIikoSandbox(sandbox);
}
