/** Commands around the Dataform project: contracts, assertions. */
import type { Command } from "commander";
import { info, warn } from "../log.ts";
import { warehouseUrl } from "../warehouse/warehouse.ts";
import { commaList, exitWith, UserError } from "./program.ts";

export function register(program: Command): void {
  const contracts = program.command("contracts").description("the YAML data contracts and their generated view for Dataform");
  contracts
    .command("generate")
    .description("write includes/contracts.js from contracts/*.yaml")
    .action(
      exitWith(async () => {
        const { writeGeneratedContracts } = await import("../contracts/generate.ts");
        info(writeGeneratedContracts() ? "includes/contracts.js updated." : "includes/contracts.js is up to date.");
        return 0;
      }),
    );
  contracts
    .command("scaffold <source>")
    .description("write contracts/<source>/*.yaml from a database source's catalog, to review (sources: concord)")
    .option("--tables <list>", "only these tables", commaList)
    .option("--force", "overwrite contract files that exist")
    .action(
      exitWith(async (source: string, options: { tables?: string[]; force?: boolean }) => {
        if (source !== "concord") throw new UserError(`contracts scaffold knows the database source "concord", not "${source}".`);
        const { scaffoldConcord } = await import("../sources/concord/scaffold.ts");
        return scaffoldConcord(options);
      }),
    );
  contracts
    .command("check")
    .description("validate every contract and check includes/contracts.js is up to date")
    .action(
      exitWith(async () => {
        const { generatedContractsAreCurrent } = await import("../contracts/generate.ts");
        const { loadContracts } = await import("../contracts/contracts.ts");
        const all = loadContracts();
        if (!generatedContractsAreCurrent()) {
          warn("error: includes/contracts.js is stale: run `npm run contracts:generate` and commit it.");
          return 1;
        }
        info(`${all.length} contract(s) valid; includes/contracts.js is up to date.`);
        return 0;
      }),
    );

  program
    .command("check")
    .description("run only the assertions against the warehouse as it stands (nothing is rebuilt)")
    .action(
      exitWith(async () => {
        const { assertionNames, dataform } = await import("../dataform.ts");
        const url = warehouseUrl();
        const names = await assertionNames(url);
        info(`Running ${names.length} assertions against the warehouse as it stands (nothing is rebuilt)…`);
        const run = await dataform("run", url, names.flatMap((name) => ["--actions", name]));
        for (const name of run.assertionsFailed) warn(`failed: ${name}  (see: select * from ${name})`);
        const missing = names.length - run.assertionsPassed.length - run.assertionsFailed.length;
        if (run.code !== 0 && !run.assertionsFailed.length) warn(run.output.trim());
        info(`${run.assertionsPassed.length} passed, ${run.assertionsFailed.length} failed${missing > 0 ? `, ${missing} did not run` : ""}.`);
        return run.code === 0 && !run.assertionsFailed.length ? 0 : 1;
      }),
    );
}
