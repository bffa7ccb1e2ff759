/**
 * The seller-events part of `npm start`: write the demo's sample event files (10 sellers over
 * 14 days, both layouts, every quirk) and the opening balances, land them, and after the
 * models ran print each seller's closing balance.
 */
import path from "node:path";
import type pg from "pg";
import { projectRoot } from "../../config.ts";
import { extractFiles } from "../../extract.ts";
import { info } from "../../log.ts";
import { writeSellerEventSample } from "../../samples/events.ts";

export const EVENTS_SAMPLE_DIR = path.join(projectRoot, "samples", "events");

/** Writes and lands the sample files; returns how many loads failed. */
export async function landSampleSellerEvents(url: string, dir = EVENTS_SAMPLE_DIR): Promise<number> {
  info(`\nSample seller events in ${path.relative(process.cwd(), dir) || "."} (generated, deterministic), landed in raw`);
  const sample = await writeSellerEventSample(dir, { sellers: 10, days: 14 });
  const loads = [
    ...(await extractFiles("events", sample.eventFiles, { url, progress: true })),
    ...(await extractFiles("events-opening-balances", [sample.openingBalanceFile], { url, progress: true })),
  ];
  return loads.filter((l) => l.status === "failed").length;
}

export async function printSellerBalances(client: pg.Client): Promise<void> {
  const { rows } = await client.query(`
    select seller_id, currency, day::text as day, closing_balance
    from mart.seller_balance_daily
    where day = (select max(day) from mart.seller_balance_daily)
    order by seller_id, currency`);
  if (!rows.length) return;
  info(`Seller balances at the end of ${rows[0].day} (closing, per currency; mart.seller_balance_daily):`);
  for (const row of rows) {
    const amount = Number(row.closing_balance).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    info(`  ${String(row.seller_id).padEnd(8)}${String(row.currency).padEnd(5)}${amount.padStart(16)}`);
  }
}
