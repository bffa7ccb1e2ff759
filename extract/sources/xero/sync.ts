/**
 * One Xero sync: contacts, items, invoices and credit notes, each its own load. Documents are
 * fetched page by page (pageSize 1000, `order=UpdatedDateUTC ASC`) since the highest
 * UpdatedDateUTC landed minus an overlap; versions already in raw are skipped, so the overlap
 * re-fetched lands nothing. Rows land while the next pages are read (COPY fed as each page is
 * mapped, `landStreamed`), and the cursor is written in the same transaction as the rows.
 */
import { createHash, randomUUID } from "node:crypto";
import type pg from "pg";
import { UserError } from "../../config.ts";
import { loadContracts, type Contract } from "../../contracts/contracts.ts";
import { readSyncState, recordFailure, type LoadResult } from "../../loader/loader.ts";
import { landStreamed, type RowSink } from "../../loader/stream-load.ts";
import { ensureRawTables, quoteIdent } from "../../loader/raw-schema.ts";
import { connect } from "../../warehouse/warehouse.ts";
import { printLoad } from "../../commands/program.ts";
import { redact } from "../../log.ts";
import { paged } from "../http.ts";
import type { LandedRecord, RejectedRecord } from "../source.ts";
import { MAX_CONCURRENT, XeroApi } from "./api.ts";
import { parseDotnetDate } from "./json.ts";
import { rowMapper } from "./rows.ts";
import { readXeroSettings } from "./settings.ts";

type Json = Record<string, unknown>;

export interface XeroEntity {
  /** The cursor's name in raw._sync_state and the name on the command line. */
  name: "organisation" | "contacts" | "items" | "invoices" | "credit_notes";
  endpoint: "Organisation" | "Contacts" | "Items" | "Invoices" | "CreditNotes";
  /** The envelope's list when it is not named like the endpoint (Organisation → Organisations). */
  listKey?: string;
  /** Records without UpdatedDateUTC (the organisation): compared as a whole list, no cursor. */
  undated?: boolean;
  contractEntity: string;
  idField: string;
  numberField?: string;
  query: Record<string, string>;
  /** Items: never paged, always the full list (Xero deletes items without trace). */
  paged: boolean;
}

export const XERO_ENTITIES: XeroEntity[] = [
  // First: its BaseCurrency is what every document's CurrencyRate is relative to (the models read it from raw).
  { name: "organisation", endpoint: "Organisation", listKey: "Organisations", contractEntity: "organisation", idField: "OrganisationID", query: {}, paged: false, undated: true },
  { name: "contacts", endpoint: "Contacts", contractEntity: "contact", idField: "ContactID", query: { includeArchived: "true", order: "UpdatedDateUTC ASC" }, paged: true },
  { name: "items", endpoint: "Items", contractEntity: "item", idField: "ItemID", query: { order: "Code ASC" }, paged: false },
  {
    name: "invoices",
    endpoint: "Invoices",
    contractEntity: "invoice_line",
    idField: "InvoiceID",
    numberField: "InvoiceNumber",
    query: { where: 'Type=="ACCREC"', order: "UpdatedDateUTC ASC", unitdp: "4" },
    paged: true,
  },
  {
    name: "credit_notes",
    endpoint: "CreditNotes",
    contractEntity: "credit_note_line",
    idField: "CreditNoteID",
    numberField: "CreditNoteNumber",
    query: { where: 'Type=="ACCRECCREDIT"', order: "UpdatedDateUTC ASC", unitdp: "4" },
    paged: true,
  },
];

export interface XeroSyncOptions {
  entities?: string[];
  pageSize?: number;
  /** Ignore the cursors and read everything (versions already landed are still skipped). */
  full?: boolean;
  overlapMinutes?: number;
  retries?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

export interface XeroCursor {
  /** The highest UpdatedDateUTC landed, ISO 8601. */
  updated_date_utc: string;
}

const SOURCE = "xero";

export async function syncXero(url: string, options: XeroSyncOptions = {}): Promise<LoadResult[]> {
  const settings = readXeroSettings();
  const wanted = options.entities ?? XERO_ENTITIES.map((e) => e.name);
  const unknown = wanted.filter((name) => !XERO_ENTITIES.some((e) => e.name === name));
  if (unknown.length) throw new UserError(`xero: unknown entities ${unknown.join(", ")}; choose from ${XERO_ENTITIES.map((e) => e.name).join(", ")}.`);
  const entities = XERO_ENTITIES.filter((e) => wanted.includes(e.name));
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new UserError(`xero: the page size must be 1 to 1000 (Xero's maximum), got ${pageSize}.`);

  const client = await connect(url);
  // Versions already landed are looked up on a connection of their own: the other one is busy with COPY.
  const lookups = await connect(url);
  try {
    // One sync at a time per warehouse: two would also rotate the same refresh token and break it.
    const { rows } = await client.query("select pg_try_advisory_lock(hashtextextended('salesdw.sync:xero', 0)) as got");
    if (!rows[0].got) throw new UserError("xero: another Xero sync is running against this warehouse; wait for it to finish.");
    // Xero's contracts only, parsed once (every contract of every source took a second to parse at each entity).
    const contracts = loadContracts(undefined, (source) => source === SOURCE);
    const api = new XeroApi(settings, { retries: options.retries, backoffMs: options.backoffMs, timeoutMs: options.timeoutMs });
    let tenantResolved = false;
    const results: LoadResult[] = [];
    for (const entity of entities) {
      const contract = contracts.find((c) => c.entity === entity.contractEntity);
      if (!contract) throw new Error(`no contract contracts/${SOURCE}/${entity.contractEntity}.yaml`);
      await ensureRawTables(client, contract);
      await ensureVersionIndex(client, contract, entity);
      const startedAt = new Date();
      try {
        if (!tenantResolved) {
          await api.resolveTenant();
          tenantResolved = true;
        }
        const result = await syncEntity(client, lookups, api, contract, entity, { ...options, pageSize });
        printLoad(result);
        results.push(result);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        const message = redact(error.message);
        await recordFailure(client, { contract, origin: originOf(entity), fingerprint: "-", details: { endpoint: entity.endpoint } }, startedAt, message);
        const failed: LoadResult = { status: "failed", origin: originOf(entity), rowsLoaded: 0, rowsRejected: 0, message };
        printLoad(failed);
        results.push(failed);
        // A token, a tenant, a limit or an unreachable service fails every entity alike: the run stops
        // here; what landed stays, and the cursors of the rest do not move.
        break;
      }
    }
    return results;
  } finally {
    await lookups.end();
    await client.end();
  }
}

function originOf(entity: XeroEntity): string {
  return `xero:/${entity.endpoint}`;
}

/** Lookups of landed versions go by document id: an index keeps them cheap however large raw grows. */
async function ensureVersionIndex(client: pg.Client, contract: Contract, entity: XeroEntity): Promise<void> {
  if (!entity.paged) return;
  const column = idColumn(contract, entity);
  await client.query(`create index if not exists ${quoteIdent(`${contract.rawTable}__${column}`)} on raw.${quoteIdent(contract.rawTable)} (${quoteIdent(column)})`);
}

/** The raw column holding the record's Xero id (the contract column read from that field). */
function idColumn(contract: Contract, entity: XeroEntity): string {
  const column = contract.columns.find((c) => c.headers[0] === entity.idField);
  if (!column || !contract.columns.some((c) => c.name === "updated_date_utc")) {
    throw new Error(`${contract.file} needs a column read from ${entity.idField} and one named updated_date_utc`);
  }
  return column.name;
}

/** `id|UpdatedDateUTC` of the versions of these records already in raw. */
async function landedVersions(client: pg.Client, contract: Contract, entity: XeroEntity, ids: string[]): Promise<Set<string>> {
  const id = quoteIdent(idColumn(contract, entity));
  const { rows } = await client.query<{ version: string }>(
    `select distinct ${id} || '|' || updated_date_utc as version from raw.${quoteIdent(contract.rawTable)} where ${id} = any($1::text[])`,
    [ids],
  );
  return new Set(rows.map((r) => r.version));
}

export interface PageSeen {
  /** The server's clock when it answered (envelope DateTimeUTC). */
  answeredMs?: number;
  lastUpdatedMs?: number;
}

export interface RunSeen {
  pages: PageSeen[];
  /** The earliest UpdatedDateUTC later than the first page's answer: a change made during the run. */
  firstChangeMs?: number;
}

async function syncEntity(client: pg.Client, lookups: pg.Client, api: XeroApi, contract: Contract, entity: XeroEntity, options: XeroSyncOptions & { pageSize: number }): Promise<LoadResult> {
  const previous = options.full ? undefined : await readSyncState<XeroCursor>(client, SOURCE, entity.name);
  const previousMs = previous ? Date.parse(previous.updated_date_utc) : undefined;
  const overlapMs = (options.overlapMinutes ?? 5) * 60_000;
  const sinceMs = entity.paged && previousMs !== undefined ? previousMs - overlapMs : undefined;
  const mapper = rowMapper(contract);
  const details = {
    endpoint: entity.endpoint,
    if_modified_since: sinceMs === undefined ? null : new Date(sinceMs).toISOString(),
    pages: 0,
    fetched: 0,
    already_landed: 0,
    versions: 0,
    /** Seconds spent waiting for the next page (its answer, and its parse when it was not read ahead): the server's share of the time. */
    waited_for_pages_s: 0,
    /** CPU seconds this process spent on the load (parse, rows, COPY text; PostgreSQL's work is not in it). */
    client_cpu_s: 0,
    /** Seconds spent parsing the pages (part of it may fall inside waited_for_pages_s, when a page was parsed while the rows waited for it). */
    parse_s: 0,
  };
  const run: RunSeen = { pages: [] };
  // Nothing can be landed already when raw held nothing at the start (one sync at a time, and this
  // one's own rows are not visible to the lookups): a first sync then asks nothing per page, where the
  // lookups would read a table growing under an uncommitted COPY, not yet analyzed.
  const emptyAtStart = entity.paged && !(await lookups.query(`select 1 from raw.${quoteIdent(contract.rawTable)} limit 1`)).rowCount;
  let maxUpdatedMs: number | undefined;

  async function fetchPage(page: number) {
    const envelope = await api.get(entity.endpoint, entity.paged ? { ...entity.query, page, pageSize: options.pageSize } : entity.query, sinceMs);
    const listKey = entity.listKey ?? entity.endpoint;
    const list = envelope[listKey];
    if (!Array.isArray(list)) throw new UserError(`xero: GET /api.xro/2.0/${entity.endpoint} answered without an ${listKey} list; check XERO_API_URL.`);
    details.pages++;
    const pageCount = envelope.pagination ? Number(envelope.pagination.pageCount) : undefined;
    return { items: list as Json[], pageCount, answeredMs: parseDotnetDate(envelope.DateTimeUTC) };
  }

  /** A page at a time (a yield per row would cost a promise per row). */
  async function* records(): AsyncGenerator<(LandedRecord | RejectedRecord)[]> {
    // Each page's own answer time (pages are requested ahead, so they are answered out of turn).
    const answered = new Map<number, number | undefined>();
    const pageSource = async (page: number) => {
      const result = await fetchPage(page);
      answered.set(page, result.answeredMs);
      return result;
    };
    // The next pages are fetched while this one lands (Xero allows 5 calls at once).
    const all = paged(pageSource, { pageSize: entity.paged ? options.pageSize : Number.POSITIVE_INFINITY, ahead: entity.paged ? MAX_CONCURRENT - 1 : 0 });
    let asked = performance.now();
    for await (const { page, items } of all) {
      details.waited_for_pages_s = Math.round((details.waited_for_pages_s + (performance.now() - asked) / 1000) * 1000) / 1000;
      const seen: PageSeen = { answeredMs: answered.get(page) };
      answered.delete(page);
      run.pages.push(seen);
      const started = run.pages[0].answeredMs;
      details.fetched += items.length;
      const known = entity.paged && !emptyAtStart ? await landedVersions(lookups, contract, entity, items.map((r) => String(r[entity.idField] ?? ""))) : new Set<string>();
      // Items are compared as a whole list by the batch's fingerprint; order them so the same list hashes the same.
      const ordered = entity.paged ? items : [...items].sort((a, b) => String(a[entity.idField]).localeCompare(String(b[entity.idField])));
      const out: (LandedRecord | RejectedRecord)[] = [];
      for (const record of ordered) {
        const id = record[entity.idField];
        if (entity.undated && typeof id === "string") {
          details.versions++;
          out.push(...mapper.rows(record, id));
          continue;
        }
        const updatedText = record.UpdatedDateUTC;
        const updatedMs = parseDotnetDate(updatedText);
        if (typeof id !== "string" || updatedMs === undefined) {
          out.push({ kind: "reject", sourceRow: `${entity.endpoint} ${String(id ?? "?")}`, raw: JSON.stringify(record), reason: `no ${entity.idField} or no readable UpdatedDateUTC` });
          continue;
        }
        seen.lastUpdatedMs = updatedMs;
        if (started !== undefined && updatedMs >= started - 1000) run.firstChangeMs = Math.min(run.firstChangeMs ?? updatedMs, updatedMs);
        maxUpdatedMs = Math.max(maxUpdatedMs ?? updatedMs, updatedMs);
        if (known.has(`${id}|${updatedText}`)) {
          details.already_landed++;
          continue;
        }
        details.versions++;
        for (const row of mapper.rows(record, `${entity.numberField ? `${record[entity.numberField] ?? id}` : id}@${updatedMs}`)) out.push(row);
      }
      yield out;
      asked = performance.now();
    }
  }

  const syncState = () => {
    const cursorMs = safeCursor(run, maxUpdatedMs, previousMs);
    return cursorMs === undefined ? undefined : { source: SOURCE, entity: entity.name, cursor: { updated_date_utc: new Date(cursorMs).toISOString() } satisfies XeroCursor };
  };
  const readInto = async (sink: RowSink) => {
    for await (const page of records()) {
      for (const record of page) {
        if (record.kind === "reject") sink.reject(record.sourceRow, record.reason, record.raw);
        else {
          const wait = sink.row(record.values, record.extra, record.sourceRow);
          if (wait) await wait;
        }
      }
    }
  };
  const startedAt = new Date();
  const cpu = process.cpuUsage();
  const parsedBefore = api.parseSeconds;
  const read = async (sink: RowSink) => {
    try {
      await readInto(sink);
    } finally {
      const used = process.cpuUsage(cpu);
      details.client_cpu_s = Math.round((used.user + used.system) / 1000) / 1000;
      details.parse_s = Math.round((api.parseSeconds - parsedBefore) * 1000) / 1000;
    }
  };
  const { records: landed, ...result } = await landStreamed(client, { contract, origin: originOf(entity), details, read, syncState }, { progress: true });
  const nothingNew = result.status === "skipped" || (result.status === "loaded" && landed === 0);
  if (nothingNew) {
    const since = details.if_modified_since ? ` since ${details.if_modified_since}` : "";
    result.message =
      landed === 0
        ? `${originOf(entity)}: nothing new${since} (${details.fetched} fetched in ${details.pages} page${details.pages === 1 ? "" : "s"}, all already landed).`
        : `${originOf(entity)}: nothing new (the same ${details.fetched} records as load ${result.loadId}).`;
    result.loadId = await recordNothingNew(client, contract, originOf(entity), details, startedAt, result);
    // Counted as "already loaded" by the command and by salesdw run: nothing landed.
    result.status = "skipped";
  }
  return result;
}

/**
 * Every sync leaves a row in the ledger (raw._loads, hence mart.etl_run_log and mart.load_runs),
 * also when it brought nothing new: a load of 0 rows saying so, as iiko records a day without
 * sales, whether the sync ran on its own or under `salesdw run` (which sets its run_id). The
 * empty batch of a first sync is such a row already; otherwise one is added, with a fingerprint
 * of its own (the ledger keeps one 'loaded' row per content).
 */
async function recordNothingNew(client: pg.Client, contract: Contract, origin: string, details: Record<string, unknown>, startedAt: Date, landed: LoadResult): Promise<number | undefined> {
  const noted = { ...details, nothing_new: true };
  if (landed.status === "loaded" && landed.loadId !== undefined) {
    await client.query("update raw._loads set message = $2, details = $3 where load_id = $1", [landed.loadId, landed.message, noted]);
    return landed.loadId;
  }
  const fingerprint = createHash("sha256").update(`${contract.rawTable}\nnothing new\n${startedAt.toISOString()}\n${randomUUID()}`).digest("hex");
  const { rows } = await client.query(
    `insert into raw._loads (source, entity, raw_table, file_name, sha256, bytes, rows_loaded, status, message, details, started_at, finished_at)
     values ($1, $2, $3, $4, $5, 0, 0, 'loaded', $6, $7, $8, clock_timestamp()) returning load_id`,
    [contract.source, contract.entity, contract.rawTable, origin, fingerprint, landed.message, noted, startedAt],
  );
  return Number(rows[0].load_id);
}

/**
 * The cursor a run may store. Offset paging over a list sorted by UpdatedDateUTC shifts when a
 * document already read changes during the run (it moves to the end): the document just after a
 * later page boundary then slips into a page already read. Such a change shows as a document
 * updated after the first page was answered; pages answered after it are suspect, so the cursor
 * stops at the last document of the page before them (the next run re-reads from there; versions
 * already landed are skipped). Without such a change, the highest UpdatedDateUTC seen.
 */
export function safeCursor(run: RunSeen, maxUpdatedMs: number | undefined, previousMs: number | undefined): number | undefined {
  if (maxUpdatedMs === undefined) return previousMs;
  const { pages, firstChangeMs } = run;
  if (pages.length < 2 || firstChangeMs === undefined) return maxUpdatedMs;
  // Second precision on both clocks: a page answered within a second of the change counts as after it.
  const firstSuspect = pages.findIndex((p, i) => i > 0 && (p.answeredMs ?? Number.POSITIVE_INFINITY) >= firstChangeMs - 1000);
  if (firstSuspect < 0) return maxUpdatedMs;
  const safe = pages[firstSuspect - 1].lastUpdatedMs;
  if (safe === undefined) return previousMs;
  return Math.max(safe, previousMs ?? safe);
}
