/**
 * salesdw.yaml: what `salesdw run` runs and how. Optional: without it, API and database sources
 * run when their settings are in the environment, and file sources (which need to know where
 * their files arrive) do not run. Every problem names the file, the line and the key.
 * Secrets never live here: the webhook comes from SALESDW_ALERT_WEBHOOK, credentials from .env.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document } from "yaml";
import { z } from "zod";
import { projectRoot, UserError } from "../config.ts";
import * as registry from "../sources/registry.ts";
import type { FileSource, FileSourceOption, PullSource } from "../sources/registry.ts";

export const CONFIG_FILE = "salesdw.yaml";

const DURATION = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90m", "36h", "2d" → milliseconds. */
export function durationMs(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new UserError(`"${text}" is not a duration like "90m", "36h" or "2d".`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Keys every source entry may have; the others are the source's own options (see sourceOptionNames). */
const RESERVED = ["enabled", "files", "stale_after"] as const;

/** `page_size`, `page-size` → `pageSize`: options reach a source as its `salesdw extract` options do. */
export function camelCase(key: string): string {
  return key.replace(/[-_]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A file source's options by camel-cased name (`--timezone <zone>` → timezone), `entity` for one that recognises its files. */
function fileOptionNames(source: FileSource): Map<string, FileSourceOption | undefined> {
  const names = new Map<string, FileSourceOption | undefined>();
  for (const option of source.options ?? []) {
    const long = /--([a-z0-9-]+)/.exec(option.flags)?.[1];
    if (long) names.set(camelCase(long), option);
  }
  if (source.recognise) names.set("entity", undefined);
  return names;
}

const sourceEntrySchema = z
  .object({
    enabled: z.boolean().optional(),
    files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    stale_after: z.string().regex(DURATION, 'must be a duration like "90m", "36h" or "2d"').optional(),
  })
  .catchall(z.unknown());

const configSchema = z
  .object({
    timezone: z.string().refine(isTimeZone, "must be an IANA time zone such as Asia/Tehran or UTC").default("UTC"),
    // `karamad:` with nothing after it is an entry with no settings.
    sources: z.record(z.string(), sourceEntrySchema.nullable().transform((entry) => entry ?? {})).default({}),
    alerts: z
      .object({
        on_failure: z.boolean().default(true),
        on_stale: z.boolean().default(true),
      })
      .strict()
      .default({ on_failure: true, on_stale: true }),
  })
  .strict();

export interface SourceSettings {
  enabled?: boolean;
  /** Globs, relative to the folder of the configuration file. */
  files: string[];
  staleAfterMs?: number;
  staleAfter?: string;
  /** Everything else in the entry, keys camel-cased: a pull source's run(url, options), a file source's options (and `entity`). */
  options: Record<string, unknown>;
}

export interface RunConfig {
  /** The file it came from, or undefined when there is none (defaults). */
  file?: string;
  /** How messages name it when it is not a file (the demo's). */
  label?: string;
  /** Globs are relative to this folder. */
  baseDir: string;
  timezone: string;
  sources: Record<string, SourceSettings>;
  alerts: { onFailure: boolean; onStale: boolean };
}

export class ConfigError extends UserError {}

/** `--config`, else salesdw.yaml in the current folder, else in the project root; none is fine. */
export function findConfigFile(explicit?: string): string | undefined {
  if (explicit) {
    if (!existsSync(explicit)) throw new ConfigError(`${explicit}: no such file (given with --config).`);
    return path.resolve(explicit);
  }
  for (const dir of [process.cwd(), projectRoot]) {
    const file = path.join(dir, CONFIG_FILE);
    if (existsSync(file)) return file;
  }
  return undefined;
}

export function loadRunConfig(explicit?: string): RunConfig {
  const file = findConfigFile(explicit);
  if (!file) return { baseDir: process.cwd(), ...parseRunConfig("{}", CONFIG_FILE) };
  const shown = path.relative(process.cwd(), file) || file;
  return { file, baseDir: path.dirname(file), ...parseRunConfig(readFileSync(file, "utf8"), shown) };
}

/** The sources a configuration may name: the registry's (tests add their own). */
export interface SourceRegistry {
  fileSources: Record<string, FileSource>;
  pullSources: Record<string, PullSource>;
}

/** Parses and checks the YAML text; `name` is how the file is named in messages. */
export function parseRunConfig(text: string, name: string, known: SourceRegistry = registry): Omit<RunConfig, "file" | "baseDir"> {
  const { fileSources, pullSources } = known;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const error = doc.errors[0];
    throw new ConfigError(`${name}:${lineCounter.linePos(error.pos[0]).line}: not valid YAML: ${error.message.split("\n")[0]}`);
  }
  const where = (keyPath: PropertyKey[]) => {
    const line = lineOf(doc, lineCounter, keyPath);
    return `${name}${line ? `:${line}` : ""}: ${formatPath(keyPath)}`;
  };
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      if (issue.code === "unrecognized_keys") {
        const keyPath = [...issue.path, issue.keys[0]];
        if (issue.keys[0] === "webhook") return `${where(keyPath)}: the webhook is a secret: set SALESDW_ALERT_WEBHOOK in the environment or .env, not here`;
        return `${where(keyPath)}: unknown key (allowed here: ${allowedKeys(issue.path).join(", ")})`;
      }
      return `${where(issue.path)}: ${issue.message}`;
    });
    throw new ConfigError(problems.join("\n"));
  }

  const problems: string[] = [];
  const sources: Record<string, SourceSettings> = {};
  for (const [source, entry] of Object.entries(parsed.data.sources)) {
    const at = (key?: string) => where(key ? ["sources", source, key] : ["sources", source]);
    const given = Object.entries(entry).filter(([key]) => !(RESERVED as readonly string[]).includes(key));
    const options: Record<string, unknown> = {};
    const files = entry.files === undefined ? [] : ([] as string[]).concat(entry.files);
    const file = fileSources[source];
    if (file) {
      const known = fileOptionNames(file);
      for (const [key, value] of given) {
        const name = camelCase(key);
        if (!known.has(name)) {
          const allowed = [...RESERVED, ...[...known.keys()]];
          problems.push(`${at(key)}: unknown key (${source} is a file source: ${allowed.join(", ")})`);
          continue;
        }
        const option = known.get(name);
        try {
          options[name] = option?.parse ? option.parse(String(value)) : String(value);
        } catch (error) {
          problems.push(`${at(key)}: ${(error as Error).message}`);
        }
      }
      if (entry.enabled === true && !files.length) problems.push(`${at("files")}: ${source} is enabled but has no files: give a glob such as "inbox/${source}/*.csv"`);
    } else if (pullSources[source]) {
      if (files.length) problems.push(`${at("files")}: ${source} is not a file source; it reads its settings from the environment (see .env.example)`);
      for (const [key, value] of given) options[camelCase(key)] = value;
    } else {
      problems.push(`${at()}: unknown source; known sources: ${[...Object.keys(fileSources), ...Object.keys(pullSources)].join(", ")}`);
    }
    sources[source] = {
      enabled: entry.enabled,
      files,
      staleAfter: entry.stale_after,
      staleAfterMs: entry.stale_after === undefined ? undefined : durationMs(entry.stale_after),
      options,
    };
  }
  if (problems.length) throw new ConfigError(problems.join("\n"));
  const { timezone, alerts } = parsed.data;
  return { timezone, sources, alerts: { onFailure: alerts.on_failure, onStale: alerts.on_stale } };
}

function allowedKeys(keyPath: PropertyKey[]): string[] {
  if (keyPath.length === 0) return Object.keys(configSchema.shape);
  if (keyPath[0] === "alerts") return ["on_failure", "on_stale"];
  return [];
}

function formatPath(parts: PropertyKey[]): string {
  return parts.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "") || "(top level)";
}

/** The line of a key in the YAML (the key itself when it is a mapping key), or of its nearest parent that exists. */
function lineOf(doc: Document, lineCounter: LineCounter, keyPath: PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
  for (const part of keyPath) {
    if (!isMap(node)) break;
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part));
    if (!pair) break;
    offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
    node = pair.value;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}
