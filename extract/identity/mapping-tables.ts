/**
 * The mapping tables users own: which customer or product a source's id is. Created here,
 * idempotently, by the tool (`warehouse start`, and before every Dataform run the tool starts),
 * never by Dataform: a `dataform run` only reads them, so it can never overwrite an edit.
 */
import type pg from "pg";

export const MAPPING_DDL = `
create table if not exists admin.customer_map (
  source_system       text not null,
  source_customer_id  text not null,
  customer_key        text not null,
  note                text,
  updated_by          text,
  updated_at          timestamptz,
  primary key (source_system, source_customer_id)
);
comment on table admin.customer_map is 'Customer identity kept by users: rows with the same customer_key are one customer across ids and sources (numeric ids compare as numbers). Unmapped customers are source_system:id. See mart.identity_suggestions.';
create table if not exists admin.product_map (
  source_system        text not null,
  source_product_code  text not null,
  product_key          text not null,
  note                 text,
  updated_by           text,
  updated_at           timestamptz,
  primary key (source_system, source_product_code)
);
comment on table admin.product_map is 'Product identity kept by users: rows with the same product_key are one product across codes and sources. Unmapped products are source_system:code.';
`;

export async function ensureMappingTables(client: pg.Client): Promise<void> {
  // Nothing to do once they exist: a least-privilege login (the transformer) may read them but not create.
  const { rows: existing } = await client.query(
    "select to_regclass('admin.customer_map') is not null and to_regclass('admin.product_map') is not null as present",
  );
  if (existing[0].present) return;
  await client.query("begin");
  try {
    await client.query("select pg_advisory_xact_lock(hashtextextended('salesdw.admin-ddl', 0))");
    // Only when missing: CREATE SCHEMA needs a database privilege a least-privilege login may not have.
    const { rows } = await client.query("select to_regnamespace('admin') is not null as present");
    if (!rows[0].present) await client.query("create schema admin");
    await client.query(MAPPING_DDL);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}
