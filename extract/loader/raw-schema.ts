/**
 * DDL for the raw layer: the load ledger, the rejects, sync cursors, and one table per
 * contract. Every identifier is checked and quoted here; nothing from a file reaches SQL text.
 */
import type pg from "pg";
import type { Contract } from "../contracts/contracts.ts";
import { RUNS_DDL } from "../run/runs-schema.ts";

const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes an identifier after checking it is one of ours (contract names are validated the same way). */
export function quoteIdent(name: string): string {
  if (!SAFE_IDENTIFIER.test(name)) throw new Error(`Refusing unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

export const LEDGER_DDL = `
create table if not exists raw._loads (
  load_id        bigint generated always as identity primary key,
  source         text not null,
  entity         text not null,
  raw_table      text not null,
  file_name      text not null,
  sha256         text not null,
  bytes          bigint,
  rows_loaded    bigint not null default 0,
  rows_rejected  bigint not null default 0,
  status         text not null check (status in ('loaded', 'failed')),
  message        text,
  details        jsonb not null default '{}',
  started_at     timestamptz not null,
  finished_at    timestamptz
);
comment on table raw._loads is 'One row per load attempt: what was loaded (sha256), how many rows and rejects, and whether it succeeded.';
create unique index if not exists _loads_content_once on raw._loads (raw_table, sha256) where status = 'loaded';
create table if not exists raw._rejects (
  load_id      bigint not null,
  raw_table    text not null,
  file_name    text not null,
  source_row   text not null,
  reason       text not null,
  raw_record   text not null,
  rejected_at  timestamptz not null default now()
);
comment on table raw._rejects is 'Records a load could not use, kept verbatim with their line number and the reason.';
create index if not exists _rejects_load on raw._rejects (load_id);
alter table raw._loads add column if not exists rows_trimmed bigint not null default 0;
alter table raw._loads add column if not exists rows_padded bigint not null default 0;
comment on column raw._loads.rows_trimmed is 'Rows whose extra trailing fields were all empty (trailing delimiters) and were trimmed.';
comment on column raw._loads.rows_padded is 'Rows shorter than the header, padded with empty trailing fields (listed in raw._row_notes).';
create table if not exists raw._row_notes (
  load_id     bigint not null,
  raw_table   text not null,
  source_row  text not null,
  note        text not null,
  detail      text not null
);
comment on table raw._row_notes is 'Rows that landed with a remark (short_row: padded with empty trailing fields); staging reports them in dq.issues.';
create index if not exists _row_notes_load on raw._row_notes (load_id);
create table if not exists raw._sync_state (
  source      text not null,
  entity      text not null,
  cursor      jsonb not null,
  updated_at  timestamptz not null default now(),
  primary key (source, entity)
);
comment on table raw._sync_state is 'Incremental cursors of API and database sources (e.g. If-Modified-Since).';
${RUNS_DDL}`;

export function rawTableDdl(contract: Contract): string {
  const table = `raw.${quoteIdent(contract.rawTable)}`;
  const columns = contract.columns.map((c) => `  ${quoteIdent(c.name)} text`).join(",\n");
  return `
create table if not exists ${table} (
${columns},
  _extra      jsonb,
  _load_id    bigint not null,
  _source_row text not null,
  _loaded_at  timestamptz not null default now()
);
-- Loads append in load_id order, so a BRIN index finds one load's rows at almost no cost to COPY.
create index if not exists ${quoteIdent(`${contract.rawTable}__load`)} on ${table} using brin (_load_id);
${contract.columns.map((c) => `alter table ${table} add column if not exists ${quoteIdent(c.name)} text;`).join("\n")}
`;
}

/**
 * The ledger and every contract's raw table, so that the models build on a warehouse where
 * nothing (or only some sources) was ever loaded. Run by `warehouse start` and before Dataform.
 */
export async function ensureAllRawTables(client: pg.Client): Promise<void> {
  const { loadContracts } = await import("../contracts/contracts.ts");
  await ensureRawTables(client, ...loadContracts());
}

/**
 * Creates the ledger and the contracts' raw tables if missing (idempotent; new contract columns
 * are added). Nothing is run when nothing is missing: ALTER TABLE … IF NOT EXISTS still takes an
 * exclusive lock, which would make a model build or another source wait for a running load.
 */
export async function ensureRawTables(client: pg.Client, ...contracts: Contract[]): Promise<void> {
  if (!(await missingRawColumns(client, contracts)).length) return;
  // Serialised so that two loaders starting at once do not race on CREATE IF NOT EXISTS.
  await client.query("begin");
  try {
    await client.query("select pg_advisory_xact_lock(hashtextextended('salesdw.raw-ddl', 0))");
    // Only when missing: CREATE SCHEMA needs a database privilege the loader role does not have.
    const { rows } = await client.query("select to_regnamespace('raw') is not null as present");
    if (!rows[0].present) await client.query("create schema raw");
    const missing = new Set((await missingRawColumns(client, contracts)).map((name) => name.split(".")[1]));
    if (LEDGER_COLUMNS.some((name) => missing.has(name.split(".")[0]))) await client.query(LEDGER_DDL);
    for (const contract of contracts) if (missing.has(contract.rawTable)) await client.query(rawTableDdl(contract));
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

/** The newest column of each ledger table: present means the ledger is up to date. */
const LEDGER_COLUMNS = ["_loads.rows_padded", "_loads.run_id", "_rejects.load_id", "_row_notes.load_id", "_sync_state.cursor", "_runs.models_fingerprint"];

/** raw.<table>.<column> names the ledger and the given contracts (default: all) need that the warehouse does not have yet. */
export async function missingRawColumns(client: pg.Client, contracts?: Contract[]): Promise<string[]> {
  const { loadContracts } = await import("../contracts/contracts.ts");
  const wanted = (contracts ?? loadContracts()).flatMap((c) => [...c.columns.map((col) => `${c.rawTable}.${col.name}`), `${c.rawTable}._load_id`]);
  wanted.push(...LEDGER_COLUMNS);
  const { rows } = await client.query(
    `select w as missing from unnest($1::text[]) w
     where not exists (select 1 from information_schema.columns c where c.table_schema = 'raw' and c.table_name || '.' || c.column_name = w)`,
    [wanted],
  );
  return rows.map((r) => `raw.${r.missing}`);
}
