/**
 * The run log the tool owns: one row per `salesdw run` in raw._runs (status, timings, what each
 * step did), and the run id on every ledger row a run writes. The id reaches the ledger through a
 * connection setting (`-c salesdw.run_id=N`, see withRunId) read by the column's default, so every
 * source, whatever its kind, tags its loads without knowing about runs. Part of the ledger DDL,
 * so that raw._runs exists wherever raw._loads does (mart.etl_run_log reads it).
 */
export const RUNS_DDL = `
create table if not exists raw._runs (
  run_id              bigint generated always as identity primary key,
  status              text not null default 'running' check (status in ('running', 'succeeded', 'failed', 'interrupted')),
  started_at          timestamptz not null default clock_timestamp(),
  finished_at         timestamptz,
  options             jsonb not null default '{}',
  steps               jsonb not null default '[]',
  failures            text[] not null default '{}',
  warnings            text[] not null default '{}',
  models_fingerprint  text
);
comment on table raw._runs is 'One row per salesdw run: status, timings, each step (a source, the model build, the assertions) and the first line of each failure.';
do $$
begin
  -- Only when missing: ALTER TABLE would lock the ledger on every load otherwise.
  if not exists (select 1 from information_schema.columns where table_schema = 'raw' and table_name = '_loads' and column_name = 'run_id') then
    alter table raw._loads add column run_id bigint default nullif(current_setting('salesdw.run_id', true), '')::bigint;
    comment on column raw._loads.run_id is 'The salesdw run that made this load (null for a plain salesdw extract).';
    create index _loads_run on raw._loads (run_id) where run_id is not null;
  end if;
end
$$;
`;

/** The same warehouse URL, with the run id as a connection setting that the ledger's run_id column defaults to. */
export function withRunId(url: string, runId: number): string {
  const parsed = new URL(url);
  const setting = `-c salesdw.run_id=${runId}`;
  const existing = parsed.searchParams.get("options");
  parsed.searchParams.set("options", existing ? `${existing} ${setting}` : setting);
  return parsed.toString();
}
