/**
 * `salesdw warehouse roles`: each role can do its job and is refused the rest. Logins are made
 * the way the README says (a member of the group, with `set role` as its default).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dataform } from "../extract/dataform.ts";
import { writeKaramadMonth, type MonthTruth } from "../extract/samples/karamad.ts";
import { freshDatabase, queryRows, runCli, withClient } from "./support/warehouse.ts";

let admin: string;
let months: MonthTruth[];
const urls: Record<string, string> = {};

function loginUrl(user: string): string {
  const url = new URL(admin);
  url.username = user;
  url.password = `pw-${user}`;
  return url.toString();
}

async function refused(url: string, sql: string): Promise<string> {
  try {
    await withClient(url, (client) => client.query(sql));
  } catch (error) {
    return (error as Error).message;
  }
  return "allowed";
}

beforeAll(async () => {
  admin = await freshDatabase("roles");
  const dir = mkdtempSync(path.join(tmpdir(), "roles-"));
  months = [
    await writeKaramadMonth(path.join(dir, "a.csv"), { jalaliYear: 1404, jalaliMonth: 1, lines: 200 }),
    await writeKaramadMonth(path.join(dir, "b.csv"), { jalaliYear: 1404, jalaliMonth: 2, lines: 200 }),
  ];
  // An existing warehouse built by the admin, then handed over to the roles.
  expect((await runCli(["extract", "karamad", months[0].file], { WAREHOUSE_URL: admin })).code).toBe(0);
  expect((await dataform("run", admin)).code).toBe(0);
  const first = await runCli(["warehouse", "roles"], { WAREHOUSE_URL: admin });
  expect(first.code).toBe(0);
  const again = await runCli(["warehouse", "roles"], { WAREHOUSE_URL: admin });
  expect(again.code).toBe(0); // idempotent
  await withClient(admin, async (client) => {
    for (const [user, role] of [["etl_user", "salesdw_loader"], ["dataform_user", "salesdw_transformer"], ["dashboard_user", "salesdw_reader"]]) {
      await client.query(`drop role if exists ${user}`);
      await client.query(`create role ${user} login password 'pw-${user}' in role ${role}`);
      await client.query(`alter role ${user} set role ${role}`);
      urls[role] = loginUrl(user);
    }
  });
});

describe("least-privilege roles", () => {
  it("the loader lands files in raw and is refused everything else", async () => {
    const url = urls.salesdw_loader;
    const result = await runCli(["extract", "karamad", months[1].file], { WAREHOUSE_URL: url });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/b\.csv: loaded 200 rows/);
    expect(await refused(url, "select * from mart.kpi_daily")).toMatch(/permission denied/);
    expect(await refused(url, "select * from dw.fct_sales_line")).toMatch(/permission denied/);
    expect(await refused(url, "create table staging.sneaky (x int)")).toMatch(/permission denied/);
    expect(await refused(url, "delete from canonical.sales_line")).toMatch(/permission denied/);
  });

  it("the transformer builds the models from raw and cannot change raw", async () => {
    const url = urls.salesdw_transformer;
    const run = await dataform("run", url);
    expect(run.failedActions).toEqual([]);
    expect(run.assertionsFailed).toEqual([]);
    expect(run.code).toBe(0);
    const [lines] = await queryRows<{ n: number }>(admin, "select count(*)::int as n from canonical.sales_line");
    expect(lines.n).toBe(months[0].lines + months[1].lines);
    expect(await refused(url, "delete from raw.karamad__sales_line")).toMatch(/permission denied/);
    expect(await refused(url, "insert into raw._loads (source, entity, raw_table, file_name, sha256, status, started_at) values ('x','x','x','x','x','loaded', now())")).toMatch(/permission denied/);
    expect(await refused(url, "drop table raw._rejects")).toMatch(/must be owner/);
  });

  it("the reader reads mart and nothing else", async () => {
    const url = urls.salesdw_reader;
    const [kpi] = await queryRows<{ n: number }>(url, "select count(*)::int as n from mart.kpi_daily");
    expect(kpi.n).toBeGreaterThan(0);
    expect(await refused(url, "select * from dw.fct_sales_line limit 1")).toMatch(/permission denied/);
    expect(await refused(url, "select * from raw._loads limit 1")).toMatch(/permission denied/);
    expect(await refused(url, "select * from canonical.sales_line limit 1")).toMatch(/permission denied/);
    expect(await refused(url, "create table mart.sneaky (x int)")).toMatch(/permission denied/);
    expect(await refused(url, "delete from mart.kpi_daily")).toMatch(/permission denied|cannot delete/);
  });
});
