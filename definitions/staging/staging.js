// One staging model per data contract, generated from its column types (includes/staging.js):
//   stg_<source>__<entity>__typed  a view holding the typing rules (what the SQLX unit tests target);
//   stg_<source>__<entity>         the same rows stored once per load (incremental), because
//                                  parsing is the costliest step and every consumer reads it.
// Hand-written SQLX starts above staging (int_sales_line__<source>, dimensions, facts).
Object.values(contracts).forEach((contract) => {
  const name = `stg_${contract.raw_table}`;
  const description = `${contract.source} ${contract.entity}, typed and cleaned from raw.${contract.raw_table} by the rules of its contract (contracts/${contract.source}/${contract.entity}.yaml); each column's text as received is kept beside it as <column>_text. Nothing joined, nothing dropped: values that do not parse are NULL and reported in dq.issues.`;

  publish(`${name}__typed`, {
    type: "view",
    schema: "staging",
    tags: ["staging"],
    dependencies: ["sql_helpers"],
    description: `${description} A view: the typing rules, unit-testable.`,
    columns: staging.columnDocs(contract),
  }).query((ctx) => staging.typedQuery(contract, ctx.ref(contract.raw_table), contract.columns.some((c) => c.timezone === "load") ? ctx.ref("raw", "_loads") : ""));

  publish(name, {
    type: "incremental",
    schema: "staging",
    tags: ["staging"],
    description: `${description} Stored once per load: each run appends only new loads.`,
    columns: staging.columnDocs(contract),
  })
    .query((ctx) => `select * from ${ctx.ref(`${name}__typed`)} ${ctx.incremental() ? `where ${sql.newLoads(ctx.self())}` : ""}`)
    .postOps((ctx) => `create index if not exists ${name}__load on ${ctx.self()} (_load_id)`);
});
