// Settings and SQL builders of the seller-balance models (definitions/*/seller_*.sqlx, *_seller_*.sqlx).

/**
 * The calendar day of an event is its date in this zone (default UTC, as the marketplace's own
 * reports). Override with `dataform run --vars=seller_day_timezone=Europe/Moscow`; after changing
 * it, run once with --full-refresh (days already stored were cut in the old zone).
 */
const projectVars = (typeof dataform !== "undefined" && dataform.projectConfig && dataform.projectConfig.vars) || {};
const dayTimezone = projectVars.seller_day_timezone || "UTC";
if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(dayTimezone)) throw new Error(`seller_day_timezone "${dayTimezone}" is not a time zone name`);

/** Which way money moves, per event code (contracts/events/seller_event.yaml maps both vocabularies to these codes). */
const directionOfType = { ORDER_PAID: 1, PAYOUT_REVERSED: 1, PAYOUT: -1, REFUND: -1, FEE: -1 };

/** +1 (money in) or -1 (money out) for an event code column; NULL for anything else. */
function typeSign(column) {
  const branches = Object.entries(directionOfType).map(([code, sign]) => `when '${code}' then ${sign}`).join(" ");
  return `(case ${column} ${branches} end)`;
}

/**
 * Unusual amounts (dq check unusual_amount). An event is unusual when its amount is further from
 * the median of its group than `mads` scaled median absolute deviations AND than the floor:
 *   |amount - median| > greatest(mads * 1.4826 * MAD, floor(currency))
 * - group: the same seller, currency and event type (an order is compared with the seller's
 *   orders, a payout with its payouts: they differ by orders of magnitude);
 * - 1.4826 * MAD estimates the standard deviation of normal data without being moved by the
 *   outliers themselves; 6 of them is far outside anything a normal spread produces;
 * - the floor (currency units) keeps sellers whose amounts hardly vary (MAD near 0) from
 *   having every small difference flagged;
 * - groups with fewer than `minEvents` events are not judged (their median means little).
 * An event is judged once, when its load is checked, against its group as it stands then.
 */
const unusualAmount = {
  mads: 6,
  minEvents: 10,
  floors: { USD: 50, EUR: 50 },
  defaultFloor: 1000,
};

function unusualFloor(currencyColumn) {
  const branches = Object.entries(unusualAmount.floors).map(([currency, floor]) => `when '${currency}' then ${floor}`).join(" ");
  return `(case ${currencyColumn} ${branches} else ${unusualAmount.defaultFloor} end)`;
}

/**
 * Successful loads of the given raw tables (`events__seller_event`, `events__opening_balance`)
 * that `done` has no row for (by `column`): an init-plan array, so the filter is a plain
 * condition on the scan (see sql.newLoads).
 */
function loadsNotIn(done, rawTables, { column = "_load_id", doneCondition = "", presentIn = [] } = {}) {
  const tables = rawTables.map((t) => `'${t}'`).join(", ");
  // Only loads already in these relations: one that committed after them waits for the next run.
  const present = presentIn.length
    ? `and (${presentIn.map((r) => `exists (select 1 from ${r} p where p._load_id = l.load_id)`).join(" or ")})`
    : "";
  return `array(
    select l.load_id from raw._loads l
    where l.status = 'loaded' and l.raw_table in (${tables}) ${present}
      and not exists (select 1 from ${done} d where d.${column} = l.load_id ${doneCondition}))`;
}

/** An assertion query that fails unless `table` has a valid unique index on exactly `columns` (in any order). */
function uniqueIndexOn(table, columns) {
  const names = columns.map((c) => `'${c}'`).join(", ");
  return `
select '${table} has no valid unique index on (${columns.join(", ")})' as problem
where not exists (
  select 1 from pg_index i
  where i.indrelid = to_regclass('${table}') and i.indisunique and i.indisvalid and i.indnatts = ${columns.length}
    and (select array_agg(a.attname::text order by a.attname) from pg_attribute a
         where a.attrelid = i.indrelid and a.attnum = any(i.indkey)) = (select array_agg(n order by n) from unnest(array[${names}]) n)
)`;
}

module.exports = { dayTimezone, directionOfType, typeSign, unusualAmount, unusualFloor, loadsNotIn, uniqueIndexOn };
