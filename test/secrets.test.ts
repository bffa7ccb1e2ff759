/**
 * A recognisable password in WAREHOUSE_URL must never show up: not in any output of the CLI
 * (success and failure paths alike), not in raw, dq or mart, not in files the repo tracks.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../extract/config.ts";
import { writeKaramadMonth } from "../extract/samples/karamad.ts";
import { freshDatabase, queryRows, runCli, withClient } from "./support/warehouse.ts";

const CANARY = "Canary-Pa55word-7f3a9";
let adminUrl: string;
let url: string;
let dir: string;

beforeAll(async () => {
  adminUrl = await freshDatabase("secrets");
  const database = new URL(adminUrl).pathname.slice(1);
  await withClient(adminUrl, async (client) => {
    await client.query(`drop role if exists secret_user`);
    await client.query(`create role secret_user login password '${CANARY}'`);
    await client.query(`alter database "${database}" owner to secret_user`);
    await client.query(`alter schema public owner to secret_user`);
  });
  const parsed = new URL(adminUrl);
  parsed.username = "secret_user";
  parsed.password = CANARY;
  url = parsed.toString();
  dir = mkdtempSync(path.join(tmpdir(), "secrets-"));
});

function expectNoCanary(text: string) {
  expect(text).not.toContain(CANARY);
  expect(text).not.toContain(encodeURIComponent(CANARY));
}

describe("secrets", () => {
  it("never prints the password, whatever happens", async () => {
    const good = await writeKaramadMonth(path.join(dir, "good.csv"), { jalaliYear: 1404, jalaliMonth: 1, lines: 30, brokenRows: 2 });
    const refused = path.join(dir, "refused.csv");
    writeFileSync(refused, "a,b,c\n1,2,3\n");
    const wrongPassword = new URL(url);
    wrongPassword.password = `${CANARY}-wrong`;
    const closedPort = new URL(url);
    closedPort.port = "1";

    const runs = [
      await runCli(["extract", "karamad", good.file, refused, path.join(dir, "missing.csv")], { WAREHOUSE_URL: url }),
      await runCli(["extract", "karamad", good.file], { WAREHOUSE_URL: url }),
      await runCli(["extract", "karamad", good.file], { WAREHOUSE_URL: wrongPassword.toString() }),
      await runCli(["extract", "karamad", good.file], { WAREHOUSE_URL: closedPort.toString() }),
      await runCli(["warehouse", "status"], { WAREHOUSE_URL: url }),
      await runCli(["check"], { WAREHOUSE_URL: url }),
      await runCli(["extract", "nosuchsource", good.file], { WAREHOUSE_URL: url }),
    ];
    for (const run of runs) {
      expectNoCanary(run.stdout);
      expectNoCanary(run.stderr);
    }
    // The failure paths did fail, and said why without the password.
    expect(runs[2].code).toBe(1);
    expect(runs[2].stderr).toMatch(/Cannot connect to the warehouse at 127\.0\.0\.1:\d+\/\w+: password authentication failed/);
    expect(runs[3].code).toBe(1);
    expect(runs[3].stderr).toMatch(/Cannot connect to the warehouse at 127\.0\.0\.1:1\//);
  });

  it("keeps the password out of the warehouse's tables", async () => {
    const rows = await queryRows<{ table_name: string }>(
      adminUrl,
      `select c.table_schema || '.' || c.table_name as table_name
       from information_schema.tables c
       where c.table_schema in ('raw', 'staging', 'canonical', 'dw', 'mart', 'dq')`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const { table_name } of rows) {
      const [found] = await queryRows<{ n: number }>(adminUrl, `select count(*)::int as n from ${table_name} t where t::text like $1`, [`%${CANARY}%`]);
      expect(found.n, table_name).toBe(0);
    }
  });

  it("keeps credentials files out of git", () => {
    for (const file of [".env", ".df-credentials.json", ".warehouse/warehouse.json"]) {
      const ignored = execFileSync("git", ["check-ignore", "-q", file, "&&", "echo"], { cwd: projectRoot, shell: true, encoding: "utf8" });
      expect(ignored).toBe("\n");
    }
    const tracked = execFileSync("git", ["ls-files"], { cwd: projectRoot, encoding: "utf8" });
    expect(tracked.split("\n")).not.toContain(".df-credentials.json");
  });
});
