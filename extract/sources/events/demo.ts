/**
 * The seller-events part of `npm start` (the sample files are written and landed with the other
 * sources' by `salesdw run`): after the models ran, each seller's closing balance.
 */
import type pg from "pg";
import { info } from "../../log.ts";

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
