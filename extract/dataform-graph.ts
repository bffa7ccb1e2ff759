/**
 * Dataform's compiled graph (`dataform compile --json`): the project's actions, their
 * descriptions, columns, tags and dependencies. The catalog reads it for lineage; sync jobs
 * read it to build only what a source feeds.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "./config.ts";
import { dataform } from "./dataform.ts";
import { projectFingerprint } from "./run/dataform-steps.ts";

export interface Target {
  schema: string;
  name: string;
}

export interface CompiledAction {
  target: Target;
  type?: string;
  fileName?: string;
  tags?: string[];
  disabled?: boolean;
  hasOutput?: boolean;
  actionDescriptor?: { description?: string; columns?: { description?: string; path: string[] }[] };
  dependencyTargets?: Target[];
}

export interface CompiledGraph {
  tables: CompiledAction[];
  operations: CompiledAction[];
  assertions: CompiledAction[];
  declarations: CompiledAction[];
  graphErrors?: { compilationErrors?: { message?: string; fileName?: string }[] };
}

export const targetName = (target: Target) => `${target.schema}.${target.name}`;
export const dependencies = (action: CompiledAction) => (action.dependencyTargets ?? []).map(targetName);

/**
 * Where compiled graphs are kept, by the project's fingerprint (everything Dataform reads) and
 * the version of @dataform/core: compiling takes many seconds on a busy machine, and every run
 * and sync job needs the graph before its `dataform run`.
 */
function cachedGraphFile(): string {
  const core = JSON.parse(readFileSync(path.join(projectRoot, "node_modules", "@dataform", "core", "package.json"), "utf8")) as { version: string };
  return path.join(projectRoot, "node_modules", ".cache", "salesdw", `graph-${core.version}-${projectFingerprint()}.json`);
}

/** Compiles the project (seconds; the graph of an unchanged project is read back) and returns the graph; a project that does not compile is an error naming the first problem. */
export async function compileGraph(whatNext = "Fix it and restart the server."): Promise<CompiledGraph> {
  const file = cachedGraphFile();
  try {
    return JSON.parse(readFileSync(file, "utf8")) as CompiledGraph;
  } catch {
    // not compiled yet (or unreadable): compile
  }
  const result = await dataform("compile", "", ["--json"]);
  // Dataform prints JSON log lines before the graph; the graph is the one document starting at a bare "{".
  const start = result.output.search(/^\{\s*$/m);
  if (start < 0) throw new Error(`dataform compile printed no graph (exit code ${result.code}): ${result.output.trim().split("\n").slice(-3).join(" ")}`);
  const graph = JSON.parse(result.output.slice(start)) as CompiledGraph;
  const problem = graph.graphErrors?.compilationErrors?.[0];
  if (problem) throw new Error(`dataform compile: ${problem.fileName ?? "project"}: ${problem.message ?? "compilation error"}. ${whatNext}`);
  for (const key of ["tables", "operations", "assertions", "declarations"] as const) graph[key] ??= [];
  // Written aside then renamed: a concurrent reader sees the whole file or none. A read-only
  // installation just compiles each time.
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(graph));
    renameSync(partial, file);
  } catch {
    // not kept
  }
  return graph;
}

/** The ledgers every extraction writes, read by models of every source. */
const LEDGERS = new Set(["raw._loads", "raw._rejects", "raw._row_notes", "raw._sync_state"]);

/**
 * The actions a build of what `sources` loaded must run (one source for a sync) so that everything reading its data is current:
 * the models that read its raw tables or carry its tag, the data-quality tables that read the
 * load ledgers, and everything downstream of them (marts and assertions included). Upstream
 * models outside that set are left as they are unless `exists` says one is missing (a first
 * build): then it is added, with whatever it needs in turn. Operations upstream always run
 * (they create helpers, and are cheap).
 */
export async function actionsFeeding(graph: CompiledGraph, sources: string | string[], exists: (relation: string) => Promise<boolean>): Promise<string[]> {
  const actions = [...graph.tables, ...graph.operations, ...graph.assertions].filter((a) => !a.disabled);
  const byName = new Map(actions.map((a) => [targetName(a.target), a]));
  const operations = new Set(graph.operations.map((a) => targetName(a.target)));
  const names = [sources].flat();
  if (!names.length) return [];
  const rawPrefixes = names.map((source) => `raw.${source}__`);
  const selected = new Set(
    actions
      .filter(
        (a) =>
          (a.tags ?? []).some((tag) => names.includes(tag)) ||
          dependencies(a).some((d) => rawPrefixes.some((prefix) => d.startsWith(prefix)) || (["dq", "mart"].includes(a.target.schema) && LEDGERS.has(d))),
      )
      .map((a) => targetName(a.target)),
  );
  if (!selected.size) return [];
  // Everything downstream: Dataform's --include-dependents would do the same, but applied after
  // --include-deps it would take the dependents of shared helpers, i.e. the whole project.
  const queue = [...selected];
  while (queue.length) {
    const name = queue.pop()!;
    for (const action of actions) {
      const dependent = targetName(action.target);
      if (!selected.has(dependent) && dependencies(action).includes(name)) {
        selected.add(dependent);
        queue.push(dependent);
      }
    }
  }
  const upstream = [...selected];
  while (upstream.length) {
    for (const dep of dependencies(byName.get(upstream.pop()!)!)) {
      if (selected.has(dep) || !byName.has(dep)) continue; // declarations are not built
      if (operations.has(dep) || !(await exists(dep))) {
        selected.add(dep);
        upstream.push(dep);
      }
    }
  }
  return [...selected].sort();
}

