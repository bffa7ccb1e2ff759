/**
 * Seller events end to end: `salesdw extract events` (both vocabularies, with and without
 * signed_amount/direction, naive timestamps read in a non-UTC --timezone, offsets), then
 * `dataform run`, compared with balances this file works out itself from the very files it
 * wrote: its own CSV reading, time-zone arithmetic, duplicate rule, signs and carry-forward.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { dataform } from "../../extract/dataform.ts";
import { writeSellerEventSample, type SellerEventSample } from "../../extract/samples/events.ts";
import { freshDatabase, queryRows, runCli } from "../support/warehouse.ts";

// ── The test's own reading of the files ────────────────────────────────────────────────────

/** Europe/Moscow has been UTC+3 all year since 2014: the test's arithmetic needs no time-zone library. */
const ZONE = "Europe/Moscow";
const ZONE_OFFSET_MINUTES = 180;
const SIGN: Record<string, number> = {
  order_paid: 1, order: 1, payout_reversed: 1, payout: -1, refund: -1, fee_commission: -1, fee: -1,
};

/** Decimal text → whole cents, exactly ("106.4" → 10640, "-0.5" → -50); null when not a number. */
function cents(text: string | null | undefined): number | null {
  const m = /^\s*(-?)(\d+)(?:\.(\d{1,2})0*)?\s*$/.exec(text ?? "");
  if (!m) return null;
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number((m[3] ?? "0").padEnd(2, "0")));
}

/** An ISO timestamp (T or space; offset, Z or naive in the test zone) → epoch ms. */
function instant(text: string, naiveOffsetMinutes: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (!m[7]) return wall - naiveOffsetMinutes * 60_000;
  if (m[7] === "Z") return wall;
  const [h, min] = m[7].slice(1).split(":").map(Number);
  return wall - (m[7][0] === "-" ? -1 : 1) * (h * 60 + min) * 60_000;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nextDay = (day: string) => dayOf(Date.parse(`${day}T00:00:00Z`) + 86_400_000);

interface Kept { id: string; seller: string; currency: string; day: string; at: number; signed: number; load: number; line: number }
interface Row { seller_id: string; day: string; currency: string; inflow: number; outflow: number; net: number; opening_balance: number; closing_balance: number }

/** Events kept from files in load order: usable rows only, the earliest copy of each id. */
function keptEvents(eventFiles: { file: string; load: number; offsetMinutes: number }[]): Map<string, Kept> {
  const kept = new Map<string, Kept>();
  for (const { file, load, offsetMinutes } of eventFiles) {
    const records = parse(readFileSync(file, "utf8"), { columns: true }) as Record<string, string>[];
    records.forEach((r, index) => {
      const at = r.event_ts ? instant(r.event_ts, offsetMinutes) : null;
      const amount = cents(r.amount);
      const sign = SIGN[r.event_type?.trim().toLowerCase()];
      if (!r.event_id || !r.seller_id || at === null || !sign || !r.currency || amount === null || kept.has(r.event_id)) return;
      kept.set(r.event_id, {
        id: r.event_id, seller: r.seller_id, currency: r.currency.toUpperCase(), day: dayOf(at), at,
        signed: sign * Math.abs(amount), load, line: index + 2,
      });
    });
  }
  return kept;
}

function latestOpening(files: string[]): Map<string, number> {
  const opening = new Map<string, number>();
  for (const file of files) {
    for (const r of parse(readFileSync(file, "utf8"), { columns: true }) as Record<string, string>[]) {
      const value = cents(r.opening_balance);
      if (r.seller_id && r.currency && value !== null) opening.set(`${r.seller_id}|${r.currency.toUpperCase()}`, value);
    }
  }
  return opening;
}

/** Every seller, currency and day from the series' first day to the last day loaded, in cents. */
function expectedBalances(kept: Map<string, Kept>, opening: Map<string, number>): Row[] {
  const events = [...kept.values()];
  const lastDay = events.map((e) => e.day).sort().at(-1)!;
  const starts = new Map<string, string>();
  const sellerFirst = new Map<string, string>();
  const netByDay = new Map<string, { inflow: number; outflow: number }>();
  for (const e of events) {
    const series = `${e.seller}|${e.currency}`;
    if (!starts.has(series) || e.day < starts.get(series)!) starts.set(series, e.day);
    if (!sellerFirst.has(e.seller) || e.day < sellerFirst.get(e.seller)!) sellerFirst.set(e.seller, e.day);
    const flows = netByDay.get(`${series}|${e.day}`) ?? { inflow: 0, outflow: 0 };
    if (e.signed > 0) flows.inflow += e.signed;
    else flows.outflow -= e.signed;
    netByDay.set(`${series}|${e.day}`, flows);
  }
  for (const series of opening.keys()) {
    const seller = series.split("|")[0];
    if (!starts.has(series) && sellerFirst.has(seller)) starts.set(series, sellerFirst.get(seller)!);
  }
  const rows: Row[] = [];
  for (const [series, start] of starts) {
    const [seller_id, currency] = series.split("|");
    let balance = opening.get(series) ?? 0;
    for (let day = start; day <= lastDay; day = nextDay(day)) {
      const { inflow, outflow } = netByDay.get(`${series}|${day}`) ?? { inflow: 0, outflow: 0 };
      const net = inflow - outflow;
      rows.push({ seller_id, day, currency, inflow, outflow, net, opening_balance: balance, closing_balance: balance + net });
      balance += net;
    }
  }
  return rows.sort(byKey);
}

const byKey = (a: Row, b: Row) => a.seller_id.localeCompare(b.seller_id) || a.currency.localeCompare(b.currency) || a.day.localeCompare(b.day);

async function martRows(url: string, relation = "mart.seller_balance_daily"): Promise<Row[]> {
  const rows = await queryRows<Record<string, string>>(url, `select seller_id, day::text as day, currency, inflow, outflow, net, opening_balance, closing_balance from ${relation}`);
  return rows
    .map((r) => ({
      seller_id: r.seller_id, day: r.day, currency: r.currency, inflow: cents(r.inflow)!, outflow: cents(r.outflow)!,
      net: cents(r.net)!, opening_balance: cents(r.opening_balance)!, closing_balance: cents(r.closing_balance)!,
    }))
    .sort(byKey);
}

async function runModels(url: string, args: string[] = []) {
  const run = await dataform("run", url, args);
  expect(run.failedActions, run.output).toEqual([]);
  expect(run.assertionsFailed, run.output).toEqual([]);
  expect(run.code, run.output).toBe(0);
  return run;
}

/** Everything the seller models hold, for "a second run changes nothing". */
async function snapshot(url: string) {
  const tables = {
    canonical: "select * from canonical.seller_ledger_event order by event_id",
    fact: "select xmin::text as xmin, * from dw.fct_seller_balance_daily order by seller_id, currency, day",
    mart: "select * from mart.seller_balance_daily order by seller_id, currency, day",
    sellers: "select * from dw.dim_seller order by seller_id",
    issues: "select * from dq.issues order by issue_key",
    seller_issues: "select * from dq.seller_event_issues order by issue_key",
  };
  return Object.fromEntries(await Promise.all(Object.entries(tables).map(async ([name, sql]) => [name, JSON.stringify(await queryRows(url, sql))])));
}

const csv = (header: string, lines: string[]) => [header, ...lines].join("\n") + "\n";
const MARKETPLACE = "event_id,event_ts,seller_id,event_type,currency,amount,signed_amount,direction,source_system";
const GENERATOR = "event_id,event_ts,seller_id,event_type,currency,amount,source_system";

// ── Hand-written files: every rule, each finding on a known line ─────────────────────────────

describe("seller events from hand-written files, naive times in Europe/Moscow", () => {
  let url: string;
  let dir: string;
  const files: Record<string, string> = {};
  const M1_ORDERS = ["100.00", "101.00", "99.00", "102.00", "98.00", "103.00", "97.00", "100.5", "99.5", "101.5", "98.5", "100.00"];

  // Marketplace layout: signed_amount and direction present. Line numbers count the header as line 1.
  const file1 = [
    /* 2 */ "20250701-A1-000001,2025-07-01T10:00:00,A1,order_paid,RUB,500.00,500.00,in,orders",
    /* 3 */ "20250701-A1-000002,2025-07-01 12:30:00,A1,fee_commission,RUB,50.5,-50.5,out,fees",
    /* 4 */ "20250702-A1-000003,2025-07-02T01:30:00,A1,order_paid,RUB,200.25,200.25,in,orders", // 22:30 UTC on 1 July
    /* 5 */ "20250702-A2-000004,2025-07-02T04:00:00+05:00,A2,order_paid,USD,20.1,20.1,in,orders", // 23:00 UTC on 1 July
    /* 6 */ "20250702-A2-000005,2025-07-02T09:00:00Z,A2,refund,USD,5.25,-5.25,out,orders",
    /* 7 */ "6f1c2a9e-1d2b-4c3d-8e4f-0000000000a1,2025-07-03T10:00:00,A2,order_paid,RUB,1000.00,1000.00,in,orders",
    /* 8 */ "20250701-A1-000001,2025-07-01T10:00:00,A1,order_paid,RUB,500.00,500.00,in,orders", // the same event again
    /* 9 */ "20250703-A1-000006,2025-07-03T15:00:00,A1,payout,RUB,300.00,300.00,in,payments", // a payout cannot be money in
    /* 10 */ "20250703-A1-000007,2025-07-03T16:00:00,A1,refund,RUB,20.00,-25.00,out,orders", // sizes differ
    /* 11 */ "20250704-A1-000008,2025-07-04T08:00:00,A1,order_paid,RUB,10.00,,out,orders", // direction disagrees
    /* 12 */ "20250704-A1-000009,2025-07-04T09:00:00,A1,payout_reversed,RUB,300.00,300.00,in,payments",
    /* 13 */ "20250704-XX-000010,2025-07-04T10:00:00,,order_paid,RUB,10.00,10.00,in,orders",
    /* 14 */ "20250704-A1-000011,2025-07-04T11:00:00,A1,order_paid,RUB,,,in,orders",
    /* 15 */ "20250704-A1-000012,,A1,order_paid,RUB,10.00,10.00,in,orders",
    /* 16 */ "20250704-A1-000013,2025-07-04T12:00:00,A1,chargeback,RUB,10.00,-10.00,out,payments",
    // 17-28: a seller whose orders hardly vary, then 29: one far outside them.
    ...M1_ORDERS.map((amount, i) => `2025070${1 + (i % 5)}-M1-${String(100 + i).padStart(6, "0")},2025-07-0${1 + (i % 5)}T1${i % 10}:00:00,M1,order_paid,RUB,${amount},${amount},in,orders`),
    /* 29 */ "20250705-M1-000200,2025-07-05T18:00:00,M1,order_paid,RUB,10000.00,10000.00,in,orders",
  ];
  // Generator layout: no signed_amount, no direction, the other vocabulary.
  const file2 = [
    /* 2 */ "0b7d1c55-8c1e-4a57-9a0b-0000000000b1,2025-07-05 10:00:00,A1,order,RUB,250.00,orders",
    /* 3 */ "20250702-A1-000003,2025-07-01 22:30:00+00:00,A1,order,RUB,200.250,orders", // file 1 line 4 again, written differently
    /* 4 */ "6f1c2a9e-1d2b-4c3d-8e4f-0000000000a1,2025-07-03 10:00:00,A2,order,RUB,1100.00,orders", // file 1 line 7 with another amount
    /* 5 */ "0b7d1c55-8c1e-4a57-9a0b-0000000000b2,2025-07-02 12:00:00,A2,fee,USD,1.5,fees", // late: a day of file 1
    /* 6 */ "0b7d1c55-8c1e-4a57-9a0b-0000000000b3,2025-07-06 09:00:00,A2,payout,USD,10.00,payments",
    /* 7 */ "0b7d1c55-8c1e-4a57-9a0b-0000000000b4,2025-07-06T23:30:00,A1,fee,RUB,5.0,fees",
    /* 8 */ "0b7d1c55-8c1e-4a57-9a0b-0000000000b5,2025-07-05 08:00:00,B1,order,rub,70.00,orders",
  ];
  const opening = ["A1,RUB,1000.00", "A2,USD,50.5", "A2,EUR,7.00", "C1,RUB,123.45"];
  // After the first runs: a late event, a new last day, a same-content copy and a conflicting copy.
  const file3 = [
    /* 2 */ "20250703-A1-000777,2025-07-03T11:00:00,A1,order_paid,RUB,77.70,77.70,in,orders",
    /* 3 */ "20250707-A2-000001,2025-07-07T12:00:00,A2,order_paid,USD,3.00,3.00,in,orders",
    /* 4 */ "0b7d1c55-8c1e-4a57-9a0b-0000000000b1,2025-07-05T10:00:00,A1,order_paid,RUB,250.0,250.0,in,orders",
    /* 5 */ "20250703-A1-000006,2025-07-03T15:00:00,A1,payout,RUB,301.00,-301.00,out,payments",
  ];

  const loadsSoFar = () => [
    { file: files.file1, load: 1, offsetMinutes: ZONE_OFFSET_MINUTES },
    { file: files.file2, load: 2, offsetMinutes: ZONE_OFFSET_MINUTES },
  ];

  beforeAll(async () => {
    url = await freshDatabase("events");
    dir = mkdtempSync(path.join(tmpdir(), "events-"));
    files.file1 = path.join(dir, "events-1-marketplace.csv");
    files.file2 = path.join(dir, "events-2-generator.csv");
    files.opening = path.join(dir, "opening-balances.csv");
    files.file3 = path.join(dir, "events-3-late.csv");
    writeFileSync(files.file1, csv(MARKETPLACE, file1));
    writeFileSync(files.file2, csv(GENERATOR, file2));
    writeFileSync(files.opening, csv("seller_id,currency,opening_balance", opening));
    writeFileSync(files.file3, csv(MARKETPLACE, file3));
    // The zone by flag for one file, by EVENTS_TIMEZONE for the other.
    const first = await runCli(["extract", "events", "--timezone", ZONE, files.file1], { WAREHOUSE_URL: url });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const second = await runCli(["extract", "events", files.file2], { WAREHOUSE_URL: url, EVENTS_TIMEZONE: ZONE });
    expect(second.code).toBe(0);
    const balances = await runCli(["extract", "events-opening-balances", files.opening], { WAREHOUSE_URL: url });
    expect(balances.code).toBe(0);
    await runModels(url);
  });

  it("records the time zone of each load in raw._loads.details", async () => {
    const loads = await queryRows<{ load_id: string; timezone: string | null }>(url, "select load_id, details ->> 'timezone' as timezone from raw._loads order by load_id");
    expect(loads).toEqual([
      { load_id: "1", timezone: ZONE },
      { load_id: "2", timezone: ZONE },
      { load_id: "3", timezone: null },
    ]);
  });

  it("refuses a time zone that does not exist, from the flag or the environment", async () => {
    const flag = await runCli(["extract", "events", "--timezone", "Mars/Olympus", files.file1], { WAREHOUSE_URL: url });
    expect(flag.code).not.toBe(0);
    expect(flag.stderr).toMatch(/"Mars\/Olympus" is not an IANA time zone/);
    const env = await runCli(["extract", "events", files.file1], { WAREHOUSE_URL: url, EVENTS_TIMEZONE: "Moon/Base" });
    expect(env.code).toBe(1);
    expect(env.stderr).toMatch(/error: --timezone \(or EVENTS_TIMEZONE\) "Moon\/Base" is not an IANA time zone/);
    expect((await queryRows(url, "select * from raw._loads")).length).toBe(3);
  });

  it("keeps one row per event id, signed by its type, at the instant the file meant", async () => {
    const kept = keptEvents(loadsSoFar());
    const rows = await queryRows<Record<string, string>>(
      url, "select event_id, seller_id, currency, event_day::text as day, (extract(epoch from event_at) * 1000)::bigint::text as at, signed_amount, _load_id, _source_row from canonical.seller_ledger_event",
    );
    expect(rows).toHaveLength(kept.size);
    for (const row of rows) {
      const expected = kept.get(row.event_id)!;
      expect({ id: row.event_id, seller: row.seller_id, currency: row.currency, day: row.day, at: Number(row.at), signed: cents(row.signed_amount), load: Number(row._load_id), line: Number(row._source_row) })
        .toEqual({ id: expected.id, seller: expected.seller, currency: expected.currency, day: expected.day, at: expected.at, signed: expected.signed, load: expected.load, line: expected.line });
    }
    // The naive 01:30 in Moscow is 22:30 UTC the day before; the +05:00 one too.
    expect(kept.get("20250702-A1-000003")!.day).toBe("2025-07-01");
    expect(kept.get("20250702-A2-000004")!.day).toBe("2025-07-01");
    // The conflicting copy lost: the earliest amount is kept.
    expect(kept.get("6f1c2a9e-1d2b-4c3d-8e4f-0000000000a1")!.signed).toBe(100_000);
  });

  it("gives every seller, currency and day the balance the test computes, opening balances applied", async () => {
    const expected = expectedBalances(keptEvents(loadsSoFar()), latestOpening([files.opening]));
    expect(await martRows(url)).toEqual(expected);
    expect(await martRows(url, "dw.fct_seller_balance_daily")).toEqual(expected);
    // A2 holds three currencies, never added together; EUR has only its opening balance, carried every day.
    const a2 = expected.filter((r) => r.seller_id === "A2");
    expect(new Set(a2.map((r) => r.currency))).toEqual(new Set(["EUR", "RUB", "USD"]));
    expect(a2.filter((r) => r.currency === "EUR").every((r) => r.closing_balance === 700)).toBe(true);
    // C1 has an opening balance and no events: a seller in dim_seller, no balance rows yet.
    expect(expected.some((r) => r.seller_id === "C1")).toBe(false);
    const sellers = await queryRows<Record<string, unknown>>(url, "select seller_id, first_day::text, last_active_day::text, currencies, opening_balance_currencies from dw.dim_seller order by seller_id");
    expect(sellers).toEqual([
      { seller_id: "A1", first_day: "2025-07-01", last_active_day: "2025-07-06", currencies: ["RUB"], opening_balance_currencies: ["RUB"] },
      { seller_id: "A2", first_day: "2025-07-01", last_active_day: "2025-07-06", currencies: ["EUR", "RUB", "USD"], opening_balance_currencies: ["EUR", "USD"] },
      { seller_id: "B1", first_day: "2025-07-05", last_active_day: "2025-07-05", currencies: ["RUB"], opening_balance_currencies: [] },
      { seller_id: "C1", first_day: null, last_active_day: null, currencies: ["RUB"], opening_balance_currencies: ["RUB"] },
      { seller_id: "M1", first_day: "2025-07-01", last_active_day: "2025-07-05", currencies: ["RUB"], opening_balance_currencies: [] },
    ]);
  });

  it("lists each finding once, on its line", async () => {
    const issues = await queryRows<{ check_name: string; record_key: string; severity: string; detail: string }>(
      url, "select check_name, record_key, severity, detail from dq.seller_event_issues where check_name <> 'load_checked' order by record_key, check_name",
    );
    const unusualLine = file1.length + 1;
    expect(issues.map(({ check_name, record_key }) => `${record_key}: ${check_name}`).sort()).toEqual([
      "load 1 line 8: duplicate_event",
      "load 1 line 9: sign_contradiction",
      "load 1 line 10: amount_mismatch",
      "load 1 line 11: sign_contradiction",
      `load 1 line ${unusualLine}: unusual_amount`,
      "load 2 line 3: duplicate_event",
      "load 2 line 4: conflicting_duplicate",
    ].sort());
    const conflict = issues.find((i) => i.check_name === "conflicting_duplicate")!;
    expect(conflict.severity).toBe("error");
    expect(conflict.detail).toMatch(/load 2 line 4 differs from load 1 line 7, which is kept \(the earliest\): amount 1100\.00 vs 1000\.00/);
    expect(issues.find((i) => i.record_key === "load 1 line 9")!.detail).toMatch(/PAYOUT is money out, but direction says in and signed_amount is 300\.00; counted as -300\.00/);
    // The same findings reach dq.issues, with the contract's own: missing values and the unknown type, once each.
    const all = await queryRows<{ check_name: string; record_key: string; detail: string }>(
      url, "select check_name, record_key, detail from dq.issues where check_name <> 'load_checked' order by record_key, check_name",
    );
    expect(all.filter((i) => ["missing_required_value", "unknown_code"].includes(i.check_name))).toEqual([
      { check_name: "missing_required_value", record_key: "load 1 line 13", detail: "empty: seller_id" },
      { check_name: "missing_required_value", record_key: "load 1 line 14", detail: "empty: amount" },
      { check_name: "missing_required_value", record_key: "load 1 line 15", detail: "empty: event_ts" },
      { check_name: "unknown_code", record_key: "load 1 line 16", detail: "event_type 'chargeback' not in the contract's allowed values" },
    ]);
    expect(all.filter((i) => !["missing_required_value", "unknown_code"].includes(i.check_name)).map((i) => `${i.record_key}: ${i.check_name}`).sort())
      .toEqual(issues.map((i) => `${i.record_key}: ${i.check_name}`).sort());
    const checked = await queryRows<{ load_id: string }>(url, "select load_id from dq.issues where check_name = 'load_checked' order by load_id");
    expect(checked.map((c) => c.load_id)).toEqual(["1", "2", "3"]);
  });

  it("a second dataform run changes nothing", async () => {
    const before = await snapshot(url);
    await runModels(url);
    expect(await snapshot(url)).toEqual(before);
  });

  it("a late event corrects its seller from its day on, and only that; copies in a later load are findings", async () => {
    const factBefore = await queryRows<{ key: string; xmin: string }>(url, "select seller_id || '|' || currency || '|' || day as key, xmin::text as xmin from dw.fct_seller_balance_daily");
    const extract = await runCli(["extract", "events", "--timezone", ZONE, files.file3], { WAREHOUSE_URL: url });
    expect(extract.code).toBe(0);
    await runModels(url);

    const expected = expectedBalances(
      keptEvents([...loadsSoFar(), { file: files.file3, load: 4, offsetMinutes: ZONE_OFFSET_MINUTES }]),
      latestOpening([files.opening]),
    );
    expect(expected.at(-1)!.day).toBe("2025-07-07");
    expect(await martRows(url)).toEqual(expected);

    // Rows of other sellers and of A1 before 3 July were not rewritten (same row version); A2 only got its new day.
    const after = new Map((await queryRows<{ key: string; xmin: string }>(url, "select seller_id || '|' || currency || '|' || day as key, xmin::text as xmin from dw.fct_seller_balance_daily")).map((r) => [r.key, r.xmin]));
    const rewritten = factBefore.filter((r) => after.get(r.key) !== r.xmin).map((r) => r.key).sort();
    const a1FromThird = factBefore.map((r) => r.key).filter((k) => k.startsWith("A1|RUB|") && k.slice(7) >= "2025-07-03").sort();
    expect(rewritten).toEqual(a1FromThird);

    const issues = await queryRows<{ check_name: string; record_key: string }>(url, "select check_name, record_key from dq.seller_event_issues where load_id = 4 and check_name <> 'load_checked' order by record_key");
    expect(issues).toEqual([
      { check_name: "duplicate_event", record_key: "load 4 line 4" },
      { check_name: "conflicting_duplicate", record_key: "load 4 line 5" },
    ]);
  });
  it("after the late event, a --full-refresh rebuilds exactly what the incremental runs left", async () => {
    // Everything but row versions: the balances, the sellers, the kept events.
    const state = async () => ({
      fact: await martRows(url, "dw.fct_seller_balance_daily"),
      sellers: await queryRows(url, "select * from dw.dim_seller order by seller_id"),
      events: await queryRows(url, "select * from canonical.seller_ledger_event order by event_id"),
    });
    const incremental = await state();
    // The late event (A1, 3 July) sits in the middle of the period: days before and after it exist.
    expect(incremental.fact.some((r) => r.seller_id === "A1" && r.day < "2025-07-03")).toBe(true);
    expect(incremental.fact.some((r) => r.seller_id === "A1" && r.day > "2025-07-03")).toBe(true);
    await runModels(url, ["--full-refresh"]);
    expect(await state()).toEqual(incremental);
  }, 600_000);
});

// ── Generated files: the demo's generator, every quirk, both layouts ──────────────────────────

describe("seller events from the sample generator", () => {
  let url: string;
  let sample: SellerEventSample;

  beforeAll(async () => {
    url = await freshDatabase("events_sample");
    const dir = mkdtempSync(path.join(tmpdir(), "events-sample-"));
    sample = await writeSellerEventSample(dir, { sellers: 6, days: 10, daysPerFile: 5, seed: 7, timezone: ZONE });
    const extract = await runCli(["extract", "events", "--timezone", ZONE, ...sample.eventFiles], { WAREHOUSE_URL: url });
    expect(extract.code).toBe(0);
    expect((await runCli(["extract", "events-opening-balances", sample.openingBalanceFile], { WAREHOUSE_URL: url })).code).toBe(0);
    await runModels(url);
  });

  it("writes both layouts and every quirk", () => {
    const [first, second] = sample.eventFiles.map((f) => readFileSync(f, "utf8"));
    expect(first.split("\n")[0]).toBe(MARKETPLACE);
    expect(second.split("\n")[0]).toBe(GENERATOR);
    expect(first).toMatch(/,order_paid,/);
    expect(first).toMatch(/,fee_commission,/);
    expect(second).toMatch(/,order,/);
    expect(second).toMatch(/,fee,/);
    expect(second).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/m);
    expect(first).toMatch(/^\d{8}-S\d{3}-\d{6},/m);
    for (const [quirk, count] of Object.entries(sample.planted)) expect(count, quirk).toBeGreaterThan(0);
    expect(sample.formats.offset).toBeGreaterThan(0);
    expect(sample.formats.space).toBeGreaterThan(0);
    expect(sample.formats.oneDecimal).toBeGreaterThan(0);
    expect(`${first}${second}`).toMatch(/,USD,/);
    expect(`${first}${second}`).toMatch(/,RUB,/);
  });

  it("balances equal what the test computes from the generated files", async () => {
    const kept = keptEvents(sample.eventFiles.map((file, i) => ({ file, load: i + 1, offsetMinutes: ZONE_OFFSET_MINUTES })));
    const expected = expectedBalances(kept, latestOpening([sample.openingBalanceFile]));
    expect(expected.length).toBeGreaterThan(50);
    expect(await martRows(url)).toEqual(expected);
  });

  it("finds each planted quirk exactly", async () => {
    const all = await queryRows<{ check_name: string; n: string }>(url, "select check_name, count(*) as n from dq.seller_event_issues group by 1");
    const counts = Object.fromEntries(all.map((r) => [r.check_name, Number(r.n)]));
    const p = sample.planted;
    expect(counts).toEqual({
      duplicate_event: p.duplicate_same_file + p.duplicate_other_file,
      conflicting_duplicate: p.conflicting_duplicate,
      sign_contradiction: p.sign_contradiction,
      amount_mismatch: p.amount_mismatch,
      unusual_amount: p.unusual_amount,
      load_checked: sample.eventFiles.length + 1,
    });
    const contractFindings = await queryRows<{ check_name: string; n: string }>(
      url, "select check_name, count(*) as n from dq.issues where table_name = 'staging.stg_events__seller_event' and check_name in ('missing_required_value', 'unknown_code', 'unparseable_timestamp', 'unparseable_amount') group by 1",
    );
    expect(Object.fromEntries(contractFindings.map((r) => [r.check_name, Number(r.n)]))).toEqual({
      missing_required_value: p.missing_seller + p.missing_amount + p.missing_timestamp,
      unknown_code: p.unknown_type,
    });
  });
});
