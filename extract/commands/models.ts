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
        const { actionsOf, runAssertions } = await import("../run/dataform-steps.ts");
        const { compileGraph } = await import("../dataform-graph.ts");
        const url = warehouseUrl();
        // The kept graph of an unchanged project: `dataform run` compiles once more by itself.
        const { assertions } = actionsOf(await compileGraph("Fix it and run again (npx dataform compile --track=false shows every problem)."));
        info(`Running ${assertions.length} assertions against the warehouse as it stands (nothing is rebuilt)…`);
        const result = await runAssertions(url, assertions);
        for (const name of result.failed) warn(`failed: ${name}  (see: select * from ${name})`);
        if (result.outcome.code !== 0 && !result.failed.length) warn(result.outcome.output.trim());
        info(`${result.passed.length} passed, ${result.failed.length} failed${result.missing > 0 ? `, ${result.missing} did not run` : ""}.`);
        return result.ok ? 0 : 1;
      }),
    );
}
