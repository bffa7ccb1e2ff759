/**
 * Least privilege: three group roles, created (or brought up to date) idempotently.
 *   salesdw_loader       owns schema raw: lands data, can read and write nothing else; owns schema
 *                        admin (the users' mapping tables), which the transformer may only read
 *   salesdw_transformer  reads raw, owns the modelled schemas (Dataform runs as it)
 *   salesdw_reader       reads mart, nothing else (dashboards)
 *   salesdw_admin_writer edits the mapping tables in schema admin, nothing else (the dashboard's admin)
 * People and services log in as their own roles made members of one of these, with
 * `alter role … set role salesdw_…` so that what they create belongs to the group.
 */
import type pg from "pg";
import { MAPPING_DDL } from "../identity/mapping-tables.ts";
import { LEDGER_DDL, quoteIdent } from "../loader/raw-schema.ts";
import { ensureAdminSchema } from "./admin-schema.ts";

export const ROLES = {
  loader: "salesdw_loader", transformer: "salesdw_transformer", reader: "salesdw_reader",
  adminWriter: "salesdw_admin_writer",
} as const;
export const MODELLED_SCHEMAS = ["staging", "canonical", "dw", "mart", "dq", "dq_assertions", "util"];

/** What another database's setup of the same server-wide roles at the same moment can cause. */
const CONCURRENT_ROLE_SETUP = new Set(["23505", "42710", "XX000", "40P01"]);

/**
 * Creates the roles and their grants. Roles belong to the whole server (an advisory lock would
 * not serialise two databases), so a setup that collides with another one is simply tried again.
 */
export async function ensureRoles(client: pg.Client): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureRolesOnce(client);
    } catch (error) {
      if (attempt >= 5 || !CONCURRENT_ROLE_SETUP.has((error as { code?: string }).code ?? "")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

async function ensureRolesOnce(client: pg.Client): Promise<string[]> {
  const { loader, transformer, reader } = ROLES;
  const done: string[] = [];
  await client.query("begin");
  try {
    for (const role of Object.values(ROLES)) {
      const { rowCount } = await client.query("select 1 from pg_roles where rolname = $1", [role]);
      if (!rowCount) {
        await client.query(`create role ${quoteIdent(role)} nologin`);
        done.push(`created role ${role}`);
      }
    }
    // raw belongs to the loader; the ledger exists so that the grants below cover it.
    await client.query("create schema if not exists raw");
    await client.query(LEDGER_DDL);
    await ownSchemaReadableBy(client, "raw", loader, transformer);

    // The modelled layers belong to the transformer; it may create new schemas for new layers.
    for (const schema of MODELLED_SCHEMAS) {
      await client.query(`create schema if not exists ${quoteIdent(schema)}`);
      await client.query(`alter schema ${quoteIdent(schema)} owner to ${transformer}`);
      await client.query(`revoke all on schema ${quoteIdent(schema)} from public`);
      await reown(client, schema, transformer);
    }
    const { rows } = await client.query("select format('grant create on database %I to %I', current_database(), $1::text) as statement", [transformer]);
    await client.query(rows[0].statement);
    await client.query(`grant usage on schema util to ${loader}, ${reader}`);

    // Dashboards read mart and nothing else (mart views read dw with their owner's rights).
    await client.query(`grant usage on schema mart to ${reader}`);
    await client.query(`grant select on all tables in schema mart to ${reader}`);
    await client.query(`alter default privileges for role ${transformer} in schema mart grant select on tables to ${reader}`);
    // The users' mapping tables (identity) belong to the loader (the tool that creates them); Dataform reads them and cannot write them.
    await client.query("create schema if not exists admin");
    await client.query(MAPPING_DDL);
    await ownSchemaReadableBy(client, "admin", loader, transformer);
    await client.query(`revoke create on schema public from public`);

    // ── Dashboard (extract/serve) ──
    // What this login itself creates in mart later (a `dataform run` as the database owner, as
    // `npm start` does) is readable by the reader too: Dataform drops and re-creates views.
    await client.query(`alter default privileges in schema mart grant select on tables to ${reader}`);
    // The dashboard's admin edits the mapping tables as salesdw_admin_writer and logs each edit in admin.map_changes.
    await ensureAdminSchema(client, ROLES);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
  return done;
}

/** `owner` owns the schema and all in it; `reader` may read its tables, today's and future ones; nobody else. */
async function ownSchemaReadableBy(client: pg.Client, schema: string, owner: string, reader: string): Promise<void> {
  const name = quoteIdent(schema);
  await client.query(`alter schema ${name} owner to ${owner}`);
  await reown(client, schema, owner);
  await client.query(`revoke all on schema ${name} from public`);
  await client.query(`grant usage on schema ${name} to ${reader}`);
  await client.query(`grant select on all tables in schema ${name} to ${reader}`);
  await client.query(`alter default privileges for role ${owner} in schema ${name} grant select on tables to ${reader}`);
}

/** Gives every table, view, sequence and function of a schema to `owner`. */
async function reown(client: pg.Client, schema: string, owner: string): Promise<void> {
  const { rows } = await client.query(
    `select format('alter %s %I.%I owner to %I', case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' else 'table' end,
                   n.nspname, c.relname, $2::text) as statement
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'S') and not (c.relkind = 'S' and exists (
       select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))
     union all
     select format('alter function %s owner to %I', p.oid::regprocedure, $2::text)
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = $1`,
    [schema, owner],
  );
  for (const { statement } of rows) await client.query(statement);
}
