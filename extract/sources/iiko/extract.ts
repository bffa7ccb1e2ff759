/**
 * `salesdw extract iiko`: for each server, one session, the fields checked once, then one OLAP
 * request per business day, each day its own load (one transaction with its cursor). A day the
 * server refuses (409/400) is recorded as failed with the server's text and the other days still
 * load; a failed day never looks like a day without sales (that one is a load of zero rows).
 *
 * A re-read day is a new load of the same server and day: raw stays append-only and the models
 * take, per server and day, the latest successful load. The same content as that latest load is
 * a no-op, as for files.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { UserError } from "../../config.ts";
import { findContract, type Contract } from "../../contracts/contracts.ts";
import { info, redact, warn } from "../../log.ts";
import { printLoad } from "../../commands/program.ts";
import { landBatch, readSyncState, recordFailure, type LoadResult } from "../../loader/loader.ts";
import { ensureRawTables } from "../../loader/raw-schema.ts";
import { connect } from "../../warehouse/warehouse.ts";
import { createHttpClient, HttpError } from "../http.ts";
import { spoolRecords } from "../records.ts";
import { WarehouseConnectionLost, type SourceBatch } from "../source.ts";
import { addDays, advanceCursor, daysBetween, defaultDays, localYesterday } from "./days.ts";
import { checkColumns, dayRecords, reportRequest, reportRows } from "./olap.ts";
import { IikoLoginRefused, IikoSession, oneLine } from "./session.ts";
import { iikoSettings, type IikoServerSettings, type IikoSettings } from "./settings.ts";

export interface IikoExtractOptions {
  from?: string;
  to?: string;
  /** Only these servers (names from IIKO_SERVERS). */
  server?: string[];
}

/** The run was stopped (Ctrl-C); every session was logged out first. */
export class IikoInterrupted extends UserError {}

/**
 * Per server in raw._sync_state. A day is complete once it was read: loaded, or refused and
 * recorded as failed in raw._loads; failed days are read again on every run until they load
 * (see daysToRetry), so one bad day does not hold back the days after it.
 */
interface Cursor {
  last_complete_day: string;
}

export async function extractIiko(url: string, options: IikoExtractOptions, env: NodeJS.ProcessEnv = process.env): Promise<LoadResult[]> {
  const settings = iikoSettings(env);
  const servers = chooseServers(settings, options.server);
  if (options.to && !options.from) throw new UserError("--to needs --from (both days are included).");
  if (options.from && options.to && options.from > options.to) throw new UserError(`--from ${options.from} is after --to ${options.to}.`);
  const contract = findContract("iiko", "olap_sales");
  const client = await connect(url);
  await ensureRawTables(client, contract);
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(130); // a second Ctrl-C: stop waiting for the logout
    warn("iiko: interrupted; logging out (Ctrl-C again to quit at once)…");
    interrupt.abort(new IikoInterrupted("interrupted (Ctrl-C); every iiko session was logged out; days that had landed are kept."));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const results: LoadResult[] = [];
  const failures: string[] = [];
  try {
    for (const server of servers) {
      const outcome = await extractServer(client, contract, server, settings, options, interrupt.signal);
      results.push(...outcome.results);
      if (outcome.failedDays.length) failures.push(`${server.name} ${outcome.failedDays.join(", ")}`);
      else if (outcome.failed) failures.push(`${server.name} (${outcome.failed})`);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await client.end().catch(() => undefined);
  }
  if (failures.length) warn(`error: iiko: not loaded: ${failures.join("; ")}.`);
  return results;
}

function chooseServers(settings: IikoSettings, wanted: string[] | undefined): IikoServerSettings[] {
  if (!wanted?.length) return settings.servers;
  return wanted.map((name) => {
    const found = settings.servers.find((s) => s.name === name.toLowerCase());
    if (!found) throw new UserError(`--server ${name}: no such server in IIKO_SERVERS (${settings.servers.map((s) => s.name).join(", ")}).`);
    return found;
  });
}

interface ServerOutcome {
  results: LoadResult[];
  failedDays: string[];
  /** Why the whole server failed (login, fields), when it did. */
  failed?: string;
}

async function extractServer(
  client: pg.Client,
  contract: Contract,
  server: IikoServerSettings,
  settings: IikoSettings,
  options: IikoExtractOptions,
  signal: AbortSignal,
): Promise<ServerOutcome> {
  const entity = `olap_sales@${server.name}`;
  const yesterday = localYesterday(server.timezone);
  const stored = await fromWarehouse(() => readSyncState<Cursor>(client, "iiko", entity));
  const days = options.from
    ? daysBetween(options.from, options.to ?? yesterday)
    : [...new Set([...(await daysToRetry(client, contract, server)), ...defaultDays(stored?.last_complete_day, settings.rereadDays, yesterday)])].sort();
  const outcome: ServerOutcome = { results: [], failedDays: [] };
  if (!days.length) {
    info(`iiko:${server.name}: no business day to read (${options.from ? `--from ${options.from} is after ${options.to ?? `yesterday there, ${yesterday}`}` : `up to date until ${yesterday}`}).`);
    return outcome;
  }

  const http = createHttpClient({
    name: `iiko:${server.name}`,
    baseUrl: server.url,
    timeoutMs: settings.timeoutMs,
    retries: settings.retries,
    backoffMs: settings.backoffMs,
    // iikoServer wants one request at a time.
    maxConcurrent: 1,
  });
  const session = new IikoSession(server, http, { renewAfterMs: settings.renewAfterMs, signal });
  let lastComplete = stored?.last_complete_day ?? addDays(days[0], -1);

  const fail = async (origin: string, details: Record<string, unknown>, message: string) => {
    await recordFailure(client, { contract, origin, fingerprint: "(not read)", bytes: 0, details }, new Date(), message);
    const result: LoadResult = { status: "failed", origin, rowsLoaded: 0, rowsRejected: 0, message };
    printLoad(result);
    outcome.results.push(result);
  };
  const about = { server: server.name, url: server.url, timezone: server.timezone };

  // iiko's report does not say its currency, and amounts without one cannot be shown or compared:
  // refuse the server (a failed load, so a failed_load finding) before it costs a licence seat.
  if (!server.currency) {
    const setting = `IIKO_${server.name.toUpperCase()}_CURRENCY`;
    outcome.failed = `${setting} not set`;
    await fail(`iiko:${server.name}`, { ...about, from: days[0], to: days.at(-1), setting },
      `iiko:${server.name}: ${setting} is not set: set it to the ISO 4217 code of the server's amounts (e.g. RUB); iiko's report does not say it. Nothing was read from this server.`);
    return outcome;
  }

  try {
    try {
      await session.login();
      await checkColumns(session, server);
    } catch (error) {
      if (signal.aborted || !(error instanceof UserError)) throw error;
      outcome.failed = error instanceof IikoLoginRefused ? "login refused" : "cannot read its report";
      await fail(`iiko:${server.name}`, { ...about, from: days[0], to: days.at(-1) }, error.message);
      return outcome;
    }

    for (const [i, day] of days.entries()) {
      signal.throwIfAborted();
      const origin = `iiko:${server.name}:${day}`;
      const details = { ...about, business_day: day };
      let rows: unknown[];
      try {
        const { body } = await session.request("/resto/api/v2/reports/olap", { method: "POST", body: reportRequest(day) });
        rows = reportRows(body, server, day);
      } catch (error) {
        if (signal.aborted || !(error instanceof UserError)) throw error;
        if (error instanceof HttpError && (error.status === 409 || error.status === 400)) {
          // iiko's business-logic refusal: its text is meant for a person. Retrying would not help; other days may still load.
          await fail(origin, { ...details, http_status: error.status, server_text: oneLine(error.bodyText) },
            `${origin}: the server refused the report for business day ${day} (HTTP ${error.status}): ${oneLine(error.bodyText)}`);
          outcome.failedDays.push(day);
          lastComplete = advanceCursor(lastComplete, day, yesterday);
          continue;
        }
        // Retries exhausted, a session that cannot be renewed, an answer of the wrong shape: the server is not usable now.
        await fail(origin, { ...details, ...(error instanceof HttpError && { http_status: error.status }) }, `${origin}: ${error.message}`);
        outcome.failedDays.push(day);
        lastComplete = advanceCursor(lastComplete, day, yesterday);
        const skipped = days.slice(i + 1);
        if (skipped.length) warn(`iiko:${server.name}: stopped after this failure; not read this time: ${skipped.join(", ")}.`);
        outcome.failedDays.push(...skipped.map((d) => `${d} (not read)`));
        break;
      }

      const next = advanceCursor(lastComplete, day, yesterday);
      const batch = await dayBatch(client, contract, server, day, rows, details, next, entity);
      let result: LoadResult;
      try {
        result = await landBatch(client, batch);
      } finally {
        await batch.dispose();
      }
      if (result.status === "loaded" && result.rowsLoaded === 0) result.message += ` No sales on ${day}.`;
      printLoad(result);
      outcome.results.push(result);
      if (result.status === "failed") outcome.failedDays.push(day);
      else lastComplete = next;
    }
  } finally {
    await session.logout();
  }
  return outcome;
}

/** Days of this server whose latest attempt failed: the next run without dates reads them again. */
async function daysToRetry(client: pg.Client, contract: Contract, server: IikoServerSettings): Promise<string[]> {
  const { rows } = await fromWarehouse(() => client.query<{ day: string; status: string }>(
    `select distinct on (details->>'business_day') details->>'business_day' as day, status
     from raw._loads
     where source = 'iiko' and raw_table = $1 and details->>'server' = $2 and details ? 'business_day'
     order by details->>'business_day', load_id desc`,
    [contract.rawTable, server.name],
  ));
  return rows.filter((r) => r.status === "failed").map((r) => r.day);
}

/**
 * A day's rows as a batch. Its fingerprint names the server and day (so that two days without
 * sales are not "the same content") and, when the content differs from the day's latest load,
 * also the day's latest ledger row: content seen before but since replaced (an order added, then
 * deleted again) lands again instead of being taken for the current state, and a day that failed
 * since its last load gets a new load row saying the failure is over.
 */
async function dayBatch(
  client: pg.Client,
  contract: Contract,
  server: IikoServerSettings,
  day: string,
  rows: unknown[],
  details: Record<string, unknown>,
  cursorDay: string,
  entity: string,
): Promise<SourceBatch & { dispose(): Promise<void> }> {
  const spooled = await spoolRecords({
    contract,
    origin: `iiko:${server.name}:${day}`,
    details,
    records: dayRecords(contract, rows, server, day),
    syncState: () => ({ source: "iiko", entity, cursor: { last_complete_day: cursorDay } satisfies Cursor }),
  });
  const content = sha256(`iiko|${server.name}|${day}\n${spooled.fingerprint}`);
  const { rows: latest } = await fromWarehouse(() => client.query<{ load_id: string; status: string; sha256: string; content: string | null }>(
    `select load_id, status, sha256, details->>'content_sha256' as content from raw._loads
     where source = 'iiko' and raw_table = $1 and details->>'server' = $2 and details->>'business_day' = $3
     order by load_id desc limit 1`,
    [contract.rawTable, server.name, day],
  ));
  const previous = latest[0];
  const unchanged = previous?.status === "loaded" && previous.content === content;
  const fingerprint = !previous ? content : unchanged ? previous.sha256 : sha256(`${content}|after load ${previous.load_id}`);
  return { ...spooled, fingerprint, details: { ...spooled.details, content_sha256: content, rows: rows.length } };
}

/** The ledger reads of this module: a failure is one line (no stack trace), and says that what landed is kept. */
async function fromWarehouse<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new WarehouseConnectionLost(
      `iiko: the warehouse could not be read (${redact((error as Error).message)}); the days that had landed are kept. ` +
        "Check that the warehouse is running and run the same command again.",
    );
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
