/**
 * `salesdw extract xero`: the Xero source as the registry sees it. Kept light: the client is
 * imported only when a sync runs.
 */
import type { Command } from "commander";
import { commaList, exitWith, reportLoads, wholeNumber } from "../../commands/program.ts";
import { warehouseUrl } from "../../warehouse/warehouse.ts";
import type { PullSource } from "../registry.ts";
import { xeroConfigured } from "./settings.ts";

export interface XeroCommandOptions {
  entities?: string[];
  pageSize?: number;
  full?: boolean;
  overlapMinutes?: number;
}

export const xeroSource: PullSource = {
  kind: "http",
  description: "Xero Accounting API: the organisation (base currency), sales invoices, credit notes, contacts, items (settings XERO_* in .env)",
  configured: xeroConfigured,
  register(extract: Command) {
    extract
      .command("xero")
      .description(
        "sync Xero (the organisation, sales invoices, credit notes, contacts, items) into raw; incremental by UpdatedDateUTC. " +
          "Settings: XERO_CLIENT_ID, XERO_CLIENT_SECRET, XERO_REFRESH_TOKEN or XERO_GRANT=client_credentials, " +
          "XERO_TOKEN_FILE, XERO_TENANT_ID, XERO_API_URL, XERO_IDENTITY_URL",
      )
      .option("--entities <list>", "comma-separated: organisation, contacts, items, invoices, credit_notes (default: all)", commaList)
      .option("--page-size <n>", "documents per page (Xero's maximum is 1000)", wholeNumber, 1000)
      .option("--overlap-minutes <n>", "re-read this much before the last UpdatedDateUTC landed", wholeNumber, 5)
      .option("--full", "ignore the cursors and read everything again (versions already landed are skipped)")
      .action(exitWith(async (options: XeroCommandOptions) => reportLoads(await xeroSource.run(warehouseUrl(), options as Record<string, unknown>))));
  },
  async run(url, options) {
    const { syncXero } = await import("./sync.ts");
    return syncXero(url, options as XeroCommandOptions);
  },
};
