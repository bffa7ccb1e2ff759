/**
 * `salesdw warehouse start | status | url | stop` on a warehouse of its own (own folder and
 * port), exactly as a user runs it, then `dataform run` against it with the credentials it wrote.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { freePort } from "./support/net.ts";
import { runCli, runProcess } from "./support/warehouse.ts";
import { projectRoot } from "../extract/config.ts";

const dir = mkdtempSync(path.join(tmpdir(), "salesdw-wh-"));
chmodSync(dir, 0o755); // as root the server runs as "postgres", which must reach the folder
const credentials = path.join(dir, "df-credentials.json");
let env: Record<string, string>;

afterAll(async () => {
  await runCli(["warehouse", "stop"], env);
  rmSync(dir, { recursive: true, force: true });
});

describe("salesdw warehouse", () => {
  it("starts an embedded PostgreSQL with SSL, reports it, prints only a URL, and stops it", async () => {
    env = { WAREHOUSE_DIR: path.join(dir, "wh"), WAREHOUSE_PORT: String(await freePort()), DATAFORM_CREDENTIALS: credentials, WAREHOUSE_URL: "" };
    const started = await runCli(["warehouse", "start"], env);
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/Embedded warehouse started on port \d+/);
    expect(started.stdout).not.toMatch(/postgres:\/\/\w+:[^*]/); // no password on screen

    const status = await runCli(["warehouse", "status"], env);
    expect(status.stdout).toMatch(new RegExp(`running on port ${env.WAREHOUSE_PORT}`));

    const url = await runCli(["warehouse", "url"], env);
    expect(url.stdout.trim()).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/salesdw$/);
    expect(url.stdout.trim().split("\n")).toHaveLength(1);

    // SSL is on (Dataform insists) and the credentials file points at the same server.
    const client = new pg.Client({ connectionString: url.stdout.trim(), ssl: { rejectUnauthorized: false } });
    await client.connect();
    const { rows } = await client.query("select ssl from pg_stat_ssl where pid = pg_backend_pid()");
    await client.end();
    expect(rows[0].ssl).toBe(true);
    expect(statSync(credentials).mode & 0o077).toBe(0);
    const written = JSON.parse(readFileSync(credentials, "utf8"));
    expect(written).toMatchObject({ host: "127.0.0.1", port: Number(env.WAREHOUSE_PORT), databaseName: "salesdw", username: "postgres" });

    // A second start is harmless.
    const again = await runCli(["warehouse", "start"], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already running/);
  });

  it("lets the Dataform CLI connect with the credentials it wrote", async () => {
    const dataform = path.join(projectRoot, "node_modules", ".bin", "dataform");
    const listed = await runProcess(dataform, ["run", projectRoot, "--dry-run", "--credentials", credentials, "--track=false", "--timeout", "10m"], env);
    expect(listed.stderr).not.toMatch(/SSL|ECONNREFUSED|password authentication/);
    expect(listed.code).toBe(0);
  });

  it("stops and says so; status then reports it is not running", async () => {
    const stopped = await runCli(["warehouse", "stop"], env);
    expect(stopped.stdout).toMatch(/stopped/);
    const status = await runCli(["warehouse", "status"], env);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/not running/);
    expect(existsSync(path.join(env.WAREHOUSE_DIR, "data", "PG_VERSION"))).toBe(true); // data kept
  });
});
