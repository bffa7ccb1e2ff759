/**
 * The pages over marts other people build (restaurants, seller balances), the sales page on a
 * mart with more dimensions and two currencies, and the admin, in a real browser on a fresh
 * database. The marts start absent; the test then creates stand-in tables with exactly the
 * agreed columns and figures it knows, and reads them back off the pages.
 */
import * as jalaali from "jalaali-js";
import type { FastifyInstance } from "fastify";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, queryRows, withClient } from "../support/warehouse.ts";
import { addUser, drawnPixels, httpSignIn, launchBrowser, plainNumber, type Session, signedInPage, signIn, startDashboard, screenshot, watchedPage } from "./support.ts";

let url: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
/** The pages are read as a viewer; the admin test signs in as an administrator through the form. */
let viewer: Session;

const sql = (text: string, params: unknown[] = []) => queryRows(url, text, params);
/** One INSERT for many rows. */
async function insert(table: string, rows: unknown[][]): Promise<void> {
  const params = rows.flat();
  const width = rows[0].length;
  const values = rows.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(", ")})`).join(", ");
  await sql(`insert into ${table} values ${values}`, params);
}
const day = (offset: number) => new Date(Date.UTC(2025, 2, 1 + offset)).toISOString().slice(0, 10);

beforeAll(async () => {
  url = await freshDatabase("webpages");
  ({ app, base } = await startDashboard(url));
  await addUser(url, "maryam", "admin", "maryam-password-1");
  await addUser(url, "vahid", "viewer", "vahid-password-1");
  viewer = await httpSignIn(base, "vahid", "vahid-password-1");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("dashboard pages on a warehouse without those sources", { timeout: 300_000 }, () => {
  it("each page says plainly which data is missing", async () => {
    const { page, errors, external } = await signedInPage(browser, viewer);
    const says = async (path: string, text: string) => {
      await page.goto(`${base}${path}`);
      expect(await page.locator("main .notice").first().innerText()).toContain(text);
    };
    await says("/sales", "No sales data: mart.sales_enriched does not exist yet");
    await says("/restaurants", "No restaurant data: mart.sales_summary_daily does not exist in this warehouse yet");
    await says("/sellers", "No seller balances: mart.seller_balance_daily does not exist in this warehouse yet");
    await says("/quality", "mart.data_freshness does not exist in this warehouse yet");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});

describe("restaurant days and hours", { timeout: 300_000 }, () => {
  it("summarises each department's days, then draws the day × hour heat map once hourly rows exist, never adding two currencies", async () => {
    await sql(`create table mart.sales_summary_daily (source_server text, department text, business_day date, currency text,
      revenue numeric, orders integer, guests integer, quantity numeric)`);
    await sql(`create table mart.sales_by_hour (source_server text, department text, business_day date, hour integer,
      revenue numeric, orders integer, quantity numeric)`);
    const departments = [["iiko-tehran", "سالن اصلی", "IRR"], ["iiko-tehran", "بیرون‌بر", "IRR"], ["iiko-dubai", "Main hall", "AED"]];
    const expected = new Map<string, { revenue: number; orders: number; guests: number }>();
    const daily: unknown[][] = [];
    for (const [d, [server, department, currency]] of departments.entries()) {
      for (let i = 0; i < 10; i++) {
        const revenue = currency === "IRR" ? 5_000_000 * (i + 1) + d : 100 * i + 0.5;
        const orders = 10 + i + d;
        const guests = 2 * orders;
        daily.push([server, department, day(i), currency, revenue, orders, guests, orders * 3]);
        const key = `${server}|${department}|${currency}`;
        const sofar = expected.get(key) ?? { revenue: 0, orders: 0, guests: 0 };
        expected.set(key, { revenue: sofar.revenue + revenue, orders: sofar.orders + orders, guests: sofar.guests + guests });
      }
    }
    await insert("mart.sales_summary_daily", daily);
    const { page, errors, external } = await signedInPage(browser, viewer);
    await page.goto(`${base}/restaurants`);
    expect(await page.locator("main").innerText()).toContain("No hourly restaurant data: mart.sales_by_hour has no rows yet");
    const rows = await page.locator("#restaurant-daily tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));
    expect(rows).toHaveLength(3);
    for (const [server, department, currency, days, revenue, orders, guests] of rows) {
      const want = expected.get(`${server}|${department}|${currency}`)!;
      expect([days, plainNumber(revenue), plainNumber(orders), plainNumber(guests)]).toEqual(["10", String(want.revenue), String(want.orders), String(want.guests)]);
    }
    expect(await drawnPixels(page, "#chart-restaurant-days")).toBeGreaterThan(3000);

    await insert("mart.sales_by_hour", departments.flatMap(([server, department]) =>
      Array.from({ length: 10 }, (_, i) => [12, 13, 19, 20, 21].map((hour) => [server, department, day(i), hour, 1000 * hour, hour - 10, hour])).flat()));
    await page.goto(`${base}/restaurants?metric=revenue`);
    expect(await page.locator("main .notice-problem").innerText()).toContain("Revenue here would add AED and IRR");
    expect(await drawnPixels(page, "#chart-restaurant-hours")).toBeGreaterThan(3000);
    await page.selectOption("select[name=server]", "iiko-tehran");
    await Promise.all([page.waitForURL(/server=iiko-tehran/), page.click("form.filters button[type=submit]")]);
    expect(await page.locator("main").innerText()).toContain("Revenue in IRR.");
    expect(await page.locator("#restaurant-daily tbody tr").count()).toBe(2);
    await page.waitForSelector("#chart-restaurant-hours[data-drawn=true]");
    expect(await drawnPixels(page, "#chart-restaurant-hours")).toBeGreaterThan(3000);
    await screenshot(page, "restaurants");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});

describe("seller balances", { timeout: 300_000 }, () => {
  it("shows closing balances and balance over time, and lists the days that do not add up", async () => {
    await sql(`create table mart.seller_balance_daily (seller_id text, day date, currency text, inflow numeric, outflow numeric,
      net numeric, opening_balance numeric, closing_balance numeric)`);
    const closing = new Map<string, number>();
    const seeded: unknown[][] = [];
    for (const seller of ["S-1", "S-2", "S-3"]) {
      let balance = 0;
      for (let i = 0; i < 20; i++) {
        const inflow = 1000 * ((i * 7 + seller.charCodeAt(2)) % 5);
        const outflow = 700 * (i % 3);
        let opening = balance;
        if (seller === "S-2" && i === 12) opening += 100; // does not open where day 11 closed
        let close = opening + inflow - outflow;
        if (seller === "S-3" && i === 5) close += 1; // closing is not opening + net
        seeded.push([seller, day(i), "IRR", inflow, outflow, inflow - outflow, opening, close]);
        balance = close;
      }
      closing.set(seller, balance);
    }
    await insert("mart.seller_balance_daily", seeded);
    const { page, errors, external } = await signedInPage(browser, viewer);
    await page.goto(`${base}/sellers`);
    const balances = await page.locator("#closing-balances tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));
    expect(Object.fromEntries(balances.map((r) => [r[0], Number(plainNumber(r[3]))]))).toEqual(Object.fromEntries(closing));
    expect(balances.every((r) => r[2] === day(19))).toBe(true);
    const anomalies = await page.locator("#seller-anomalies tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));
    expect(anomalies.map((a) => `${a[0]} ${a[2]}`).sort()).toEqual([`S-2 ${day(12)}`, `S-3 ${day(5)}`].sort());
    expect(anomalies.find((a) => a[0] === "S-3" && a[2] === day(5))![3]).toMatch(/<> closing/);
    expect(await drawnPixels(page, "#chart-seller-balance")).toBeGreaterThan(3000);
    await screenshot(page, "sellers");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});

describe("sales on a mart with more dimensions and two currencies", { timeout: 300_000 }, () => {
  const lines = Array.from({ length: 40 }, (_, i) => {
    const nzd = i % 3 === 0;
    const date = day(i % 20);
    const [gy, gm, gd] = date.split("-").map(Number);
    const j = jalaali.toJalaali(gy, gm, gd);
    return {
      i, date, j, currency: nzd ? "NZD" : "IRR", source: nzd ? "xero" : "karamad", net: nzd ? i * 10 + 0.5 : 1_000_000 * (i + 1),
      market: i % 2 ? "North" : "جنوب", parent: `Parent ${i % 4}`, cluster: i % 7 ? "3" : null, group: i % 5 ? "G1" : "G2", sales: true,
    };
  });
  // Freight: a product group that is not sales; its lines are not revenue.
  const freight = [0, 1].map((i) => ({ ...lines[i + 1], i: 100 + i, net: 777_000, group: "Freight", sales: false }));

  beforeAll(async () => {
    await sql(`create table mart.sales_enriched (sales_line_key text, date date, jalali_date text, jalali_year integer, jalali_month integer,
      jalali_month_name text, year integer, month integer, source_system text, document_id text, line_number integer, event_type text,
      customer_code text, customer_name text, product_code text, product_name text, unit text, branch text, salesperson text, region text,
      quantity numeric, gross_amount numeric, discount_amount numeric, tax_amount numeric, net_amount numeric, currency text,
      unified_customer_key text, market text, parent_customer text, cluster text, merchant_group text,
      unified_product_key text, product_group text, is_sales_product boolean)`);
    await insert("mart.sales_enriched", [...lines, ...freight].map((l) => [
      `k${l.i}`, l.date, `${l.j.jy}/${l.j.jm}/${l.j.jd}`, l.j.jy, l.j.jm, "x", 2025, 3, l.source, `D${l.i}`, 1, "SALE", `C${l.i % 6}`, `Customer ${l.i % 6}`,
      l.sales ? "P1" : "F1", l.sales ? "Product" : "Freight", "u", "B", "S", "R", 1, l.net, 0, 0, l.net, l.currency,
      `${l.source}:C${l.i % 6}`, l.market, l.parent, l.cluster, null, `${l.source}:P1`, l.group, l.sales,
    ]));
  });

  it("offers a filter for every dimension column the mart has and keeps each currency apart", async () => {
    const { page, errors, external } = await signedInPage(browser, viewer);
    const range = `preset=custom&from=${day(0)}&to=${day(19)}`;
    await page.goto(`${base}/sales?${range}`);
    const labels = await page.locator("form.filters label").evaluateAll((ls) => ls.map((l) => l.firstChild!.textContent!.trim()));
    expect(labels).toEqual(expect.arrayContaining(["Source", "Currency", "Customer", "Product", "Branch", "Market", "Parent customer", "Cluster", "Product group", "Customer (merged)"]));
    expect(labels).not.toContain("Merchant group"); // no line has one: nothing to choose
    const revenue = async (currency: string) => plainNumber(await page.locator(`[data-kpi=revenue][data-currency=${currency}] .value`).innerText());
    const total = (currency: string, market?: string) =>
      lines.filter((l) => l.currency === currency && (!market || l.market === market)).reduce((a, l) => a + l.net, 0);
    expect(await revenue("IRR")).toBe(String(total("IRR")));
    expect(await revenue("NZD")).toBe(total("NZD").toFixed(2));
    expect(await page.locator("main").innerText()).toContain("lines of product groups that are not sales (freight…) are left out");
    expect(await page.locator(".meta strong").nth(1).innerText()).toBe("Market"); // the breakdown a market column brings
    await page.goto(`${base}/sales?${range}&market=${encodeURIComponent("جنوب")}`);
    expect(await revenue("IRR")).toBe(String(total("IRR", "جنوب")));
    expect(await revenue("NZD")).toBe(total("NZD", "جنوب").toFixed(2));
    expect(await page.locator("select[name=market] option:checked").innerText()).toBe("جنوب");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("admin: an administrator signed in through the form links and unlinks a customer code, recorded with their name and time", async () => {
    const { page, errors, external } = await watchedPage(browser);
    await signIn(page, base, "maryam", "maryam-password-1", "/admin/customers?source=karamad");
    expect(await page.locator("header .account").innerText()).toContain("maryam");
    const row = page.locator("#mappings tbody tr", { has: page.locator("input[name=code][value=C1]") }).first();
    await row.locator("input[name=key]").fill("CUSTOMER-ONE");
    await row.locator("input[name=note]").fill("همان مشتری");
    await Promise.all([page.waitForURL(/done=/), row.locator("button", { hasText: "Link" }).click()]);
    expect(await page.locator(".notice-done").innerText()).toMatch(/^karamad C1 linked to CUSTOMER-ONE\. The marts show it after the next npx dataform run/);
    expect(new URL(page.url()).searchParams.get("source")).toBe("karamad");
    const [mapped] = await sql("select customer_key, note, updated_by, updated_at > now() - interval '1 minute' as recent from admin.customer_map where source_system = 'karamad' and source_customer_id = 'C1'");
    expect(mapped).toEqual({ customer_key: "CUSTOMER-ONE", note: "همان مشتری", updated_by: "maryam", recent: true });
    await screenshot(page, "admin", false);

    expect(await row.locator("input[name=key]").inputValue()).toBe("CUSTOMER-ONE");
    await Promise.all([page.waitForURL(/unlinked/), row.locator("button", { hasText: "Unlink" }).click()]);
    expect(await sql("select 1 from admin.customer_map")).toHaveLength(0);
    const changes = await sql("select action, source_id, old_value -> 0 ->> 'customer_key' as old_key, new_value ->> 'customer_key' as new_key, changed_by from admin.map_changes order by change_id");
    expect(changes).toEqual([
      { action: "link", source_id: "C1", old_key: null, new_key: "CUSTOMER-ONE", changed_by: "maryam" },
      { action: "unlink", source_id: "C1", old_key: "CUSTOMER-ONE", new_key: null, changed_by: "maryam" },
    ]);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("the admin writer may write only the mapping tables; the reader may not write them", async () => {
    const as = (role: string, statement: string) =>
      withClient(url, async (client) => {
        await client.query("begin");
        try {
          await client.query(`set local role ${role}`);
          await client.query(statement);
          return "allowed";
        } catch (error) {
          return (error as Error).message;
        } finally {
          await client.query("rollback");
        }
      });
    expect(await as("salesdw_admin_writer", "insert into admin.product_map (source_system, source_product_code, product_key, updated_by) values ('k', 'P1', 'X', 'me')")).toBe("allowed");
    expect(await as("salesdw_admin_writer", "select * from mart.sales_enriched")).toMatch(/permission denied/);
    expect(await as("salesdw_admin_writer", "delete from admin.map_changes")).toMatch(/permission denied/);
    expect(await as("salesdw_admin_writer", "create table admin.other (x int)")).toMatch(/permission denied/);
    expect(await as("salesdw_reader", "insert into admin.customer_map (source_system, source_customer_id, customer_key, updated_by) values ('k', 'C', 'X', 'me')")).toMatch(/permission denied/);
    expect(await as("salesdw_transformer", "delete from admin.customer_map")).toMatch(/permission denied/);
    expect(await as("salesdw_reader", "select 1 from mart.sales_enriched limit 1")).toBe("allowed");
  });
});
