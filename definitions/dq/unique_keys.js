// Keys of the large incremental tables are unique by a unique index (created in each model's
// post_operations); these assertions fail the run if that guard is missing or invalid.
[
  ["canonical", "sales_line", "sales_line_key"],
  ["dw", "fct_sales_line", "sales_line_key"],
  ["dw", "fct_invoice", "invoice_key"],
].forEach(([schema, table, column]) => {
  assert(`assert_${schema}_${table}_unique_${column}`)
    .dependencies([table])
    .tags([schema === "canonical" ? "canonical" : "dw"])
    .description(`${schema}.${table}.${column} is unique: guarded by a valid unique index.`)
    .query(() => sql.uniqueIndexAssertion(`${schema}.${table}`, column));
});
