/**
 * One `salesdw run` per warehouse at a time: a session-level advisory lock, held by the run's own
 * connection for as long as the run lasts. PostgreSQL releases it when that connection ends, so a
 * killed run never leaves the warehouse locked.
 */
import type pg from "pg";

/** The advisory lock key, as text (hashed by PostgreSQL): the same for every salesdw on a database. */
export const RUN_LOCK_KEY = "salesdw.run";

export class RunRefused extends Error {}

/**
 * Takes the lock. When another run holds it: with `wait`, says so once and waits; otherwise
 * throws RunRefused. `holder` describes the other run for the message.
 */
export async function acquireRunLock(
  client: pg.Client,
  options: { wait: boolean; onWait: (holder: string) => void },
): Promise<void> {
  const { rows } = await client.query("select pg_try_advisory_lock(hashtextextended($1, 0)) as got", [RUN_LOCK_KEY]);
  if (rows[0].got) return;
  const holder = await describeHolder(client);
  if (!options.wait) throw new RunRefused(holder);
  options.onWait(holder);
  await client.query("select pg_advisory_lock(hashtextextended($1, 0))", [RUN_LOCK_KEY]);
}

export async function releaseRunLock(client: pg.Client): Promise<void> {
  await client.query("select pg_advisory_unlock(hashtextextended($1, 0))", [RUN_LOCK_KEY]);
}

/** "run 12, started 06:00:03 UTC" from the run log, or the holding session from pg_stat_activity. */
async function describeHolder(client: pg.Client): Promise<string> {
  const { rows } = await client.query(
    `select r.run_id, to_char(r.started_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as started
     from raw._runs r where r.status = 'running' order by r.run_id desc limit 1`,
  ).catch(() => ({ rows: [] as { run_id: string; started: string }[] }));
  if (rows.length) return `run ${rows[0].run_id}, started ${rows[0].started} UTC`;
  const { rows: sessions } = await client.query(
    `select a.application_name, a.client_addr::text as addr, to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as since
     from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where l.locktype = 'advisory' and l.granted and l.pid <> pg_backend_pid()
       and (l.classid::bigint << 32) | l.objid::bigint = hashtextextended($1, 0)
     limit 1`,
    [RUN_LOCK_KEY],
  );
  if (!sessions.length) return "another session";
  const s = sessions[0];
  return `a session of ${s.application_name || "an unnamed client"} connected since ${s.since} UTC`;
}
