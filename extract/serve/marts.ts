/** Whether a mart a page needs is there, has rows, and may be read: pages say which, plainly. */
import type pg from "pg";
import { type Html } from "./html.ts";
import { notice } from "./layout.ts";
import { parseDay } from "./calendar.ts";

export type RelationState = "missing" | "empty" | "denied" | "ready";
const RELATION = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

export async function relationState(pool: pg.Pool, relation: string): Promise<RelationState> {
  if (!RELATION.test(relation)) throw new Error(`not a relation name: ${relation}`);
  const { rows } = await pool.query("select to_regclass($1) is not null as present", [relation]);
  if (!rows[0].present) return "missing";
  try {
    const { rows: any } = await pool.query(`select exists (select 1 from ${relation}) as has_rows`);
    return any[0].has_rows ? "ready" : "empty";
  } catch (error) {
    if ((error as { code?: string }).code === "42501") return "denied";
    throw error;
  }
}

/** The sentence a page shows instead of a section whose mart is not usable. */
export function stateNotice(relation: string, state: RelationState, what: string, howToFill: string): Html {
  if (state === "missing") return notice("empty", `No ${what}: ${relation} does not exist in this warehouse yet. ${howToFill}`);
  if (state === "empty") return notice("empty", `No ${what}: ${relation} has no rows yet. ${howToFill}`);
  return notice("problem", `${relation} exists but the dashboard's reader role may not read it: run \`npx salesdw warehouse roles\`.`);
}

type Query = Record<string, string | string[] | undefined>;
export const firstOf = (query: Query, name: string): string | undefined => {
  const value = query[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
};

/** A from/to range from the URL, defaulting to the `days` days up to `last`; problems are returned to be shown. */
export function dayRange(query: Query, last: string, days: number): { from: string; to: string; problems: string[] } {
  const problems: string[] = [];
  const read = (name: string) => {
    const text = firstOf(query, name);
    if (text === undefined) return undefined;
    const day = parseDay(text);
    if (!day) problems.push(`${name} "${text}" is not a day (use 2025-03-21 or 1404/01/01): ignored.`);
    return day;
  };
  const to = read("to") ?? last;
  const fallbackFrom = new Date(`${to}T00:00:00Z`);
  fallbackFrom.setUTCDate(fallbackFrom.getUTCDate() - (days - 1));
  const from = read("from") ?? fallbackFrom.toISOString().slice(0, 10);
  return from <= to ? { from, to, problems } : { from: to, to: from, problems };
}

/** The raw rows behind findings (mart.dq_issue_rows), looked up for the given findings only. */
export async function rowsBehind(pool: pg.Pool, issueKeys: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (!issueKeys.length || (await relationState(pool, "mart.dq_issue_rows")) === "missing") return new Map();
  const { rows } = await pool.query("select issue_key, raw_row from mart.dq_issue_rows where issue_key = any($1) and raw_row is not null", [issueKeys]);
  return new Map(rows.map((r) => [r.issue_key, r.raw_row]));
}
