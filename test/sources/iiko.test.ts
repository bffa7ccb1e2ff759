/**
 * iiko end to end against the iiko sandbox on 127.0.0.1: `salesdw extract iiko` as a user runs
 * it (a child process), then `dataform run`, then the marts compared with figures this file
 * computes from the orders the sandbox generated. The sandbox counts logins, logouts, open
 * seats, report requests per day and any request that overlapped another one on a server.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataform } from "../../extract/dataform.ts";
import { SANDBOX_SERVERS, type SandboxOrder } from "../../extract/sandbox/iiko/data.ts";
import { startIikoSandbox, type IikoSandbox, type IikoSandboxOptions } from "../../extract/sandbox/iiko/server.ts";
import { localYesterday, addDays } from "../../extract/sources/iiko/days.ts";
import { cliPath, freshDatabase, queryRows, runCli, withClient, type CliResult } from "../support/warehouse.ts";

const sandboxes: IikoSandbox[] = [];
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

async function sandbox(options: IikoSandboxOptions = {}): Promise<IikoSandbox> {
  const started = await startIikoSandbox({ servers: 2, seats: 1, ...options });
  sandboxes.push(started);
  return started;
}

function extract(box: IikoSandbox, url: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(["extract", "iiko", ...args], { ...box.env(), WAREHOUSE_URL: url, IIKO_RETRY_BACKOFF_MS: "10", ...env });
}

/** Every session the server handed out was ended by a logout, none is open, and no request overlapped another. */
function expectSeatsReleased(box: IikoSandbox, servers = box.servers.map((s) => s.name)) {
  for (const name of servers) {
    const stats = box.stats(name);
    expect(stats.openSessions, `${name}: open sessions`).toBe(0);
    expect(
      stats.sessions.filter((s) => s.end !== "logout" && s.end !== "revoked"),
      `${name}: sessions not logged out`,
    ).toEqual([]);
  }
  expect(box.violations()).toEqual([]);
}

interface LoadRow {
  load_id: string;
  file_name: string;
  status: string;
  rows_loaded: string;
  message: string | null;
  details: Record<string, unknown>;
}

const loads = (url: string) => queryRows<LoadRow>(url, "select load_id, file_name, status, rows_loaded, message, details from raw._loads where source = 'iiko' order by load_id");

// ---- the figures the marts must show, computed here from the sandbox's own orders ----

const NO_DEPARTMENT = "(no department)";

/** A decimal text as an integer of 1/10^scale units (exact; no floating point). */
function units(text: string | number | null, scale: number): bigint {
  if (text === null) return 0n;
  const [whole, fraction = ""] = String(text).split(".");
  const negative = whole.startsWith("-");
  const digits = BigInt(whole.replace("-", "") + fraction.padEnd(scale, "0").slice(0, scale));
  return negative ? -digits : digits;
}

interface Figures {
  revenue: bigint; // hundredths
  gross: bigint;
  quantity: bigint; // thousandths
  orders: Set<string>;
  guests: number;
  returns: Set<string>; // storno receipts
  returnsRevenue: bigint;
}

const emptyFigures = (): Figures => ({ revenue: 0n, gross: 0n, quantity: 0n, orders: new Set(), guests: 0, returns: new Set(), returnsRevenue: 0n });

/**
 * The documented rule: deleted orders are out; a storno (return) receipt subtracts its absolute
 * amounts and quantity; orders and guests count non-storno orders only.
 */
function expectedFigures(box: IikoSandbox, server: string, days: string[]) {
  const daily = new Map<string, Figures>();
  const hourly = new Map<string, Figures>();
  for (const day of days) {
    for (const order of box.orders(server, day).filter((o) => o.deleted === "NOT_DELETED")) {
      const department = order.department ?? NO_DEPARTMENT;
      for (const [map, key] of [
        [daily, `${server}|${department}|${day}`],
        [hourly, `${server}|${department}|${day}|${order.closeHour}`],
      ] as const) {
        const figures = map.get(key) ?? emptyFigures();
        add(figures, order);
        map.set(key, figures);
      }
    }
  }
  zeroFillHours(box, server, days, hourly);
  return { daily, hourly };
}

/** Days between two yyyy-mm-dd days (b - a). */
const dayDiff = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** Hours since the business day's midnight on the local clock: the close hour plus 24 per day the order closed after (or before) it. */
const clockHour = (order: SandboxOrder) => dayDiff(order.businessDay, order.closeTime.slice(0, 10)) * 24 + order.closeHour;

/**
 * The documented zero-fill: every hour from a department's first to its last close of the
 * business day (on the clock from the day's midnight, storno receipts included; at most 24
 * hours) has a row, zeros when nothing closed in it.
 */
function zeroFillHours(box: IikoSandbox, server: string, days: string[], hourly: Map<string, Figures>) {
  for (const day of days) {
    const spans = new Map<string, number[]>();
    for (const order of box.orders(server, day).filter((o) => o.deleted === "NOT_DELETED")) {
      const department = order.department ?? NO_DEPARTMENT;
      spans.set(department, [...(spans.get(department) ?? []), clockHour(order)]);
    }
    for (const [department, hours] of spans) {
      const first = Math.min(...hours);
      const last = Math.min(Math.max(...hours), first + 23);
      for (let h = first; h <= last; h++) {
        const key = `${server}|${department}|${day}|${((h % 24) + 24) % 24}`;
        if (!hourly.has(key)) hourly.set(key, emptyFigures());
      }
    }
  }
}

/**
 * A local wall-clock time ("2025-03-18T12:05:24.61", no offset) in an IANA zone as the UTC instant
 * it names, ISO with milliseconds: the zone's offset read from Intl at that moment (twice, so a
 * time near an offset change settles on the offset in force then).
 */
function localToUtc(local: string, timezone: string): string {
  const [clock, fraction = ""] = local.split(".");
  const wall = Date.parse(`${clock}.${fraction.padEnd(3, "0").slice(0, 3)}Z`);
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  const offsetAt = (instant: number) => {
    const part = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
    const seconds = instant - (((instant % 1000) + 1000) % 1000);
    return Date.UTC(+part.year, +part.month - 1, +part.day, +part.hour, +part.minute, +part.second) - seconds;
  };
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first)).toISOString().slice(0, 23);
}

function add(figures: Figures, order: SandboxOrder) {
  const sign = (value: number) => BigInt(order.storned ? -Math.abs(value) : value);
  for (const dish of order.dishes) {
    figures.revenue += sign(dish.discountedCents);
    figures.gross += sign(dish.sumCents);
    figures.quantity += sign(dish.amountMilli);
  }
  if (!order.storned) {
    figures.orders.add(order.id);
    figures.guests += order.guests;
  } else {
    figures.returns.add(order.id);
    for (const dish of order.dishes) figures.returnsRevenue -= BigInt(Math.abs(dish.discountedCents));
  }
}

function asRows(map: Map<string, Figures>) {
  return [...map.entries()]
    .map(([key, f]) => ({ key, revenue: f.revenue, gross: f.gross, discount: f.gross - f.revenue, quantity: f.quantity, orders: f.orders.size, guests: f.guests, returns: f.returns.size, returnsAmount: f.returnsRevenue }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

async function martDaily(url: string) {
  const rows = await queryRows<Record<string, string>>(url, "select *, business_day::text as business_day from mart.sales_summary_daily");
  return rows
    .map((r) => ({
      key: `${r.source_server}|${r.department}|${r.business_day}`,
      currency: r.currency,
      revenue: units(r.revenue, 2),
      gross: units(r.gross_amount, 2),
      discount: units(r.discount_amount, 2),
      quantity: units(r.quantity, 3),
      orders: Number(r.orders),
      guests: Number(r.guests),
      returns: Number(r.returns),
      returnsAmount: units(r.returns_amount, 2),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

async function martHourly(url: string) {
  const rows = await queryRows<Record<string, string>>(url, "select *, business_day::text as business_day from mart.sales_by_hour");
  return rows
    .map((r) => ({ key: `${r.source_server}|${r.department}|${r.business_day}|${r.hour}`, revenue: units(r.revenue, 2), quantity: units(r.quantity, 3), orders: Number(r.orders) }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** withoutCurrency: "server|day" of days whose raw rows the test stripped of their currency. */
async function expectMartsMatch(url: string, box: IikoSandbox, loadedDays: Record<string, string[]>, withoutCurrency: string[] = []) {
  const expectedDaily = Object.entries(loadedDays).flatMap(([server, days]) => asRows(expectedFigures(box, server, days).daily));
  const expectedHourly = Object.entries(loadedDays).flatMap(([server, days]) => asRows(expectedFigures(box, server, days).hourly));
  const currency = Object.fromEntries(box.servers.map((s) => [s.name, s.currency]));
  expect(await martDaily(url)).toEqual(
    expectedDaily.sort((a, b) => a.key.localeCompare(b.key)).map(({ key, revenue, gross, discount, quantity, orders, guests, returns, returnsAmount }) => ({
      key, currency: withoutCurrency.includes(`${key.split("|")[0]}|${key.split("|")[2]}`) ? null : currency[key.split("|")[0]], revenue, gross, discount, quantity, orders, guests, returns, returnsAmount,
    })),
  );
  expect(await martHourly(url)).toEqual(
    expectedHourly.sort((a, b) => a.key.localeCompare(b.key)).map(({ key, revenue, quantity, orders }) => ({ key, revenue, quantity, orders })),
  );
  expect(await canonicalLines(url)).toEqual(expectedLines(box, loadedDays, withoutCurrency));
}

/**
 * canonical.sales_line as this file expects it: one line per served order that is not deleted
 * (its report row), a storno receipt a RETURN with negative quantity and amounts, dated on its
 * business day, the department as branch and the server as region.
 */
function expectedLines(box: IikoSandbox, loadedDays: Record<string, string[]>, withoutCurrency: string[] = []) {
  const currency = Object.fromEntries(box.servers.map((s) => [s.name, s.currency]));
  const timezone = Object.fromEntries(box.servers.map((s) => [s.name, s.timezone]));
  return Object.entries(loadedDays)
    .flatMap(([server, days]) => days.flatMap((day) => box.orders(server, day)).filter((o) => o.deleted === "NOT_DELETED").map((order) => {
      const figures = emptyFigures();
      add(figures, order);
      return {
        key: `${order.id}|${order.storned ? "RETURN" : "SALE"}`,
        event_date: order.businessDay, event_at: localToUtc(order.closeTime, timezone[server]),
        branch: order.department ?? NO_DEPARTMENT, region: server, currency: withoutCurrency.includes(`${server}|${order.businessDay}`) ? null : currency[server],
        net: figures.revenue, gross: figures.gross, discount: figures.gross - figures.revenue, quantity: figures.quantity,
      };
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

async function canonicalLines(url: string) {
  const rows = await queryRows<Record<string, string>>(
    url,
    `select document_id, event_type, event_date::text as event_date, to_char(event_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') as event_at,
       branch, region, currency, net_amount, gross_amount, discount_amount, quantity
     from canonical.sales_line where source_system = 'iiko'`,
  );
  // The line fact holds the same lines: a retired line left it too.
  const facts = await queryRows<{ n: string }>(
    url,
    `select count(*) as n from dw.fct_sales_line f full join (select * from canonical.sales_line where source_system = 'iiko') c using (sales_line_key)
     where (f.source_system = 'iiko' or c.sales_line_key is not null) and (f.sales_line_key is null or c.sales_line_key is null or f.net_amount <> c.net_amount)`,
  );
  expect(facts[0].n).toBe("0");
  return rows
    .map((r) => ({
      key: `${r.document_id}|${r.event_type}`, event_date: r.event_date, event_at: r.event_at, branch: r.branch, region: r.region, currency: r.currency,
      net: units(r.net_amount, 2), gross: units(r.gross_amount, 2), discount: units(r.discount_amount, 2), quantity: units(r.quantity, 3),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

interface IssueRow {
  check_name: string;
  record_key: string;
}

/**
 * The iiko findings dq.issues must hold, worked out here from the served orders by the rules
 * documented in definitions/dq/iiko_checks.sqlx: orders closed before their business day; days
 * with orders without a department; a department with no sales on a read day after sales on at
 * least 5 of the 7 days before.
 */
function expectedIikoIssues(box: IikoSandbox, readDays: Record<string, string[]>): IssueRow[] {
  const issues: IssueRow[] = [];
  for (const [server, days] of Object.entries(readDays)) {
    const selling = new Set<string>();
    for (const day of days) {
      const orders = box.orders(server, day).filter((o) => o.deleted === "NOT_DELETED");
      for (const o of orders) {
        if (o.closeTime.slice(0, 10) < o.businessDay) issues.push({ check_name: "iiko_order_closed_before_business_day", record_key: `${server} ${day} order ${o.id}` });
        if (!o.storned) selling.add(`${o.department ?? NO_DEPARTMENT}|${day}`);
      }
      if (orders.some((o) => o.department === null)) issues.push({ check_name: "iiko_unknown_department", record_key: `${server} ${day}` });
    }
    const departments = new Set([...selling].map((k) => k.split("|")[0]));
    for (const day of days) {
      for (const department of departments) {
        if (selling.has(`${department}|${day}`)) continue;
        const before = Array.from({ length: 7 }, (_, i) => addDays(day, -(i + 1))).filter((d) => selling.has(`${department}|${d}`)).length;
        if (before >= 5) issues.push({ check_name: "iiko_department_day_without_sales", record_key: `${server} ${day} ${department}` });
      }
    }
  }
  return sortIssues(issues);
}

const sortIssues = (issues: IssueRow[]) => [...issues].sort((a, b) => `${a.check_name} ${a.record_key}`.localeCompare(`${b.check_name} ${b.record_key}`));

const iikoIssues = async (url: string) =>
  sortIssues(await queryRows<IssueRow>(url, "select check_name, record_key from dq.issues where check_name like 'iiko\\_%'"));

async function runModels(url: string) {
  const run = await dataform("run", url);
  expect(run.failedActions, run.output).toEqual([]);
  expect(run.assertionsFailed, run.output).toEqual([]);
  expect(run.code).toBe(0);
  return run;
}

// ---------------------------------------------------------------------------------------------

describe("the iiko sandbox", () => {
  it("says it is a sandbox and catches a client that does not wait for its previous request", async () => {
    const box = await sandbox({ faults: [{ kind: "slow" }], slowMs: 1500 });
    const [server] = box.servers;
    const root = await fetch(server.url);
    expect(await root.text()).toMatch(/SANDBOX/);
    expect(root.headers.get("x-sandbox")).toMatch(/not a real iikoServer/);
    const pass = createHash("sha1").update(server.password).digest("hex");
    const key = await (await fetch(`${server.url}/resto/api/auth?login=${server.login}&pass=${pass}`)).text();
    const report = fetch(`${server.url}/resto/api/v2/reports/olap?key=${key}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reportType: "SALES", buildSummary: false, groupByRowFields: ["Department"], aggregateFields: ["DishSumInt"], filters: { "OpenDate.Typed": { filterType: "DateRange", periodType: "CUSTOM", from: "2025-03-18", to: "2025-03-19" } } }),
    });
    await new Promise((resolve) => box.events.once("report", resolve));
    const overlapping = await fetch(`${server.url}/resto/api/v2/reports/olap/columns?reportType=SALES&key=${key}`);
    expect(overlapping.status).toBe(409);
    expect((await report).status).toBe(200);
    expect(box.violations()).toHaveLength(1);
    await fetch(`${server.url}/resto/api/logout?key=${key}`);
  });
  it("refuses what iikoServer refuses, with a 409 text meant for a person", async () => {
    const box = await sandbox({ seats: 2 });
    const [server] = box.servers;
    const pass = createHash("sha1").update(server.password).digest("hex");
    const tokens = [];
    for (let i = 0; i < 2; i++) tokens.push(await (await fetch(`${server.url}/resto/api/auth?login=${server.login}&pass=${pass}`)).text());
    expect(tokens[1]).toMatch(/^<string>[0-9a-f-]{36}<\/string>$/); // some versions wrap the token
    const key = tokens[0];
    const day = { filterType: "DateRange", periodType: "CUSTOM", from: "2025-03-18", to: "2025-03-19", includeLow: true, includeHigh: false };
    const base = { reportType: "SALES", buildSummary: false, groupByRowFields: ["UniqOrderId.Id", "OrderDeleted"], aggregateFields: ["DishSumInt"], filters: { "OpenDate.Typed": day } };
    const report = async (body: unknown) => {
      const response = await fetch(`${server.url}/resto/api/v2/reports/olap?key=${key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return { status: response.status, text: await response.text() };
    };
    const refused = [
      { ...base, filters: { "OpenDate.Typed": { ...day, to: day.from } } },
      { ...base, filters: { "OpenDate.Typed": { ...day, from: "2025-03-18T00:00:00.000" } } },
      { ...base, groupByRowFields: ["Department", "NoSuchField"] },
      { ...base, groupByRowFields: ["Department", "Department.Id", "OpenDate.Typed", "UniqOrderId.Id", "OrderNum", "CloseTime", "HourClose", "Storned"] },
      { ...base, filters: {} },
    ];
    const answers = [];
    for (const body of refused) answers.push(await report(body)); // one at a time, as iiko wants
    expect(answers.map((a) => a.status)).toEqual([409, 409, 409, 409, 409]);
    expect(answers.map((a) => a.text)).toEqual([
      expect.stringMatching(/date range of "OpenDate.Typed" is empty/),
      expect.stringMatching(/type DATE: its filter takes a date without a time part/),
      expect.stringMatching(/Unknown OLAP field "NoSuchField"/),
      expect.stringMatching(/at most 7 fields/),
      expect.stringMatching(/date filter is required/),
    ]);
    // includeHigh makes a one-day range of from == to valid; NOT_DELETED leaves deleted orders out.
    const all = JSON.parse((await report({ ...base, filters: { "OpenDate.Typed": { ...day, to: day.from, includeHigh: true } } })).text);
    const kept = JSON.parse((await report({ ...base, filters: { "OpenDate.Typed": day, OrderDeleted: { filterType: "IncludeValues", values: ["NOT_DELETED"] } } })).text);
    const orders = box.orders(server.name, "2025-03-18");
    expect(all.data).toHaveLength(orders.length);
    expect(kept.data.map((r: Record<string, string>) => r["UniqOrderId.Id"]).sort()).toEqual(orders.filter((o) => o.deleted === "NOT_DELETED").map((o) => o.id).sort());
    expect(orders.some((o) => o.deleted === "DELETED")).toBe(true);
    for (const token of tokens) await fetch(`${server.url}/resto/api/logout?key=${token.replace(/<\/?string>/g, "")}`);
    expect(box.stats(server.name).openSessions).toBe(0);
    expect(box.violations()).toEqual([]);
  });
});

describe("salesdw extract iiko", () => {
  let url: string;
  let box: IikoSandbox;
  let first: CliResult;
  const DAYS = ["2025-03-17", "2025-03-18", "2025-03-19", "2025-03-20"];
  const POISONED = "2025-03-19";
  const CLOSED = "2025-03-20";

  beforeAll(async () => {
    url = await freshDatabase("iiko");
    box = await sandbox({
      closedDays: [CLOSED],
      faults: [
        { kind: "409", server: "tehran", day: POISONED },
        { kind: "5xx", server: "dubai", day: "2025-03-18" },
        { kind: "html", server: "dubai", day: "2025-03-17" },
      ],
    });
    first = await extract(box, url, ["--from", DAYS[0], "--to", DAYS.at(-1)!]);
  });

  it("loads every server and day, one login per server, logged out, requests one at a time", async () => {
    expect(first.stdout).toMatch(/iiko:tehran:2025-03-17: loaded \d+ rows/);
    expect(first.stdout).toMatch(/iiko:dubai:2025-03-19: loaded \d+ rows/);
    for (const name of ["tehran", "dubai"]) {
      const stats = box.stats(name);
      expect(stats.logins).toBe(1);
      expect(stats.logouts).toBe(1);
      expect(stats.withoutBuildSummary).toBe(0);
      // One report request per day, plus one retry for each transient fault; none for the refused day.
      expect(stats.reports.map((r) => r.day).sort()).toEqual(name === "dubai" ? [...DAYS, "2025-03-17", "2025-03-18"].sort() : DAYS);
    }
    expectSeatsReleased(box);
  });

  it("retries 5xx answers and HTML pages, then loads the day", async () => {
    expect(box.faultsServed().filter((f) => f.server === "dubai").map((f) => [f.kind, f.served])).toEqual([["5xx", 1], ["html", 1]]);
    expect(first.stderr).toMatch(/HTTP 500.*retrying/);
    expect(first.stderr).toMatch(/HTML page.*retrying/);
    const dubai = (await loads(url)).filter((l) => l.details.server === "dubai");
    expect(dubai.map((l) => [l.details.business_day, l.status])).toEqual(DAYS.map((d) => [d, "loaded"]));
  });

  it("records a refused day as failed with the server's text, loads the other days, exits non-zero naming server and day", async () => {
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`iiko:tehran:${POISONED}: the server refused the report for business day ${POISONED} (HTTP 409): Cannot build the report: the cash shift of ${POISONED}`);
    expect(first.stderr).toMatch(new RegExp(`not loaded: tehran ${POISONED}\\.`));
    const tehran = (await loads(url)).filter((l) => l.details.server === "tehran");
    expect(tehran.map((l) => [l.details.business_day, l.status])).toEqual(DAYS.map((d) => [d, d === POISONED ? "failed" : "loaded"]));
    const failed = tehran.find((l) => l.status === "failed")!;
    expect(failed.message).toContain("Cannot build the report: the cash shift");
    expect(failed.details).toMatchObject({ http_status: 409, business_day: POISONED, server: "tehran" });
    expect(failed.rows_loaded).toBe("0");
  });

  it("tells a day without sales (a load of zero rows) from a failed day (no load at all)", async () => {
    const closed = (await loads(url)).filter((l) => l.details.business_day === CLOSED);
    expect(closed.map((l) => [l.details.server, l.status, l.rows_loaded])).toEqual([["tehran", "loaded", "0"], ["dubai", "loaded", "0"]]);
    expect(first.stdout).toContain(`No sales on ${CLOSED}.`);
    const poisoned = (await loads(url)).filter((l) => l.details.business_day === POISONED && l.details.server === "tehran");
    expect(poisoned.map((l) => l.status)).toEqual(["failed"]);
  });

  it("lands each row with its server, time zone and currency, business day as the server gave it", async () => {
    const rows = await queryRows<Record<string, string>>(
      url,
      "select source_server, server_timezone, currency, business_day, count(*) as n from raw.iiko__olap_sales group by 1, 2, 3, 4 order by 1 desc, 4",
    );
    const count = (server: string, day: string) =>
      // Rows at order grain: one per non-deleted order (iiko groups by the order's fields).
      String(box.orders(server, day).filter((o) => o.deleted === "NOT_DELETED").length);
    expect(rows).toEqual([
      ...["2025-03-17", "2025-03-18"].map((day) => ({ source_server: "tehran", server_timezone: "Asia/Tehran", currency: "IRR", business_day: day, n: count("tehran", day) })),
      ...["2025-03-17", "2025-03-18", "2025-03-19"].map((day) => ({ source_server: "dubai", server_timezone: "Asia/Dubai", currency: "AED", business_day: day, n: count("dubai", day) })),
    ]);
  });

  it("running again changes nothing for unchanged days and asks for the refused day again", async () => {
    const before = await loads(url);
    const again = await extract(box, url, ["--from", DAYS[0], "--to", DAYS.at(-1)!]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("0 loaded, 7 already loaded, 1 failed.");
    const after = await loads(url);
    expect(after.filter((l) => l.status === "loaded")).toEqual(before.filter((l) => l.status === "loaded"));
    expectSeatsReleased(box);
  });

  it("builds the marts: daily and hourly figures equal those computed from the sandbox's orders", { timeout: 900_000 }, async () => {
    await runModels(url);
    await expectMartsMatch(url, box, { tehran: ["2025-03-17", "2025-03-18"], dubai: ["2025-03-17", "2025-03-18", "2025-03-19"] });
    // The refused day is a failed day in the models and in dq.issues; the closed day is a day without sales.
    const days = await queryRows<Record<string, string | null>>(
      url,
      "select source_server, business_day::text as day, current_load_id, current_rows, last_attempt_status from canonical.int_iiko__business_day where business_day in ($1, $2) order by 1, 2",
      [POISONED, CLOSED],
    );
    expect(days.map((d) => [d.source_server, d.day, d.current_load_id === null ? "no load" : "load", d.current_rows, d.last_attempt_status])).toEqual([
      ["dubai", POISONED, "load", String(box.orders("dubai", POISONED).filter((o) => o.deleted === "NOT_DELETED").length), "loaded"],
      ["dubai", CLOSED, "load", "0", "loaded"],
      ["tehran", POISONED, "no load", null, "failed"],
      ["tehran", CLOSED, "load", "0", "loaded"],
    ]);
    // One finding per failed attempt, each with the server's text.
    const attempts = (await loads(url)).filter((l) => l.status === "failed").length;
    expect(attempts).toBeGreaterThan(0);
    const issues = await queryRows<{ detail: string }>(url, "select detail from dq.issues where check_name = 'failed_load'");
    const refused = expect.stringContaining(`iiko:tehran:${POISONED}: the server refused the report for business day ${POISONED} (HTTP 409): Cannot build the report`);
    expect(issues.map((i) => i.detail)).toEqual(Array(attempts).fill(refused));
  });

  it("fills the hours between a department's first and last close with zeros, across midnight", async () => {
    // expectMartsMatch (above) compared every row; here: the fill is really exercised by these days.
    const filled = await queryRows<{ n: string; wrapped: string }>(
      url,
      `select count(*) filter (where orders = 0 and revenue = 0 and quantity = 0) as n,
         count(*) filter (where hour < 3 and orders = 0) as wrapped
       from mart.sales_by_hour`,
    );
    expect(Number(filled[0].n)).toBeGreaterThan(0);
    expect(Number(filled[0].wrapped)).toBeGreaterThan(0);
    // No department-day has a gap between its first and last hour (walked in clock order from the first hour).
    const gaps = await queryRows(
      url,
      `select source_server, department, business_day from mart.sales_by_hour
       group by 1, 2, 3 having count(*) <> count(distinct hour) or count(*) > 24`,
    );
    expect(gaps).toEqual([]);
  });

  it("iiko orders are in canonical.sales_line and mart.data_freshness; every iiko day attempt is in mart.load_runs", async () => {
    // canonical.sales_line was compared line by line with the served orders by expectMartsMatch; the freshness mart counts them.
    const lines = expectedLines(box, { tehran: ["2025-03-17", "2025-03-18"], dubai: ["2025-03-17", "2025-03-18", "2025-03-19"] });
    expect(lines.some((l) => l.key.endsWith("|RETURN") && l.net < 0n && l.quantity < 0n)).toBe(true);
    const freshness = await queryRows<Record<string, string>>(url, "select last_event_date::text as last_event_date, canonical_lines, failed_loads from mart.data_freshness where source_system = 'iiko'");
    const failedAttempts = (await loads(url)).filter((l) => l.status === "failed").length;
    expect(freshness).toEqual([{ last_event_date: "2025-03-19", canonical_lines: String(lines.length), failed_loads: String(failedAttempts) }]);
    const runs = await queryRows<Record<string, string | null>>(url, "select entity, file_name, status, rows_loaded::text as rows_loaded, message from mart.load_runs where source_system = 'iiko' order by load_id");
    const attempts = (await loads(url)).map((l) => ({ entity: "olap_sales", file_name: `iiko:${l.details.server}:${l.details.business_day}`, status: l.status, rows_loaded: l.rows_loaded, message: l.message }));
    expect(runs).toEqual(attempts);
    expect(runs.filter((r) => r.status === "failed")).toEqual(
      Array(failedAttempts).fill(expect.objectContaining({ file_name: `iiko:tehran:${POISONED}`, message: expect.stringContaining("Cannot build the report") })),
    );
    expect(runs.filter((r) => r.file_name!.endsWith(CLOSED)).map((r) => [r.status, r.rows_loaded])).toEqual([["loaded", "0"], ["loaded", "0"]]);
  });

  it("the iiko data-quality checks stay quiet where nothing is wrong", async () => {
    const expected = expectedIikoIssues(box, { tehran: ["2025-03-17", "2025-03-18", CLOSED], dubai: DAYS });
    // No order closes before its business day and no department has a usual week behind it here: only missing departments may show.
    expect(expected.filter((i) => i.check_name !== "iiko_unknown_department")).toEqual([]);
    expect(await iikoIssues(url)).toEqual(expected);
  });

  it("keeps an order closed after midnight (or days later) on its business day, and two servers apart", async () => {
    const late = ["2025-03-17", "2025-03-18"]
      .flatMap((day) => box.orders("tehran", day))
      .filter((o) => o.deleted === "NOT_DELETED" && o.closeTime.slice(0, 10) > o.businessDay);
    expect(late.length).toBeGreaterThan(0);
    const rows = await queryRows<{ order_id: string; business_day: string; local_close: string; close_hour: number }>(
      url,
      `select order_id, business_day::text, to_char(close_time at time zone server_timezone, 'YYYY-MM-DD"T"HH24:MI:SS.MS') as local_close, close_hour
       from canonical.int_iiko__order where order_id = any($1) order by order_id`,
      [late.map((o) => o.id)],
    );
    expect(rows).toEqual(
      late
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((o) => ({ order_id: o.id, business_day: o.businessDay, local_close: `${o.closeTime.slice(0, 19)}.${(o.closeTime.split(".")[1] ?? "").padEnd(3, "0")}`, close_hour: o.closeHour })),
    );
    // In canonical.sales_line the same orders keep their business day as event_date and their close, in Tehran's zone, as event_at.
    const lines = await queryRows<{ document_id: string; event_date: string; local_close: string }>(
      url,
      `select document_id, event_date::text, to_char(event_at at time zone 'Asia/Tehran', 'YYYY-MM-DD"T"HH24:MI:SS') as local_close
       from canonical.sales_line where source_system = 'iiko' and document_id = any($1) order by document_id`,
      [late.map((o) => o.id)],
    );
    expect(lines).toEqual(late.map((o) => ({ document_id: o.id, event_date: o.businessDay, local_close: o.closeTime.slice(0, 19) })));
    expect(lines.every((l) => l.local_close.slice(0, 10) > l.event_date)).toBe(true);
    const halls = await queryRows<{ source_server: string }>(url, "select distinct source_server from mart.sales_summary_daily where department = 'Main hall' order by 1");
    expect(halls.map((h) => h.source_server)).toEqual(["dubai", "tehran"]);
  });

  it("a re-read day replaces the earlier load: late changes arrive, nothing is counted twice", { timeout: 900_000 }, async () => {
    const day = "2025-03-18";
    const before = asRows(expectedFigures(box, "tehran", [day]).daily);
    box.setRevision("tehran", day, 1); // an order deleted, one closed two days later, one more return
    expect(asRows(expectedFigures(box, "tehran", [day]).daily)).not.toEqual(before);
    box.clearFaults(); // and the refused day can be read now
    const reread = await extract(box, url, ["--from", DAYS[0], "--to", DAYS.at(-1)!]);
    expect(reread.code, reread.stderr).toBe(0);
    expect(reread.stdout).toContain("2 loaded, 6 already loaded, 0 failed.");
    await runModels(url);
    await expectMartsMatch(url, box, { tehran: ["2025-03-17", day, POISONED], dubai: ["2025-03-17", "2025-03-18", "2025-03-19"] });
    // Content seen before but since replaced lands again (the day went back to how it was).
    box.setRevision("tehran", day, 0);
    const back = await extract(box, url, ["--from", day, "--to", day, "--server", "tehran"]);
    expect(back.stdout).toMatch(new RegExp(`iiko:tehran:${day}: loaded \\d+ rows`));
    const history = (await loads(url)).filter((l) => l.details.server === "tehran" && l.details.business_day === day);
    expect(history.map((l) => l.status)).toEqual(["loaded", "loaded", "loaded"]);
    expect(history[2].details.content_sha256).toBe(history[0].details.content_sha256);
    expectSeatsReleased(box);
  });
});

describe("iiko data-quality checks", () => {
  it("each check fires on data made to trip it: an order closed before its day, orders without a department, a usual department without sales", { timeout: 900_000 }, async () => {
    const url = await freshDatabase("iiko_dq");
    const DAYS = Array.from({ length: 9 }, (_, i) => addDays("2025-05-01", i));
    const CLOSED = DAYS[7];
    const box = await sandbox({ closedDays: [CLOSED] });
    // One order of tehran's 05-05 closed at 23:10 the evening before its business day (a wrong clock or shift).
    let early = "";
    box.editDay("tehran", "2025-05-05", (orders) => {
      const order = orders.find((o) => o.deleted === "NOT_DELETED" && !o.storned && o.department === "Terrace")!;
      Object.assign(order, { closeTime: "2025-05-04T23:10:00.5", closeHour: 23 });
      early = order.id;
    });
    // dubai's Bar sells every day but one (the day after the week it needs to count as usual).
    box.editDay("dubai", DAYS[8], (orders) => orders.splice(0, orders.length, ...orders.filter((o) => o.department !== "Bar")));
    const run = await extract(box, url, ["--from", DAYS[0], "--to", DAYS.at(-1)!]);
    expect(run.code, run.stderr).toBe(0);
    // dubai's first day as an older extractor landed it, without IIKO_DUBAI_CURRENCY: its rows carry no currency.
    const stripped = await queryRows<{ n: string }>(url,
      "with s as (update raw.iiko__olap_sales set currency = null where source_server = 'dubai' and business_day = $1 returning 1) select count(*) as n from s", [DAYS[0]]);
    expect(Number(stripped[0].n)).toBeGreaterThan(0);
    await runModels(url);
    const expected = sortIssues([
      ...expectedIikoIssues(box, { tehran: DAYS, dubai: DAYS }),
      { check_name: "iiko_currency_missing", record_key: `dubai ${DAYS[0]}` },
    ]);
    const [currencyFinding] = await queryRows<{ severity: string; detail: string }>(url, "select severity, detail from dq.issues where check_name = 'iiko_currency_missing'");
    expect(currencyFinding.severity).toBe("error");
    expect(currencyFinding.detail).toContain("set IIKO_DUBAI_CURRENCY and read the day again");
    // The data trips every check: the edited order, the closed day for each department, Bar on the last day, some days without a department.
    expect(expected).toEqual(expect.arrayContaining([
      { check_name: "iiko_order_closed_before_business_day", record_key: `tehran 2025-05-05 order ${early}` },
      { check_name: "iiko_department_day_without_sales", record_key: `tehran ${CLOSED} Main hall` },
      { check_name: "iiko_department_day_without_sales", record_key: `dubai ${CLOSED} Bar` },
      { check_name: "iiko_department_day_without_sales", record_key: `dubai ${DAYS[8]} Bar` },
      expect.objectContaining({ check_name: "iiko_unknown_department" }),
    ]));
    expect(expected.filter((i) => i.check_name === "iiko_order_closed_before_business_day")).toHaveLength(1);
    expect(await iikoIssues(url)).toEqual(expected);
    // The figures still hold with an order before its day and a closed day: the hours fill from 23:00 of the evening before.
    await expectMartsMatch(url, box, { tehran: DAYS.filter((d) => d !== CLOSED), dubai: DAYS.filter((d) => d !== CLOSED) }, [`dubai|${DAYS[0]}`]);
    expectSeatsReleased(box);
  });
});

describe("iiko currency", () => {
  it("a server without IIKO_<NAME>_CURRENCY is refused before login, recorded as a failed load naming the setting; the other server loads", async () => {
    const url = await freshDatabase("iiko_currency");
    const box = await sandbox();
    const DAY = "2025-04-03";
    const run = await extract(box, url, ["--from", DAY, "--to", DAY], { IIKO_DUBAI_CURRENCY: "" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("iiko:dubai: IIKO_DUBAI_CURRENCY is not set: set it to the ISO 4217 code of the server's amounts");
    expect(run.stderr).toMatch(/not loaded: dubai \(IIKO_DUBAI_CURRENCY not set\)\./);
    expect(box.stats("dubai").logins).toBe(0);
    expect(box.stats("dubai").reports).toEqual([]);
    expect(run.stdout).toMatch(new RegExp(`iiko:tehran:${DAY}: loaded \\d+ rows`));
    const attempts = await loads(url);
    expect(attempts.map((l) => [l.file_name, l.status])).toEqual([[`iiko:tehran:${DAY}`, "loaded"], ["iiko:dubai", "failed"]]);
    expect(attempts[1].message).toContain("IIKO_DUBAI_CURRENCY is not set");
    expect(attempts[1].details).toMatchObject({ server: "dubai", setting: "IIKO_DUBAI_CURRENCY" });
    const currencies = await queryRows<{ source_server: string; currency: string | null }>(url, "select distinct source_server, currency from raw.iiko__olap_sales");
    expect(currencies).toEqual([{ source_server: "tehran", currency: "IRR" }]);
    expectSeatsReleased(box);
  });
});

describe("iiko in the run log", () => {
  it("`salesdw run` shows iiko as a step of mart.etl_run_log, and each day attempt (loaded, empty, refused) in mart.load_runs", { timeout: 900_000 }, async () => {
    const url = await freshDatabase("iiko_runlog");
    const tehranYesterday = localYesterday(SANDBOX_SERVERS[0].timezone);
    const box = await sandbox({ closedDays: [tehranYesterday] });
    const yesterday = localYesterday(box.servers[0].timezone);
    expect(yesterday).toBe(tehranYesterday);
    const refused = addDays(yesterday, -1);
    box.addFault({ kind: "409", server: "tehran", day: refused });
    const config = path.join(mkdtempSync(path.join(tmpdir(), "iiko-run-")), "salesdw.yaml");
    writeFileSync(config, "sources:\n  iiko:\n    stale_after: 2d\n");
    const run = await runCli(["run", "--config", config, "--only", "iiko", "--skip-models", "--skip-checks"], { ...box.env(), WAREHOUSE_URL: url, IIKO_RETRY_BACKOFF_MS: "10" });
    expect(run.code).not.toBe(0);
    const built = await dataform("run", url, ["--actions", "mart.etl_run_log", "--actions", "mart.load_runs"]);
    expect(built.failedActions, built.output).toEqual([]);
    const steps = await queryRows<Record<string, string | null>>(url, "select step, name, status, new_loads::text as new_loads, failed_loads::text as failed_loads from mart.etl_run_log where step = 'extract'");
    const attempts = await loads(url);
    expect(steps).toEqual([{
      step: "extract", name: "iiko", status: "failed",
      new_loads: String(attempts.filter((l) => l.status === "loaded").length), failed_loads: "1",
    }]);
    const runs = await queryRows<Record<string, string | null>>(url, "select source_system, entity, file_name, status, rows_loaded::text as rows_loaded, message from mart.load_runs order by load_id");
    expect(runs.map((r) => [r.source_system, r.entity, r.file_name, r.status])).toEqual(
      attempts.map((l) => ["iiko", "olap_sales", `iiko:${l.details.server}:${l.details.business_day}`, l.details.server === "tehran" && l.details.business_day === refused ? "failed" : "loaded"]),
    );
    // The day without sales is a load of zero rows, not a missing row.
    expect(runs.find((r) => r.file_name === `iiko:tehran:${yesterday}`)).toMatchObject({ status: "loaded", rows_loaded: "0" });
    expect(runs.find((r) => r.status === "failed")!.message).toContain("Cannot build the report");
    expectSeatsReleased(box);
  });
});

describe("iiko sessions and licence seats", () => {
  const DAY = "2025-04-02";

  it("a login refused for want of a seat is one line, no retry loop; the other server still loads", async () => {
    const url = await freshDatabase("iiko_seat");
    const box = await sandbox({ seats: 1 });
    const tehran = box.servers[0];
    // Someone else holds tehran's only seat.
    const pass = createHash("sha1").update(tehran.password).digest("hex");
    const key = await (await fetch(`${tehran.url}/resto/api/auth?login=${tehran.login}&pass=${pass}`)).text();
    const run = await extract(box, url, ["--from", DAY, "--to", DAY]);
    await fetch(`${tehran.url}/resto/api/logout?key=${encodeURIComponent(key.replace(/<\/?string>/g, ""))}`);
    expect(run.code).toBe(1);
    expect(run.stderr.match(/License enhancement is required/g)).toHaveLength(1);
    expect(run.stderr).toContain("iiko server tehran: login refused, no free licence seat (HTTP 403)");
    expect(box.stats("tehran").licenceRefusals).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`iiko:dubai:${DAY}: loaded \\d+ rows`));
    const failed = (await loads(url)).filter((l) => l.status === "failed");
    expect(failed.map((l) => [l.file_name, l.details.server])).toEqual([["iiko:tehran", "tehran"]]);
    expectSeatsReleased(box);
  });

  it("an expired session (401) gets one new login and the day loads", async () => {
    const url = await freshDatabase("iiko_401");
    const box = await sandbox({ faults: [{ kind: "expire", server: "dubai", day: DAY }] });
    const run = await extract(box, url, ["--from", DAY, "--to", DAY, "--server", "dubai"]);
    expect(run.code, run.stderr).toBe(0);
    expect(box.stats("dubai").logins).toBe(2);
    expect(box.stats("dubai").sessions.map((s) => s.end)).toEqual(["revoked", "logout"]);
    expect(box.stats("tehran").logins).toBe(0);
    expectSeatsReleased(box);
  });

  it("a session is renewed (logout, then login) before it gets old, never holding two seats", async () => {
    const url = await freshDatabase("iiko_renew");
    const box = await sandbox({ seats: 1 });
    const run = await extract(box, url, ["--from", "2025-04-01", "--to", "2025-04-03", "--server", "tehran"], { IIKO_SESSION_RENEW_SECONDS: "0" });
    expect(run.code, run.stderr).toBe(0);
    const stats = box.stats("tehran");
    // Login, then a renewal before the columns request and before each of the three days.
    expect(stats.logins).toBe(5);
    expect(stats.logouts).toBe(5);
    expect(stats.licenceRefusals).toBe(0);
    expectSeatsReleased(box);
  });

  it("a server that lacks a field fails clearly, and nothing is read from it", async () => {
    const url = await freshDatabase("iiko_fields");
    const box = await sandbox({ missingFields: { dubai: ["UniqOrderId.Id"] } });
    const run = await extract(box, url, ["--from", DAY, "--to", DAY]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("iiko server dubai: its OLAP SALES report lacks field(s) this extractor needs: UniqOrderId.Id");
    expect(box.stats("dubai").reports).toEqual([]);
    expect(run.stdout).toMatch(new RegExp(`iiko:tehran:${DAY}: loaded`));
    expectSeatsReleased(box);
  });

  it("logs out when the run dies of an error (the warehouse connection is cut mid-run)", async () => {
    const url = await freshDatabase("iiko_crash");
    const box = await sandbox({ faults: [{ kind: "slow", server: "tehran", day: "2025-04-03" }], slowMs: 1500 });
    const database = new URL(url).pathname.slice(1);
    box.events.on("report", ({ day }: { day: string }) => {
      if (day !== "2025-04-03") return;
      void withClient(url, (client) => client.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [database]));
    });
    const run = await extract(box, url, ["--from", "2025-04-02", "--to", "2025-04-03"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/warehouse (connection was lost|could not be read)/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // one line, no stack trace
    expect(box.stats("tehran").logouts).toBe(1);
    expect(box.stats("dubai").logins).toBe(0); // the run stopped
    expectSeatsReleased(box);
  });

  it("logs out on Ctrl-C, even in the middle of a slow report", async () => {
    const url = await freshDatabase("iiko_sigint");
    const box = await sandbox({ faults: [{ kind: "slow", server: "tehran", day: "2025-04-03" }], slowMs: 60_000 });
    const child = spawn(process.execPath, [cliPath, "extract", "iiko", "--from", "2025-04-02", "--to", "2025-04-04"], {
      env: { ...process.env, CI: "true", ...box.env(), WAREHOUSE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    box.events.on("report", ({ day }: { day: string }) => {
      if (day === "2025-04-03") child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted.*logged out/);
    expect(stdout).toMatch(/iiko:tehran:2025-04-02: loaded/);
    expect(box.stats("tehran").logouts).toBe(1);
    expect(box.stats("dubai").logins).toBe(0);
    expectSeatsReleased(box);
    const days = (await loads(url)).map((l) => [l.details.business_day, l.status]);
    expect(days).toEqual([["2025-04-02", "loaded"]]);
  });
});

describe("iiko days to read", () => {
  it("without dates: the last IIKO_REREAD_DAYS days up to yesterday in each server's zone; a refused day is asked again next run", async () => {
    const url = await freshDatabase("iiko_days");
    const box = await sandbox();
    const yesterday = Object.fromEntries(box.servers.map((s) => [s.name, localYesterday(s.timezone)]));
    box.addFault({ kind: "409", server: "tehran", day: addDays(yesterday.tehran, -1), times: 1 });
    const run = await extract(box, url, [], { IIKO_REREAD_DAYS: "2" });
    expect(run.code).toBe(1);
    const read = (await loads(url)).map((l) => `${l.details.server} ${l.details.business_day} ${l.status}`);
    expect(read).toEqual([
      `tehran ${addDays(yesterday.tehran, -1)} failed`,
      `tehran ${yesterday.tehran} loaded`,
      `dubai ${addDays(yesterday.dubai, -1)} loaded`,
      `dubai ${yesterday.dubai} loaded`,
    ]);
    const cursors = await queryRows(url, "select entity, cursor from raw._sync_state order by entity");
    expect(cursors).toEqual([
      { entity: "olap_sales@dubai", cursor: { last_complete_day: yesterday.dubai } },
      { entity: "olap_sales@tehran", cursor: { last_complete_day: yesterday.tehran } },
    ]);
    const again = await extract(box, url, [], { IIKO_REREAD_DAYS: "1" });
    expect(again.code, again.stderr).toBe(0);
    expect(box.stats("tehran").reports.map((r) => r.day)).toEqual([addDays(yesterday.tehran, -1), yesterday.tehran, addDays(yesterday.tehran, -1), yesterday.tehran]);
    const latest = (await loads(url)).filter((l) => l.details.server === "tehran").at(-1)!;
    expect([latest.details.business_day, latest.status]).toEqual([addDays(yesterday.tehran, -1), "loaded"]);
    expectSeatsReleased(box);
  });
});

describe("iiko secrets", () => {
  it("never prints or stores the password or its SHA-1", async () => {
    const url = await freshDatabase("iiko_secrets");
    const box = await sandbox({ faults: [{ kind: "409", server: "tehran", day: "2025-04-02" }, { kind: "5xx", server: "dubai" }] });
    const [tehran, dubai] = box.servers;
    const secrets = [tehran.password, dubai.password].flatMap((p) => {
      const sha1 = createHash("sha1").update(p).digest("hex");
      return [p, sha1, sha1.toUpperCase()];
    });
    const dubaiSha1 = createHash("sha1").update(dubai.password).digest("hex");
    const runs = [
      await extract(box, url, ["--from", "2025-04-01", "--to", "2025-04-02"]),
      // The SHA-1 given instead of the password.
      await extract(box, url, ["--from", "2025-04-03", "--to", "2025-04-03", "--server", "dubai"], { IIKO_DUBAI_PASSWORD: "", IIKO_DUBAI_PASSWORD_SHA1: dubaiSha1.toUpperCase() }),
      // A wrong password: the server says 401 at login.
      await extract(box, url, ["--from", "2025-04-03", "--to", "2025-04-03", "--server", "tehran"], { IIKO_TEHRAN_PASSWORD: `${tehran.password}-wrong` }),
      // A malformed setting.
      await extract(box, url, [], { IIKO_DUBAI_PASSWORD_SHA1: `${dubaiSha1}x` }),
    ];
    expect(runs[1].code, runs[1].stderr).toBe(0);
    expect(runs[2].stderr).toContain("login refused (HTTP 401)");
    const stored = await queryRows<{ text: string }>(
      url,
      `select string_agg(t::text, ' ') as text from (
         select l::text as t from raw._loads l union all select r::text from raw._rejects r
         union all select s::text from raw._sync_state s union all select o::text from raw.iiko__olap_sales o) x`,
    );
    for (const secret of secrets) {
      for (const run of runs) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
      expect(stored[0].text).not.toContain(secret);
    }
    expectSeatsReleased(box);
  });
});
