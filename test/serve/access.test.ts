/**
 * Users and access in a real browser: signing in, a wrong password, the lockout, redirects when
 * signed out, a viewer refused the admin, an administrator's edits, logout, and a forged form
 * post from another origin on this machine (same site, so the browser sends its cookies) refused
 * for want of the CSRF token. Users are made with `salesdw users` as an administrator makes them.
 */
import { createServer, type Server } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
