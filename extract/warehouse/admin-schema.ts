/**
 * Schema `admin`: what people edit in the dashboard's admin pages. Identity across sources
 * (which source customer or product code is which business customer or product) lives in
 * mapping tables users own; the models read them, automatic matching may only suggest.
 * Only salesdw_admin_writer may write them; every change is also appended to admin.map_changes.
 */
import type pg from "pg";

export const MAPPINGS = {
  customer: { table: "admin.customer_map", codeColumn: "source_customer_code", idColumn: "customer_id" },
  product: { table: "admin.product_map", codeColumn: "source_product_code", idColumn: "product_id" },
} as const;
export type MappingKind = keyof typeof MAPPINGS;

export const ADMIN_DDL = `
create schema if not exists admin;
create table if not exists admin.customer_map (
  source_system         text not null,
  source_customer_code  text not null,
  customer_id           text not null check (btrim(customer_id) <> ''),
  note                  text,
  updated_by            text not null,
  updated_at            timestamptz not null default now(),
  primary key (source_system, source_customer_code)
);
comment on table admin.customer_map is 'Which business customer a source customer code is: edited in the dashboard admin, read by the models.';
create table if not exists admin.product_map (
  source_system         text not null,
  source_product_code   text not null,
  product_id            text not null check (btrim(product_id) <> ''),
  note                  text,
  updated_by            text not null,
  updated_at            timestamptz not null default now(),
  primary key (source_system, source_product_code)
);
comment on table admin.product_map is 'Which business product a source product code is: edited in the dashboard admin, read by the models.';
create table if not exists admin.map_changes (
  change_id    bigint generated always as identity primary key,
  map_table    text not null,
  action       text not null check (action in ('link', 'unlink')),
  source_system text not null,
  source_code  text not null,
  old_value    jsonb,
  new_value    jsonb,
  changed_by   text not null,
  changed_at   timestamptz not null default now()
);
comment on table admin.map_changes is 'Every mapping edit: who, when, before and after (append only).';
`;

/** Creates the admin schema and tables (idempotent) and grants: the writer edits, the transformer reads, nobody else. */
export async function ensureAdminSchema(client: pg.Client, roles: { transformer: string; adminWriter: string }): Promise<void> {
  const { transformer, adminWriter } = roles;
  await client.query(ADMIN_DDL);
  await client.query("revoke all on schema admin from public");
  await client.query(`grant usage on schema admin to ${adminWriter}, ${transformer}`);
  await client.query(`grant select, insert, update, delete on admin.customer_map, admin.product_map to ${adminWriter}`);
  await client.query(`grant select, insert on admin.map_changes to ${adminWriter}`);
  await client.query(`grant select on admin.customer_map, admin.product_map, admin.map_changes to ${transformer}`);
}
