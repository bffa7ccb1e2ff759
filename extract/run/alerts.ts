/**
 * Alerts: when a run fails, or a source's data is older than its limit (stale_after in
 * salesdw.yaml), one Slack-compatible message (`{"text": …}`) to SALESDW_ALERT_WEBHOOK. Each item
 * says which source, model or assertion, the first line of the error, and the command to look
 * further. The whole text passes through `redact`, and the webhook URL (it holds a token) is
 * registered as a secret, so neither a password nor the webhook itself can leave in a message.
 */
import type pg from "pg";
import { redact, registerSecret } from "../log.ts";

/** One thing a person has to look at. */
export interface Finding {
  /** "source karamad", "model dw.fct_invoice", "assertion dq_assertions.x", "stale karamad". */
  subject: string;
  /** First line of the error, or what is stale. */
  line: string;
  /** A command or query that shows more. */
  look: string;
}

export interface StaleSource {
  /** The source as salesdw.yaml names it. */
  name: string;
  /** Its name in raw._loads. */
  source: string;
  limit: string;
  limitMs: number;
  /** Undefined when the source never loaded successfully. */
  lastLoadAt?: Date;
  ageMs?: number;
}

/** Sources whose last successful load (raw._loads) is older than their limit, or that never loaded. */
export async function staleSources(client: pg.Client, limits: { name: string; source: string; limit: string; limitMs: number }[]): Promise<StaleSource[]> {
  if (!limits.length) return [];
  const { rows } = await client.query(
    `select source, max(finished_at) filter (where status = 'loaded') as last_load_at,
            extract(epoch from now() - max(finished_at) filter (where status = 'loaded')) * 1000 as age_ms
     from raw._loads where source = any($1) group by source`,
    [limits.map((l) => l.source)],
  );
  const bySource = new Map(rows.map((r) => [r.source as string, r]));
  return limits
    .map((limit) => {
      const row = bySource.get(limit.source);
      return { ...limit, lastLoadAt: row?.last_load_at ?? undefined, ageMs: row?.age_ms == null ? undefined : Number(row.age_ms) };
    })
    .filter((s) => s.ageMs === undefined || s.ageMs > s.limitMs);
}

export function staleFinding(stale: StaleSource): Finding {
  const line =
    stale.ageMs === undefined
      ? `no successful load yet (limit ${stale.limit})`
      : `last successful load ${humanDuration(stale.ageMs)} ago (limit ${stale.limit})`;
  return { subject: `stale ${stale.name}`, line, look: "select * from mart.data_freshness" };
}

/** "3 d 2 h", "5 h 10 min", "42 min". */
export function humanDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days) return `${days} d${hours ? ` ${hours} h` : ""}`;
  if (hours) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  return `${minutes} min`;
}

/** A message a person reads at a glance: the rest is in the run log. */
const MAX_ITEMS = 10;

/** The message; `runId` is unknown when the run stopped before it was recorded. */
export function alertText(run: { runId?: number; where: string; failed: boolean; when: string }, findings: Finding[]): string {
  const name = run.runId === undefined ? "salesdw run" : `salesdw run ${run.runId}`;
  const headline = run.failed ? `${name} FAILED on ${run.where} (${run.when})` : `${name} on ${run.where} (${run.when}): data is stale`;
  const items = findings.slice(0, MAX_ITEMS).map((f) => `• ${f.subject}: ${f.line}\n    look further: \`${f.look}\``);
  if (findings.length > MAX_ITEMS) items.push(`• … and ${findings.length - MAX_ITEMS} more`);
  return redact([headline, ...items, `The whole run: \`npx salesdw runs --last 1\``].join("\n"));
}

/** POSTs `{"text": …}` to the webhook. Throws a one-line error (without the URL) when it is refused or unreachable. */
export async function postAlert(webhook: string, text: string): Promise<void> {
  registerWebhookSecret(webhook);
  let response: Response;
  try {
    response = await fetch(webhook, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: redact(text) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(redact(`the webhook could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`));
  }
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}`);
}

/** The webhook URL and its path (where Slack-style webhooks keep their token) never print. */
export function registerWebhookSecret(webhook: string): void {
  registerSecret(webhook);
  try {
    const { pathname, search } = new URL(webhook);
    if (pathname.length + search.length >= 8) registerSecret(pathname + search);
  } catch {
    /* not a URL: the whole value is registered */
  }
}
