/**
 * `npm run bench -- --xero N`: a history of N sales invoices (and N/10 credit notes, with the
 * sandbox's contacts and items) synced from the Xero sandbox by the real client, run as a user
 * runs it (`salesdw extract xero`, a child process), into a database of its own (salesdw_bench,
 * recreated for each run). Twice:
 *   1. with Xero's real limits (60 calls a minute, 5 at once, 5,000 a day): the calls the client
 *      made, counted at the sandbox per endpoint, against the calls pages of 1,000 need;
 *   2. with the sandbox's limits off, so the server is not the bottleneck: first the sandbox serves
 *      the same pages to a bare reader (5 at once) twice, to show what the server alone costs when
 *      it writes each document's JSON and when it answers from what it kept; then the client syncs
 *      (it paces itself by the X-MinLimit-Remaining the sandbox sends, as with Xero, so no minute
 *      limit holds it). Documents per second of the whole sync (the process, start to end), and the
 *      landing rate: documents over the time the documents' loads took less the time they waited
 *      for pages other than parsing them (each load's ledger row says these), the client's and
 *      PostgreSQL's own pace (target ≥ 5,000); peak RSS.
 * Raw is checked in SQL to hold exactly the generated ACCREC invoices and ACCRECCREDIT credit notes.
 * Prints the figures and writes them as JSON to bench-results/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectRoot, UserError } from "../../config.ts";
import { findContract } from "../../contracts/contracts.ts";
import { info } from "../../log.ts";
import { quoteIdent } from "../../loader/raw-schema.ts";
import { recreateDatabase, timeCli } from "../../bench.ts";
import { connect, ensureWarehouse } from "../../warehouse/warehouse.ts";
import { startXeroSandbox, type XeroSandboxOptions } from "../../sandbox/xero/server.ts";
import { XERO_ENTITIES } from "./sync.ts";

const PAGE_SIZE = 1000;
const REAL_LIMITS = { perMinute: 60, concurrent: 5, perDay: 5000 };
const NO_LIMITS = { perMinute: 1e9, concurrent: 1e9, perDay: 1e9 };

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The fewest calls a client that stops on a short or empty page can make for n records: every
 * full page, then the one that is short (or empty when n is a multiple of 1,000). A client that
 * also believes `pagination.pageCount` may save that last empty call.
 */
export const pagesNeeded = (n: number) => Math.floor(n / PAGE_SIZE) + 1;

interface RunFigures {
  limits: typeof REAL_LIMITS;
  seconds: number;
  peak_rss_mb: number;
  calls: Record<string, { answered: number; rate_limited: number; other_errors: number }>;
  api_calls: number;
  api_calls_needed: number;
  calls_vs_needed: number;
  rate_limited: number;
  documents_landed: number;
  documents_per_s: number;
  /** The Invoices and CreditNotes loads, first page asked to commit (the ledger's started_at → finished_at). */
  documents_load_s: number;
  /** Of which spent waiting for the next page (answer and parse): the server's share. */
  waited_for_pages_s: number;
  /** Of the wait, what was not the client parsing pages (all parse time counted as the client's: a lower bound of the landing rate). */
  waited_for_server_s: number;
  /** documents / (documents_load_s − waited_for_server_s): landing when the server is not the bottleneck. */
  landing_documents_per_s: number;
  /** CPU seconds the client process spent on those loads (PostgreSQL's not included), and documents per such second: less swayed by other work on the machine than wall time. */
  client_cpu_s: number;
  documents_per_client_cpu_s: number;
  sandbox_alone?: { first: { seconds: number; documents_per_s: number }; again: { seconds: number; documents_per_s: number } };
}

/**
 * The server's own share: the same sales invoice and credit note pages fetched from the sandbox
 * by a bare reader (5 at once, bodies read as text, nothing parsed or landed).
 */
async function serveAlone(sandbox: Awaited<ReturnType<typeof startXeroSandbox>>): Promise<{ seconds: number; documents_per_s: number }> {
  const { XERO_API_URL: base, XERO_CLIENT_ID: id, XERO_CLIENT_SECRET: secret } = sandbox.settings;
  const token = await fetch(`${base}/connect/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const headers = { authorization: `Bearer ${token.access_token}`, accept: "application/json" };
  const started = process.hrtime.bigint();
  let documents = 0;
  for (const [endpoint, type, count] of [["Invoices", "ACCREC", sandbox.data.documents.filter((d) => d.Type === "ACCREC").length], ["CreditNotes", "ACCRECCREDIT", sandbox.data.documents.filter((d) => d.Type === "ACCRECCREDIT").length]] as const) {
    const pages = Math.ceil(count / PAGE_SIZE);
    for (let first = 1; first <= pages; first += 5) {
      const batch = Array.from({ length: Math.min(5, pages - first + 1) }, (_, i) => first + i);
      const query = (page: number) => new URLSearchParams({ where: `Type=="${type}"`, order: "UpdatedDateUTC ASC", unitdp: "4", page: String(page), pageSize: String(PAGE_SIZE) });
      const bodies = await Promise.all(batch.map((page) => fetch(`${base}/api.xro/2.0/${endpoint}?${query(page)}`, { headers }).then((r) => r.text())));
      for (const body of bodies) documents += (body.match(endpoint === "Invoices" ? /"InvoiceID"/g : /"CreditNoteID"/g) ?? []).length;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds: round(seconds), documents_per_s: Math.round(documents / seconds) };
}

async function syncOnce(invoices: number, creditNotes: number, limits: typeof REAL_LIMITS, label: string): Promise<RunFigures> {
  const url = await recreateDatabase(await ensureWarehouse(info));
  const sandbox = await startXeroSandbox({ invoices, creditNotes, ...limits } satisfies XeroSandboxOptions);
  const dir = mkdtempSync(path.join(tmpdir(), "xero-bench-"));
  try {
    const customerContacts = sandbox.data.contacts.length;
    const items = sandbox.data.items.length;
    info(`${label}: the sandbox holds ${invoices.toLocaleString("en-US")} sales invoices, ${creditNotes.toLocaleString("en-US")} sales credit notes, ${customerContacts} contacts, ${items} items`);
    let served: RunFigures["sandbox_alone"];
    if (limits === NO_LIMITS) {
      info("the sandbox alone, serving the pages to a bare reader: first (writing each document's JSON), then again (from what it kept) …");
      served = { first: await serveAlone(sandbox), again: await serveAlone(sandbox) };
    }
    // Only the client's calls are counted.
    const before = sandbox.requests.length;
    info("salesdw extract xero (child process) …");
    const run = await timeCli(["extract", "xero", "--page-size", String(PAGE_SIZE)], {
      ...sandbox.settings,
      XERO_TOKEN_FILE: path.join(dir, "xero-token.json"),
      XERO_TENANT_ID: "",
      XERO_GRANT: "",
      WAREHOUSE_URL: url,
    });

    // Counted at the server: every request the client sent, by endpoint and answer.
    const requests = sandbox.requests.slice(before);
    const calls: RunFigures["calls"] = {};
    for (const r of requests) {
      const entry = (calls[r.path] ??= { answered: 0, rate_limited: 0, other_errors: 0 });
      if (r.status === 429) entry.rate_limited++;
      else if (r.status >= 200 && r.status < 300) entry.answered++;
      else entry.other_errors++;
    }
    const apiCalls = requests.filter((r) => r.path.startsWith("/api.xro/") || r.path === "/connections").length;
    const rateLimited = requests.filter((r) => r.status === 429).length;
    // /connections, Organisation and Items once (never paged), and pages of 1,000 for each paged entity.
    const contacts = sandbox.data.contacts.length; // archived included, as the client asks
    const needed = 1 + 1 + 1 + pagesNeeded(contacts) + pagesNeeded(invoices) + pagesNeeded(creditNotes);

    const landed = await countLanded(url);
    if (landed.invoices !== invoices) throw new Error(`raw holds ${landed.invoices} sales invoices, the sandbox ${invoices}: the figures would not be honest.`);
    if (landed.creditNotes !== creditNotes) throw new Error(`raw holds ${landed.creditNotes} sales credit notes, the sandbox ${creditNotes}.`);
    const documents = landed.invoices + landed.creditNotes;
    return {
      limits,
      seconds: round(run.seconds),
      peak_rss_mb: round(run.peakRssMb),
      calls,
      api_calls: apiCalls,
      api_calls_needed: needed,
      calls_vs_needed: round(apiCalls / needed),
      rate_limited: rateLimited,
      documents_landed: documents,
      documents_per_s: Math.round(documents / run.seconds),
      documents_load_s: round(landed.loadSeconds),
      waited_for_pages_s: round(landed.waitedSeconds),
      waited_for_server_s: round(Math.max(0, landed.waitedSeconds - landed.parseSeconds)),
      landing_documents_per_s: Math.round(documents / (landed.loadSeconds - Math.max(0, landed.waitedSeconds - landed.parseSeconds))),
      client_cpu_s: round(landed.cpuSeconds),
      documents_per_client_cpu_s: Math.round(documents / landed.cpuSeconds),
      ...(served ? { sandbox_alone: served } : {}),
    };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Distinct documents in raw, by the contracts' own tables and id columns. */
async function countLanded(url: string): Promise<{ invoices: number; creditNotes: number; loadSeconds: number; waitedSeconds: number; cpuSeconds: number; parseSeconds: number }> {
  const client = await connect(url);
  try {
    const count = async (entityName: string) => {
      const entity = XERO_ENTITIES.find((e) => e.name === entityName)!;
      const contract = findContract("xero", entity.contractEntity);
      const column = contract.columns.find((c) => c.headers[0] === entity.idField)!.name;
      const { rows } = await client.query<{ n: string }>(`select count(distinct ${quoteIdent(column)}) as n from raw.${quoteIdent(contract.rawTable)}`);
      return Number(rows[0].n);
    };
    const { rows } = await client.query<{ load_s: number; waited_s: number; cpu_s: number; parse_s: number }>(
      `select coalesce(sum(extract(epoch from finished_at - started_at)), 0)::float8 as load_s,
              coalesce(sum((details->>'waited_for_pages_s')::float8), 0)::float8 as waited_s,
              coalesce(sum((details->>'client_cpu_s')::float8), 0)::float8 as cpu_s,
              coalesce(sum((details->>'parse_s')::float8), 0)::float8 as parse_s
         from raw._loads where source = 'xero' and file_name in ('xero:/Invoices', 'xero:/CreditNotes') and status = 'loaded'`,
    );
    return { invoices: await count("invoices"), creditNotes: await count("credit_notes"), loadSeconds: rows[0].load_s, waitedSeconds: rows[0].waited_s, cpuSeconds: rows[0].cpu_s, parseSeconds: rows[0].parse_s };
  } finally {
    await client.end();
  }
}

export async function runXeroBench(invoices: number): Promise<number> {
  if (invoices < 1000) throw new UserError("--xero must be at least 1000 invoices.");
  const creditNotes = Math.round(invoices / 10);
  const real = await syncOnce(invoices, creditNotes, REAL_LIMITS, "Xero's real limits (60 calls a minute, 5 at once)");
  const open = await syncOnce(invoices, creditNotes, NO_LIMITS, "Sandbox limits off (the server is not the bottleneck)");

  const figures = {
    invoices,
    credit_notes: creditNotes,
    page_size: PAGE_SIZE,
    pages_needed_rule: "per paged entity floor(n / 1000) + 1 (every full page, then the short or empty one that stops the client); plus /connections, Organisation and Items once",
    real_limits: real,
    limits_off: { ...open, landing_documents_per_s_vs_target: round(open.landing_documents_per_s / 5000), documents_per_s_vs_target: round(open.documents_per_s / 5000) },
    targets: { calls_vs_needed: "<= 1", landing_documents_per_s_limits_off: ">= 5000" },
    measured_at: new Date().toISOString(),
  };
  const dir = path.join(projectRoot, "bench-results");
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `bench-xero-${invoices}.json`);
  writeFileSync(out, JSON.stringify(figures, null, 2) + "\n");

  const callLines = (r: RunFigures) =>
    Object.entries(r.calls)
      .map(([p, c]) => `    ${p.padEnd(28)} ${c.answered} answered${c.rate_limited ? `, ${c.rate_limited} × 429` : ""}${c.other_errors ? `, ${c.other_errors} other errors` : ""}`)
      .join("\n");
  const runLines = (r: RunFigures) => `${r.sandbox_alone ? `  the sandbox alone served the pages in ${r.sandbox_alone.first.seconds} s writing each document's JSON (${r.sandbox_alone.first.documents_per_s.toLocaleString("en-US")} documents/s), again in ${r.sandbox_alone.again.seconds} s from what it kept (${r.sandbox_alone.again.documents_per_s.toLocaleString("en-US")} documents/s)
` : ""}  ${r.seconds} s, ${r.documents_landed.toLocaleString("en-US")} documents landed (raw checked), ${r.documents_per_s.toLocaleString("en-US")} documents/s for the whole sync, peak RSS ${r.peak_rss_mb} MB
  the documents' loads took ${r.documents_load_s} s, of which ${r.waited_for_pages_s} s waiting for pages, ${r.waited_for_server_s} s of it not parsing them: landing ${r.landing_documents_per_s.toLocaleString("en-US")} documents/s
  the client's CPU for them ${r.client_cpu_s} s: ${r.documents_per_client_cpu_s.toLocaleString("en-US")} documents per CPU second (PostgreSQL's COPY not included)
  API calls ${r.api_calls} against ${r.api_calls_needed} needed: ${r.calls_vs_needed}   (target <= 1); ${r.rate_limited} answered 429
${callLines(r)}`;
  info(`
Xero sync benchmark, ${invoices.toLocaleString("en-US")} sales invoices and ${creditNotes.toLocaleString("en-US")} credit notes from the sandbox, pages of ${PAGE_SIZE}:
 with Xero's real limits (60 a minute, 5 at once):
${runLines(real)}
 with the sandbox's limits off (the client paces itself by its X-MinLimit-Remaining):
${runLines(open)}
  landing documents/s against the 5,000 target: ${figures.limits_off.landing_documents_per_s_vs_target} (the whole sync: ${figures.limits_off.documents_per_s_vs_target})
Written to ${path.relative(process.cwd(), out)}`);
  return 0;
}
