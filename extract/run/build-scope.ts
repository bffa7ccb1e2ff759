/**
 * What a build must run, for `salesdw run` and the API's sync jobs alike: the whole project
 * (first build, --full-refresh, a changed project, a last build that failed), or only what the
 * sources with loads not yet built feed (actionsFeeding: their models and everything
 * downstream).
 *
 * A load is built once dq.run_stats has its row: run_stats is incremental over raw._loads and
 * runs after canonical.sales_line and dq.issues, so a build records there the loads it took in.
 */
import type pg from "pg";
import { actionsFeeding, type CompiledGraph } from "../dataform-graph.ts";
import type { DataformStep, RunStep } from "./run.ts";

export type BuildScope =
  | { kind: "full"; reason: string }
  /**
   * `actions`: the models to run, for the loads of `sources`. `assertions`: the checks over them,
   * when every assertion passed after the last build (the others read nothing that changed);
   * absent, all of them run.
   */
  | { kind: "scoped"; sources: string[]; actions: string[]; assertions?: string[] };

/** The last model build `salesdw run` logged (raw._runs), or undefined before the first. */
export async function lastBuild(client: pg.ClientBase): Promise<{ runId: number; ok: boolean; fingerprint: string | null; startedAt: string } | undefined> {
  if (!(await relationExists(client)("raw._runs"))) return undefined;
  const { rows } = await client.query<{ run_id: string; steps: RunStep[]; models_fingerprint: string | null }>(
    "select run_id, steps, models_fingerprint from raw._runs where status <> 'running' order by run_id desc limit 500",
  );
  for (const row of rows) {
    const models = row.steps.find((s): s is DataformStep => s.step === "models" && (s.status === "ok" || s.status === "failed"));
    if (models) return { runId: Number(row.run_id), ok: models.status === "ok", fingerprint: row.models_fingerprint, startedAt: models.started_at };
  }
  return undefined;
}

/**
 * Loads (alias `l`) no build has taken in yet. A sync that found nothing new (a 0-row load kept
 * only for the run log) changes no model: it waits for the next build instead of causing one.
 */
export const UNBUILT_LOADS = `select l.load_id, l.source from raw._loads l
  where not exists (select 1 from dq.run_stats s where s.load_id = l.load_id)
    and not coalesce((l.details->>'nothing_new')::boolean, false)`;

/**
 * Whether someone edited the mapping tables in the dashboard's admin (admin.map_changes) after
 * `since`: the dimensions and marts read them, and no load records such an edit.
 */
export async function adminEditedSince(client: pg.ClientBase, since: string): Promise<boolean> {
  if (!(await relationExists(client)("admin.map_changes"))) return false;
  const { rows } = await client.query("select exists (select 1 from admin.map_changes where changed_at >= $1) as edited", [since]);
  return Boolean(rows[0].edited);
}

/** Whether the newest run that ran the assertions ran them after run `runId`'s build (or in it) and all passed. */
export async function checksPassedSince(client: pg.ClientBase, runId: number): Promise<boolean> {
  const { rows } = await client.query<{ run_id: string; steps: RunStep[] }>(
    "select run_id, steps from raw._runs where status <> 'running' order by run_id desc limit 500",
  );
  const ran = (steps: RunStep[]) => steps.find((s): s is DataformStep => s.step === "checks" && (s.status === "ok" || s.status === "failed"));
  const last = rows.find((r) => ran(r.steps));
  return Boolean(last && Number(last.run_id) >= runId && ran(last.steps)!.status === "ok");
}

/** Sources of loads no build has taken in yet; undefined when that cannot be told (no dq.run_stats yet). */
export async function sourcesWithNewLoads(client: pg.ClientBase): Promise<string[] | undefined> {
  try {
    const { rows } = await client.query<{ source: string }>(`select distinct source from (${UNBUILT_LOADS}) unbuilt order by 1`);
    return rows.map((r) => r.source);
  } catch {
    return undefined; // no dq.run_stats yet, or a role that may not read it
  }
}

export const relationExists = (client: pg.ClientBase) => async (relation: string) =>
  Boolean((await client.query("select to_regclass($1) is not null as present", [relation])).rows[0].present);

/** What a build of the loads of `sources` runs: the models they feed (actionsFeeding) and the assertions over them. */
export async function scopedModels(
  client: pg.ClientBase,
  graph: CompiledGraph,
  sources: string[],
): Promise<{ actions: string[]; assertions: string[] }> {
  const exists = relationExists(client);
  const isAssertion = new Set(graph.assertions.map((a) => `${a.target.schema}.${a.target.name}`));
  const fed = await actionsFeeding(graph, sources, exists);
  const models = fed.filter((name) => !isAssertion.has(name));
  // Views are re-created even when unchanged: left out of --actions, a view would no longer order
  // the tables on either side of it (Dataform orders only the actions it runs).
  return { actions: models, assertions: fed.filter((name) => isAssertion.has(name)) };
}

/** What `salesdw run` builds (see the file's comment). */
export async function planBuild(client: pg.ClientBase, graph: CompiledGraph, fingerprint: string, fullRefresh: boolean): Promise<BuildScope> {
  if (fullRefresh) return { kind: "full", reason: "--full-refresh" };
  const last = await lastBuild(client);
  if (!last) return { kind: "full", reason: "first build" };
  if (!last.ok) return { kind: "full", reason: `the build of run ${last.runId} failed` };
  if (last.fingerprint !== fingerprint) return { kind: "full", reason: `the models changed since run ${last.runId}` };
  if (await adminEditedSince(client, last.startedAt)) return { kind: "full", reason: `customers or products were edited in the admin since run ${last.runId}` };
  const sources = await sourcesWithNewLoads(client);
  if (!sources) return { kind: "full", reason: "no record of the loads built (dq.run_stats)" };
  if (!sources.length) return { kind: "full", reason: "no new load, but the last checks did not pass" };
  const { actions, assertions } = await scopedModels(client, graph, sources);
  return { kind: "scoped", sources, actions, ...((await checksPassedSince(client, last.runId)) ? { assertions } : {}) };
}
