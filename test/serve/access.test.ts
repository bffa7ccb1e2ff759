/**
 * Users and access in a real browser: signing in, a wrong password, the lockout, redirects when
 * signed out, a viewer refused the admin, an administrator's edits, logout, and a forged form
 * post from another origin on this machine (same site, so the browser sends its cookies) refused
 * for want of the CSRF token. Users are made with `salesdw users` as an administrator makes them.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustProxySetting } from "../../extract/serve/proxy.ts";
import { buildServer } from "../../extract/serve/server.ts";
import { freshDatabase, queryRows, runCli } from "../support/warehouse.ts";
import { createKey } from "./api-support.ts";
import { addUser, httpSignIn, launchBrowser, runCliWithInput, signedInPage, signIn, startDashboard, screenshot, watchedPage } from "./support.ts";

let url: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let forger: Server;
let forgerBase: string;

const ADMIN = { name: "nasrin", password: "nasrin-password-1" };
const VIEWER = { name: "omid", password: "omid-password-1" };
const sql = (text: string, params: unknown[] = []) => queryRows(url, text, params);
const env = () => ({ WAREHOUSE_URL: url });

/** One sign-in attempt as the form sends it (with a fresh form's CSRF token): the status and the message shown. */
async function attempt(name: string, password: string, next = "/quality"): Promise<{ status: number; location: string | null; message: string }> {
  const form = await fetch(`${base}/login`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const answer = await fetch(`${base}/login`, { method: "POST", redirect: "manual", headers: { cookie }, body: new URLSearchParams({ name, password, next, _csrf: csrf }) });
  const body = await answer.text();
  const message = (/class="notice[^"]*"[^>]*>([^<]*)</.exec(body)?.[1] ?? "").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  return { status: answer.status, location: answer.headers.get("location"), message };
}

async function mappedCodes(): Promise<string[]> {
  return (await sql("select source_customer_id from admin.customer_map order by 1")).map((r) => String(r.source_customer_id));
}

beforeAll(async () => {
  url = await freshDatabase("access");
  ({ app, base } = await startDashboard(url));
  await sql("create table mart.sales_enriched (source_system text, customer_code text, customer_name text, product_code text, product_name text)");
  await sql("insert into mart.sales_enriched select 'karamad', 'C' || i, 'Customer ' || i, 'P' || i, 'Product ' || i from generate_series(1, 5) i");
  await addUser(url, ADMIN.name, "admin", ADMIN.password);
  await addUser(url, VIEWER.name, "viewer", VIEWER.password);
  // Another origin on this machine: same site, so a form it posts to the dashboard carries the dashboard's cookies.
  forger = createServer((request, response) => {
    const token = new URL(request.url!, "http://x").searchParams.get("token");
    response.setHeader("content-type", "text/html; charset=utf-8");
    response.end(`<!doctype html><form id="f" method="post" action="${base}/admin/customers/unlink">
<input name="source_system" value="karamad"><input name="code" value="C2">${token ? `<input name="_csrf" value="${token}">` : ""}</form>
<script>document.getElementById("f").submit()</script>`);
  });
  await new Promise<void>((resolve) => forger.listen(0, "127.0.0.1", resolve));
  forgerBase = `http://127.0.0.1:${(forger.address() as { port: number }).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise((resolve) => forger?.close(resolve));
});

describe("users and access", { timeout: 300_000 }, () => {
  it("signed out, every page and its data redirect to the sign-in page; the API keeps its own keys", async () => {
    for (const path of ["/", "/sales", "/sales.csv?preset=ytd", "/restaurants", "/sellers", "/quality?source=karamad", "/admin", "/admin/customers", "/no-such-page"]) {
      const answer = await fetch(`${base}${path}`, { redirect: "manual" });
      expect([path, answer.status, answer.headers.get("location")]).toEqual([path, 303, `/login?next=${encodeURIComponent(path)}`]);
    }
    const post = await fetch(`${base}/admin/customers/link`, { method: "POST", redirect: "manual", body: new URLSearchParams({ source_system: "karamad", code: "C1", key: "X" }) });
    expect([post.status, post.headers.get("location")]).toEqual([303, "/login"]);
    expect(await mappedCodes()).toEqual([]);
    expect((await fetch(`${base}/login`)).status).toBe(200);
    expect((await fetch(`${base}/assets/app.css`)).status).toBe(200);
    // The API answers for itself: 401 JSON without a key, data with one; no session involved.
    const noKey = await fetch(`${base}/api/v1/freshness`, { redirect: "manual" });
    expect([noKey.status, (await noKey.json()).error]).toEqual([401, "unauthorized"]);
    const key = await createKey(url, "viewer", "api-reader");
    expect((await fetch(`${base}/api/v1/freshness`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);

    // In the browser: the page asked for, then the sign-in form, then that page.
    const { page, errors, external } = await watchedPage(browser);
    await page.goto(`${base}/restaurants?metric=orders`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await screenshot(page, "sign-in", false);
    await page.fill("input[name=name]", VIEWER.name);
    await page.fill("input[name=password]", VIEWER.password);
    await Promise.all([page.waitForURL(`${base}/restaurants?metric=orders`), page.click("form.sign-in button[type=submit]")]);
    expect(await page.locator("header .account").innerText()).toMatch(/^omid \(viewer\)/);
    expect(await page.locator("main .notice").first().innerText()).toContain("No restaurant data");
    // Only this server's own paths are followed after signing in.
    expect((await attempt(VIEWER.name, VIEWER.password, "//elsewhere.example/x")).location).toBe("/");
    expect((await attempt(VIEWER.name, VIEWER.password, "https://elsewhere.example/")).location).toBe("/");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("a wrong password is refused; five failures lock that user name for 15 minutes, even against the right password", async () => {
    const { page } = await watchedPage(browser);
    await page.goto(`${base}/login`);
    await page.fill("input[name=name]", ADMIN.name);
    await page.fill("input[name=password]", "not-the-password");
    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("form.sign-in button[type=submit]")]);
    expect(refused.status()).toBe(401);
    expect(await page.locator("main .notice-problem").innerText()).toBe("Wrong user name or password.");
    expect(await page.inputValue("input[name=name]")).toBe(ADMIN.name);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain("salesdw_session");

    for (let failure = 2; failure <= 4; failure++) expect(await attempt(ADMIN.name, `wrong-${failure}`)).toMatchObject({ status: 401, message: "Wrong user name or password." });
    // The fifth failure locks the name, and says so.
    const fifth = await attempt(ADMIN.name, "wrong-5");
    expect(fifth.status).toBe(429);
    expect(fifth.message).toMatch(/^Too many failed sign-ins for "nasrin": locked until \d\d:\d\d UTC \(5 failures lock a name for 15 minutes\)/);
    const locked = await attempt(ADMIN.name, ADMIN.password);
    expect([locked.status, locked.message]).toEqual([429, fifth.message]);
    const [lock] = await sql(`select locked_until between now() + interval '14 minutes' and now() + interval '15 minutes' as fifteen_minutes from app.sign_in_attempts where user_name = 'nasrin'`);
    expect(lock).toEqual({ fifteen_minutes: true });
    // The lock is on that name only; an unknown name locks the same way (nothing tells which names exist).
    expect((await attempt(VIEWER.name, VIEWER.password)).status).toBe(303);
    for (let failure = 1; failure <= 4; failure++) expect((await attempt("nobody", "whatever-it-is")).status).toBe(401);
    expect((await attempt("nobody", "whatever-it-is")).status).toBe(429);
    expect((await attempt("nobody", "whatever-it-is")).status).toBe(429);

    // Once the 15 minutes are over (moved here rather than waited for), the right password works and the count starts again.
    await sql("update app.sign_in_attempts set locked_until = now() - interval '1 second' where user_name = 'nasrin'");
    expect(await attempt(ADMIN.name, ADMIN.password)).toMatchObject({ status: 303, location: "/quality" });
    expect(await sql("select 1 from app.sign_in_attempts where user_name = 'nasrin'")).toEqual([]);

    // An administrator may lift a lock at once.
    for (let failure = 1; failure <= 5; failure++) await attempt(VIEWER.name, "wrong-again");
    expect((await attempt(VIEWER.name, VIEWER.password)).status).toBe(429);
    const enabled = await runCli(["users", "enable", VIEWER.name], env());
    expect([enabled.code, enabled.stdout.trim()]).toEqual([0, 'Enabled viewer "omid".']);
    expect((await attempt(VIEWER.name, VIEWER.password)).status).toBe(303);
  });

  it("a viewer cannot reach the admin pages or write anything; an administrator's edits work", async () => {
    const viewer = await httpSignIn(base, VIEWER.name, VIEWER.password);
    for (const path of ["/admin", "/admin/customers", "/admin/products"]) {
      const answer = await fetch(`${base}${path}`, { headers: { cookie: viewer.cookie }, redirect: "manual" });
      expect([path, answer.status]).toEqual([path, 403]);
    }
    const write = await fetch(`${base}/admin/customers/link`, {
      method: "POST", redirect: "manual", headers: { cookie: viewer.cookie },
      body: new URLSearchParams({ source_system: "karamad", code: "C1", key: "VIEWER-WAS-HERE", _csrf: viewer.csrf }),
    });
    expect(write.status).toBe(403);
    expect(await mappedCodes()).toEqual([]);
    const { page: viewerPage } = await signedInPage(browser, viewer);
    const refused = await viewerPage.goto(`${base}/admin/customers`);
    expect(refused!.status()).toBe(403);
    expect(await viewerPage.locator("main .notice-problem").innerText()).toBe("The admin pages are for administrators; omid is a viewer. Ask an administrator to change what you need.");
    expect((await viewerPage.goto(`${base}/quality`))!.status()).toBe(200);

    const { page, errors, external } = await watchedPage(browser);
    await signIn(page, base, ADMIN.name, ADMIN.password, "/admin/customers");
    expect(await page.locator("header .account").innerText()).toMatch(/^nasrin \(admin\)/);
    await linkInPage(page, "C2", "CUSTOMER-TWO");
    const [mapped] = await sql("select customer_key, updated_by from admin.customer_map where source_customer_id = 'C2'");
    expect(mapped).toEqual({ customer_key: "CUSTOMER-TWO", updated_by: "nasrin" });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("a form posted from another origin without the CSRF token is refused, even in a signed-in administrator's browser", async () => {
    const { page } = await watchedPage(browser);
    await signIn(page, base, ADMIN.name, ADMIN.password, "/admin/customers");
    if (!(await mappedCodes()).includes("C2")) await linkInPage(page, "C2", "CUSTOMER-TWO");
    const token = await page.locator("form[action='/admin/customers/unlink'] input[name=_csrf]").first().inputValue();

    const [forged] = await Promise.all([page.waitForResponse(`${base}/admin/customers/unlink`), page.goto(`${forgerBase}/`)]);
    expect(forged.status()).toBe(403);
    await page.waitForURL(`${base}/admin/customers/unlink`);
    expect(await page.locator("main .notice-problem").innerText()).toMatch(/^Refused: this form was not sent from this page of salesdw/);
    expect(await mappedCodes()).toEqual(["C2"]);
    // A made-up token fares no better.
    const madeUp = await page.request.post(`${base}/admin/customers/unlink`, { form: { source_system: "karamad", code: "C2", _csrf: "made-up-token" }, maxRedirects: 0 });
    expect(madeUp.status()).toBe(403);
    expect(await mappedCodes()).toEqual(["C2"]);
    // The control: the same page from the same origin, now with the real token, goes through, so the token alone made the difference.
    const [genuine] = await Promise.all([page.waitForResponse(`${base}/admin/customers/unlink`), page.goto(`${forgerBase}/?token=${encodeURIComponent(token)}`)]);
    expect(genuine.status()).toBe(303);
    expect(await mappedCodes()).toEqual([]);
  });

  it("logout ends the session on the server: the page and an old copy of the cookie are sent to sign in", async () => {
    const { page, errors } = await watchedPage(browser);
    await signIn(page, base, VIEWER.name, VIEWER.password, "/quality");
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await fetch(`${base}/quality`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
    const sessions = async () => (await sql("select count(*)::int as n from app.sessions s join app.users u on u.id = s.user_id where u.name = 'omid'"))[0].n;
    const before = await sessions();
    await Promise.all([page.waitForURL(/\/login\?done=signed-out$/), page.click("header .account button")]);
    expect(await page.locator("main .notice-done").innerText()).toBe("Signed out.");
    await page.goto(`${base}/quality`);
    expect(new URL(page.url()).pathname).toBe("/login");
    const replayed = await fetch(`${base}/quality`, { headers: { cookie }, redirect: "manual" });
    expect([replayed.status, replayed.headers.get("location")]).toEqual([303, "/login?next=%2Fquality"]);
    expect(await sessions()).toBe(Number(before) - 1);
    expect(errors).toEqual([]);
  });

  it("users are added, listed, disabled and removed from the command line; passwords are kept only as salted scrypt hashes", async () => {
    const password = "leila-secret-password";
    await addUser(url, "leila", "viewer", password);
    await addUser(url, "leila2", "admin", password);
    const hashes = (await sql("select name, password_hash from app.users where name like 'leila%' order by name")).map((r) => String(r.password_hash));
    expect(hashes).toHaveLength(2);
    for (const hash of hashes) {
      expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
      expect(hash).not.toContain(password);
    }
    expect(hashes[0]).not.toBe(hashes[1]); // the same password, another salt

    const listed = await runCli(["users", "list"], env());
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^leila +viewer /m);
    expect(listed.stdout).toMatch(/^leila2 +admin /m);
    expect(listed.stdout + listed.stderr).not.toContain(password);

    const short = await runCliWithInput(["users", "add", "shorty", "--role", "viewer", "--password-stdin"], "2shortpw\n", env());
    expect([short.code, short.stderr.trim()]).toEqual([1, "error: The password is too short: use at least 10 characters."]);
    const twice = await runCliWithInput(["users", "add", "leila", "--role", "viewer", "--password-stdin"], `${password}\n`, env());
    expect([twice.code, twice.stderr.trim()]).toEqual([1, 'error: A user named "leila" exists already: remove it first (salesdw users remove leila) or choose another name.']);
    const noTerminal = await runCli(["users", "add", "someone", "--role", "viewer"], env());
    expect([noTerminal.code, noTerminal.stderr.trim()]).toEqual([1, "error: No terminal to ask for the password on: pass it on standard input with --password-stdin."]);
    expect(await sql("select name from app.users where name in ('shorty', 'someone')")).toEqual([]);

    // Disabling ends an open session at its next request and refuses new ones.
    const session = await httpSignIn(base, "leila", password);
    expect((await fetch(`${base}/quality`, { headers: { cookie: session.cookie }, redirect: "manual" })).status).toBe(200);
    expect((await runCli(["users", "disable", "leila"], env())).code).toBe(0);
    expect((await fetch(`${base}/quality`, { headers: { cookie: session.cookie }, redirect: "manual" })).status).toBe(303);
    expect(await attempt("leila", password)).toMatchObject({ status: 403, message: "This user is disabled: ask an administrator." });

    // Removing takes the user's sessions with it.
    await httpSignIn(base, "leila2", password);
    expect(await sql("select 1 from app.sessions s join app.users u on u.id = s.user_id where u.name = 'leila2'")).toHaveLength(1);
    const removed = await runCli(["users", "remove", "leila2"], env());
    expect([removed.code, removed.stdout.trim()]).toEqual([0, 'Removed user "leila2".']);
    expect(await sql("select 1 from app.sessions s left join app.users u on u.id = s.user_id where u.id is null")).toEqual([]);
    expect((await runCli(["users", "list"], env())).stdout).not.toMatch(/^leila2 /m);
    expect((await attempt("leila2", password)).status).toBe(401);
  });
});

async function linkInPage(page: Page, code: string, key: string): Promise<void> {
  const row = page.locator("#mappings tbody tr", { has: page.locator(`input[name=code][value=${code}]`) }).first();
  await row.locator("input[name=key]").fill(key);
  await Promise.all([page.waitForURL(/done=/), row.locator("button", { hasText: "Link" }).click()]);
}

// ---- sign-in per address, password changes, behind a proxy: HTTP-level, through fastify's inject ----

interface Injected {
  status: number;
  location: string | undefined;
  message: string;
  setCookies: string[];
}

const cookiePairs = (setCookies: string[]) => setCookies.map((c) => c.split(";")[0]);
const setCookiesOf = (headers: Record<string, unknown>) => ([] as string[]).concat((headers["set-cookie"] as string | string[] | undefined) ?? []);
/** A Cookie header with `pairs` set on top of it (a cookie set again replaces the old one, as in a browser). */
function mergeCookies(header: string, pairs: string[]): string {
  const jar = new Map(header.split("; ").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair] as const));
  for (const pair of pairs) jar.set(pair.slice(0, pair.indexOf("=")), pair);
  return [...jar.values()].join("; ");
}
const noticeOf = (body: string) => (/class="notice[^"]*"[^>]*>([^<]*)</.exec(body)?.[1] ?? "").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** A form as a browser at `remoteAddress` (with `headers`) gets it: its cookies and CSRF token. */
async function injectForm(server: FastifyInstance, path: string, remoteAddress: string, cookie = "", headers: Record<string, string> = {}) {
  const form = await server.inject({ method: "GET", url: path, remoteAddress, headers: { ...headers, ...(cookie && { cookie }) } });
  expect(form.statusCode, form.body).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  return { cookie: mergeCookies(cookie, cookiePairs(setCookiesOf(form.headers))), csrf };
}

async function injectPost(server: FastifyInstance, path: string, fields: Record<string, string>, remoteAddress: string, cookie: string, headers: Record<string, string> = {}): Promise<Injected> {
  const answer = await server.inject({
    method: "POST", url: path, remoteAddress,
    headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams(fields).toString(),
  });
  return { status: answer.statusCode, location: answer.headers.location as string | undefined, message: noticeOf(answer.body), setCookies: setCookiesOf(answer.headers) };
}

/** One sign-in through the form from `remoteAddress`; the session's Cookie header when it worked. */
async function injectSignIn(server: FastifyInstance, name: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) {
  const form = await injectForm(server, "/login", remoteAddress, "", headers);
  const answer = await injectPost(server, "/login", { name, password, next: "/", _csrf: form.csrf }, remoteAddress, form.cookie, headers);
  const session = cookiePairs(answer.setCookies).find((c) => c.startsWith("salesdw_session="));
  return { ...answer, cookie: session ? mergeCookies(form.cookie, [session]) : undefined };
}

/** Whether a Cookie header still opens a page (200) or is sent to sign in (303). */
async function opens(server: FastifyInstance, cookie: string, remoteAddress: string): Promise<number> {
  return (await server.inject({ method: "GET", url: "/account/password", remoteAddress, headers: { cookie } })).statusCode;
}

const ADDRESS_LOCK = /^Too many failed sign-ins from your address: sign-in from it is refused until \d\d:\d\d UTC \(20 failures from one address within 15 minutes, whatever the names, refuse it for 15 minutes\)\. Try again then\.$/;

describe("sign-in limit per address", { timeout: 300_000 }, () => {
  it("20 wrong passwords from one address, whatever the names, refuse sign-in from it for 15 minutes; other addresses still sign in", async () => {
    const attacker = "198.51.100.7";
    // Each name fails once only: the per-name lockout never fires, the address limit does.
    for (let i = 1; i <= 19; i++) {
      const refused = await injectSignIn(app, `guess${i}`, `wrong-password-${i}`, attacker);
      expect([i, refused.status, refused.message]).toEqual([i, 401, "Wrong user name or password."]);
    }
    const twentieth = await injectSignIn(app, "guess20", "wrong-password-20", attacker);
    expect(twentieth.status).toBe(429);
    expect(twentieth.message).toMatch(ADDRESS_LOCK);
    // The right password from that address is refused too, and no session is made.
    const right = await injectSignIn(app, VIEWER.name, VIEWER.password, attacker);
    expect([right.status, right.cookie]).toEqual([429, undefined]);
    expect(right.message).toMatch(ADDRESS_LOCK);
    // Another address is not affected.
    expect((await injectSignIn(app, VIEWER.name, VIEWER.password, "198.51.100.8")).status).toBe(303);

    const [row] = await sql(
      `select attempts, locked_until between now() + interval '14 minutes' and now() + interval '15 minutes' as fifteen_minutes
       from app.sign_in_attempts where user_name = 'ip:${attacker}'`,
    );
    expect(row).toEqual({ attempts: 20, fifteen_minutes: true });
    // No name was locked, and no password reached the table.
    expect(await sql("select user_name from app.sign_in_attempts where user_name like 'guess%' and (attempts > 1 or locked_until is not null)")).toEqual([]);
    const stored = JSON.stringify(await sql("select * from app.sign_in_attempts"));
    expect(stored).not.toContain("wrong-password");
    expect(stored).not.toContain(VIEWER.password);

    // Once the 15 minutes are over (moved here rather than waited for), the address signs in again.
    await sql(`update app.sign_in_attempts set locked_until = now() - interval '1 second' where user_name = 'ip:${attacker}'`);
    expect((await injectSignIn(app, VIEWER.name, VIEWER.password, attacker)).status).toBe(303);
  });

  it("a successful sign-in is not a failure of its address; a locked name's refusals neither", async () => {
    const office = "198.51.100.9";
    for (let i = 1; i <= 18; i++) expect((await injectSignIn(app, `typo${i}`, "wrong-password", office)).status).toBe(401);
    expect((await injectSignIn(app, VIEWER.name, VIEWER.password, office)).status).toBe(303);
    // 19 failures so far: the next one is still only wrong, the one after is the 20th.
    expect((await injectSignIn(app, "typo19", "wrong-password", office)).status).toBe(401);
    const [{ attempts }] = await sql(`select attempts from app.sign_in_attempts where user_name = 'ip:${office}'`);
    expect(attempts).toBe(19);

    const shared = "198.51.100.10";
    for (let i = 1; i <= 5; i++) await injectSignIn(app, "lockme", "wrong-password", shared);
    for (let i = 1; i <= 10; i++) expect((await injectSignIn(app, "lockme", "wrong-password", shared)).message).toMatch(/^Too many failed sign-ins for "lockme"/);
    const [{ attempts: counted }] = await sql(`select attempts from app.sign_in_attempts where user_name = 'ip:${shared}'`);
    expect(counted).toBe(5);
  });
});

describe("password changes", { timeout: 300_000 }, () => {
  const USER = { name: "parisa", password: "parisa-password-1" };
  const here = "192.0.2.77";

  it("a signed-in user changes their own password: current one checked, CSRF, minimum length; their other sessions end, this one stays", async () => {
    await addUser(url, USER.name, "viewer", USER.password);
    const kept = (await injectSignIn(app, USER.name, USER.password, here)).cookie!;
    const other = (await injectSignIn(app, USER.name, USER.password, "192.0.2.78")).cookie!;
    const form = await injectForm(app, "/account/password", here, kept);
    const hashBefore = (await sql("select password_hash from app.users where name = 'parisa'"))[0].password_hash;
    const change = (fields: Record<string, string>, csrf: string | null = form.csrf) =>
      injectPost(app, "/account/password", { ...fields, ...(csrf !== null && { _csrf: csrf }) }, here, form.cookie);

    const NEW = "parisa-new-password-2";
    expect((await change({ current: USER.password, password: NEW, again: NEW }, null)).status).toBe(403);
    expect((await change({ current: USER.password, password: NEW, again: NEW }, "made-up-token")).status).toBe(403);
    expect(await change({ current: "not-my-password", password: NEW, again: NEW })).toMatchObject({ status: 401, message: "The current password is wrong; nothing was changed." });
    expect(await change({ current: USER.password, password: "short-1", again: "short-1" })).toMatchObject({ status: 400, message: "The new password is too short: use at least 10 characters." });
    expect(await change({ current: USER.password, password: NEW, again: `${NEW}x` })).toMatchObject({ status: 400, message: "The new password and its repetition differ; nothing was changed." });
    expect(await change({ current: USER.password, password: USER.password, again: USER.password })).toMatchObject({ status: 400, message: "The new password is the current one: choose another." });
    expect((await sql("select password_hash from app.users where name = 'parisa'"))[0].password_hash).toBe(hashBefore);
    expect([await opens(app, kept, here), await opens(app, other, here)]).toEqual([200, 200]);

    const changed = await change({ current: USER.password, password: NEW, again: NEW });
    expect([changed.status, changed.location]).toEqual([303, "/account/password?done=changed"]);
    const done = await app.inject({ method: "GET", url: changed.location!, remoteAddress: here, headers: { cookie: kept } });
    expect(noticeOf(done.body)).toBe("Password changed. Your other sessions were signed out.");
    // This browser stays signed in; the other one is sent to sign in.
    expect([await opens(app, kept, here), await opens(app, other, here)]).toEqual([200, 303]);
    const [stored] = await sql("select password_hash from app.users where name = 'parisa'");
    expect(stored.password_hash).not.toBe(hashBefore);
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain(NEW);
    expect((await injectSignIn(app, USER.name, USER.password, here)).status).toBe(401);
    expect((await injectSignIn(app, USER.name, NEW, here)).status).toBe(303);
    // Signed out, the page and its post send you to sign in.
    expect((await app.inject({ method: "GET", url: "/account/password", remoteAddress: here })).headers.location).toBe("/login?next=%2Faccount%2Fpassword");
    expect((await injectPost(app, "/account/password", { current: NEW, password: "x".repeat(12), again: "x".repeat(12) }, here, "")).location).toBe("/login");
  });

  it("every page's header links to it; an administrator resets a password with `salesdw users password`: all the user's sessions end", async () => {
    const session = (await injectSignIn(app, USER.name, "parisa-new-password-2", here)).cookie!;
    const page = await app.inject({ method: "GET", url: "/account/password", remoteAddress: here, headers: { cookie: session } });
    expect(page.body).toMatch(/<div class="account">.*<a href="\/account\/password">Password<\/a>/s);

    const RESET = "parisa-reset-password-3";
    const reset = await runCliWithInput(["users", "password", USER.name, "--password-stdin"], `${RESET}\n`, env());
    expect([reset.code, reset.stderr]).toEqual([0, ""]);
    expect(reset.stdout.trim()).toMatch(/^Set the password of viewer "parisa"; \d+ open session\(s\) ended\.$/);
    expect(reset.stdout).not.toContain(RESET);
    expect(await opens(app, session, here)).toBe(303);
    expect(await sql("select 1 from app.sessions s join app.users u on u.id = s.user_id where u.name = 'parisa'")).toEqual([]);
    expect((await injectSignIn(app, USER.name, "parisa-new-password-2", here)).status).toBe(401);
    expect((await injectSignIn(app, USER.name, RESET, here)).status).toBe(303);

    const short = await runCliWithInput(["users", "password", USER.name, "--password-stdin"], "2shortpw\n", env());
    expect([short.code, short.stderr.trim()]).toEqual([1, "error: The password is too short: use at least 10 characters."]);
    const nobody = await runCliWithInput(["users", "password", "nobody-here", "--password-stdin"], `${RESET}\n`, env());
    expect([nobody.code, nobody.stderr.trim()]).toEqual([1, 'error: No user named "nobody-here"; see "salesdw users list".']);
    const noTerminal = await runCli(["users", "password", USER.name], env());
    expect([noTerminal.code, noTerminal.stderr.trim()]).toEqual([1, "error: No terminal to ask for the password on: pass it on standard input with --password-stdin."]);
    expect((await injectSignIn(app, USER.name, RESET, here)).status).toBe(303);
  });
});

describe("behind an HTTPS reverse proxy", { timeout: 300_000 }, () => {
  const FORWARDED = { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.20" };

  it("SALESDW_TRUST_PROXY is read strictly", () => {
    expect(trustProxySetting({})).toBe(false);
    expect(trustProxySetting({ SALESDW_TRUST_PROXY: "false" })).toBe(false);
    expect(trustProxySetting({ SALESDW_TRUST_PROXY: "true" })).toBe(true);
    expect(trustProxySetting({ SALESDW_TRUST_PROXY: " 127.0.0.1, 10.0.0.0/8,::1 " })).toBe("127.0.0.1,10.0.0.0/8,::1");
    expect(() => trustProxySetting({ SALESDW_TRUST_PROXY: "proxy.example" })).toThrow(/^SALESDW_TRUST_PROXY: cannot read "proxy.example"/);
    expect(() => trustProxySetting({ SALESDW_TRUST_PROXY: "10.0.0.0/33" })).toThrow(/SALESDW_TRUST_PROXY/);
  });

  it("trusted, an https request gets Secure cookies and the limit counts the client's address; untrusted, neither", async () => {
    const proxyRow = "select attempts, last_attempt_at from app.sign_in_attempts where user_name = 'ip:127.0.0.1'";
    const proxyBefore = await sql(proxyRow);
    const proxied = await buildServer({ url, sessionSecret: randomBytes(32).toString("base64url"), trustProxy: "127.0.0.1" });
    try {
      // The proxy at 127.0.0.1 forwards a client at 203.0.113.20 that spoke https to it.
      const signedIn = await injectSignIn(proxied, VIEWER.name, VIEWER.password, "127.0.0.1", FORWARDED);
      expect(signedIn.status).toBe(303);
      const sessionCookie = signedIn.setCookies.find((c) => c.startsWith("salesdw_session="))!;
      expect(sessionCookie).toMatch(/; Secure(;|$)/);
      expect(sessionCookie).toMatch(/; HttpOnly/);
      const form = await proxied.inject({ method: "GET", url: "/login", remoteAddress: "127.0.0.1", headers: FORWARDED });
      expect(setCookiesOf(form.headers).find((c) => c.startsWith("salesdw_csrf="))).toMatch(/; Secure(;|$)/);
      // The same proxy forwarding plain http: no Secure.
      const plain = await injectSignIn(proxied, VIEWER.name, VIEWER.password, "127.0.0.1", { "x-forwarded-for": "203.0.113.20", "x-forwarded-proto": "http" });
      expect(plain.setCookies.find((c) => c.startsWith("salesdw_session="))).not.toMatch(/Secure/);
      expect((await injectSignIn(proxied, "someone", "wrong-password", "127.0.0.1", { ...FORWARDED, "x-forwarded-for": "203.0.113.21" })).status).toBe(401);
      expect(await sql("select user_name from app.sign_in_attempts where user_name = 'ip:203.0.113.21'")).toEqual([{ user_name: "ip:203.0.113.21" }]);
      // Nothing was counted against the proxy's own address (the browser tests above sign in from 127.0.0.1 directly).
      expect(await sql(proxyRow)).toEqual(proxyBefore);
      // A client that is not the trusted proxy cannot choose its address with the header.
      expect((await injectSignIn(proxied, "someone", "wrong-password", "192.0.2.60", { ...FORWARDED, "x-forwarded-for": "203.0.113.22" })).status).toBe(401);
      expect((await sql("select user_name from app.sign_in_attempts where user_name in ('ip:203.0.113.22', 'ip:192.0.2.60')")).map((r) => r.user_name)).toEqual(["ip:192.0.2.60"]);
    } finally {
      await proxied.close();
    }

    // The default (no proxy trusted): the headers are the client's word and change nothing.
    const direct = await injectSignIn(app, VIEWER.name, VIEWER.password, "192.0.2.61", FORWARDED);
    expect(direct.status).toBe(303);
    expect(direct.setCookies.find((c) => c.startsWith("salesdw_session="))).not.toMatch(/Secure/);
    expect((await injectSignIn(app, "someone", "wrong-password", "192.0.2.61", { ...FORWARDED, "x-forwarded-for": "203.0.113.23" })).status).toBe(401);
    expect((await sql("select user_name from app.sign_in_attempts where user_name in ('ip:203.0.113.23', 'ip:192.0.2.61')")).map((r) => r.user_name)).toEqual(["ip:192.0.2.61"]);
  });
});
