/**
 * The two Dataform steps of a run, each with its own outcome and timing (run together in one
 * `dataform run` when both run: see buildAndCheck):
 * the model build (every table, view and operation, no assertion) and the assertions (what
 * `salesdw check` runs). Also the project's fingerprint, to tell when nothing needs rebuilding.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { globSync } from "tinyglobby";
import { projectRoot } from "../config.ts";
import { dataform, type DataformOutcome } from "../dataform.ts";

export interface CompiledActions {
  /** Tables, views, incremental tables and operations, as schema.name. */
  models: string[];
  assertions: string[];
}

interface CompiledGraph {
  tables?: { target: { schema: string; name: string } }[];
  operations?: { target: { schema: string; name: string } }[];
  assertions?: { target: { schema: string; name: string } }[];
}

/** The actions of a compiled graph by kind (enabled ones only). */
export function actionsOf(graph: CompiledGraph): CompiledActions {
  const names = (list: CompiledGraph["tables"]) => (list ?? []).filter((a) => !(a as { disabled?: boolean }).disabled).map((a) => `${a.target.schema}.${a.target.name}`);
  return { models: [...names(graph.operations), ...names(graph.tables)], assertions: names(graph.assertions) };
}

/** `dataform run` of the models only (their assertions run in the next step). */
export function buildModels(url: string, models: string[], fullRefresh: boolean, onLine?: (line: string) => void): Promise<DataformOutcome> {
  return dataform("run", url, [...models.flatMap((name) => ["--actions", name]), ...(fullRefresh ? ["--full-refresh"] : [])], onLine);
}

export interface AssertionsOutcome {
  passed: string[];
  failed: string[];
  /** Assertions that did not report (Dataform stopped early). */
  missing: number;
  ok: boolean;
  outcome: DataformOutcome;
}

/** Runs every assertion against the warehouse as it stands (nothing is rebuilt): `salesdw check` and the run's last step. */
export async function runAssertions(url: string, names: string[], onLine?: (line: string) => void): Promise<AssertionsOutcome> {
  const outcome = await dataform("run", url, names.flatMap((name) => ["--actions", name]), onLine);
  const missing = names.length - outcome.assertionsPassed.length - outcome.assertionsFailed.length;
  return {
    passed: outcome.assertionsPassed,
    failed: outcome.assertionsFailed,
    missing: Math.max(missing, 0),
    ok: outcome.code === 0 && !outcome.assertionsFailed.length,
    outcome,
  };
}

/** What one `dataform run` of models and their assertions did, told apart as the two steps of a run. */
export interface BuildAndChecks {
  build: DataformOutcome;
  /** Failed models (name → first error line); failed assertions are in `checks`. */
  modelErrors: Map<string, string>;
  /** No model failed and Dataform stopped for no other reason than failed assertions. */
  modelsOk: boolean;
  checks: AssertionsOutcome;
  /** When the last model finished (the models step ends there; the checks step runs to the end). */
  modelsDoneAt: Date;
}

/**
 * The models and the assertions in ONE `dataform run`: every invocation compiles the whole
 * project again (seconds), so running them together saves a compile and Dataform's start-up.
 * Dataform runs an assertion after the models it reads, and skips it when one of them failed.
 */
export async function buildAndCheck(url: string, models: string[], assertions: string[], fullRefresh: boolean): Promise<BuildAndChecks> {
  const modelSet = new Set(models);
  let modelsDoneAt: Date | undefined;
  const outcome = await dataform(
    "run",
    url,
    [...[...models, ...assertions].flatMap((name) => ["--actions", name]), ...(fullRefresh ? ["--full-refresh"] : [])],
    (line) => {
      const result = RESULT_LINE.exec(line);
      if (result && modelSet.has(result[2])) modelsDoneAt = new Date();
    },
  );
  const modelErrors = new Map([...failureDetails(outcome.output)].filter(([name]) => modelSet.has(name)));
  const notRun = models.length - outcome.created.filter((name) => modelSet.has(name)).length - modelErrors.size;
  const modelsOk = !modelErrors.size && (outcome.code === 0 || (outcome.assertionsFailed.length > 0 && notRun <= 0));
  const missing = assertions.length - outcome.assertionsPassed.length - outcome.assertionsFailed.length;
  return {
    build: outcome,
    modelErrors,
    modelsOk,
    checks: {
      passed: outcome.assertionsPassed,
      failed: outcome.assertionsFailed,
      missing: Math.max(missing, 0),
      ok: modelsOk && !outcome.assertionsFailed.length && missing <= 0,
      outcome,
    },
    modelsDoneAt: modelsDoneAt ?? new Date(),
  };
}

/** A line with an action's result (`Dataset created:  dw.dim_date [table]`): where the previous action's output ends. */
const RESULT_LINE = /^\s*(Dataset created|Dataset creation failed|Operation completed successfully|Operation failed|Assertion passed|Assertion failed):\s+(\w+\.\w+)(\s+\[\w+\])?\s*$/;

/**
 * For each failed action, the first error line Dataform printed under it, e.g.
 * `dw.fct_invoice` → `postgres error: … column "x" does not exist`, or for an assertion
 * `query returned 3 row(s).`
 */
export function failureDetails(output: string): Map<string, string> {
  const details = new Map<string, string>();
  const lines = output.split("\n");
  lines.forEach((line, i) => {
    const result = RESULT_LINE.exec(line);
    if (!result || !/failed/.test(result[1])) return;
    // Its error follows the statement Dataform echoes, before the next action's result.
    const after = lines.slice(i + 1);
    const next = after.findIndex((l) => RESULT_LINE.test(l));
    const detail = (next === -1 ? after : after.slice(0, next)).find((l) => /postgres error|error executing|returned \d+ row|^\s*error\b/i.test(l));
    details.set(result[2], detail?.replace(/^\s*(postgres error:\s*)?Assertion failed:\s*/, "").trim() ?? "see the dataform output");
  });
  return details;
}

/** The first line that reads like an error in Dataform's output (compile errors, connection errors). */
export function firstErrorLine(output: string): string | undefined {
  return output
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('{"level"') && /error|failed|cannot|could not/i.test(l));
}

/** sha256 of everything Dataform reads: when it and the loads are unchanged, a rebuild would change nothing. */
export function projectFingerprint(): string {
  const files = globSync(["dataform.json", "definitions/**", "includes/**"], { cwd: projectRoot, onlyFiles: true }).sort();
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(path.join(projectRoot, file))).update("\0");
  return hash.digest("hex");
}
