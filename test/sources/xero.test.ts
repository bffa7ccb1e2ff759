/**
 * The Xero client (`salesdw extract xero`, run as a user runs it) against the Xero sandbox on
 * 127.0.0.1, and the sandbox's own behaviour. Expected figures come from the sandbox's generated
 * documents, never from the client. Every output and raw table is finally searched for secrets.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../extract/config.ts";
import { generateOrganisation, lineNetCents, type SandboxDocument } from "../../extract/sandbox/xero/data.ts";
import { startXeroSandbox, type XeroSandbox, type XeroSandboxOptions } from "../../extract/sandbox/xero/server.ts";
import { safeCursor } from "../../extract/sources/xero/sync.ts";
import { paged, SlidingWindow } from "../../extract/sources/http.ts";
import { parseEveryToken, parseJsonKeepingNumbers } from "../../extract/sources/xero/json.ts";
import { Decimal, readField, renderDocument, xeroJson } from "../../extract/sandbox/xero/render.ts";
import { documentField } from "../../extract/sandbox/xero/listing.ts";
import { dataform } from "../../extract/dataform.ts";
import { cliPath, freshDatabase, queryRows, type CliResult } from "../support/warehouse.ts";

const sandboxes: XeroSandbox[] = [];
const dirs: string[] = [];
/** Everything the CLI printed, and every token the sandbox issued: searched for secrets at the end. */
const outputs: string[] = [];
const secrets = new Set<string>();
const databases: string[] = [];

afterAll(async () => {
  for (const sandbox of sandboxes) await sandbox.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  sandbox: XeroSandbox;
  url: string;
  dir: string;
  env: Record<string, string>;
  run(args?: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  start(args?: string[], extraEnv?: Record<string, string>): { kill(): void; done: Promise<CliResult> };
}

async function setup(options: XeroSandboxOptions = {}): Promise<Setup> {
  const sandbox = await startXeroSandbox({ invoices: 300, creditNotes: 40, perMinute: 100_000, perDay: 1_000_000, ...options });
  sandboxes.push(sandbox);
  secrets.add(sandbox.settings.XERO_CLIENT_SECRET);
  secrets.add(sandbox.settings.XERO_REFRESH_TOKEN);
  secrets.add(Buffer.from(`${sandbox.settings.XERO_CLIENT_ID}:${sandbox.settings.XERO_CLIENT_SECRET}`).toString("base64"));
  sandbox.events.on("token", (t: { access: string; refresh?: string }) => {
    secrets.add(t.access);
    if (t.refresh) secrets.add(t.refresh);
  });
  const url = await freshDatabase("xero");
  databases.push(url);
  const dir = mkdtempSync(path.join(tmpdir(), "xero-test-"));
  dirs.push(dir);
  const env = {
    ...sandbox.settings,
    XERO_TOKEN_FILE: path.join(dir, "xero-token.json"),
    XERO_TENANT_ID: "",
    XERO_GRANT: "",
    WAREHOUSE_URL: url,
  };
  const start = (args: string[] = [], extraEnv: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [cliPath, "extract", "xero", "--page-size", "50", ...args], {
      cwd: projectRoot,
      env: { ...process.env, CI: "true", ...env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const done = new Promise<CliResult>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => {
        outputs.push(stdout, stderr);
        resolve({ code, signal, stdout, stderr });
      });
    });
    return { kill: () => child.kill("SIGKILL"), done };
  };
  return { sandbox, url, dir, env, start, run: (args, extraEnv) => start(args, extraEnv).done };
}

/** What one sync reads, in order: each its own load. */
const ENDPOINTS = ["Organisation", "Contacts", "Items", "Invoices", "CreditNotes"];

const sales = (sandbox: XeroSandbox, type: "ACCREC" | "ACCRECCREDIT") => sandbox.data.documents.filter((d) => d.Type === type);
const rowsOf = (docs: SandboxDocument[]) => docs.reduce((n, d) => n + Math.max(1, d.lines.length), 0);
const apiCalls = (sandbox: XeroSandbox, endpoint: string) => sandbox.requests.filter((r) => r.path === `/api.xro/2.0/${endpoint}`);

async function count(url: string, table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(url, `select count(*)::int as n from raw.${table}`);
  return row.n;
}

async function cursors(url: string): Promise<Record<string, string>> {
  const rows = await queryRows<{ entity: string; cursor: { updated_date_utc: string } }>(url, "select entity, cursor from raw._sync_state where source = 'xero'");
  return Object.fromEntries(rows.map((r) => [r.entity, r.cursor.updated_date_utc]));
}

/** A killed client's session (and its advisory lock) is gone once the server has noticed. */
async function untilNoClientSessions(url: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const rows = await queryRows(url, "select 1 from pg_stat_activity where application_name = 'salesdw' and pid <> pg_backend_pid() and datname = current_database()");
    if (!rows.length) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("client sessions did not go away");
}

describe("Xero's JSON with exact numbers", () => {
  it("keeps every number's text, leaves text in strings alone, and takes the exact token-by-token way when a number is not a plain key's value", () => {
    const text = '{\r\n  "SubTotal": 40.00,\r\n  "Rate":-0.500,"Big": 12345678901234567890.10, "E": 1.0E+2,\r\n' +
      '  "Description": "He said \\"Qty\\": 12, \\"Price\\":7.50 \\\\", "Nested": {"LineItems": [{"Quantity": 3.0000}]}, "Id": "12"\r\n}';
    const expected = { SubTotal: "40.00", Rate: "-0.500", Big: "12345678901234567890.10", E: "1.0E+2", Description: 'He said "Qty": 12, "Price":7.50 \\', Nested: { LineItems: [{ Quantity: "3.0000" }] }, Id: "12" };
    expect(parseJsonKeepingNumbers(text)).toEqual(expected);
    expect(parseEveryToken(text)).toEqual(expected);
    // Numbers in an array, or under a key with a space: still their exact text.
    expect(parseJsonKeepingNumbers('{"Rates": [1.10, 2.00], "A Key": 5.50, "B": 1.00}')).toEqual({ Rates: ["1.10", "2.00"], "A Key": "5.50", B: "1.00" });
    // A page as the sandbox writes it reads the same both ways.
    const data = generateOrganisation({ invoices: 30 });
    const page = xeroJson({ Invoices: data.documents.map((d) => renderDocument(d, data, { withLines: true, dp: 4 })), Total: new Decimal("-0.10") } as never);
    expect(parseJsonKeepingNumbers(page)).toEqual(parseEveryToken(page));
    expect(JSON.stringify(parseJsonKeepingNumbers(page))).toContain('"Total":"-0.10"');
  });
});

describe("the client's pace", () => {
  it("keeps to 60 calls in any 60 seconds (as Xero counts them) unless Xero's X-MinLimit-Remaining allows more, and never more", async () => {
    let now = 0;
    const window = new SlidingWindow(60, () => now, async (ms) => void (now += ms), 2000);
    for (let i = 0; i < 30; i++) await window.take();
    now = 10_000;
    for (let i = 0; i < 30; i++) await window.take();
    // The 61st waits until the first 30 are 60 seconds (and the margin) old, not a second as a refilling bucket would.
    await window.take();
    expect(now).toBe(62_000);
    for (let i = 0; i < 29; i++) await window.take();
    expect(now).toBe(62_000);
    await window.take(); // the 30 sent at 10 s go out of the window 62 s later
    expect(now).toBe(72_000);
    window.allow(500); // the server says 500 more calls fit this minute
    expect(window.delayMs()).toBe(0);
    const before = now;
    for (let i = 0; i < 500; i++) await window.take();
    expect(now).toBe(before);
    window.allow(0); // and now none: back to the window's own count
    expect(window.delayMs()).toBeGreaterThan(0);
  });

  it("requests pages ahead only up to the page count the server gave; without one, a page at a time until a short page", async () => {
    const calls: number[] = [];
    const pageOf = (page: number, count: number | undefined, total: number) => {
      calls.push(page);
      const items = Array.from({ length: Math.max(0, Math.min(10, total - (page - 1) * 10)) }, (_, i) => (page - 1) * 10 + i);
      return Promise.resolve(count === undefined ? items : { items, pageCount: count });
    };
    const read = async (count: number | undefined, total: number) => {
      calls.length = 0;
      const seen: number[] = [];
      for await (const { items } of paged((p) => pageOf(p, count, total), { pageSize: 10, ahead: 4 })) seen.push(...items);
      expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
      return [...calls].sort((a, b) => a - b);
    };
    expect(await read(5, 45)).toEqual([1, 2, 3, 4, 5]);
    expect(await read(4, 40)).toEqual([1, 2, 3, 4]);
    expect(await read(undefined, 40)).toEqual([1, 2, 3, 4, 5]); // the empty fifth page says it ended
    expect(await read(undefined, 35)).toEqual([1, 2, 3, 4]);
  });
});

describe("the sandbox behaves like Xero", () => {
  it("rotates refresh tokens with a grace period, pages, filters, and answers like Xero", async () => {
    const sandbox = await startXeroSandbox({ invoices: 120, perMinute: 5 });
    sandboxes.push(sandbox);
    const { XERO_CLIENT_ID: id, XERO_CLIENT_SECRET: secret, XERO_REFRESH_TOKEN: first } = sandbox.settings;
    const token = async (form: Record<string, string>) => {
      const response = await fetch(`${sandbox.url}/connect/token`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` },
        body: new URLSearchParams(form),
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    const one = await token({ grant_type: "refresh_token", refresh_token: first });
    expect(one.status).toBe(200);
    expect(one.body.refresh_token).not.toBe(first);
    // The old one still works inside the grace period; after it (grace 0 here), invalid_grant.
    expect((await token({ grant_type: "refresh_token", refresh_token: first })).status).toBe(200);
    sandbox.options.graceSeconds = 0;
    expect(await token({ grant_type: "refresh_token", refresh_token: first })).toEqual({ status: 400, body: { error: "invalid_grant" } });
    expect((await token({ grant_type: "client_credentials" })).body.refresh_token).toBeUndefined();

    const headers = { authorization: `Bearer ${one.body.access_token}`, "xero-tenant-id": sandbox.data.tenantId, accept: "application/json" };
    const get = (query: string) => fetch(`${sandbox.url}/api.xro/2.0/Invoices?${query}`, { headers });
    const paged = await get("page=1&pageSize=10&where=" + encodeURIComponent('Type=="ACCREC"'));
    const text = await paged.text();
    expect(text).toContain("\r\n");
    expect(text).toMatch(/"\\\/Date\(\d+\+0000\)\\\/"/);
    expect(text).toMatch(/"SubTotal": \d+\.\d\d,/);
    const body = JSON.parse(text);
    expect(paged.headers.get("xero-correlation-id")).toBe(body.Id);
    expect(Number(paged.headers.get("x-minlimit-remaining"))).toBe(4);
    expect(body.pagination).toEqual({ page: 1, pageSize: 10, pageCount: 12, itemCount: 120 });
    expect(body.Invoices.every((i: { LineItems: unknown[]; Type: string }) => i.LineItems.length > 0 && i.Type === "ACCREC")).toBe(true);

    const unpaged = JSON.parse(await (await get("")).text());
    expect(unpaged.Invoices.some((i: { Type: string }) => i.Type === "ACCPAY")).toBe(true);
    expect(unpaged.Invoices.every((i: { LineItems: unknown[] }) => i.LineItems.length === 0)).toBe(true);
    expect(JSON.parse(await (await get("page=99&pageSize=10")).text()).Invoices).toEqual([]);

    const malformed = await get("where=" + encodeURIComponent('Type=="ACCREC'));
    expect(malformed.status).toBe(400);
    expect(JSON.parse(await malformed.text())).toMatchObject({ Type: "QueryParseException" });

    expect((await get("page=1")).status).toBe(200); // the fifth call this minute
    const limited = await get("page=1");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-rate-limit-problem")).toBe("minute");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    sandbox.options.perMinute = 1000;
    const offline = await fetch(`${sandbox.url}/api.xro/2.0/Items?sandbox_fault=503`, { headers });
    expect(offline.status).toBe(503);
    expect(await offline.text()).toBe("The Xero API is currently offline for maintenance");
    // Faults queued through the admin endpoint: the next two Items calls fail, the third answers.
    const queued = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "500", path: "/api.xro/2.0/Items", times: 2 }) });
    expect(queued.status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${sandbox.url}/api.xro/2.0/Items`, { headers })).status);
    expect(statuses).toEqual([500, 500, 200]);
    const wrongTenant = await fetch(`${sandbox.url}/api.xro/2.0/Items`, { headers: { ...headers, "xero-tenant-id": "00000000-0000-4000-8000-000000000000" } });
    expect(wrongTenant.status).toBe(403);
    expect(await wrongTenant.json()).toMatchObject({ Detail: "AuthenticationUnsuccessful" });

    // Five calls at once are allowed, a sixth is not.
    sandbox.fault({ kind: "hang", path: "/api.xro/2.0/Contacts", times: 5 });
    const held = Array.from({ length: 5 }, () => fetch(`${sandbox.url}/api.xro/2.0/Contacts`, { headers, signal: AbortSignal.timeout(60_000) }).catch(() => undefined));
    while (sandbox.requests.filter((r) => r.path === "/api.xro/2.0/Contacts").length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    const sixth = await fetch(`${sandbox.url}/api.xro/2.0/Contacts`, { headers });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("x-rate-limit-problem")).toBe("concurrent");
    await sandbox.close(); // drops the held calls
    await Promise.all(held);
  });

  it("generates the mix a real organisation has: bills, drafts, voided, every tax mode, dates before 1970", async () => {
    const sandbox = await startXeroSandbox({});
    sandboxes.push(sandbox);
    const docs = sandbox.data.documents;
    for (const type of ["ACCREC", "ACCPAY", "ACCRECCREDIT", "ACCPAYCREDIT"]) expect(docs.some((d) => d.Type === type)).toBe(true);
    for (const status of ["DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED"]) expect(docs.some((d) => d.Status === status)).toBe(true);
    for (const mode of ["Exclusive", "Inclusive", "NoTax"]) expect(docs.some((d) => d.LineAmountTypes === mode)).toBe(true);
    expect(docs.some((d) => d.dateMs < 0)).toBe(true);
    expect(docs.some((d) => d.lines.some((l, i) => i > 0 && l.ItemCode !== undefined && l.ItemCode === d.lines[i - 1].ItemCode))).toBe(true);
    expect(sandbox.data.contacts.some((c) => c.ContactStatus === "ARCHIVED")).toBe(true);
    const again = await startXeroSandbox({});
    sandboxes.push(again);
    expect(again.data.documents.map((d) => [d.id, d.subTotalCents])).toEqual(docs.map((d) => [d.id, d.subTotalCents]));
  });
});

describe("the sandbox's pages of a large history", () => {
  it("are each document's kept JSON joined into the envelope: byte for byte the whole envelope written at once, also after changes", async () => {
    expect(xeroJson({ A: new Decimal("-0.10"), B: "a/b", C: [1, { D: new Decimal("40.00") }] } as never)).toBe(
      '{\r\n  "A": -0.10,\r\n  "B": "a\\/b",\r\n  "C": [\r\n    1,\r\n    {\r\n      "D": 40.00\r\n    }\r\n  ]\r\n}',
    );
    const sandbox = await startXeroSandbox({ invoices: 60, creditNotes: 12, perMinute: 100_000 });
    sandboxes.push(sandbox);
    const { XERO_CLIENT_ID: id, XERO_CLIENT_SECRET: secret } = sandbox.settings;
    const token = (await (await fetch(`${sandbox.url}/connect/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    })).json()) as { access_token: string };
    const get = async (endpoint: string, query: Record<string, string>) => {
      const response = await fetch(`${sandbox.url}/api.xro/2.0/${endpoint}?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${token.access_token}` } });
      return response.text();
    };
    // What the answer must be, written by the test at once from the generated documents in the order it works out itself.
    const expected = (text: string, key: "Invoices" | "CreditNotes", docs: SandboxDocument[], page: number | undefined, dp: 2 | 4) => {
      const head = JSON.parse(text) as { Id: string; DateTimeUTC: string };
      const ordered = [...docs].sort((a, b) => a.updatedMs - b.updatedMs || a.seq - b.seq);
      const shown = page === undefined ? ordered : ordered.slice((page - 1) * 25, page * 25);
      const pagination = page === undefined ? undefined : { page, pageSize: 25, pageCount: Math.ceil(ordered.length / 25), itemCount: ordered.length };
      return xeroJson({
        Id: head.Id, Status: "OK", ProviderName: "salesdw sandbox", DateTimeUTC: head.DateTimeUTC, pagination,
        [key]: shown.map((d) => renderDocument(d, sandbox.data, { withLines: page !== undefined, dp })),
      } as never);
    };
    const query = (type: string, page?: number, dp = "4") => ({ where: `Type=="${type}"`, order: "UpdatedDateUTC ASC", unitdp: dp, ...(page ? { page: String(page), pageSize: "25" } : {}) });
    const check = async () => {
      for (const page of [1, 2, 3, 4]) {
        const text = await get("Invoices", query("ACCREC", page));
        expect(text).toBe(expected(text, "Invoices", sales(sandbox, "ACCREC"), page, 4));
      }
      const twoDecimals = await get("Invoices", query("ACCREC", 2, "2"));
      expect(twoDecimals).toBe(expected(twoDecimals, "Invoices", sales(sandbox, "ACCREC"), 2, 2));
      const credits = await get("CreditNotes", query("ACCRECCREDIT", 1));
      expect(credits).toBe(expected(credits, "CreditNotes", sales(sandbox, "ACCRECCREDIT"), 1, 4));
      const unpaged = await get("Invoices", query("ACCREC"));
      expect(unpaged).toBe(expected(unpaged, "Invoices", sales(sandbox, "ACCREC"), undefined, 4));
      const past = await get("Invoices", query("ACCREC", 99));
      expect(past).toBe(expected(past, "Invoices", sales(sandbox, "ACCREC"), 99, 4));
    };
    await check();
    // Changes after the pages were served once: the kept JSON of the changed documents must not be answered again.
    const first = [...sales(sandbox, "ACCREC")].sort((a, b) => a.updatedMs - b.updatedMs || a.seq - b.seq).slice(0, 3);
    const withLines = first.find((d) => d.lines.length > 1)!;
    sandbox.change({ action: "void", number: first[0].number });
    sandbox.change({ action: "edit-line", number: withLines.number });
    sandbox.change({ action: "add-credit-note" });
    await check();
    expect(await get("Invoices", query("ACCREC", 3))).toContain(`"InvoiceNumber": "${first[0].number}"`);
  });

  it("filters and sorts by fields read straight from the documents, as from their rendering", async () => {
    const data = generateOrganisation({ invoices: 80, creditNotes: 20 });
    const fields = [
      "Type", "InvoiceID", "InvoiceNumber", "CreditNoteID", "CreditNoteNumber", "Reference", "Date", "DueDate", "Status", "LineAmountTypes",
      "SubTotal", "TotalTax", "Total", "UpdatedDateUTC", "CurrencyCode", "AmountDue", "AmountPaid", "RemainingCredit",
    ];
    let direct = 0;
    for (const doc of data.documents) {
      const rendered = renderDocument(doc, data, { withLines: false, dp: 2 });
      for (const field of [...fields.map((f) => [f]), ["Contact", "ContactID"], ["Contact", "Name"]]) {
        expect(documentField(doc, data, field), `${doc.number} ${field.join(".")}`).toEqual(readField(rendered, field));
        if (readField(rendered, field) !== undefined) direct++;
      }
    }
    expect(direct).toBeGreaterThan(data.documents.length * 10);
  });
});

// Each test runs the CLI several times (a child process each); a shared 2-core machine needs room.
describe("extract xero", { timeout: 600_000 }, () => {
  it("lands every sales document line by line, paging without `pagination` until a short page", async () => {
    const s = await setup({ pagination: false });
    const result = await s.run();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("xero:/Invoices: loaded");

    const invoices = sales(s.sandbox, "ACCREC");
    const credits = sales(s.sandbox, "ACCRECCREDIT");
    expect(await count(s.url, "xero__invoice_line")).toBe(rowsOf(invoices));
    expect(await count(s.url, "xero__credit_note_line")).toBe(rowsOf(credits));
    expect(await count(s.url, "xero__contact")).toBe(s.sandbox.data.contacts.length); // archived included
    expect(await count(s.url, "xero__item")).toBe(s.sandbox.data.items.length);
    const types = await queryRows<{ type: string }>(s.url, "select distinct type from raw.xero__invoice_line union select distinct type from raw.xero__credit_note_line order by 1");
    expect(types.map((t) => t.type)).toEqual(["ACCREC", "ACCRECCREDIT"]);

    // 300 invoices in pages of 50: six full pages, then an empty one ends it (no pagination to say so).
    const calls = apiCalls(s.sandbox, "Invoices");
    expect(calls.map((c) => c.query.page)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    for (const call of calls) {
      expect(call.query).toMatchObject({ pageSize: "50", where: 'Type=="ACCREC"', order: "UpdatedDateUTC ASC" });
      expect(call.tenant).toBe(s.sandbox.data.tenantId);
      expect(call.ifModifiedSince).toBeUndefined();
    }
    // 40 credit notes: one short page.
    expect(apiCalls(s.sandbox, "CreditNotes").map((c) => c.query.page)).toEqual(["1"]);
    expect(apiCalls(s.sandbox, "Items").map((c) => c.query.page)).toEqual([undefined]);
    expect(apiCalls(s.sandbox, "Contacts")[0].query.includeArchived).toBe("true");

    // Values as Xero wrote them: a line of an Inclusive invoice, line by line with the header repeated.
    const doc = invoices.find((d) => d.LineAmountTypes === "Inclusive" && d.lines.length > 1)!;
    const rows = await queryRows<Record<string, string>>(
      s.url,
      "select invoice_number, line_position, line_item_id, line_amount, tax_amount, line_amount_types, sub_total, invoice_date, updated_date_utc, _extra from raw.xero__invoice_line where invoice_id = $1 order by line_position::int",
      [doc.id],
    );
    expect(rows.map((r) => r.line_item_id)).toEqual(doc.lines.map((l) => l.LineItemID));
    expect(rows[0]).toMatchObject({ invoice_number: doc.number, line_position: "1", line_amount_types: "Inclusive", invoice_date: `/Date(${doc.dateMs}+0000)/`, updated_date_utc: `/Date(${doc.updatedMs}+0000)/` });
    expect(rows[0].sub_total).toMatch(/^\d+\.\d\d$/);
    expect(JSON.parse((rows[0]._extra as unknown as { document: string }).document).InvoiceID).toBe(doc.id);
    expect(rows[1]._extra).toBeNull();
  });

  it("rejects a document without a readable UpdatedDateUTC into raw._rejects with its load while the rest lands as it is read", async () => {
    const s = await setup({ invoices: 120 });
    const invoices = sales(s.sandbox, "ACCREC");
    const broken = invoices[37];
    broken.updatedMs = Number.NaN; // written as "/Date(NaN+0000)/"
    const result = await s.run(["--entities", "invoices"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("1 rejected (see raw._rejects where load_id =");
    expect(await count(s.url, "xero__invoice_line")).toBe(rowsOf(invoices.filter((d) => d !== broken)));
    const rejects = await queryRows<{ load_id: string; source_row: string; reason: string; raw_record: string }>(s.url, "select load_id, source_row, reason, raw_record from raw._rejects");
    expect(rejects).toHaveLength(1);
    expect(rejects[0].source_row).toBe(`Invoices ${broken.id}`);
    expect(rejects[0].reason).toContain("UpdatedDateUTC");
    expect(JSON.parse(rejects[0].raw_record)).toMatchObject({ InvoiceID: broken.id, InvoiceNumber: broken.number, UpdatedDateUTC: "/Date(NaN+0000)/" });
    const [load] = await queryRows<{ load_id: string; rows_rejected: number; rows_loaded: number; details: { fetched: number; waited_for_pages_s: number; client_cpu_s: number; parse_s: number } }>(
      s.url,
      "select load_id, rows_rejected::int, rows_loaded::int, details from raw._loads where file_name = 'xero:/Invoices'",
    );
    expect(load).toMatchObject({ load_id: rejects[0].load_id, rows_rejected: 1, rows_loaded: rowsOf(invoices) - rowsOf([broken]) });
    expect(load.details.fetched).toBe(invoices.length);
    expect(load.details.waited_for_pages_s).toBeGreaterThan(0);
    expect(load.details.client_cpu_s).toBeGreaterThan(0);
    expect(load.details.parse_s).toBeGreaterThan(0);
  });

  it("is incremental: If-Modified-Since with an overlap, the overlap re-fetched changes nothing, changes land as new versions", async () => {
    const s = await setup();
    expect((await s.run()).code).toBe(0);
    const before = { invoices: await count(s.url, "xero__invoice_line"), credits: await count(s.url, "xero__credit_note_line"), loads: await count(s.url, "_loads") };
    const firstCursors = await cursors(s.url);
    const maxUpdated = Math.max(...sales(s.sandbox, "ACCREC").map((d) => d.updatedMs));
    expect(firstCursors.invoices).toBe(new Date(maxUpdated).toISOString());

    s.sandbox.requests.length = 0;
    const [{ last }] = await queryRows<{ last: number }>(s.url, "select max(load_id)::int as last from raw._loads");
    const again = await s.run();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/xero:\/Invoices: nothing new since/);
    expect(again.stdout).toContain("0 loaded");
    // Nothing new still leaves its trace in the ledger (what mart.etl_run_log shows): a 0-row load per endpoint, saying so.
    const traces = await queryRows<{ file_name: string; status: string; rows_loaded: number; message: string }>(
      s.url, "select file_name, status, rows_loaded::int as rows_loaded, message from raw._loads where load_id > $1 order by load_id", [last]);
    expect(traces.map((t) => [t.file_name, t.status, t.rows_loaded])).toEqual(
      ENDPOINTS.map((e) => [`xero:/${e}`, "loaded", 0]));
    for (const t of traces) expect(t.message).toMatch(/nothing new/);
    const call = apiCalls(s.sandbox, "Invoices")[0];
    expect(call.ifModifiedSince).toBe(new Date(Math.floor((maxUpdated - 5 * 60_000) / 1000) * 1000).toISOString().slice(0, 19));
    expect(await count(s.url, "xero__invoice_line")).toBe(before.invoices);
    expect(await cursors(s.url)).toEqual(firstCursors);

    // Users at work: a voided invoice, an edited one that lost a line, a new credit note.
    const invoices = sales(s.sandbox, "ACCREC");
    const voided = invoices.find((d) => d.Status === "AUTHORISED")!;
    const edited = invoices.find((d) => d.Status === "AUTHORISED" && d.lines.length >= 3 && d !== voided)!;
    s.sandbox.change({ action: "void", number: voided.number });
    s.sandbox.change({ action: "remove-line", number: edited.number });
    const credit = s.sandbox.change({ action: "add-credit-note", lines: 2 })!;
    const third = await s.run();
    expect(third.code).toBe(0);
    expect(await count(s.url, "xero__invoice_line")).toBe(before.invoices + voided.lines.length + edited.lines.length);
    expect(await count(s.url, "xero__credit_note_line")).toBe(before.credits + 2);
    const versions = await queryRows<{ status: string; n: number }>(s.url, "select status, count(distinct updated_date_utc)::int as n from raw.xero__invoice_line where invoice_id = $1 group by status order by 1", [voided.id]);
    expect(versions).toEqual([
      { status: "AUTHORISED", n: 1 },
      { status: "VOIDED", n: 1 },
    ]);
    expect((await cursors(s.url)).credit_notes).toBe(new Date(credit.updatedMs).toISOString());
  });

  it("saves the rotated refresh token before using it: killed right after a refresh, the next run still works", async () => {
    const s = await setup({ graceSeconds: 0 });
    const first = s.sandbox.settings.XERO_REFRESH_TOKEN;
    // The first call made with the new access token never gets an answer; the client is killed there.
    s.sandbox.fault({ kind: "hang", path: "/connections" });
    const hung = new Promise((resolve) => s.sandbox.events.once("hang", resolve));
    const child = s.start();
    await hung;
    child.kill();
    const killed = await child.done;
    expect(killed.signal).toBe("SIGKILL");
    expect(s.sandbox.isRefreshTokenUsable(first)).toBe(false); // rotated, no grace left: only the saved one works
    const file = s.env.XERO_TOKEN_FILE;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, "utf8")) as { refresh_token: string };
    expect(s.sandbox.isRefreshTokenUsable(saved.refresh_token)).toBe(true);
    await untilNoClientSessions(s.url);

    // Its access token is still valid, so the next run uses it without refreshing; expire it to force a refresh from the file.
    s.sandbox.expireAccessTokens();
    const next = await s.run();
    expect(next.stderr).toBe("");
    expect(next.code).toBe(0);
    const rotated = JSON.parse(readFileSync(file, "utf8")) as { refresh_token: string };
    expect(rotated.refresh_token).not.toBe(saved.refresh_token);
    expect(s.sandbox.isRefreshTokenUsable(rotated.refresh_token)).toBe(true);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it("refreshes once on a 401 TokenExpired, and says what to do on 403, a stale token, several organisations", async () => {
    const s = await setup({ tenants: 2 });
    const unset = await s.run([], { XERO_REFRESH_TOKEN: "" });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain("xero: XERO_REFRESH_TOKEN not set");

    const several = await s.run();
    expect(several.code).toBe(1);
    expect(several.stderr).toContain("the connection reaches 2 organisations");
    expect(several.stderr).toContain(s.sandbox.data.tenantId);
    expect(several.stderr).toContain("Set XERO_TENANT_ID");
    expect(several.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const tenant = { XERO_TENANT_ID: s.sandbox.data.tenantId };
    s.sandbox.fault({ kind: "401", path: "/api.xro/2.0/Invoices" });
    const tokenCalls = () => s.sandbox.requests.filter((r) => r.path === "/connect/token").length;
    const callsBefore = tokenCalls();
    const expired = await s.run([], tenant);
    expect(expired.code).toBe(0);
    expect(tokenCalls() - callsBefore).toBe(1); // the access token from the earlier run is reused until the 401

    s.sandbox.fault({ kind: "403", path: "/api.xro/2.0/" });
    const forbidden = await s.run([], tenant);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain("was refused with 403 (AuthenticationUnsuccessful) for organisation " + s.sandbox.data.tenantId);
    expect(forbidden.stderr).toContain("Check XERO_TENANT_ID");

    s.sandbox.revokeRefreshTokens();
    s.sandbox.expireAccessTokens();
    const stale = await s.run([], tenant);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("the refresh token is stale (invalid_grant)");
    expect(stale.stderr).toContain("put it in XERO_REFRESH_TOKEN");
    expect(stale.stderr.trim().split("\n").filter((l) => l.startsWith("error:"))).toHaveLength(1);
    const failed = await queryRows<{ message: string }>(s.url, "select message from raw._loads where status = 'failed' order by load_id desc limit 1");
    expect(failed[0].message).toContain("invalid_grant");

    const unauthorised = await s.run([], { ...tenant, XERO_CLIENT_SECRET: "wrong-secret-value" });
    expect(unauthorised.stderr).toContain("invalid_client");
  });

  it("works as a custom connection (client_credentials): no refresh token, no tenant, nothing saved", async () => {
    const s = await setup();
    const result = await s.run(["--entities", "invoices"], { XERO_GRANT: "client_credentials", XERO_REFRESH_TOKEN: "" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await count(s.url, "xero__invoice_line")).toBe(rowsOf(sales(s.sandbox, "ACCREC")));
    expect(existsSync(s.env.XERO_TOKEN_FILE)).toBe(false);
    expect(s.sandbox.requests.some((r) => r.path === "/connections")).toBe(false);
    expect(apiCalls(s.sandbox, "Invoices").every((r) => r.tenant === undefined)).toBe(true);
  });

  it("retries 429 (Retry-After), 503 and 500; a daily limit ends the run cleanly with the cursor unchanged", async () => {
    const s = await setup();
    s.sandbox.fault({ kind: "500", path: "/api.xro/2.0/Contacts" });
    s.sandbox.fault({ kind: "429", path: "/api.xro/2.0/Invoices", after: 2, retryAfter: 1 });
    s.sandbox.fault({ kind: "503", path: "/api.xro/2.0/CreditNotes", times: 2 });
    const result = await s.run();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("xero: GET /api.xro/2.0/Invoices?");
    expect(result.stderr).toContain("HTTP 429 too many requests (minute limit)");
    expect(result.stderr).toContain("HTTP 503: The Xero API is currently offline for maintenance");
    expect(apiCalls(s.sandbox, "CreditNotes").map((r) => r.status)).toEqual([503, 503, 200]);
    expect(apiCalls(s.sandbox, "Invoices").filter((r) => r.status === 429)).toHaveLength(1);
    expect(await count(s.url, "xero__invoice_line")).toBe(rowsOf(sales(s.sandbox, "ACCREC")));
    expect(await count(s.url, "xero__credit_note_line")).toBe(rowsOf(sales(s.sandbox, "ACCRECCREDIT")));

    const before = await cursors(s.url);
    const lines = await count(s.url, "xero__invoice_line");
    s.sandbox.change({ action: "edit-line", number: sales(s.sandbox, "ACCREC")[0].number });
    s.sandbox.fault({ kind: "429-day", path: "/api.xro/2.0/Invoices" });
    const limited = await s.run();
    expect(limited.code).toBe(1);
    expect(limited.stderr).toContain("the day limit is reached (429, Retry-After 3600 s)");
    expect(apiCalls(s.sandbox, "Invoices").filter((r) => r.status === 429)).toHaveLength(2); // not retried: an hour is not worth waiting
    expect(apiCalls(s.sandbox, "CreditNotes")).toHaveLength(3); // the run stopped before them
    expect(await cursors(s.url)).toEqual(before);
    expect(await count(s.url, "xero__invoice_line")).toBe(lines);
  });

  it("a crash mid-sync moves no cursor past data that did not land; the re-run lands everything exactly once", async () => {
    const s = await setup();
    s.sandbox.fault({ kind: "hang", path: "/api.xro/2.0/Invoices", after: 3 });
    const hung = new Promise((resolve) => s.sandbox.events.once("hang", resolve));
    const child = s.start();
    await hung;
    child.kill();
    await child.done;
    await untilNoClientSessions(s.url);
    expect(await count(s.url, "xero__invoice_line")).toBe(0);
    expect(Object.keys(await cursors(s.url)).sort()).toEqual(["contacts", "items"]);

    const rerun = await s.run();
    expect(rerun.code).toBe(0);
    const [dupes] = await queryRows<{ n: number }>(
      s.url,
      "select count(*)::int as n from (select invoice_id, updated_date_utc, line_position from raw.xero__invoice_line group by 1, 2, 3 having count(*) > 1) d",
    );
    expect(dupes.n).toBe(0);
    expect(await count(s.url, "xero__invoice_line")).toBe(rowsOf(sales(s.sandbox, "ACCREC")));
    expect(await count(s.url, "xero__contact")).toBe(s.sandbox.data.contacts.length);
  });

  it("a document changed during a multi-page run cannot make the next run skip what slipped between pages", async () => {
    const s = await setup();
    // The server's order: UpdatedDateUTC, then creation (a stable sort of the creation-ordered list).
    const invoices = [...sales(s.sandbox, "ACCREC")].sort((a, b) => a.updatedMs - b.updatedMs);
    const moved = invoices[10];
    const slipped = invoices[100]; // first of page 3; once a page-1 document moves to the end, it is last of page 2, already read
    const movedBefore = moved.updatedMs;
    let changed = false;
    s.sandbox.events.on("request", (r: { path: string; query: Record<string, string> }) => {
      if (r.path !== "/api.xro/2.0/Invoices" || r.query.page !== "2" || changed) return;
      changed = true;
      s.sandbox.change({ action: "edit-line", number: moved.number });
    });
    const first = await s.run(["--entities", "invoices"]);
    expect(first.code).toBe(0);
    expect(moved.updatedMs).toBeGreaterThan(movedBefore);
    expect(await queryRows(s.url, "select 1 from raw.xero__invoice_line where invoice_id = $1", [slipped.id])).toEqual([]);
    expect(Date.parse((await cursors(s.url)).invoices)).toBeLessThan(slipped.updatedMs);

    expect((await s.run(["--entities", "invoices"])).code).toBe(0);
    const lines = await queryRows<{ n: number }>(s.url, "select count(*)::int as n from raw.xero__invoice_line where invoice_id = $1", [slipped.id]);
    expect(lines[0].n).toBe(slipped.lines.length);
    expect(await count(s.url, "xero__invoice_line")).toBe(rowsOf(sales(s.sandbox, "ACCREC")) + moved.lines.length); // the moved one has two versions
  });

  it("works out a safe cursor from what the pages showed", () => {
    expect(safeCursor({ pages: [] }, undefined, 5)).toBe(5);
    expect(safeCursor({ pages: [{ answeredMs: 1000, lastUpdatedMs: 10 }] }, 10, undefined)).toBe(10);
    const pages = [
      { answeredMs: 100_000, lastUpdatedMs: 10 },
      { answeredMs: 101_000, lastUpdatedMs: 20 },
      { answeredMs: 110_000, lastUpdatedMs: 109_500 },
    ];
    expect(safeCursor({ pages }, 109_500, 5)).toBe(109_500);
    expect(safeCursor({ pages, firstChangeMs: 109_500 }, 109_500, 5)).toBe(20);
    expect(safeCursor({ pages, firstChangeMs: 100_500 }, 109_500, 5)).toBe(10);
  });

  it("warehouse figures equal the sandbox's documents, through a void, an edit that lost a line, a new credit note, a 429 and a 500", async () => {
    const s = await setup();
    expect((await s.run()).code).toBe(0);
    await buildAndCompare(s);
    // Dates before 1970 (negative .NET dates) are read by staging.
    const ancient = sales(s.sandbox, "ACCREC").find((d) => d.dateMs < 0)!;
    const [staged] = await queryRows<{ day: string }>(s.url, "select to_char(invoice_date at time zone 'UTC', 'YYYY-MM-DD') as day from staging.stg_xero__invoice_line where invoice_id = $1 limit 1", [ancient.id]);
    expect(staged.day).toBe(new Date(ancient.dateMs).toISOString().slice(0, 10));

    const invoices = sales(s.sandbox, "ACCREC");
    const voided = invoices.find((d) => d.Status === "AUTHORISED")!;
    const edited = invoices.find((d) => d.Status === "PAID" && d.lines.length >= 2)!;
    const removedLine = edited.lines.at(-1)!;
    const removedKey = createHash("md5").update(`xero|${edited.id}|${removedLine.LineItemID}`).digest("hex");
    expect(await queryRows(s.url, "select 1 from dw.fct_sales_line where sales_line_key = $1", [removedKey])).toHaveLength(1);
    const authorised = invoices.find((d) => d.Status === "DRAFT" && d.dateMs > 0)!;
    const inclusive = s.sandbox.change({ action: "add-invoice", amountTypes: "Inclusive", lines: 3 })!;
    s.sandbox.change({ action: "void", number: voided.number });
    s.sandbox.change({ action: "remove-line", number: edited.number });
    s.sandbox.change({ action: "authorise", number: authorised.number });
    s.sandbox.change({ action: "add-credit-note", lines: 2 });
    s.sandbox.fault({ kind: "429", path: "/api.xro/2.0/Invoices", retryAfter: 1 });
    s.sandbox.fault({ kind: "500", path: "/api.xro/2.0/CreditNotes" });
    const second = await s.run();
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("HTTP 429");
    expect(second.stderr).toContain("HTTP 500");
    await buildAndCompare(s);

    for (const table of ["canonical.sales_line", "dw.fct_sales_line"]) {
      expect(await queryRows(s.url, `select 1 from ${table} where sales_line_key = $1`, [removedKey])).toEqual([]);
    }
    const lineIds = await queryRows<{ n: number }>(s.url, "select count(*)::int as n from canonical.sales_line where document_id = $1", [edited.id]);
    expect(lineIds[0].n).toBe(edited.lines.length);
    expect(await queryRows(s.url, "select 1 from dw.fct_invoice where document_id = $1", [voided.id])).toEqual([]);
    expect(await queryRows(s.url, "select 1 from dw.fct_sales_line where document_id = $1", [voided.id])).toEqual([]);
    const [inclusiveRow] = await queryRows<{ net: string; tax: string }>(s.url, "select sum(net_amount)::text as net, sum(tax_amount)::text as tax from canonical.sales_line where document_id = $1", [inclusive.id]);
    expect(inclusiveRow.net).toBe(money(inclusive.lines.reduce((n, l) => n + l.lineCents - l.taxCents, 0)));

    // A run with nothing new changes nothing, and says so in mart.etl_run_log (a plain extract, no salesdw run).
    const before = await queryRows(s.url, "select sales_line_key, net_amount::text, _load_id from canonical.sales_line order by 1");
    const [{ last }] = await queryRows<{ last: number }>(s.url, "select max(load_id)::int as last from raw._loads");
    expect((await s.run()).code).toBe(0);
    await buildAndCompare(s);
    expect(await queryRows(s.url, "select sales_line_key, net_amount::text, _load_id from canonical.sales_line order by 1")).toEqual(before);
    const logged = await queryRows<{ name: string; status: string; rows_loaded: number; new_rows: boolean; file_name: string; message: string }>(s.url,
      "select name, status, rows_loaded::int as rows_loaded, file_name, message from mart.etl_run_log where step = 'load' and load_id > $1 order by load_id", [last]);
    expect(logged.map((l) => [l.name, l.file_name, l.status, l.rows_loaded])).toEqual(ENDPOINTS.map((e) => ["xero", `xero:/${e}`, "loaded", 0]));
    for (const l of logged) expect(l.message).toMatch(/nothing new/);
  }, 1_200_000); // three dataform runs on a shared 2-core machine

  it("never prints or stores a secret: client secret, refresh and access tokens", async () => {
    expect(outputs.length).toBeGreaterThan(10);
    expect(secrets.size).toBeGreaterThan(5);
    const everything = outputs.join("\n");
    for (const secret of secrets) expect(everything).not.toContain(secret);
    for (const url of databases) {
      const [dump] = await queryRows<{ text: string }>(
        url,
        `select coalesce((select string_agg(t::text, '|') from raw._loads t), '') ||
                coalesce((select string_agg(t::text, '|') from raw._rejects t), '') ||
                coalesce((select string_agg(t::text, '|') from raw._sync_state t), '') ||
                coalesce((select string_agg(t::text, '|') from raw.xero__invoice_line t), '') ||
                coalesce((select string_agg(t::text, '|') from raw.xero__contact t), '') as text`,
      ).catch(() => [{ text: "" }]);
      for (const secret of secrets) expect(dump.text).not.toContain(secret);
    }
  });
});

describe("the organisation's base currency", { timeout: 900_000 }, () => {
  const build = async (url: string) => {
    const run = await dataform("run", url, ["--actions", "canonical.xero_line_base_amount", "--actions", "dq.xero_document_checks", "--include-deps"]);
    expect(run.failedActions, run.output).toEqual([]);
    expect(run.code, run.output).toBe(0);
  };
  const organisation = (url: string) => queryRows(url, "select base_currency, base_currency_from from canonical.xero_organisation");

  it("is the one GET /Organisation gives (an AUD organisation), with xero_base_currency only until an organisation was synced", async () => {
    const s = await setup({ invoices: 40, creditNotes: 5, baseCurrency: "AUD" });
    // New Zealand customers of an Australian organisation: Xero's rate is NZD per AUD; one without a usable rate.
    const nzd = s.sandbox.change({ action: "add-invoice", currencyCode: "NZD", currencyRate: "1.085000", lines: 3 })!;
    const nzdNoRate = s.sandbox.change({ action: "add-invoice", currencyCode: "NZD", currencyRate: "0.000000", lines: 1 })!;

    // Before the organisation is synced, the models fall back to the variable (dataform.json: NZD).
    expect((await s.run(["--entities", "contacts,items,invoices,credit_notes"])).code).toBe(0);
    await build(s.url);
    expect(await organisation(s.url)).toEqual([{ base_currency: "NZD", base_currency_from: "xero_base_currency variable" }]);

    s.sandbox.requests.length = 0;
    const synced = await s.run();
    expect(synced.code).toBe(0);
    expect(apiCalls(s.sandbox, "Organisation")).toHaveLength(1);
    expect(await queryRows(s.url, "select organisation_id, base_currency from raw.xero__organisation")).toEqual([{ organisation_id: s.sandbox.data.tenantId, base_currency: "AUD" }]);
    await build(s.url);
    expect(await organisation(s.url)).toEqual([{ base_currency: "AUD", base_currency_from: "Organisation" }]);

    // Every revenue line in AUD: AUD documents as they are, NZD ones divided by their rate (to the cent, half away from zero), none without a rate.
    const expected = new Map<string, string | null>();
    for (const d of s.sandbox.data.documents.filter((d) => (d.Type === "ACCREC" || d.Type === "ACCRECCREDIT") && (d.Status === "AUTHORISED" || d.Status === "PAID"))) {
      const sign = d.Type === "ACCRECCREDIT" ? -1 : 1;
      for (const [i, line] of d.lines.entries()) {
        const net = sign * lineNetCents(d, line);
        const rate = Number(d.CurrencyRate);
        const base = d.CurrencyCode === "AUD" ? net : rate > 0 ? Math.sign(net) * Math.round(Math.abs(net) / rate) : null;
        expected.set(`${d.id}|${i + 1}`, base === null ? null : money(base));
      }
    }
    expect([...expected.keys()].filter((k) => k.startsWith(nzd.id))).toHaveLength(3);
    const rows = await queryRows<{ k: string; base: string | null; base_currency: string }>(s.url, `
      select r.document_id || '|' || r.line_number as k, b.net_amount_base::numeric(14,2)::text as base, b.base_currency
      from canonical.xero_revenue_line r join canonical.xero_line_base_amount b using (sales_line_key)`);
    expect(new Set(rows.map((r) => r.base_currency))).toEqual(new Set(["AUD"]));
    expect(new Map(rows.map((r) => [r.k, r.base]))).toEqual(expected);
    const findings = await queryRows<{ record_key: string; detail: string }>(s.url, "select record_key, detail from dq.xero_document_checks where check_name = 'xero_document_without_base_amount'");
    expect(findings).toHaveLength(1);
    expect(findings[0].record_key).toContain(nzdNoRate.id);
    expect(findings[0].detail).toContain("no rate to the base currency AUD");
  });
});

const money = (cents: number) => (cents / 100).toFixed(2);

/** What the warehouse must show, worked out from the sandbox's own documents: revenue is ex GST, AUTHORISED or PAID, credit notes negative. */
function expectedFigures(sandbox: XeroSandbox) {
  const revenue = sandbox.data.documents.filter((d) => (d.Type === "ACCREC" || d.Type === "ACCRECCREDIT") && (d.Status === "AUTHORISED" || d.Status === "PAID"));
  const byType: Record<string, { lines: number; net: number; tax: number }> = {};
  const byDocument: Record<string, string> = {};
  for (const doc of revenue) {
    const type = doc.Type === "ACCREC" ? "SALE" : "RETURN";
    const sign = type === "RETURN" ? -1 : 1;
    const figures = (byType[type] ??= { lines: 0, net: 0, tax: 0 });
    const net = doc.lines.reduce((sum, l) => sum + lineNetCents(doc, l), 0);
    figures.lines += doc.lines.length;
    figures.net += sign * net;
    figures.tax += sign * doc.lines.reduce((sum, l) => sum + (doc.LineAmountTypes === "NoTax" ? 0 : l.taxCents), 0);
    byDocument[doc.id] = money(sign * net);
  }
  // Revenue marts leave out lines of items in product groups that are not sales (freight, consumables…).
  const notSales = nonSalesItemCodes(sandbox);
  const salesTotal = revenue.reduce(
    (sum, doc) => sum + (doc.Type === "ACCRECCREDIT" ? -1 : 1) * doc.lines.filter((l) => !notSales.has(l.ItemCode ?? "")).reduce((s, l) => s + lineNetCents(doc, l), 0),
    0,
  );
  return {
    byType: Object.fromEntries(Object.entries(byType).map(([type, f]) => [type, { lines: f.lines, net: money(f.net), tax: money(f.tax) }])),
    byDocument,
    total: money(salesTotal),
  };
}

/**
 * Item codes whose product group is not sales: the group is the first segment of a hierarchical
 * name or description ("Consumables:Pallet wrap"), or a plain name itself ("Freight"), matched
 * against dataform.json's `non_sales_product_groups` after folding case and punctuation.
 */
function nonSalesItemCodes(sandbox: XeroSandbox): Set<string> {
  const fold = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  const config = JSON.parse(readFileSync(path.join(projectRoot, "dataform.json"), "utf8")) as { vars: { non_sales_product_groups: string } };
  const groups = new Set(config.vars.non_sales_product_groups.split(",").map(fold));
  const codes = sandbox.data.items
    .filter((item) => {
      const full = [item.Name, item.Description].find((n) => n.includes(":")) ?? item.Name;
      return groups.has(fold(full.split(":")[0]));
    })
    .map((item) => item.Code);
  expect(codes.length).toBeGreaterThan(0); // the sandbox sells freight: the rule is exercised
  return new Set(codes);
}

/** dataform run, then canonical, the facts and a mart against the sandbox's figures. */
async function buildAndCompare(s: Setup): Promise<void> {
  const run = await dataform("run", s.url);
  expect(run.failedActions, run.output).toEqual([]);
  expect(run.assertionsFailed, run.output).toEqual([]);
  expect(run.code).toBe(0);
  const expected = expectedFigures(s.sandbox);
  const byType = await queryRows<{ event_type: string; lines: number; net: string; tax: string }>(
    s.url,
    "select event_type, count(*)::int as lines, sum(net_amount)::numeric(14,2)::text as net, sum(tax_amount)::numeric(14,2)::text as tax from canonical.sales_line where source_system = 'xero' group by 1",
  );
  expect(Object.fromEntries(byType.map((r) => [r.event_type, { lines: r.lines, net: r.net, tax: r.tax }]))).toEqual(expected.byType);
  const invoices = await queryRows<{ document_id: string; net: string }>(s.url, "select document_id, net_amount::numeric(14,2)::text as net from dw.fct_invoice where source_system = 'xero'");
  expect(Object.fromEntries(invoices.map((r) => [r.document_id, r.net]))).toEqual(expected.byDocument);
  const [mart] = await queryRows<{ net: string }>(s.url, "select sum(net_sales)::numeric(14,2)::text as net from mart.kpi_daily where source_system = 'xero'");
  expect(mart.net).toBe(expected.total);
}
