/** iiko as a pull source: `salesdw extract iiko [--from --to] [--server NAME]`. Light on purpose: the work is imported when the command runs. */
import type { Command } from "commander";
import { isoDate } from "../../commands/program.ts";
import type { PullSource } from "../registry.ts";

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(",").map((s) => s.trim()).filter(Boolean)];

export const iikoSource: PullSource = {
  kind: "http",
  description: "iiko restaurant sales (iikoServer OLAP v2), one load per server and business day",
  configured: (env) => Boolean(env.IIKO_SERVERS?.trim()),
  register(extract: Command) {
    extract
      .command("iiko")
      .description("iiko restaurant sales by business day from every server in IIKO_SERVERS (see README, section iiko)")
      .option("--from <yyyy-mm-dd>", "first business day (inclusive); default: the day after the last complete one, minus IIKO_REREAD_DAYS", isoDate)
      .option("--to <yyyy-mm-dd>", "last business day (inclusive); default: yesterday in each server's time zone", isoDate)
      .option("--server <name>", "only this server (repeatable, or comma-separated)", collect)
      .action(async (options: { from?: string; to?: string; server?: string[] }) => {
        const [{ reportLoads }, { warehouseUrl }, { warn }] = await Promise.all([
          import("../../commands/program.ts"),
          import("../../warehouse/warehouse.ts"),
          import("../../log.ts"),
        ]);
        try {
          process.exitCode = reportLoads(await iikoSource.run(warehouseUrl(), options as Record<string, unknown>));
        } catch (error) {
          const { IikoInterrupted } = await import("./extract.ts");
          if (!(error instanceof IikoInterrupted)) throw error;
          warn(`error: iiko: ${error.message}`);
          process.exitCode = 130;
        }
      });
  },
  async run(url, options) {
    const { extractIiko } = await import("./extract.ts");
    return extractIiko(url, options as { from?: string; to?: string; server?: string[] });
  },
};
