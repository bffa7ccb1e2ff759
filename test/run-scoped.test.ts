/**
 * `salesdw run` builds only what new loads feed: after a first (full) build of Karamad and Reckon
 * data, one more Karamad file rebuilds Karamad's models and what lies downstream, leaves Reckon's
 * own models as they are (same relations: neither dropped nor re-created), keeps the views that
 * stay valid, and gives the same marts as a full rebuild. Expected sums come from the generator.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeKaramadMonth, type MonthTruth } from "../extract/samples/karamad.ts";
import { writeSampleMonths } from "../extract/samples/months.ts";
import { writeReckonSample } from "../extract/samples/reckon.ts";
import { CHANGES_DDL } from "../extract/warehouse/admin-schema.ts";
import { freshDatabase, queryRows, runCli, withClient } from "./support/warehouse.ts";

const BUILDS = 900_000;
let url: string;
let dir: string;
let config: string;
let months: MonthTruth[];
/** How many assertions the project has (read from the scoped build's output). */
let totalAssertions = 0;

const run = (args: string[] = []) => runCli(["run", "--config", config, ...args], { WAREHOUSE_URL: url, SALESDW_ALERT_WEBHOOK: "" });

/** Relation oid by schema.name: Dataform re-creates a table or view under a new oid. */
async function relations(): Promise<Map<string, number>> {
  const rows = await queryRows<{ name: string; oid: number }>(
    url,
    `select n.nspname || '.' || c.relname as name, c.oid::int as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('staging', 'canonical', 'dw', 'dq', 'mart') and c.relkind in ('r', 'v')`,
  );
  return new Map(rows.map((r) => [r.name, r.oid]));
}

/** What the marts hold, as text that must come out the same however the warehouse was built. */
async function marts(): Promise<Record<string, unknown>> {
  return {
    kpi_net_sales_daily: await queryRows(url, "select * from mart.kpi_net_sales_daily order by source_system, currency, day"),
    fct_sales_line: await queryRows(
      url,
      "select source_system, count(*) as lines, sum(net_amount)::text as net, sum(quantity)::text as quantity from dw.fct_sales_line group by 1 order by 1",
    ),
    issues: await queryRows(url, "select check_name, severity, table_name, count(*) as n from dq.issues group by 1, 2, 3 order by 1, 2, 3"),
    customers: await queryRows(url, "select source_system, count(*) as n from canonical.customer group by 1 order by 1"),
    products: await queryRows(url, "select count(*) as n from canonical.product"),
  };
}

const karamadNet = async () =>
  BigInt((await queryRows<{ net: string }>(url, "select coalesce(sum(net_amount), 0)::bigint::text as net from dw.fct_sales_line where source_system = 'karamad'"))[0].net);

beforeAll(async () => {
  url = await freshDatabase("run_scoped");
  dir = mkdtempSync(path.join(tmpdir(), "run-scoped-"));
  months = await writeSampleMonths(path.join(dir, "inbox", "karamad"), { months: 2, rowsPerMonth: 120 });
  writeReckonSample(path.join(dir, "inbox", "reckon"), { from: "2024-03-01", to: "2024-04-30", documentsPerDay: 2 });
  config = path.join(dir, "salesdw.yaml");
  writeFileSync(config, 'timezone: Asia/Tehran\nsources:\n  karamad:\n    files: "inbox/karamad/*.csv"\n  reckon:\n    files: "inbox/reckon/*.csv"\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("salesdw run after a new load of one source", () => {
  let before: Map<string, number>;

  it("builds everything the first time", async () => {
    const first = await run();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/dataform run: \d+ models \(first build\)/);
    expect(await karamadNet()).toBe(months.reduce((sum, m) => sum + m.signedNet, 0n));
    before = await relations();
    expect(before.has("staging.stg_reckon__sales_lines")).toBe(true);
  }, BUILDS);

  it("builds only what the new Karamad load feeds, and leaves Reckon's models alone", async () => {
    const third = await writeKaramadMonth(path.join(dir, "inbox", "karamad", "later.csv"), { jalaliYear: 1403, jalaliMonth: 5, lines: 60, seed: 99, invoicePrefix: "L" });
    months.push(third);
    const second = await run();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/dataform run: \d+ of \d+ models, what the new loads of karamad feed…/);
    expect(second.stdout).toMatch(/Models\s+\d+ built for karamad/);
    // The assertions ran with the models, only those over what was rebuilt, and all passed.
    const checked = /── Checks ──\n(\d+) assertions of (\d+), those over the models rebuilt…/.exec(second.stdout);
    expect(checked, second.stdout).not.toBeNull();
    const [scopedChecks, allChecks] = [Number(checked![1]), Number(checked![2])];
    expect(scopedChecks).toBeGreaterThan(0);
    expect(scopedChecks).toBeLessThan(allChecks);
    expect(second.stdout).toMatch(new RegExp(`^Assertions {2}${scopedChecks} passed \\(`, "m"));
    totalAssertions = allChecks;
    const [logged] = await queryRows<{ sources: string[]; models: string[] }>(
      url,
      "select s -> 'sources' as sources, s -> 'models' as models from raw._runs, jsonb_array_elements(steps) s where s ->> 'step' = 'models' order by run_id desc limit 1",
    );
    expect(logged.sources).toEqual(["karamad"]);
    // Karamad's models and what they feed ran; no model of Reckon's own did.
    expect(logged.models).toEqual(expect.arrayContaining(["staging.stg_karamad__sales_line", "canonical.sales_line", "canonical.customer", "dw.fct_sales_line", "mart.kpi_net_sales_daily", "dq.issues"]));
    expect(logged.models.filter((name) => /^(staging\.stg_reckon__|canonical\.(int_sales_line__reckon|reckon_))/.test(name))).toEqual([]);

    const after = await relations();
    // Reckon's staging reads only Reckon's raw tables: nothing of it may have been re-created.
    const reckonOnly = [...before.keys()].filter((name) => /^staging\.stg_reckon__/.test(name));
    expect(reckonOnly.length).toBeGreaterThan(3);
    for (const name of reckonOnly) expect([name, after.get(name)]).toEqual([name, before.get(name)]);
    // Karamad's tables were rebuilt (new relations).
    expect(after.get("canonical.customer")).not.toBe(before.get("canonical.customer"));
    // Every model of the project is still there.
    expect([...before.keys()].filter((name) => !after.has(name))).toEqual([]);

    expect(await karamadNet()).toBe(months.reduce((sum, m) => sum + m.signedNet, 0n));
  }, BUILDS);

  it("gives the same marts as a full rebuild", async () => {
    const scoped = await marts();
    expect((scoped.fct_sales_line as unknown[]).length).toBe(2);
    const full = await run(["--skip-extract", "--full-refresh"]);
    expect(full.code, full.stdout + full.stderr).toBe(0);
    expect(full.stdout).toMatch(/dataform run: \d+ models \(--full-refresh\)/);
    expect(await marts()).toEqual(scoped);
  }, BUILDS);

  it("rebuilds nothing when nothing is new", async () => {
    const again = await run();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Up to date: no new load and no model changed/);
  }, BUILDS);

  it("rebuilds after a customer was linked in the admin, though no load is new", async () => {
    const [customer] = await queryRows<{ customer_code: string }>(url, "select customer_code from dw.dim_customer where source_system = 'karamad' and not is_unknown order by 1 limit 1");
    // What the dashboard's admin writes for a link: the mapping row and its entry in the change log.
    await withClient(url, (client) => client.query(CHANGES_DDL));
    await queryRows(url, "insert into admin.customer_map (source_system, source_customer_id, customer_key, updated_by, updated_at) values ('karamad', $1, 'linked-in-admin', 'tester', now())", [customer.customer_code]);
    await queryRows(url, "insert into admin.map_changes (map_table, action, source_system, source_id, new_value, changed_by) values ('customer_map', 'link', 'karamad', $1, '{}', 'tester')", [customer.customer_code]);
    const after = await run();
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toMatch(/edited in the admin since run \d+/);
    const [dim] = await queryRows<{ unified_customer_key: string }>(url, "select unified_customer_key from dw.dim_customer where source_system = 'karamad' and customer_code = $1", [customer.customer_code]);
    expect(dim.unified_customer_key).toBe("linked-in-admin");
    const again = await run();
    expect(again.stdout).toMatch(/Up to date: no new load and no model changed/);
  }, BUILDS);

  it("checks every assertion in a scoped build when the last checks failed", async () => {
    // A broken fact row makes the checks fail (checks only: nothing is rebuilt); then it is mended
    // by hand, as a person fixing data would, which no load or build records.
    const [row] = await queryRows<{ key: string; product_key: string }>(url, "select sales_line_key as key, product_key from dw.fct_sales_line order by sales_line_key limit 1");
    await queryRows(url, "update dw.fct_sales_line set product_key = 'no-such-product' where sales_line_key = $1", [row.key]);
    const failing = await run(["--skip-extract", "--skip-models"]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^Assertions {2}\d+ passed, 1 failed \(dq_assertions\.assert_fct_sales_line_dimensions\)/m);
    await queryRows(url, "update dw.fct_sales_line set product_key = $2 where sales_line_key = $1", [row.key, row.product_key]);
    // …so the next scoped build, which rebuilds the facts, checks all of them, not only its own.
    months.push(await writeKaramadMonth(path.join(dir, "inbox", "karamad", "latest.csv"), { jalaliYear: 1403, jalaliMonth: 6, lines: 30, seed: 7, invoicePrefix: "M" }));
    const next = await run();
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(/dataform run: \d+ of \d+ models, what the new loads of karamad feed…/);
    expect(totalAssertions).toBeGreaterThan(0);
    expect(next.stdout).toMatch(new RegExp(`── Checks ──\\n${totalAssertions} assertions…`));
    expect(next.stdout).toMatch(new RegExp(`^Assertions {2}${totalAssertions} passed \\(`, "m"));
    expect(await karamadNet()).toBe(months.reduce((sum, m) => sum + m.signedNet, 0n));
  }, BUILDS);
});
