/**
 * The sync jobs page and the catalog, on one warehouse, in a real browser: an admin starts iiko
 * syncs from the page against the iiko sandbox; each job runs Dataform for what iiko feeds only
 * (the restaurant marts match the sandbox's own figures, models of other sources are left
 * alone); then the catalog (API and page) is compared with the graph this test compiles itself
 * and with SQL it runs itself.
 */
import type { FastifyInstance } from "fastify";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../extract/config.ts";
import { dataform, dataformArgv } from "../../extract/dataform.ts";
import { startIikoSandbox, type IikoSandbox } from "../../extract/sandbox/iiko/server.ts";
import { buildServer } from "../../extract/serve/server.ts";
import { freshDatabase, queryRows, runCli, runProcess } from "../support/warehouse.ts";
import { call, createKey } from "./api-support.ts";
import { addUser, drawnPixels, httpSignIn, launchBrowser, screenshot, signIn, watchedPage } from "./support.ts";

let db: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let box: IikoSandbox;
let admin: string;
let viewer: string;

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []) => queryRows<T>(db, text, params);
const ADMIN_PASSWORD = "maryam-pass-1234";
const VIEWER_PASSWORD = "vahid-pass-1234";

/** Revenue in hundredths per "server|day", as the sandbox serves it: deleted orders out, storno receipts negative. */
function sandboxRevenue(days: string[]): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const server of box.servers.map((s) => s.name)) {
    for (const day of days) {
      let cents = 0n;
      for (const order of box.orders(server, day).filter((o) => o.deleted === "NOT_DELETED")) {
        for (const dish of order.dishes) cents += BigInt(order.storned ? -Math.abs(dish.discountedCents) : dish.discountedCents);
      }
      if (box.orders(server, day).some((o) => o.deleted === "NOT_DELETED")) out[`${server}|${day}`] = cents;
    }
  }
  return out;
}

async function martRevenue(): Promise<Record<string, bigint>> {
  const rows = await sql<{ key: string; cents: string }>(
    "select source_server || '|' || business_day::text as key, (sum(revenue) * 100)::bigint::text as cents from mart.sales_summary_daily group by 1",
  );
  return Object.fromEntries(rows.map((r) => [r.key, BigInt(r.cents)]));
}

async function jobFinished(id: number) {
  for (let polls = 0; polls < 6000; polls++) {
    const [job] = await sql("select status, errors, output, rows_loaded from app.sync_jobs where job_id = $1", [id]);
    if (job.status !== "running") return job;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`job ${id} never finished`);
}

interface Compiled {
  tables: Action[];
  operations: Action[];
  assertions: Action[];
  declarations: Action[];
}
interface Action {
  target: { schema: string; name: string };
  type?: string;
  tags?: string[];
  actionDescriptor?: { description?: string; columns?: { description?: string; path: string[] }[] };
  dependencyTargets?: { schema: string; name: string }[];
}
const nameOf = (a: Action) => `${a.target.schema}.${a.target.name}`;

beforeAll(async () => {
  db = await freshDatabase("catalog_jobs");
  expect((await runCli(["warehouse", "roles"], { WAREHOUSE_URL: db })).code).toBe(0);
  admin = await createKey(db, "admin", "maryam-key");
  viewer = await createKey(db, "viewer", "vahid-key");
  await addUser(db, "maryam", "admin", ADMIN_PASSWORD);
  await addUser(db, "vahid", "viewer", VIEWER_PASSWORD);
  box = await startIikoSandbox({ servers: 2, seats: 1 });
  app = await buildServer({ url: db, jobs: { env: { ...box.env(), IIKO_RETRY_BACKOFF_MS: "10" } } });
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await box?.close();
});

describe("the sync jobs page", () => {
  it("is for signed-in admins only, and refuses a form posted without the page's token", async () => {
    const out = await fetch(`${base}/admin/jobs`, { redirect: "manual" });
    expect(out.status).toBeGreaterThanOrEqual(300);
    expect(out.headers.get("location")).toMatch(/^\/login/);
    const vahid = await httpSignIn(base, "vahid", VIEWER_PASSWORD);
    expect((await fetch(`${base}/admin/jobs`, { headers: { cookie: vahid.cookie }, redirect: "manual" })).status).toBe(403);
    const maryam = await httpSignIn(base, "maryam", ADMIN_PASSWORD);
    const forged = await fetch(`${base}/admin/jobs`, {
      method: "POST", body: new URLSearchParams({ source: "iiko" }), redirect: "manual", headers: { cookie: maryam.cookie },
    });
    expect(forged.status).toBe(403);
    expect(await sql("select 1 from app.sync_jobs")).toHaveLength(0);
  });

  it("starts iiko syncs for chosen days and lists them; each builds only what iiko feeds, and the restaurant mart matches the sandbox", { timeout: 1_500_000 }, async () => {
    const { page, errors, external } = await watchedPage(browser);
    await signIn(page, base, "maryam", ADMIN_PASSWORD, "/admin/jobs");
    const start = async (from: string, to: string) => {
      await page.goto(`${base}/admin/jobs`);
      expect(await page.locator("#sync-sources option[value=iiko]").count()).toBe(1);
      await page.locator("#sync-form input[name=source]").fill("iiko");
      await page.locator("#sync-form input[name=from]").fill(from);
      await page.locator("#sync-form input[name=to]").fill(to);
      await Promise.all([page.waitForURL(/done=/), page.locator("#sync-form button").click()]);
      const said = await page.locator(".notice-done").innerText();
      const id = Number(/^Job (\d+) started: iiko from (\S+) to (\S+)\.$/.exec(said)?.[1]);
      expect(said).toBe(`Job ${id} started: iiko from ${from} to ${to}.`);
      const [row] = await sql("select source, range_from::text as from, range_to::text as to, requested_by from app.sync_jobs where job_id = $1", [id]);
      expect(row).toEqual({ source: "iiko", from, to, requested_by: "maryam" });
      const listed = page.locator("#jobs tbody tr").first();
      expect(await listed.locator("td").first().innerText()).toBe(String(id));
      return id;
    };

    // First sync on an empty warehouse: what iiko feeds, and whatever upstream of it is missing.
    const first = await start("2025-04-01", "2025-04-02");
    // While it runs, a second job for iiko is refused with the running job's id.
    await page.locator("#sync-form input[name=source]").fill("iiko");
    await Promise.all([page.waitForURL(/problem=/), page.locator("#sync-form button").click()]);
    // The first job runs Dataform for minutes: it is still running.
    expect(await page.locator(".notice-problem").innerText()).toBe(`A sync of iiko is already running: job ${first}.`);
    const one = await jobFinished(first);
    expect(one.errors).toEqual([]);
    expect(one.status).toBe("succeeded");
    expect(await martRevenue()).toEqual(sandboxRevenue(["2025-04-01", "2025-04-02"]));

    // Second sync, warehouse built: the restaurant tables are rebuilt (Dataform builds a table anew:
    // a new oid), a table iiko does not feed (canonical.xero_item, built here) is left alone.
    const xeroItem = await dataform("run", db, ["--actions", "canonical.xero_item"]);
    expect(xeroItem.failedActions, xeroItem.output).toEqual([]);
    const oid = async (relation: string) => (await sql<{ oid: string }>("select to_regclass($1)::oid::text as oid", [relation]))[0].oid;
    const before = { daily: await oid("dw.fct_sales_daily"), date: await oid("canonical.xero_item") };
    expect(before.daily).not.toBeNull();
    const second = await start("2025-04-03", "2025-04-03");
    const two = await jobFinished(second);
    expect(two.errors).toEqual([]);
    expect(two.status).toBe("succeeded");
    expect(await oid("dw.fct_sales_daily")).not.toBe(before.daily);
    expect(await oid("canonical.xero_item")).toBe(before.date);
    expect(await martRevenue()).toEqual(sandboxRevenue(["2025-04-01", "2025-04-02", "2025-04-03"]));

    // The list shows both with their status, rows and no errors, as app.sync_jobs holds them.
    await page.goto(`${base}/admin/jobs`);
    const want = await sql("select job_id::text as id, status, rows_loaded::text as rows from app.sync_jobs where source = 'iiko' and job_id in ($1, $2) order by job_id desc", [first, second]);
    for (const job of want) {
      const row = page.locator("#jobs tbody tr", { has: page.locator(`td:first-child:text-is("${job.id}")`) });
      const cells = await row.locator("td").allInnerTexts();
      expect([cells[0], cells[3], cells[7].replace(/,/g, ""), cells[9]]).toEqual([job.id, job.status, job.rows, ""]);
    }
    await screenshot(page, "jobs", false);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});

describe("the catalog", () => {
  let compiled: Compiled;
  let runFinished: string;

  beforeAll(async () => {
    const compile = await runProcess(process.execPath, dataformArgv(["compile", projectRoot, "--json"]));
    compiled = JSON.parse(compile.stdout.slice(compile.stdout.search(/^\{\s*$/m)));
    // A run log as `salesdw run` writes it: the models built (one failed), the checks (one failed).
    const [run] = await sql<{ finished: Date }>(
      `insert into raw._runs (status, finished_at, steps) values ('failed', now(), $1) returning finished_at as finished`,
      [JSON.stringify([
        { step: "models", name: "dataform run", status: "failed", started_at: new Date().toISOString(), finished_at: new Date().toISOString(), built: 10, failed: ["mart.kpi_daily"] },
        { step: "checks", name: "assertions", status: "failed", started_at: new Date().toISOString(), finished_at: new Date().toISOString(), passed: 3, failed: ["dq_assertions.assert_fct_sales_hourly_adds_up"] },
      ])],
    );
    expect(run).toBeDefined();
    const built = await dataform("run", db, ["--actions", "mart.etl_run_log"]);
    expect(built.failedActions, built.output).toEqual([]);
    const [step] = await sql<{ at: Date }>("select finished_at as at from mart.etl_run_log where step = 'models'");
    runFinished = step.at.toISOString();
  }, 600_000);

  it("GET /api/v1/catalog: every model of the compiled graph with its documentation, assertions, rows, last build and lineage", { timeout: 600_000 }, async () => {
    expect((await call(base, "/api/v1/catalog")).status).toBe(401);
    const answer = await call(base, "/api/v1/catalog", { key: viewer });
    expect(answer.status, answer.text).toBe(200);
    const models = answer.body.models as Record<string, any>[];
    const actions = [...compiled.declarations, ...compiled.tables, ...compiled.operations];
    expect(models.map((m) => m.name).sort()).toEqual(actions.map(nameOf).sort());
    const known = new Set(actions.map(nameOf));

    const relations = new Map((await sql<{ name: string; kind: string }>(
      "select n.nspname || '.' || c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'v', 'p')",
    )).map((r) => [r.name, r.kind]));
    let counted = 0;
    for (const action of actions) {
      const model = models.find((m) => m.name === nameOf(action))!;
      const isDeclaration = compiled.declarations.includes(action);
      expect(model, nameOf(action)).toMatchObject({
        schema: action.target.schema,
        type: isDeclaration ? "declaration" : compiled.operations.includes(action) ? "operation" : action.type,
        description: action.actionDescriptor?.description ?? null,
        tags: action.tags ?? [],
        columns: (action.actionDescriptor?.columns ?? []).map((c) => ({ name: c.path.join("."), description: c.description ?? null })),
        upstream: isDeclaration ? [] : [...new Set((action.dependencyTargets ?? []).map((t) => `${t.schema}.${t.name}`).filter((n) => known.has(n)))].sort(),
        last_built_at: isDeclaration || nameOf(action) === "mart.kpi_daily" ? null : runFinished,
      });
      const assertions = compiled.assertions.filter((a) => (a.dependencyTargets ?? []).some((t) => `${t.schema}.${t.name}` === nameOf(action)));
      expect(model.assertions.map((a: any) => [a.name, a.last_result]).sort(), nameOf(action)).toEqual(
        assertions.map((a) => [nameOf(a), nameOf(a) === "dq_assertions.assert_fct_sales_hourly_adds_up" ? "failed" : "passed"]).sort(),
      );
      // Rows: a count for each table this warehouse has (all small here), none for views.
      if (relations.get(model.name) === "r") {
        const [{ rows }] = await sql<{ rows: string }>(`select count(*)::text as rows from ${model.name}`);
        expect([model.name, model.row_count, model.row_count_estimated]).toEqual([model.name, Number(rows), false]);
        counted++;
      } else if (relations.get(model.name) === "v") expect(model.row_count).toBeNull();
    }
    expect(counted).toBeGreaterThan(10);
    // Downstream is upstream read the other way.
    for (const model of models) for (const down of model.downstream) expect(models.find((m) => m.name === down)!.upstream).toContain(model.name);
    const restaurant = models.find((m) => m.name === "mart.sales_summary_daily")!;
    expect(restaurant.sources).toEqual(["iiko"]);

    const freshness = await sql("select source_system, loads::int as loads from mart.data_freshness order by 1");
    expect(answer.body.freshness.map((f: any) => ({ source_system: f.source_system, loads: f.loads }))).toEqual(freshness);
    expect(freshness.map((f) => f.source_system)).toContain("iiko");

    // Search: name, description, tags or columns.
    const found = await call(base, "/api/v1/catalog?q=Discount", { key: admin });
    const needle = "discount";
    expect(found.body.models.map((m: any) => m.name).sort()).toEqual(
      actions.filter((a) => [nameOf(a), a.actionDescriptor?.description ?? "", ...(a.tags ?? []), ...(a.actionDescriptor?.columns ?? []).flatMap((c) => [c.path.join("."), c.description ?? ""])]
        .some((t) => t.toLowerCase().includes(needle))).map(nameOf).sort(),
    );
    expect(found.body.models.length).toBeGreaterThan(0);
    expect((await call(base, `/api/v1/catalog?q=${"x".repeat(201)}`, { key: viewer })).body).toMatchObject({ error: "invalid_parameter", parameter: "q" });
    const openapi = await call(base, "/api/v1/openapi.json");
    expect(Object.keys(openapi.body.paths)).toContain("/api/v1/catalog");
  });

  it("the page lists the models with freshness beside them, searches, and shows a model's columns, assertions and lineage", { timeout: 300_000 }, async () => {
    const { page, errors, external } = await watchedPage(browser);
    await signIn(page, base, "vahid", VIEWER_PASSWORD, "/sales");
    await Promise.all([page.waitForURL(/\/catalog$/), page.locator("header nav a", { hasText: "Catalog" }).click()]);
    expect(await page.locator("header nav a[aria-current=page]").innerText()).toBe("Catalog");
    const all = (await call(base, "/api/v1/catalog", { key: viewer })).body.models as Record<string, any>[];
    expect(await page.locator("#models tbody tr").count()).toBe(all.length);
    expect(await page.locator("#freshness tbody tr td:first-child").allInnerTexts()).toEqual((await sql("select source_system from mart.data_freshness order by 1")).map((r) => r.source_system));

    await page.locator("#catalog-search").fill("guests");
    await Promise.all([page.waitForURL(/q=guests/), page.locator("form[role=search] button").click()]);
    const shown = await page.locator("#models tbody tr td:first-child").allInnerTexts();
    const want = all.filter((m) => [m.name, m.description ?? "", ...m.tags, ...m.columns.flatMap((c: any) => [c.name, c.description ?? ""])].some((t: string) => t.toLowerCase().includes("guests")));
    expect(shown.sort()).toEqual(want.map((m) => m.name).sort());

    await Promise.all([page.waitForURL(/mart\.sales_summary_daily$/), page.locator("#models a", { hasText: "mart.sales_summary_daily" }).click()]);
    const action = compiled.tables.find((t) => nameOf(t) === "mart.sales_summary_daily")!;
    expect(await page.locator("#columns tbody tr td:first-child").allInnerTexts()).toEqual(action.actionDescriptor!.columns!.map((c) => c.path.join(".")));
    expect(await page.locator("#upstream li").allInnerTexts()).toEqual((action.dependencyTargets ?? []).map((t) => `${t.schema}.${t.name}`).sort());
    await page.waitForSelector("#lineage[data-drawn=true]");
    expect(await drawnPixels(page, "#lineage")).toBeGreaterThan(2000);
    await screenshot(page, "catalog");

    await page.goto(`${base}/catalog/dw.fct_sales_hourly`);
    const result = await page.locator("#assertions tbody tr", { hasText: "assert_fct_sales_hourly_adds_up" }).locator("td").nth(2).innerText();
    expect(result).toBe("failed");
    expect((await page.goto(`${base}/catalog/mart.nothing`))!.status()).toBe(404);
    expect(errors.filter((e) => !/404/.test(e))).toEqual([]);
    expect(external).toEqual([]);
  });
});
