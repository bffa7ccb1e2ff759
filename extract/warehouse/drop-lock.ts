/**
 * One model drop at a time. Dataform rebuilds every table and view with `DROP … CASCADE` and runs
 * independent actions at once. Two such drops whose dependent views overlap (a mart view over
 * dim_customer and dim_product, say) lock those views in different orders and can deadlock; then
 * PostgreSQL cancels one and its model fails the run. An event trigger makes every DROP TABLE or
 * DROP VIEW take one transaction-level advisory lock first. The drops then queue, and everything
 * else in the build still runs in parallel. Dataform has no hook between its own statements, so
 * this has to live in the database. Dataform runs each statement in a transaction of its own, so
 * the lock is held for one drop.
 */
import type pg from "pg";

export const DROP_LOCK_TRIGGER = "salesdw_one_drop_at_a_time";
export const DROP_LOCK_KEY = "salesdw.model-drops";

const DDL = `
create or replace function public.${DROP_LOCK_TRIGGER}() returns event_trigger language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('${DROP_LOCK_KEY}', 0));
end $$;
create event trigger ${DROP_LOCK_TRIGGER} on ddl_command_start
  when tag in ('DROP TABLE', 'DROP VIEW') execute function public.${DROP_LOCK_TRIGGER}();
`;

/**
 * Creates the trigger when it is missing. Event triggers need a superuser: a login without that
 * right (a managed database, the least-privilege transformer) gets false and builds without it.
 */
export async function ensureDropLock(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query("select exists (select 1 from pg_event_trigger where evtname = $1) as present", [DROP_LOCK_TRIGGER]);
  if (rows[0].present) return true;
  const { rows: who } = await client.query("select rolsuper from pg_roles where rolname = current_user");
  if (!who[0]?.rolsuper) return false;
  await client.query("begin");
  try {
    await client.query("select pg_advisory_xact_lock(hashtextextended('salesdw.drop-lock-ddl', 0))");
    const { rows: again } = await client.query("select exists (select 1 from pg_event_trigger where evtname = $1) as present", [DROP_LOCK_TRIGGER]);
    if (!again[0].present) await client.query(DDL);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
  return true;
}
