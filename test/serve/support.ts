/**
 * What the dashboard tests share: the server on a free loopback port, Debian's chromium
 * through playwright-core (no browser download), a page that records console errors and any
 * request leaving the machine, and the generated Karamad files read back independently.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import * as jalaali from "jalaali-js";
import { type Browser, chromium, type Page } from "playwright-core";
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import { projectRoot } from "../../extract/config.ts";
import { buildServer } from "../../extract/serve/server.ts";
import { type CliResult, cliPath, runProcess } from "../support/warehouse.ts";

export async function startDashboard(url: string): Promise<{ app: FastifyInstance; base: string }> {
  // A secret of the test's own: no secret file is written into the repository.
  const app = await buildServer({ url, sessionSecret: randomBytes(32).toString("base64url") });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

/** `salesdw …` in a child process with `input` on its standard input (runCli gives it none). */
export function runCliWithInput(args: string[], input: string, env: Record<string, string>): Promise<CliResult> {
  return runProcess(process.execPath, [cliPath, ...args], env, projectRoot, input);
}

/** `salesdw users add NAME --role ROLE --password-stdin`, as an administrator of the server runs it. */
export async function addUser(url: string, name: string, role: "viewer" | "admin", password: string): Promise<void> {
  const result = await runCliWithInput(["users", "add", name, "--role", role, "--password-stdin"], `${password}\n`, { WAREHOUSE_URL: url });
  expect(result.stderr).toBe("");
  expect(result.stdout).toContain(`Added ${role} "${name}"`);
  expect(result.code).toBe(0);
}

/** Signs in through the sign-in form, as a person does. */
export async function signIn(page: Page, base: string, name: string, password: string, next = "/quality"): Promise<void> {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.fill("input[name=name]", name);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForURL(`${base}${next}`), page.click("form.sign-in button[type=submit]")]);
}

export interface Session {
  base: string;
  /** The Cookie header to send. */
  cookie: string;
  /** The CSRF token a form post carries as _csrf. */
  csrf: string;
}

/** A signed-in session for fetch (or, through signedInPage, a browser page), made through the sign-in form's own requests. */
export async function httpSignIn(base: string, name: string, password: string): Promise<Session> {
  const form = await fetch(`${base}/login`);
  const csrfCookie = form.headers.getSetCookie().map((c) => c.split(";")[0]);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const answer = await fetch(`${base}/login`, {
    method: "POST", redirect: "manual", body: new URLSearchParams({ name, password, _csrf: csrf, next: "/" }),
    headers: { cookie: csrfCookie.join("; ") },
  });
  expect(answer.status).toBe(303);
  const session = answer.headers.getSetCookie().map((c) => c.split(";")[0]);
  expect(session.some((c) => c.startsWith("salesdw_session="))).toBe(true);
  return { base, cookie: [...csrfCookie, ...session].join("; "), csrf };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
}

export interface Watched {
  page: Page;
  /** Console errors and uncaught exceptions on the page. */
  errors: string[];
  /** Every request to a host other than this machine. */
  external: string[];
}

export async function watchedPage(browser: Browser, options: Parameters<Browser["newPage"]>[0] = {}): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true, ...options });
  const errors: string[] = [];
  const external: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) external.push(request.url());
  });
  return { page, errors, external };
}

/** A watched page whose browser holds `session`'s cookies: signed in without going through the form again. */
export async function signedInPage(browser: Browser, session: Session, options: Parameters<Browser["newPage"]>[0] = {}): Promise<Watched> {
  const watched = await watchedPage(browser, options);
  await watched.page.context().addCookies(session.cookie.split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: session.base };
  }));
  return watched;
}

/** Digits as a page shows them ("1,234,567", "-12.5") → a string BigInt or Number can read. */
export const plainNumber = (text: string) => text.replace(/[,\s]/g, "").replace(/\u2212/g, "-");

/** How many pixels of a chart's canvas are drawn (not transparent): a rendered chart has many. */
export async function drawnPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (element) => {
    const canvas = element.querySelector("canvas");
    if (!canvas) return 0;
    const context = canvas.getContext("2d")!;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) drawn++;
    return drawn;
  });
}

export interface KaramadLine {
  invoice: string;
  line: number;
  day: string;
  jalali: { jy: number; jm: number; jd: number };
  sale: boolean;
  customer: string;
  customerName: string;
  product: string;
  productName: string;
  /** Signed thousandths. */
  quantity: bigint;
  /** Signed rials. */
  net: bigint;
  branch: string;
  salesperson: string;
  region: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

function thousandths(text: string): bigint {
  const [whole, fraction = ""] = text.replace(/,/g, "").split(".");
  return BigInt(whole) * 1000n + BigInt((fraction + "000").slice(0, 3));
}

/**
 * The usable lines of a generated export (UTF-8, Latin digits, comma-separated), read here
 * from the file itself: rows with a wrong field count or a day the month lacks are left out,
 * as the warehouse must leave them out.
 */
export function readKaramadLines(file: string): KaramadLine[] {
  const records = parse(readFileSync(file, "utf8"), { relax_column_count: true, from_line: 2, bom: true }) as string[][];
  const lines: KaramadLine[] = [];
  for (const f of records) {
    if (f.length !== 18) continue;
    const [jy, jm, jd] = f[2].split("/").map(Number);
    if (!jalaali.isValidJalaaliDate(jy, jm, jd)) continue;
    const g = jalaali.toGregorian(jy, jm, jd);
    const sign = f[3] === "فروش" ? 1n : -1n;
    lines.push({
      invoice: f[0], line: Number(f[1]), day: `${g.gy}-${pad(g.gm)}-${pad(g.gd)}`, jalali: { jy, jm, jd }, sale: sign === 1n,
      customer: f[4], customerName: f[5], product: f[6], productName: f[7],
      quantity: sign * thousandths(f[8]), net: sign * BigInt(f[14].replace(/,/g, "")),
      branch: f[15], salesperson: f[16], region: f[17],
    });
  }
  return lines;
}

/** Rewrites fields of the first data row that `pick` chooses (to plant values such as spreadsheet formulas). */
export function rewriteRow(file: string, pick: (fields: string[]) => boolean, change: (fields: string[]) => string[]): void {
  const rows = readFileSync(file, "utf8").split("\n");
  const index = rows.findIndex((row, i) => i > 0 && row && pick((parse(row, { relax_column_count: true }) as string[][])[0]));
  if (index < 0) throw new Error(`no row to rewrite in ${file}`);
  const fields = change((parse(rows[index]) as string[][])[0]);
  rows[index] = fields.map((v) => `"${v.replace(/"/g, '""')}"`).join(",");
  writeFileSync(file, rows.join("\n"));
}

export const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

/** "12.5" from thousandths, trailing zeros dropped, grouped as the page groups. */
export function showThousandths(value: bigint): string {
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const whole = (abs / 1000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (abs % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Saves what the page shows as the README's picture of it (docs/screenshots/<name>.png). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(projectRoot, "docs", "screenshots", `${name}.png`), fullPage });
}
