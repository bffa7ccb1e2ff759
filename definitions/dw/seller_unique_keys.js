// Seller-balance keys are unique by unique indexes (created in each model's post_operations);
// these assertions fail the run if a guard is missing or invalid (checking the guard costs
// nothing, where grouping millions of keys on every run does not).
[
  ["canonical", "seller_ledger_event", ["event_id"]],
  ["dw", "fct_seller_balance_daily", ["seller_id", "currency", "day"]],
].forEach(([schema, table, columns]) => {
  assert(`assert_${schema}_${table}_unique_${columns.join("_")}`)
    .dependencies([table])
    .tags([schema])
    .description(`${schema}.${table} has one row per ${columns.join(", ")}: guarded by a valid unique index.`)
    .query(() => seller_events.uniqueIndexOn(`${schema}.${table}`, columns));
});
