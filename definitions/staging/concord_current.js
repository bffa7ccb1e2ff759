// ConcordDb's tables as they stand now: raw (and staging) keep every version of a row, one per
// snapshot, change or comparison event; cur_concord__<table> keeps each key's latest version and
// drops keys whose latest event is a delete (a hard delete in ConcordDb). Soft-deleted rows stay,
// with `deleted` true: dimensions and facts leave them out. One view per ConcordDb contract.
Object.values(contracts)
  .filter((contract) => contract.source === "concord")
  .forEach((contract) => {
    const staged = `stg_${contract.raw_table}`;
    const key = contract.key[0];
    publish(`cur_${contract.raw_table}`, {
      type: "view",
      schema: "staging",
      tags: ["staging", "concord"],
      description: `ConcordDb ${contract.entity} as it stands now: the latest version of each ${key} in staging.${staged}, keys deleted in ConcordDb left out, soft-deleted rows kept (deleted = true).`,
      columns: staging.columnDocs(contract),
    }).query(
      (ctx) => `
with versions as (
  select * from ${ctx.ref(staged)}
),

latest as (
  select distinct on (${key}) *
  from versions
  where ${key} is not null
  order by ${key}, _load_id desc
)

select * from latest
where sync_operation is distinct from 'delete'`,
    );
  });
