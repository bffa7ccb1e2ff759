/**
 * The sales dashboard in a real browser over real generated Karamad exports: extract, dataform
 * run, `salesdw serve`'s server on a free port, then what a person sees (cards, period table,
 * charts, grid, CSV) compared with figures this test adds up from the generated rows itself.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import * as jalaali from "jalaali-js";
import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataform } from "../../extract/dataform.ts";
import { writeKaramadMonth } from "../../extract/samples/karamad.ts";
import { freshDatabase, queryRows, runCli } from "../support/warehouse.ts";
import {
  addUser, drawnPixels, httpSignIn, type KaramadLine, launchBrowser, plainNumber, readKaramadLines, rewriteRow, type Session, showThousandths,
  signedInPage, startDashboard, sum, screenshot,
} from "./support.ts";

let url: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
/** The pages are read as a viewer: everything but the admin is theirs to see. */
let viewer: Session;
let lines: KaramadLine[];
/** The planted return line whose text cells look like spreadsheet formulas. */
let planted: KaramadLine;
const MERGED = ["C00007", "C00011"];

const group = (n: bigint | number) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const dayOf = (jy: number, jm: number, jd: number) => {
  const g = jalaali.toGregorian(jy, jm, Math.min(jd, jalaali.jalaaliMonthLength(jy, jm)));
  return `${g.gy}-${String(g.gm).padStart(2, "0")}-${String(g.gd).padStart(2, "0")}`;
};
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function totals(selected: KaramadLine[]) {
  const revenue = sum(selected.map((l) => l.net));
  const units = sum(selected.map((l) => l.quantity));
  const invoices = new Set(selected.filter((l) => l.sale).map((l) => l.invoice)).size;
  return { revenue, units, invoices, lines: selected.length };
}

const between = (from: string, to: string) => (l: KaramadLine) => l.day >= from && l.day <= to;

async function card(page: Page, kpi: string) {
  const root = page.locator(`[data-kpi=${kpi}][data-currency=IRR]`);
  return {
    value: plainNumber(await root.locator(".value").innerText()),
    lastYear: plainNumber((await root.locator(".compare span").first().innerText()).replace("last year", "")),
    yearBefore: plainNumber((await root.locator(".compare span").nth(2).innerText()).replace("year before", "")),
  };
}

async function download(page: Page, click: () => Promise<void>): Promise<Record<string, string>[]> {
  const waiting = page.waitForEvent("download");
  await click();
  const file = await (await waiting).path();
  return parse(readFileSync(file, "utf8"), { columns: true, bom: true }) as Record<string, string>[];
}

/** One sale invoice of `count` lines (numbered 1…count), made of the file's first valid sale rows: the export's order must put line 10 after line 9. */
function plantLongInvoice(file: string, count: number): void {
  const [header, ...records] = parse(readFileSync(file, "utf8"), { relax_column_count: true }) as string[][];
  const valid = (f: string[]) => f.length === 18 && f[3] === "فروش" && jalaali.isValidJalaaliDate(...(f[2].split("/").map(Number) as [number, number, number]));
  const chosen = records.filter(valid).slice(0, count);
  chosen.forEach((f, i) => {
    f[0] = "LONG-1";
    f[1] = String(i + 1);
    for (const same of [2, 4, 5, 15, 16, 17]) f[same] = chosen[0][same]; // one date, customer, branch, salesperson, region
  });
  writeFileSync(file, [header, ...records].map((f) => f.map((v) => `"${v.replace(/"/g, '""')}"`).join(",")).join("\n") + "\n");
}

beforeAll(async () => {
  url = await freshDatabase("web");
  const dir = mkdtempSync(path.join(tmpdir(), "web-sales-"));
  // 14 months from Bahman 1402 to Esfand 1403: a year-to-date with a year before it to compare.
  const files: string[] = [];
  for (let i = 0, jy = 1402, jm = 11; i < 14; i++, jm = (jm % 12) + 1, jy += jm === 1 ? 1 : 0) {
    const file = path.join(dir, `karamad-${jy}-${jm}.csv`);
    await writeKaramadMonth(file, { jalaliYear: jy, jalaliMonth: jm, lines: 250, brokenRows: 2, dirtyRows: 1, inconsistentRows: 1 });
    files.push(file);
  }
  // One return line whose customer, branch, salesperson and region would run as spreadsheet formulas.
  rewriteRow(files[7], (f) => f.length === 18 && f[3] === "برگشت از فروش", (f) => {
    f[4] = "C99999";
    f[5] = "=1+2";
    f[15] = "@SUM(1)";
    f[16] = "+98 21";
    f[17] = "-3";
    return f;
  });
  plantLongInvoice(files[3], 12);
  lines = files.flatMap(readKaramadLines);
  planted = lines.find((l) => l.customer === "C99999")!;
  const extract = await runCli(["extract", "karamad", ...files], { WAREHOUSE_URL: url });
  expect(extract.code, extract.stderr).toBe(0);
  // The dashboard starts before the models exist: it sets up the roles, and what dataform then creates stays readable.
  ({ app, base } = await startDashboard(url));
  await addUser(url, "tester", "admin", "tester-password-1");
  await addUser(url, "reader", "viewer", "reader-password-1");
  const admin = await httpSignIn(base, "tester", "tester-password-1");
  viewer = await httpSignIn(base, "reader", "reader-password-1");
  // Two customer codes are one customer: linked in the admin, as its form posts, before the models run.
  for (const code of MERGED) {
    const linked = await fetch(`${base}/admin/customers/link`, {
      method: "POST", redirect: "manual", body: new URLSearchParams({ source_system: "karamad", code, key: "ONE-CUSTOMER", note: "", _csrf: admin.csrf }),
      headers: { cookie: admin.cookie },
    });
    expect(linked.status).toBe(303);
    expect(linked.headers.get("location")).toMatch(/^\/admin\/customers\?done=/);
  }
  const run = await dataform("run", url);
  expect(run.failedActions).toEqual([]);
  expect(run.assertionsFailed).toEqual([]);
  expect(run.code, run.output.slice(-2000)).toBe(0);
  browser = await launchBrowser();
}, 600_000); // extract and a full dataform run: minutes on a busy shared machine

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

// Each test drives a browser through several pages and downloads: room for a busy machine.
describe("sales dashboard", { timeout: 300_000 }, () => {
  it("shows the year to date and its periods against the two years before, in the Jalali calendar, with charts drawn offline", async () => {
    const { page, errors, external } = await signedInPage(browser, viewer);
    await page.goto(`${base}/sales?cal=jalali&preset=ytd`);
    await page.waitForSelector("#chart-time[data-drawn=true] canvas");
    await page.waitForSelector("#chart-cumulative[data-drawn=true] canvas");

    const asOf = lines.map((l) => l.day).sort().at(-1)!;
    const [gy, gm, gd] = asOf.split("-").map(Number);
    const j = jalaali.toJalaali(gy, gm, gd);
    const span = (years: number, from: string) => lines.filter(between(from, dayOf(j.jy - years, j.jm, j.jd)));
    const ytd = [0, 1, 2].map((y) => totals(span(y, dayOf(j.jy - y, 1, 1))));
    expect(ytd[1].lines).toBeGreaterThan(0); // Bahman and Esfand 1402 are there to compare with
    expect(ytd[2].lines).toBe(0);

    const revenue = await card(page, "revenue");
    expect(revenue.value).toBe(ytd[0].revenue.toString());
    expect(revenue.lastYear).toBe(ytd[1].revenue.toString());
    expect(revenue.yearBefore).toBe("0");
    expect((await card(page, "units")).value).toBe(plainNumber(showThousandths(ytd[0].units)));
    expect((await card(page, "units")).lastYear).toBe(plainNumber(showThousandths(ytd[1].units)));
    expect((await card(page, "invoices")).value).toBe(String(ytd[0].invoices));
    const average = Number((await card(page, "avg_price")).value);
    expect(Math.abs(average - (Number(ytd[0].revenue) * 1000) / Number(ytd[0].units))).toBeLessThanOrEqual(1);

    // Week to date from Saturday, month to date from the 1st of the Jalali month.
    const saturday = addDays(asOf, -((new Date(`${asOf}T00:00:00Z`).getUTCDay() + 1) % 7));
    const wtd = totals(lines.filter(between(saturday, asOf)));
    const mtd = totals(lines.filter(between(dayOf(j.jy, j.jm, 1), asOf)));
    const cell = (period: string, n: number) => page.locator(`tr[data-period=${period}] td`).nth(n).innerText();
    expect(plainNumber(await cell("WTD", 0))).toBe(wtd.revenue.toString());
    expect(plainNumber(await cell("MTD", 0))).toBe(mtd.revenue.toString());
    expect(plainNumber(await cell("MTD", 6))).toBe(String(mtd.invoices));
    const mtdLastYear = totals(lines.filter(between(dayOf(j.jy - 1, j.jm, 1), dayOf(j.jy - 1, j.jm, j.jd))));
    expect(await page.locator("tr[data-period=MTD] td").nth(1).getAttribute("title")).toBe(`last year ${group(mtdLastYear.revenue)}`);
    expect(await page.locator(".meta strong").first().innerText()).toBe(`${j.jy}/01/01 – ${j.jy}/${String(j.jm).padStart(2, "0")}/${String(j.jd).padStart(2, "0")}`);

    expect(await drawnPixels(page, "#chart-time")).toBeGreaterThan(5000);
    expect(await drawnPixels(page, "#chart-cumulative")).toBeGreaterThan(5000);
    expect(await drawnPixels(page, "#chart-breakdown")).toBeGreaterThan(5000);
    // ECharts' own PNG export: the toolbox icon sits at the chart's top right.
    const box = (await page.locator("#chart-time").boundingBox())!;
    const png = page.waitForEvent("download");
    await page.mouse.click(box.x + box.width - 30, box.y + 22);
    const image = readFileSync(await (await png).path());
    expect(image.subarray(1, 4).toString()).toBe("PNG");

    // Persian names read right to left.
    const nameCell = page.locator("#transactions tbody tr").first().locator("td").nth(6);
    expect(await nameCell.evaluate((td) => getComputedStyle(td).direction)).toBe("rtl");
    await screenshot(page, "sales");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("the quality page counts the findings per check as the warehouse holds them, and shows the rows behind one", async () => {
    const expected = await queryRows<{ check_name: string; severity: string; findings: string }>(
      url, "select check_name, severity, count(*) as findings from dq.issues where check_name <> 'load_checked' group by 1, 2 order by 1, 2");
    expect(expected.length).toBeGreaterThan(0); // the exports carry broken, dirty and inconsistent rows
    const { page, errors, external } = await signedInPage(browser, viewer);
    await page.goto(`${base}/quality`);
    const shown = await page.locator("#findings tbody tr").evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll("td")].slice(0, 3).map((td) => td.textContent!.trim())));
    expect(shown.map(([check, severity, findings]) => ({ check_name: check, severity, findings: findings.replace(/,/g, "") }))
      .sort((a, b) => `${a.check_name}/${a.severity}`.localeCompare(`${b.check_name}/${b.severity}`)))
      .toEqual(expected.map((e) => ({ ...e, findings: String(e.findings) })).sort((a, b) => `${a.check_name}/${a.severity}`.localeCompare(`${b.check_name}/${b.severity}`)));
    const freshness = await page.locator("#freshness tbody tr").first().locator("td").first().innerText();
    expect(freshness).toBe("karamad");
    await screenshot(page, "quality");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("a filter chosen in the form goes into the URL and changes every figure; the CSV holds exactly the matching lines", async () => {
    const { page, errors, external } = await signedInPage(browser, viewer);
    const [from, to] = ["2024-06-01", "2024-11-30"];
    await page.goto(`${base}/sales?preset=custom&from=${from}&to=${to}`);
    const all = totals(lines.filter(between(from, to)));
    expect(plainNumber(await page.locator("[data-total]").innerText())).toMatch(String(all.lines));

    await page.selectOption("select[name=branch]", "کرج");
    await Promise.all([page.waitForURL(/branch=/), page.click("form.filters button[type=submit]")]);
    expect(new URL(page.url()).searchParams.get("branch")).toBe("کرج");
    const karaj = lines.filter((l) => between(from, to)(l) && l.branch === "کرج");
    const expected = totals(karaj);
    expect(expected.lines).toBeLessThan(all.lines);
    expect((await card(page, "revenue")).value).toBe(expected.revenue.toString());
    expect((await card(page, "invoices")).value).toBe(String(expected.invoices));
    expect(await page.locator("[data-total]").getAttribute("data-total")).toBe(String(expected.lines));
    expect(await page.locator("#transactions tbody tr").count()).toBe(50);

    const rows = await download(page, () => page.click("text=Download CSV"));
    expect(rows).toHaveLength(expected.lines);
    expect(sum(rows.map((r) => BigInt(r.net_amount.replace(/\.0+$/, ""))))).toBe(expected.revenue);
    expect(rows.every((r) => r.branch === "کرج" && r.date >= from && r.date <= to)).toBe(true);

    // Returns only, typed into the URL: negative revenue, counted the same way.
    await page.goto(`${page.url()}&event_type=RETURN`);
    const returns = totals(karaj.filter((l) => !l.sale));
    expect(returns.revenue).toBeLessThan(0n);
    expect((await card(page, "revenue")).value).toBe(returns.revenue.toString());
    expect(await page.locator("[data-total]").getAttribute("data-total")).toBe(String(returns.lines));
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("the CSV has every line without a cap, and text that would run as a spreadsheet formula is neutralised", async () => {
    const { page } = await signedInPage(browser, viewer);
    const days = lines.map((l) => l.day).sort();
    const everything = `${base}/sales?preset=custom&from=${days[0]}&to=${days.at(-1)}`;
    await page.goto(everything);
    const rows = await download(page, () => page.click("text=Download CSV"));
    expect(rows).toHaveLength(lines.length);
    expect(lines.length).toBeGreaterThan(3000);
    expect(sum(rows.map((r) => BigInt(r.net_amount.replace(/\.0+$/, ""))))).toBe(sum(lines.map((l) => l.net)));
    // In line order: a document's lines together, numbered upwards as numbers (line 10 after line 9).
    const documentOf = (r: Record<string, string>) => `${r.date} ${r.source_system} ${r.document_id}`;
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const previous = rows[i - 1];
      if (previous && documentOf(previous) === documentOf(r)) expect(Number(r.line_number)).toBeGreaterThan(Number(previous.line_number));
      else expect(seen.has(documentOf(r))).toBe(false);
      seen.add(documentOf(r));
    });
    expect(Math.max(...rows.map((r) => Number(r.line_number)))).toBeGreaterThanOrEqual(10);

    await page.goto(`${everything}&customer=C99999`);
    const [line, ...rest] = await download(page, () => page.click("text=Download CSV"));
    expect(rest).toEqual([]);
    expect(line.customer_name).toBe("'=1+2");
    expect(line.branch).toBe("'@SUM(1)");
    expect(line.salesperson).toBe("'+98 21");
    expect(line.region).toBe("'-3");
    expect(line.event_type).toBe("RETURN");
    expect(BigInt(line.net_amount.replace(/\.0+$/, ""))).toBe(planted.net); // a negative number stays a number
    expect(planted.net).toBeLessThan(0n);

    // A filter value with quotes and a backslash is a value (the export's COPY has it as an escaped literal), not SQL.
    const hostile = encodeURIComponent("C99999'); drop table mart.sales_enriched; --\\");
    const answer = await fetch(`${everything}&customer=${hostile}`.replace("/sales?", "/sales.csv?"), { headers: { cookie: viewer.cookie } });
    expect(answer.status).toBe(200);
    expect((await answer.text()).replace(/^\uFEFF/, "").trim().split("\n")).toHaveLength(1); // the header alone
    expect(await queryRows(url, "select 1 from mart.sales_enriched limit 1")).toHaveLength(1);
  });

  it("a page kept from an earlier request is read again as soon as the warehouse's data changes", async () => {
    const days = lines.map((l) => l.day).sort();
    const total = async () => {
      const answer = await fetch(`${base}/sales?preset=custom&from=${days[0]}&to=${days.at(-1)}`, { headers: { cookie: viewer.cookie } });
      expect(answer.status).toBe(200);
      return Number(/data-total="(\d+)"/.exec(await answer.text())![1]);
    };
    expect(await total()).toBe(lines.length);
    expect(await total()).toBe(lines.length); // the same snapshot: the kept page
    // One line leaves the stored mart (one commit, as a dataform run's are): the next page counts without it.
    const [{ row }] = await queryRows<{ row: unknown }>(url,
      "delete from mart.sales_enriched f where sales_line_key = (select min(sales_line_key) from mart.sales_enriched) returning to_jsonb(f) as row");
    try {
      expect(await total()).toBe(lines.length - 1);
    } finally {
      await queryRows(url, "insert into mart.sales_enriched select * from jsonb_populate_record(null::mart.sales_enriched, $1::jsonb)", [row]);
    }
    expect(await total()).toBe(lines.length);
  });

  it("a mapping made in the admin reaches the marts on the next dataform run: two codes count as one customer", async () => {
    const { page, errors } = await signedInPage(browser, viewer);
    const days = lines.map((l) => l.day).sort();
    await page.goto(`${base}/sales?preset=custom&from=${days[0]}&to=${days.at(-1)}&unified_customer_key=ONE-CUSTOMER`);
    const merged = totals(lines.filter((l) => MERGED.includes(l.customer)));
    expect(merged.lines).toBeGreaterThan(totals(lines.filter((l) => l.customer === MERGED[0])).lines);
    expect(plainNumber(await page.locator("[data-kpi=revenue][data-currency=IRR] .value").innerText())).toBe(merged.revenue.toString());
    expect(await page.locator("[data-total]").getAttribute("data-total")).toBe(String(merged.lines));
    expect(await page.locator("select[name=unified_customer_key] option:checked").innerText()).toBe("ONE-CUSTOMER");
    expect(errors).toEqual([]);
  });
});
