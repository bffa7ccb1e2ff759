/**
 * Reckon history and Xero as one business, beyond each source on its own: Xero amounts in the
 * organisation's base currency, customer history (dw.dim_customer_history, as-of attributes in
 * mart.sales_enriched), auto-registered Xero items, and the identity and quiet-sync findings.
 * The generated Reckon extracts and the Xero sandbox (seed 1: contacts named like Reckon branches)
 * are the inputs; every expected figure is worked out here from them.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataform } from "../../extract/dataform.ts";
import { lineNetCents, type SandboxContact, type SandboxDocument } from "../../extract/sandbox/xero/data.ts";
import { startXeroSandbox, type XeroSandbox } from "../../extract/sandbox/xero/server.ts";
import { reckonRows, writeReckonFile, writeReckonSample, type ReckonCustomer, type ReckonSample } from "../../extract/samples/reckon.ts";
import { freshDatabase, queryRows, runCli } from "../support/warehouse.ts";

const DATAFORM_RUN_MS = 600_000; // a full dataform run on a busy shared 2-core machine
const BASE = "NZD";

let url: string;
let dir: string;
let sample: ReckonSample;
let sandbox: XeroSandbox;
let usd: SandboxDocument;
let eur: SandboxDocument;
let unknownItem: SandboxDocument;
let reckonCoded: SandboxDocument;
let lonely: SandboxContact;
let lonelyPast: SandboxDocument;
let lonelyToday: SandboxDocument;
let today: string;

afterAll(async () => sandbox?.close());

async function runModels(extra: string[] = []) {
  const run = await dataform("run", url, extra);
  expect(run.failedActions, run.output).toEqual([]);
  expect(run.assertionsFailed, run.output).toEqual([]);
  expect(run.code, run.output).toBe(0);
}

async function syncXero() {
  const synced = await runCli(["extract", "xero", "--page-size", "100"], {
    ...sandbox.settings, XERO_TOKEN_FILE: path.join(dir, "xero-token.json"), XERO_TENANT_ID: "", XERO_GRANT: "", WAREHOUSE_URL: url,
  });
  expect(synced.code, synced.stderr).toBe(0);
  return synced;
}

function addContact(name: string): SandboxContact {
  const contact: SandboxContact = {
    ContactID: randomUUID(), ContactNumber: "", AccountNumber: "", ContactStatus: "ACTIVE", Name: name, FirstName: "", LastName: "",
    EmailAddress: "", IsCustomer: true, IsSupplier: false, DefaultCurrency: BASE, City: "", updatedMs: Date.now(), seq: sandbox.data.contacts.length,
  };
  sandbox.data.contacts.push(contact);
  return contact;
}

const fold = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
const foldOrNull = (text: string) => fold(text) || null;
/** What near-duplicate matching compares: the folded name without words like Ltd, and without spaces. */
const compact = (folded: string | null) => (folded === null ? null : folded.replace(/\b(ltd|limited|the|co|company|nz|inc)\b/g, "").replace(/[^a-z0-9]+/g, "") || null);
const upperOrNull = (text: string | null) => (text && text.trim() ? text.trim().toUpperCase() : null);

const isRevenue = (d: SandboxDocument) => (d.Type === "ACCREC" || d.Type === "ACCRECCREDIT") && (d.Status === "AUTHORISED" || d.Status === "PAID");
const revenueDocuments = () => sandbox.data.documents.filter(isRevenue);
const signOf = (d: SandboxDocument) => (d.Type === "ACCRECCREDIT" ? -1n : 1n);

/** A cluster as the models give it: the clusters row with the account number, else the lowest of the rows with the folded name. */
function clusterOf(clusters: ReckonSample["clusters"], account: string | null, folded: string | null): number | null {
  const byAccount = clusters.filter((c) => account && upperOrNull(c.accountNumber) === account).map((c) => c.cluster);
  if (byAccount.length) return Math.min(...byAccount);
  const byName = clusters.filter((c) => folded && fold(c.contactName) === folded).map((c) => c.cluster);
  return byName.length ? Math.min(...byName) : null;
}

interface CustomerRecord {
  source: "reckon" | "xero";
  id: string;
  name: string;
  account: string | null;
  folded: string | null;
  cluster: number | null;
  carriesSales: boolean;
}

/** Every customer record of the business, as this test understands the inputs. */
function customerRecords(): CustomerRecord[] {
  const sold = new Set(sample.lines.map((l) => l.customerId));
  const contactsWithSales = new Set(revenueDocuments().filter((d) => d.lines.length).map((d) => d.contactId));
  const reckon = sample.customers.map((c: ReckonCustomer): CustomerRecord => ({
    source: "reckon", id: String(c.id), name: c.name, account: upperOrNull(c.accountNumber), folded: foldOrNull([c.parent, c.branch].filter(Boolean).join(" ")),
    cluster: c.cluster, carriesSales: sold.has(c.id),
  }));
  const xero = sandbox.data.contacts.filter((c) => c.IsCustomer).map((c): CustomerRecord => {
    const account = upperOrNull(c.AccountNumber);
    const folded = foldOrNull(c.Name);
    return { source: "xero", id: c.ContactID, name: c.Name, account, folded, cluster: clusterOf(sample.clusters, account, folded), carriesSales: contactsWithSales.has(c.ContactID) };
  });
  return [...reckon, ...xero];
}

beforeAll(async () => {
  url = await freshDatabase("reckonxero");
  dir = mkdtempSync(path.join(tmpdir(), "reckon-xero-"));
  sample = writeReckonSample(path.join(dir, "history"), { from: "2024-07-01" });
  const landed = await runCli(["extract", "reckon", ...Object.values(sample.files)], { WAREHOUSE_URL: url });
  expect(landed.code, landed.stderr).toBe(0);

  sandbox = await startXeroSandbox({ seed: 1, invoices: 60, creditNotes: 6, perMinute: 100_000, perDay: 1_000_000 });
  // Foreign-currency invoices: one with Xero's rate (USD per NZD), one without a usable rate.
  usd = sandbox.change({ action: "add-invoice", currencyCode: "USD", currencyRate: "0.612300", lines: 3 })!;
  eur = sandbox.change({ action: "add-invoice", currencyCode: "EUR", currencyRate: "0.000000", lines: 2 })!;
  // An item code typed on an invoice that neither Xero's Items nor Reckon's products know.
  unknownItem = sandbox.change({ action: "add-invoice", itemCode: "ZZ-NEW-1", lines: 1 })!;
  // An item code Xero's Items lack but Reckon's products file has (the code Xero items use).
  reckonCoded = sandbox.change({ action: "add-invoice", itemCode: sample.products.find((p) => p.isSales && p.groupColumn && sample.lines.some((l) => l.productId === p.id) && !sandbox.data.items.some((i) => i.Code === p.code))!.code, lines: 1 })!;
  // A contact that is nearly a Reckon branch's name, and one that matches nothing, with sales last month and today.
  const branch = sample.customers.find((c) => c.copyOf === null && c.branch)!;
  addContact(`The ${branch.parent} ${branch.branch} Ltd`);
  lonely = addContact("Zebra Unmatched Traders");
  lonelyPast = sandbox.change({ action: "add-invoice", contactId: lonely.ContactID, lines: 2 })!;
  lonelyPast.dateMs -= 30 * 86_400_000;
  lonelyToday = sandbox.change({ action: "add-invoice", contactId: lonely.ContactID, lines: 1 })!;
  await syncXero();
  await runModels();
  today = (await queryRows<{ d: string }>(url, "select current_date::text as d"))[0].d;
}, DATAFORM_RUN_MS + 120_000);

describe("Xero amounts in the organisation's base currency", () => {
  it("converts each line by its document's CurrencyRate, keeps the document currency, and says which documents have no rate", async () => {
    // Base amount of a line: its ex-GST net divided by the rate, to the cent (half away from zero); base-currency documents as they are.
    const baseCents = (d: SandboxDocument, netCents: bigint): bigint | null => {
      if (d.CurrencyCode === BASE) return netCents;
      const [whole, fraction = ""] = d.CurrencyRate.split(".");
      const rate = BigInt(whole + fraction.padEnd(6, "0").slice(0, 6)); // millionths
      if (rate <= 0n) return null;
      const scaled = netCents * 1_000_000n * 2n;
      const q = (scaled < 0n ? -scaled : scaled) / rate;
      const rounded = (q + 1n) / 2n;
      return scaled < 0n ? -rounded : rounded;
    };
    const expected = new Map<string, { net: bigint; base: bigint | null; currency: string }>();
    for (const d of revenueDocuments()) {
      for (const [i, line] of d.lines.entries()) {
        const net = signOf(d) * BigInt(lineNetCents(d, line));
        expected.set(`${d.id}|${i + 1}`, { net, base: baseCents(d, net), currency: d.CurrencyCode });
      }
    }
    expect([...expected.values()].filter((e) => e.currency === "USD")).toHaveLength(usd.lines.length);

    const rows = await queryRows<{ k: string; net: string; base: string | null; currency: string; base_currency: string }>(url, `
      select s.document_id || '|' || s.line_number as k, (s.net_amount * 100)::bigint::text as net, (b.net_amount_base * 100)::bigint::text as base,
        s.currency, b.base_currency
      from canonical.sales_line s
      join canonical.xero_line_base_amount b using (sales_line_key)
      where s.source_system = 'xero'`);
    expect(rows.length).toBe(expected.size);
    for (const row of rows) {
      const e = expected.get(row.k)!;
      expect(e, row.k).toBeDefined();
      expect({ net: BigInt(row.net), base: row.base === null ? null : BigInt(row.base), currency: row.currency, base_currency: row.base_currency })
        .toEqual({ net: e.net, base: e.base, currency: e.currency, base_currency: BASE });
    }

    // The mart: document currency and base currency side by side; Reckon (NZD) is its own base.
    const mart = await queryRows<{ source_system: string; currency: string; base_currency: string; net: string; base: string | null }>(url, `
      select source_system, currency, base_currency, (sum(net_amount) * 100)::bigint::text as net, (sum(net_amount_base) * 100)::bigint::text as base
      from mart.sales_enriched group by 1, 2, 3 order by 1, 2`);
    const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
    const byCurrency = (currency: string) => [...expected.values()].filter((e) => e.currency === currency);
    const reckonCents = sum(sample.lines.map((l) => BigInt(Math.round(Number(l.amountText) * 100))));
    const eurBase = byCurrency("EUR").map((e) => e.base);
    expect(eurBase.every((b) => b === null)).toBe(true);
    expect(mart.map((r) => ({ ...r, net: BigInt(r.net), base: r.base === null ? null : BigInt(r.base) }))).toEqual([
      { source_system: "reckon", currency: "NZD", base_currency: "NZD", net: reckonCents, base: reckonCents },
      { source_system: "xero", currency: "EUR", base_currency: BASE, net: sum(byCurrency("EUR").map((e) => e.net)), base: null },
      { source_system: "xero", currency: "NZD", base_currency: BASE, net: sum(byCurrency("NZD").map((e) => e.net)), base: sum(byCurrency("NZD").map((e) => e.net)) },
      { source_system: "xero", currency: "USD", base_currency: BASE, net: sum(byCurrency("USD").map((e) => e.net)), base: sum(byCurrency("USD").map((e) => e.base!)) },
    ]);

    // dq.issues: the documents without a base-currency amount, and only those.
    const withoutRate = revenueDocuments().filter((d) => d.CurrencyCode !== BASE && !(Number(d.CurrencyRate) > 0)).map((d) => d.id);
    expect(withoutRate).toEqual([eur.id]);
    const findings = await queryRows<{ record_key: string }>(url, "select record_key from dq.issues where check_name = 'xero_document_without_base_amount'");
    expect(findings.map((f) => withoutRate.find((id) => f.record_key.includes(id)) ?? f.record_key)).toEqual(withoutRate);
  });
});

describe("products", () => {
  it("registers Xero item codes nothing knows, for review, and lists them in dq.issues", async () => {
    const known = new Set([...sandbox.data.items.map((i) => i.Code.trim().toUpperCase()), ...sample.products.map((p) => p.code.toUpperCase())]);
    const knownNames = new Set(sample.products.flatMap((p) => [fold(p.name), fold(p.item)]));
    const expected = [...new Set(revenueDocuments().flatMap((d) => d.lines.filter((l) => l.ItemCode).map((l) => l))
      .filter((l) => !known.has(l.ItemCode!.trim().toUpperCase()) && !knownNames.has(fold(l.Description)))
      .map((l) => l.ItemCode!))].sort();
    expect(expected).toEqual(["ZZ-NEW-1"]);
    const registered = await queryRows<{ product_code: string }>(url, "select product_code from dw.dim_product where is_auto_registered order by 1");
    expect(registered.map((r) => r.product_code)).toEqual(expected);
    const findings = await queryRows<{ record_key: string }>(url, "select record_key from dq.issues where check_name = 'auto_registered_product' order by 1");
    expect(findings.map((f) => f.record_key)).toEqual(expected.map((code) => `xero item ${code}`));
    // A Xero item with a Reckon product's code is that product: its unified key and its group.
    const reckonProduct = sample.products.find((p) => p.code === reckonCoded.lines[0].ItemCode)!;
    expect(sandbox.data.items.map((i) => i.Code)).not.toContain(reckonProduct.code);
    const [matched] = await queryRows(url, "select unified_product_key, matched_by, product_group, is_auto_registered from dw.dim_product where source_system = 'xero' and product_code = $1", [reckonProduct.code]);
    expect(matched).toEqual({ unified_product_key: `reckon:${reckonProduct.id}`, matched_by: "item_code", product_group: reckonProduct.group, is_auto_registered: false });
    const [reckonRow] = await queryRows(url, "select unified_product_key, matched_by from dw.dim_product where source_system = 'reckon' and product_code = $1", [String(reckonProduct.id)]);
    expect(reckonRow).toEqual({ unified_product_key: `reckon:${reckonProduct.id}`, matched_by: null });
    // Its lines are kept: revenue like any other line.
    const [lines] = await queryRows<{ n: number }>(url, "select count(*)::int as n from dw.fct_sales_line where document_id = $1", [unknownItem.id]);
    expect(lines.n).toBe(unknownItem.lines.length);
  });
});

describe("customer identity findings", () => {
  it("lists near-duplicate customers, customers that match nothing and clusters rows that match nothing, merging nothing", async () => {
    const records = customerRecords();
    const key = (r: CustomerRecord) => `${r.source}:${r.id}`;
    const pairs: string[] = [];
    for (const a of records) {
      for (const b of records) {
        if (key(a) >= key(b)) continue;
        const sameAccount = a.account !== null && a.account === b.account;
        const nearName = compact(a.folded) !== null && compact(a.folded) === compact(b.folded);
        if (sameAccount || nearName) pairs.push(`${key(a)} ~ ${key(b)}`);
      }
    }
    expect(pairs.length).toBeGreaterThan(sample.customers.filter((c) => c.copyOf !== null).length);
    const found = await queryRows<{ record_key: string; detail: string }>(url, "select record_key, detail from dq.issues where check_name = 'near_duplicate_customer'");
    expect(found.map((f) => f.record_key).sort()).toEqual(pairs.sort());
    expect(found.some((f) => f.detail.includes("nearly the same name"))).toBe(true);

    const tied = new Set(pairs.flatMap((p) => p.split(" ~ ")));
    const alone = records.filter((r) => r.carriesSales && r.cluster === null && !tied.has(key(r))).map((r) => `${r.source} customer ${r.id}`).sort();
    expect(alone).toContain(`xero customer ${lonely.ContactID}`);
    const nothing = await queryRows<{ record_key: string }>(url, "select record_key from dq.issues where check_name = 'customer_matches_nothing' order by 1");
    expect(nothing.map((r) => r.record_key).sort()).toEqual(alone);

    const unmatchedRows = sample.clusters
      .map((c, i) => ({ c, line: i + 2 }))
      .filter(({ c }) => !records.some((r) => (upperOrNull(c.accountNumber) !== null && r.account === upperOrNull(c.accountNumber)) || r.folded === foldOrNull(c.contactName)))
      .map(({ c }) => c.contactName);
    expect(unmatchedRows).toContain("Brand New Rural Ltd");
    const rowsFound = await queryRows<{ detail: string }>(url, "select detail from dq.issues where check_name = 'cluster_row_matches_nothing'");
    expect(rowsFound.map((r) => r.detail.split(" (account")[0]).sort()).toEqual(unmatchedRows.sort());
  });
});

describe("Xero document findings", () => {
  it("lists documents whose lines differ from their SubTotal, lines without an item and documents without lines, per landed version", async () => {
    const docs = revenueDocuments();
    const mismatched = docs.filter((d) => d.lines.length && Math.abs(d.lines.reduce((n, l) => n + lineNetCents(d, l), 0) - d.subTotalCents) >= 1).map((d) => d.id).sort();
    const withoutItem = docs.flatMap((d) => d.lines.filter((l) => !l.ItemCode).map(() => d.id)).sort();
    const withoutLines = docs.filter((d) => !d.lines.length).map((d) => d.id).sort();
    expect(mismatched.length).toBeGreaterThan(0);
    expect(withoutItem.length).toBeGreaterThan(0);
    const idIn = (recordOrDetail: string) => docs.find((d) => recordOrDetail.includes(`(${d.id})`))?.id ?? recordOrDetail;
    const found = async (check: string, column: "record_key" | "detail") =>
      (await queryRows<{ v: string }>(url, `select ${column} as v from dq.issues where check_name = $1`, [check])).map((r) => idIn(r.v)).sort();
    expect(await found("xero_subtotal_mismatch", "record_key")).toEqual(mismatched);
    expect(await found("xero_line_without_item", "detail")).toEqual(withoutItem);
    expect(await found("xero_document_without_lines", "record_key")).toEqual(withoutLines);
  });
});

describe("customer history", () => {
  it("keeps a version per change of cluster (a new clusters file) or of inherited attributes (a mapping edit); sales read as of their date or as they are", async () => {
    // A new clusters file: every cluster renumbered. A mapping edit: the lonely Xero contact is Reckon customer `anchor`.
    const shifted = sample.clusters.map((c) => ({ ...c, cluster: c.cluster + 100 }));
    const clustersFile = path.join(dir, "clusters-2.csv");
    writeReckonFile(clustersFile, "customer_clusters", reckonRows({ ...sample, clusters: shifted }).customer_clusters);
    const landed = await runCli(["extract", "reckon", clustersFile], { WAREHOUSE_URL: url });
    expect(landed.code, landed.stderr).toBe(0);
    const sold = new Set(sample.lines.map((l) => l.customerId));
    const anchor = sample.customers.find((c) => c.copyOf === null && c.cluster !== null && c.market !== null && sold.has(c.id))!;
    await queryRows(url, `insert into admin.customer_map (source_system, source_customer_id, customer_key, updated_by, updated_at)
      values ('reckon', $1, 'ANCHOR', 'ana', now()), ('xero', $2, 'ANCHOR', 'ana', now())`, [String(anchor.id), lonely.ContactID]);
    // A full refresh rebuilds every model; the history is not a model's output to rebuild, so it stays.
    await runModels(["--full-refresh"]);

    const versions = await queryRows<{ source_system: string; customer_code: string; valid_from: string; valid_to: string | null; cluster: string | null; market: string | null }>(url, `
      select h.source_system, h.customer_code, h.valid_from::text, h.valid_to::text, h.cluster::text, h.market
      from dw.dim_customer_history h join dw.dim_customer d using (customer_key)
      where not d.is_unknown order by 1, 2, 3`);
    const expected: typeof versions = [];
    const history = (source: string, code: string, before: { cluster: number | null; market: string | null }, after: { cluster: number | null; market: string | null }) => {
      const text = (n: number | null) => (n === null ? null : String(n));
      if (before.cluster === after.cluster && before.market === after.market) {
        expected.push({ source_system: source, customer_code: code, valid_from: "1900-01-01", valid_to: null, cluster: text(after.cluster), market: after.market });
      } else {
        expected.push({ source_system: source, customer_code: code, valid_from: "1900-01-01", valid_to: today, cluster: text(before.cluster), market: before.market });
        expected.push({ source_system: source, customer_code: code, valid_from: today, valid_to: null, cluster: text(after.cluster), market: after.market });
      }
    };
    for (const c of sample.customers.filter((c) => sold.has(c.id))) {
      history("reckon", String(c.id), { cluster: c.cluster, market: c.market }, { cluster: c.cluster === null ? null : c.cluster + 100, market: c.market });
    }
    for (const r of customerRecords().filter((r) => r.source === "xero" && r.carriesSales)) {
      if (r.id === lonely.ContactID) history("xero", r.id, { cluster: null, market: null }, { cluster: anchor.cluster! + 100, market: anchor.market });
      else history("xero", r.id, { cluster: r.cluster, market: null }, { cluster: r.cluster === null ? null : r.cluster + 100, market: null });
    }
    const order = (rows: typeof versions) => [...rows].sort((a, b) => `${a.source_system}|${a.customer_code}|${a.valid_from}`.localeCompare(`${b.source_system}|${b.customer_code}|${b.valid_from}`));
    expect(order(versions)).toEqual(order(expected));
    expect(expected.filter((v) => v.valid_to !== null).length).toBeGreaterThan(10);

    // Reckon's sales (all before today): as of their date the old cluster, as they are the new one.
    const byCluster = await queryRows<{ cluster: string | null; cluster_as_of: string | null; n: number }>(url, `
      select cluster::text, cluster_as_of::text, count(*)::int as n from mart.sales_enriched where source_system = 'reckon' group by 1, 2`);
    const expectedByCluster = new Map<string, number>();
    const clusterById = new Map(sample.customers.map((c) => [c.id, c.cluster]));
    for (const line of sample.lines) {
      const c = clusterById.get(line.customerId) ?? null;
      const k = `${c === null ? null : c + 100}|${c}`;
      expectedByCluster.set(k, (expectedByCluster.get(k) ?? 0) + 1);
    }
    expect(Object.fromEntries(byCluster.map((r) => [`${r.cluster}|${r.cluster_as_of}`, r.n]))).toEqual(Object.fromEntries(expectedByCluster));

    // The contact mapped today: its sale of last month reads as it was (nothing known), today's as it is now.
    const lonelyRows = await queryRows<{ document_id: string; market: string | null; market_as_of: string | null; cluster: string | null; cluster_as_of: string | null; parent_customer_as_of: string | null }>(url, `
      select distinct document_id, market, market_as_of, cluster::text, cluster_as_of::text, parent_customer_as_of
      from mart.sales_enriched where source_system = 'xero' and customer_code = $1 order by 1`, [lonely.ContactID]);
    const now = { market: anchor.market, cluster: String(anchor.cluster! + 100) };
    expect(lonelyRows).toEqual([
      { document_id: lonelyPast.id, ...now, market_as_of: null, cluster_as_of: null, parent_customer_as_of: null },
      { document_id: lonelyToday.id, ...now, market_as_of: anchor.market, cluster_as_of: now.cluster, parent_customer_as_of: anchor.parent },
    ].sort((a, b) => a.document_id.localeCompare(b.document_id)));
    // One row per customer in dim_customer still: the key other models join on is unchanged.
    const [dim] = await queryRows<{ n: number; keys: number }>(url, "select count(*)::int as n, count(distinct customer_key)::int as keys from dw.dim_customer");
    expect(dim.n).toBe(dim.keys);
    // The mapped contact matches something now.
    const nothing = await queryRows(url, "select 1 from dq.reckon_xero_findings where check_name = 'customer_matches_nothing' and record_key = $1", [`xero customer ${lonely.ContactID}`]);
    expect(nothing).toEqual([]);
  }, DATAFORM_RUN_MS);
});

describe("a Xero sync that brings nothing", () => {
  it("is a finding once no invoice or credit note arrived for more than xero_quiet_days days, and not before", async () => {
    const quiet = () => queryRows<{ record_key: string; detail: string }>(url, "select record_key, detail from dq.reckon_xero_findings where check_name = 'xero_sync_brought_nothing'");
    expect(await quiet()).toEqual([]);
    // Time passes: the documents landed five days ago (dataform.json: xero_quiet_days 3); a sync now brings nothing new.
    await queryRows(url, "update raw._loads set finished_at = finished_at - interval '5 days' where source = 'xero'");
    const [{ last }] = await queryRows<{ last: string }>(url, `
      select to_char(max(finished_at) at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as last from raw._loads
      where source = 'xero' and entity in ('invoice_line', 'credit_note_line') and rows_loaded > 0`);
    const nothingNew = await syncXero();
    expect(nothingNew.stdout + nothingNew.stderr).toContain("nothing new");
    const found = await quiet();
    expect(found.map((f) => f.record_key)).toEqual([`xero documents: none new since ${last}`]);
    expect(found[0].detail).toMatch(/for 5 days/);
    // A new invoice ends the quiet spell.
    sandbox.change({ action: "add-invoice", lines: 1 });
    await syncXero();
    expect(await quiet()).toEqual([]);
  }, 120_000);
});
