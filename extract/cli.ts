/**
 * salesdw: the command line (commander). Thin on purpose: each command module under
 * commands/ declares its options and calls a module, imported when the command runs so that
 * `extract` starts without loading the rest.
 */
import { Command, CommanderError } from "commander";
import { loadDotEnv, UserError } from "./config.ts";
import { redact, warn } from "./log.ts";
import { register as registerWarehouse } from "./commands/warehouse.ts";
import { register as registerExtract } from "./commands/extract.ts";
import { register as registerModels } from "./commands/models.ts";
import { register as registerDemo } from "./commands/demo.ts";
import { register as registerSandbox } from "./commands/sandbox.ts";
import { register as registerRun } from "./commands/run.ts";
import { register as registerServe } from "./commands/serve.ts";
import { register as registerKeys } from "./commands/keys.ts";
import { register as registerUsers } from "./commands/users.ts";

// The benchmark measures a child extractor's peak memory this way (Node cannot read a child's rusage).
if (process.env.SALESDW_REPORT_PEAK_RSS) {
  process.on("exit", () => process.stderr.write(`peak_rss_kb=${process.resourceUsage().maxRSS}\n`));
}

function buildProgram(): Command {
  const program = new Command("salesdw")
    .description("Sales data warehouse kit: extract sources into PostgreSQL raw tables; Dataform builds the rest.")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();
  for (const register of [registerWarehouse, registerExtract, registerRun, registerModels, registerDemo, registerSandbox, registerServe, registerKeys, registerUsers]) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  loadDotEnv();
  const program = buildProgram();
  if (!argv.length) {
    program.outputHelp({ error: true });
    process.exitCode = 2;
    return;
  }
  await program.parseAsync(argv, { from: "user" });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // commander has printed the message or the help already.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  if (error instanceof UserError) warn(`error: ${error.message}`);
  else warn(`error: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
  process.exitCode = 1;
});
