/**
 * Schema `app`: what the server itself keeps (API keys, sync jobs). No reader role is granted
 * anything here; the server reaches it with the warehouse URL it was given, never the reader pool.
 */
import type pg from "pg";

export type Queryable = Pick<pg.Pool, "query"> | Pick<pg.Client, "query">;

/**
 * Runs idempotent DDL under a transaction-scoped advisory lock, in one round trip: a simple-query
 * string with several statements is one implicit transaction on one connection (rolled back whole
 * on error, leaving the session clean), so this works with a pool too. Two processes starting at
 * once never race on CREATE … IF NOT EXISTS.
 */
export async function ensureAppDdl(db: Queryable, ddl: string): Promise<void> {
  await db.query(`select pg_advisory_xact_lock(hashtextextended('salesdw.app-ddl', 0));
-- Only when missing: CREATE SCHEMA needs a database privilege a later, narrower login may not have.
do $$ begin
  if to_regnamespace('app') is null then
    create schema app;
    revoke all on schema app from public;
  end if;
end $$;
${ddl}`);
}
