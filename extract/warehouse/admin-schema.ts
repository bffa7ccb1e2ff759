/**
 * What the dashboard's admin may write in schema `admin`: the users' mapping tables (created by
 * extract/identity/mapping-tables.ts, read by the models) and admin.map_changes, the log of every
 * edit made there (who, when, before, after). Only salesdw_admin_writer writes them; it may only
 * append to the log.
 */
import type pg from "pg";

export const MAPPINGS = {
  customer: { table: "admin.customer_map", idColumn: "source_customer_id", keyColumn: "customer_key", salesCode: "customer_code", salesName: "customer_name", salesKey: "unified_customer_key" },
  product: { table: "admin.product_map", idColumn: "source_product_code", keyColumn: "product_key", salesCode: "product_code", salesName: "product_name", salesKey: "unified_product_key" },
} as const;
export type MappingKind = keyof typeof MAPPINGS;

export const CHANGES_DDL = `
create table if not exists admin.map_changes (
  change_id     bigint generated always as identity primary key,
  map_table     text not null,
  action        text not null check (action in ('link', 'unlink')),
  source_system text not null,
  source_id     text not null,
  old_value     jsonb,
  new_value     jsonb,
  changed_by    text not null,
  changed_at    timestamptz not null default now()
);
comment on table admin.map_changes is 'Every edit of admin.customer_map and admin.product_map made in the dashboard: who, when, the rows before and after (append only).';
`;

/** Creates the change log (idempotent) and grants: the writer edits the mappings and appends to the log; the transformer reads. */
export async function ensureAdminSchema(client: pg.Client, roles: { loader: string; transformer: string; adminWriter: string }): Promise<void> {
  const { loader, transformer, adminWriter } = roles;
  await client.query(CHANGES_DDL);
  await client.query(`alter table admin.map_changes owner to ${loader}`); // like the rest of schema admin
  await client.query(`grant usage on schema admin to ${adminWriter}`);
  await client.query(`grant select, insert, update, delete on admin.customer_map, admin.product_map to ${adminWriter}`);
  await client.query(`grant select, insert on admin.map_changes to ${adminWriter}`);
  await client.query(`grant select on admin.map_changes to ${transformer}`);
}
