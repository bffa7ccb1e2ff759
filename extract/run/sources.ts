/**
 * The extract step of a run: which sources run (salesdw.yaml, the environment, --only), and each
 * source run on its own, so that one failing never stops the others. File sources find their
 * files by glob and land them with extractFiles (files already loaded are skipped by sha256);
 * API and database sources run with their options from salesdw.yaml. Built on the registry only:
 * a source added there runs here without changes.
 */
import { glob } from "tinyglobby";
import { UserError } from "../config.ts";
import { extractFiles } from "../extract.ts";
import type { LoadResult } from "../loader/loader.ts";
import { redact, warn } from "../log.ts";
import * as registry from "../sources/registry.ts";
import type { FileSource, PullSource } from "../sources/registry.ts";
import { camelCase, type RunConfig, type SourceRegistry, type SourceSettings } from "./config.ts";

export type { SourceRegistry };

export const defaultRegistry: SourceRegistry = registry;

export interface PlannedSource {
  name: string;
  kind: FileSource["kind"] | PullSource["kind"];
  settings: SourceSettings;
  /** Why the source cannot run although it was asked for (--only, or enabled: true): reported as its failure. */
  cannot?: string;
}

export interface SourcePlan {
  run: PlannedSource[];
  /** Sources that stay out: no files configured, or no settings in the environment. */
  notConfigured: string[];
  disabled: string[];
}

const NO_SETTINGS: SourceSettings = { files: [], options: {} };

export function planSources(config: RunConfig, only: string[] | undefined, env: NodeJS.ProcessEnv, sources: SourceRegistry = defaultRegistry): SourcePlan {
  const known = [...Object.keys(sources.fileSources), ...Object.keys(sources.pullSources)];
  const unknown = (only ?? []).filter((name) => !known.includes(name));
  if (unknown.length) throw new UserError(`--only: unknown source${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; known sources: ${known.join(", ")}.`);
  const plan: SourcePlan = { run: [], notConfigured: [], disabled: [] };
  for (const name of known) {
    if (only && !only.includes(name)) continue;
    const settings = config.sources[name] ?? NO_SETTINGS;
    const asked = Boolean(only) || settings.enabled === true;
    if (settings.enabled === false) {
      plan.disabled.push(name);
      continue;
    }
    const file = sources.fileSources[name];
    if (file) {
      if (settings.files.length) plan.run.push({ name, kind: file.kind, settings });
      else if (asked) plan.run.push({ name, kind: file.kind, settings, cannot: `no files configured: give sources.${name}.files in salesdw.yaml (a glob such as "inbox/${name}/*.csv").` });
      else plan.notConfigured.push(name);
      continue;
    }
    const pull = sources.pullSources[name];
    let configured: boolean;
    try {
      configured = pull.configured(env);
    } catch (error) {
      plan.run.push({ name, kind: pull.kind, settings, cannot: `its settings could not be read: ${(error as Error).message}` });
      continue;
    }
    if (configured) plan.run.push({ name, kind: pull.kind, settings });
    else if (asked) plan.run.push({ name, kind: pull.kind, settings, cannot: `its settings are not in the environment (see .env.example): nothing was fetched.` });
    else plan.notConfigured.push(name);
  }
  return plan;
}

/** What one source did in one run: a step of the run log. */
export interface SourceStep {
  step: "extract";
  name: string;
  status: "ok" | "failed";
  started_at: string;
  finished_at: string;
  seconds: number;
  /** File sources: how many files the globs matched. */
  files?: number;
  new_loads: number;
  already_loaded: number;
  failed_loads: number;
  rows_loaded: number;
  rows_rejected: number;
  /** One line: what went wrong first (or a note such as "no files match"). */
  message?: string;
  /** The first line of every failure of this source. */
  failures: string[];
}

export async function extractSource(
  planned: PlannedSource,
  context: { url: string; baseDir: string; timezone: string; sources?: SourceRegistry; env?: NodeJS.ProcessEnv },
): Promise<SourceStep> {
  const sources = context.sources ?? defaultRegistry;
  const started = new Date();
  let results: LoadResult[] = [];
  let thrown: string | undefined = planned.cannot;
  let files: number | undefined;
  let note: string | undefined;
  if (!thrown) {
    try {
      if (planned.kind === "file") {
        const matched = await glob(planned.settings.files, { cwd: context.baseDir, absolute: true, onlyFiles: true });
        files = matched.length;
        const { entity, ...given } = planned.settings.options as { entity?: string };
        if (matched.length) {
          const sourceOptions = fileSourceOptions(sources.fileSources[planned.name], given, context.env ?? process.env);
          results = await extractFiles(planned.name, matched.sort(), { url: context.url, progress: true, entity, sourceOptions });
        }
        else note = `no files match ${planned.settings.files.join(", ")}`;
      } else {
        results = await sources.pullSources[planned.name].run(context.url, { timezone: context.timezone, ...planned.settings.options });
      }
    } catch (error) {
      thrown = error instanceof Error ? error.message : String(error);
    }
  }
  if (thrown) warn(`error: ${planned.name}: ${firstLine(thrown)}`);
  const finished = new Date();
  const failures = [...results.filter((r) => r.status === "failed").map((r) => r.message), ...(thrown ? [thrown] : [])].map(firstLine);
  const count = (status: LoadResult["status"]) => results.filter((r) => r.status === status).length;
  return {
    step: "extract",
    name: planned.name,
    status: failures.length ? "failed" : "ok",
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    seconds: (finished.getTime() - started.getTime()) / 1000,
    ...(files === undefined ? {} : { files }),
    new_loads: count("loaded"),
    already_loaded: count("skipped"),
    failed_loads: count("failed"),
    rows_loaded: results.reduce((n, r) => n + r.rowsLoaded, 0),
    rows_rejected: results.reduce((n, r) => n + r.rowsRejected, 0),
    message: failures[0] ?? note,
    failures,
  };
}

/** A file source's options as `salesdw extract` gives them: from salesdw.yaml, else its environment variable, else its default. */
function fileSourceOptions(source: FileSource, given: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const option of source.options ?? []) {
    const name = camelCase(/--([a-z0-9-]+)/.exec(option.flags)?.[1] ?? "");
    const value = given[name] ?? ((option.env && env[option.env]) || option.defaultValue);
    if (value !== undefined) options[name] = value;
  }
  return options;
}

/** The name its loads carry in raw._loads (a source with several file entities shares its contracts' source). */
export function ledgerSource(name: string, sources: SourceRegistry = defaultRegistry): string {
  return sources.fileSources[name]?.contractSource ?? name;
}

/** The first line of a message, redacted: what alerts, the run log and the summary show. */
export function firstLine(text: string): string {
  return redact(text.split("\n").find((line) => line.trim()) ?? text).trim();
}
