/**
 * The model catalog: every action of the Dataform project (from its compiled graph, compiled
 * once per server and kept), with what the warehouse says about it now.
 *
 *   row_count      exact (count(*)) for tables up to 10,000 pages, pg_class.reltuples beyond
 *                  (row_count_estimated); views have none (they are computed when read)
 *   last_built_at  the end of the latest `salesdw run` whose models step built the project and
 *                  did not list this model as failed (mart.etl_run_log)
 *   assertions     each with its result in the latest run that ran the checks (mart.etl_run_log:
 *                  failed_items lists the failed ones; the rest passed); nothing is run to find out
 *   upstream / downstream, and the sources (raw.<source>__…) each model is built from
 */
import type pg from "pg";
import { type CompiledAction, type CompiledGraph, compileGraph, dependencies, targetName } from "../dataform-graph.ts";

export type AssertionResult = "passed" | "failed" | "not run";

export interface CatalogAssertion {
  name: string;
  description: string | null;
  last_result: AssertionResult;
  checked_at: string | null;
}

export interface CatalogModel {
  name: string;
  schema: string;
  type: string;
  layer: string;
  description: string | null;
  file: string | null;
  tags: string[];
  columns: { name: string; description: string | null }[];
  assertions: CatalogAssertion[];
  row_count: number | null;
  row_count_estimated: boolean;
  last_built_at: string | null;
  upstream: string[];
  downstream: string[];
  sources: string[];
}

export const LAYERS = ["source", "raw", "staging", "canonical", "dw", "dq", "mart"] as const;
const EXACT_COUNT_MAX_PAGES = 10_000;

/** The layer a schema belongs to in the lineage (admin mapping tables sit with raw: they are inputs). */
export function layerOf(schema: string): string {
  if (schema === "admin") return "raw";
  return (LAYERS as readonly string[]).includes(schema) ? schema : "dq";
}

/** raw.iiko__olap_sales → iiko; ledgers (raw._loads) belong to no one source. */
export function sourceOfRaw(name: string): string | undefined {
  const match = /^raw\.([a-z][a-z0-9]*)__/.exec(name);
  return match?.[1];
}

export class Catalog {
  private compiled?: Promise<CompiledGraph>;

  /** `pool`: the server's own login (it may read every schema's statistics and count tables). */
  constructor(
    private readonly pool: pg.Pool,
    private readonly compile: () => Promise<CompiledGraph> = compileGraph,
  ) {}

  /** The compiled graph, compiled on first use; a failed compile is tried again next time. */
  graph(): Promise<CompiledGraph> {
    if (!this.compiled) {
      this.compiled = this.compile();
      this.compiled.catch(() => (this.compiled = undefined));
    }
    return this.compiled;
  }

  /** Every model, optionally only those whose name, description, tags or columns contain `search`. */
  async models(search?: string): Promise<CatalogModel[]> {
    const graph = await this.graph();
    const lineage = buildLineage(graph);
    const [stats, lastBuild, checks] = await Promise.all([this.relationStats(), this.lastBuild(), this.lastChecks()]);
    const assertionsOf = new Map<string, CatalogAssertion[]>();
    for (const assertion of graph.assertions) {
      const name = targetName(assertion.target);
      const result: CatalogAssertion = {
        name,
        description: assertion.actionDescriptor?.description ?? null,
        last_result: !checks ? "not run" : checks.failed.has(name) ? "failed" : "passed",
        checked_at: checks?.at ?? null,
      };
      for (const dep of dependencies(assertion)) assertionsOf.set(dep, [...(assertionsOf.get(dep) ?? []), result]);
    }
    const actions: [CompiledAction, string][] = [
      ...graph.declarations.map((a): [CompiledAction, string] => [a, "declaration"]),
      ...graph.tables.map((a): [CompiledAction, string] => [a, a.type ?? "table"]),
      ...graph.operations.map((a): [CompiledAction, string] => [a, "operation"]),
    ];
    const models = actions.map(([action, type]): CatalogModel => {
      const name = targetName(action.target);
      const stat = stats.get(name);
      const built = type !== "declaration" && lastBuild && !lastBuild.failed.has(name) ? lastBuild.at : null;
      return {
        name,
        schema: action.target.schema,
        type,
        layer: layerOf(action.target.schema),
        description: action.actionDescriptor?.description ?? null,
        file: action.fileName ?? null,
        tags: action.tags ?? [],
        columns: (action.actionDescriptor?.columns ?? []).map((c) => ({ name: c.path.join("."), description: c.description ?? null })),
        assertions: assertionsOf.get(name) ?? [],
        row_count: stat?.rows ?? null,
        row_count_estimated: stat?.estimated ?? false,
        last_built_at: built,
        upstream: lineage.upstream.get(name) ?? [],
        downstream: lineage.downstream.get(name) ?? [],
        sources: lineage.sources.get(name) ?? [],
      };
    });
    models.sort((a, b) => LAYERS.indexOf(a.layer as never) - LAYERS.indexOf(b.layer as never) || a.name.localeCompare(b.name));
    const needle = search?.trim().toLowerCase();
    return needle ? models.filter((m) => matches(m, needle)) : models;
  }

  /** Rows of each table: exact when small enough to count, the planner's estimate beyond. */
  private async relationStats(): Promise<Map<string, { rows: number; estimated: boolean }>> {
    const { rows } = await this.pool.query<{ name: string; pages: number; estimate: number }>(
      `select n.nspname || '.' || c.relname as name, c.relpages as pages, c.reltuples::float8 as estimate
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p', 'm') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'app')`,
    );
    const stats = new Map<string, { rows: number; estimated: boolean }>();
    const small = rows.filter((r) => r.pages <= EXACT_COUNT_MAX_PAGES);
    for (const r of rows) if (r.pages > EXACT_COUNT_MAX_PAGES) stats.set(r.name, { rows: Math.max(0, Math.round(r.estimate)), estimated: true });
    if (small.length) {
      // One statement for all of them; identifiers quoted by PostgreSQL itself.
      const { rows: names } = await this.pool.query<{ name: string; quoted: string }>(
        `select n.nspname || '.' || c.relname as name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) as quoted
         from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname || '.' || c.relname = any($1)`,
        [small.map((r) => r.name)],
      );
      const { rows: counts } = await this.pool.query<{ name: string; rows: string }>(
        names.map((r, i) => `select $${i + 1}::text as name, count(*) as rows from ${r.quoted}`).join(" union all "),
        names.map((r) => r.name),
      );
      for (const c of counts) stats.set(c.name, { rows: Number(c.rows), estimated: false });
    }
    return stats;
  }

  /** The latest run that built the models (mart.etl_run_log), and what failed in it. */
  private async lastBuild(): Promise<{ at: string; failed: Set<string> } | undefined> {
    const row = await this.latestStep("models");
    return row && { at: row.at, failed: row.failed };
  }

  private async lastChecks(): Promise<{ at: string; failed: Set<string> } | undefined> {
    return this.latestStep("checks");
  }

  private async latestStep(step: "models" | "checks"): Promise<{ at: string; failed: Set<string> } | undefined> {
    const { rows: present } = await this.pool.query("select to_regclass('mart.etl_run_log') is not null as present");
    if (!present[0].present) return undefined;
    const { rows } = await this.pool.query<{ at: Date; failed_items: string | null }>(
      `select finished_at as at, failed_items from mart.etl_run_log
       where step = $1 and status in ('ok', 'failed') and finished_at is not null order by run_id desc, step_order desc limit 1`,
      [step],
    );
    if (!rows[0]) return undefined;
    return { at: rows[0].at.toISOString(), failed: new Set((rows[0].failed_items ?? "").split(",").map((s) => s.trim()).filter(Boolean)) };
  }

  /** mart.data_freshness, per source (empty until the marts are built). */
  async freshness(): Promise<Record<string, unknown>[]> {
    const { rows: present } = await this.pool.query("select to_regclass('mart.data_freshness') is not null as present");
    if (!present[0].present) return [];
    const { rows } = await this.pool.query(
      `select source_system, to_char(last_event_date, 'YYYY-MM-DD') as last_event_date, days_since_last_event,
         to_char(last_load_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_load_at, loads::int, failed_loads::int,
         raw_rows::int8::text as raw_rows, rejected_rows::int8::text as rejected_rows, canonical_lines::int8::text as canonical_lines
       from mart.data_freshness order by source_system`,
    );
    return rows.map((r) => ({ ...r, raw_rows: Number(r.raw_rows), rejected_rows: Number(r.rejected_rows), canonical_lines: Number(r.canonical_lines) }));
  }
}

function matches(model: CatalogModel, needle: string): boolean {
  const texts = [model.name, model.description ?? "", ...model.tags, ...model.columns.flatMap((c) => [c.name, c.description ?? ""])];
  return texts.some((t) => t.toLowerCase().includes(needle));
}

/** Direct upstream and downstream of each action, and the sources each is built from (through any number of steps). */
export function buildLineage(graph: CompiledGraph) {
  const actions = [...graph.tables, ...graph.operations, ...graph.declarations];
  const known = new Set(actions.map((a) => targetName(a.target)));
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>();
  for (const action of [...graph.tables, ...graph.operations]) {
    const name = targetName(action.target);
    const deps = [...new Set(dependencies(action).filter((d) => known.has(d)))].sort();
    upstream.set(name, deps);
    for (const dep of deps) downstream.set(dep, [...(downstream.get(dep) ?? []), name].sort());
  }
  const sources = new Map<string, string[]>();
  const sourcesOf = (name: string, seen = new Set<string>()): string[] => {
    const done = sources.get(name);
    if (done) return done;
    if (seen.has(name)) return [];
    seen.add(name);
    const own = sourceOfRaw(name);
    const found = new Set<string>(own ? [own] : []);
    for (const dep of upstream.get(name) ?? []) for (const s of sourcesOf(dep, seen)) found.add(s);
    const list = [...found].sort();
    sources.set(name, list);
    return list;
  };
  for (const name of known) sourcesOf(name);
  return { upstream, downstream, sources };
}
