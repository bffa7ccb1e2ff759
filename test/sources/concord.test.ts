/**
 * ConcordDb (SQL Server): the TDS sandbox read by three independent clients, and the extractor
 * against it (discovery, drift, snapshot, change capture, faults, secrets).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sql from "mssql";
import { startConcordSandbox, type ConcordSandbox } from "../../extract/sandbox/concord/sandbox.ts";
import type { SqlType } from "../../extract/sandbox/tds/types.ts";
import { asMillisecondDate, canonical, readWithMssql, readWithPytds, readWithTsql, tsqlDatetime, type Endpoint } from "./concord-peers.ts";
import { cliPath, freshDatabase, queryRows, runCli } from "../support/warehouse.ts";
import { formatScaled } from "../../extract/sandbox/tds/values.ts";
import { dataform } from "../../extract/dataform.ts";

const trimZeros = (decimal: string) => (decimal.includes(".") ? decimal.replace(/0+$/, "").replace(/\.$/, "") : decimal);

function endpointOf(sandbox: ConcordSandbox): Endpoint {
  return { host: "127.0.0.1", port: sandbox.port, user: sandbox.user, password: sandbox.password, database: "ConcordDb" };
}

describe("ConcordDb sandbox on the wire", () => {
  let sandbox: ConcordSandbox;
  beforeAll(async () => {
    sandbox = await startConcordSandbox({ sales: 12 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  /** Compares what each client read with the value the sandbox holds; returns the differences. */
  function differences(table: string, rowsWanted: number, mssqlRows: Record<string, unknown>[], tsql: { columns: string[]; rows: string[][] }, pytds: { columns: string[]; rows: (string | null)[][] }) {
    const t = sandbox.db.table(table);
    const held = [...t.scan()].slice(0, rowsWanted);
    const problems: string[] = [];
    expect(mssqlRows.length).toBe(held.length);
    expect(tsql.rows.length).toBe(held.length);
    expect(pytds.rows.length).toBe(held.length);
    expect(tsql.columns).toEqual(t.columns.map((c) => c.name));
    expect(pytds.columns).toEqual(t.columns.map((c) => c.name));
    held.forEach((row, r) => {
      t.columns.forEach((column, c) => {
        const where = `${table} row ${r + 1} ${column.name} (${column.type.name})`;
        const expected = canonical(column.type, row[c]);
        const viaMssql = mssqlRows[r][column.name];
        const viaTsql = tsql.rows[r][c];
        const viaPytds = pytds.rows[r][c];
        const report = (client: string, got: unknown) => problems.push(`${where}: ${client} read ${JSON.stringify(got)?.slice(0, 80)}, the sandbox holds ${JSON.stringify(expected)?.slice(0, 80)}`);
        if (expected === null) {
          if (viaMssql !== null) report("mssql", viaMssql);
          if (viaTsql !== "NULL") report("tsql", viaTsql);
          if (viaPytds !== null) report("python-tds", viaPytds);
          return;
        }
        const type: SqlType = column.type;
        switch (type.name) {
          case "money":
          case "decimal": {
            // Exact as text through FreeTDS and python-tds; tedious hands over a JavaScript number (hence the CAST in the extractor's SELECT).
            if (viaTsql !== expected) report("tsql", viaTsql);
            // python-tds's Decimal drops trailing fractional zeros: the same number.
            if (viaPytds === null || trimZeros(viaPytds) !== trimZeros(expected)) report("python-tds", viaPytds);
            const n = Number(expected);
            if (typeof viaMssql !== "number" || Math.abs(viaMssql - n) > Math.abs(n) * 1e-15 + 1e-12) report("mssql", viaMssql);
            return;
          }
          case "float":
            if (viaMssql !== Number(expected)) report("mssql", viaMssql);
            if (Number(viaTsql) !== Number(expected)) report("tsql", viaTsql);
            if (Number(viaPytds) !== Number(expected)) report("python-tds", viaPytds);
            return;
          case "bit":
            if (viaMssql !== (expected === "1")) report("mssql", viaMssql);
            if (viaTsql !== expected) report("tsql", viaTsql);
            if (viaPytds !== expected) report("python-tds", viaPytds);
            return;
          case "varbinary":
            if (!Buffer.isBuffer(viaMssql) || viaMssql.toString("hex") !== expected) report("mssql", viaMssql);
            if (viaTsql.toLowerCase() !== expected) report("tsql", viaTsql);
            if (viaPytds !== expected) report("python-tds", viaPytds);
            return;
          case "datetime2":
            // python-tds keeps all 7 digits; tedious gives milliseconds; tsql prints minutes by default.
            if (viaPytds !== expected) report("python-tds", viaPytds);
            if (!(viaMssql instanceof Date) || viaMssql.toISOString() !== asMillisecondDate(expected)) report("mssql", viaMssql);
            if (viaTsql !== tsqlDatetime(expected)) report("tsql", viaTsql);
            return;
          default:
            if (String(viaMssql) !== expected) report("mssql", viaMssql);
            // tsql prints C strings: a NUL character ends what it shows (python-tds and tedious read past it).
            if (viaTsql !== expected.split("\u0000")[0]) report("tsql", viaTsql);
            if (viaPytds !== expected) report("python-tds", viaPytds);
        }
      });
    });
    return { problems, held };
  }

  it("mssql, FreeTDS tsql and python-tds read the same values the sandbox holds, for every type ConcordDb uses", async () => {
    const endpoint = endpointOf(sandbox);
    const checked: { type: SqlType; value: unknown }[] = [];
    for (const [table, rows] of [["Client", 40], ["OrderItem", 36], ["SaleInvoiceDocument", 40], ["ClientBankDetailIbanNo", 30]] as const) {
      const withParams = `SELECT TOP (@n) * FROM [dbo].[${table}] WHERE [ID] > @after ORDER BY [ID]`;
      const viaMssql = await readWithMssql(endpoint, withParams, { n: rows, after: 0 });
      const viaTsql = await readWithTsql(endpoint, `SELECT TOP (${rows}) * FROM [dbo].[${table}] WHERE [ID] > 0 ORDER BY [ID]`);
      const viaPytds = await readWithPytds(endpoint, `SELECT TOP (%(n)s) * FROM [dbo].[${table}] WHERE [ID] > %(after)s ORDER BY [ID]`, { n: rows, after: 0 });
      const { problems, held } = differences(table, rows, viaMssql, viaTsql, viaPytds);
      expect(problems).toEqual([]);
      const t = sandbox.db.table(table);
      for (const row of held) t.columns.forEach((c, i) => checked.push({ type: c.type, value: row[i] }));
    }
    // The comparison covered the hard cases, not just easy values.
    const texts = checked.filter((c) => c.type.name === "nvarchar").map((c) => c.value as string | null);
    expect(texts.some((t) => t !== null && Buffer.byteLength(t, "utf16le") > 8000)).toBe(true);
    expect(texts.some((t) => t?.includes("\u0000"))).toBe(true);
    expect(texts.some((t) => t === "")).toBe(true);
    expect(texts.some((t) => t === null)).toBe(true);
    expect(texts.some((t) => /[\u{10000}-\u{10FFFF}]/u.test(t ?? ""))).toBe(true);
    expect(texts.some((t) => /[іїєґ]/.test(t ?? "") )).toBe(true);
    expect(texts.some((t) => /[ąęłńóśźż]/.test(t ?? ""))).toBe(true);
    const decimals = checked.filter((c) => c.type.name === "decimal" && c.value !== null).map((c) => canonical(c.type, c.value as bigint)!);
    expect(decimals.some((d) => d.replace(/[-.]/g, "").replace(/^0+/, "").length >= 20)).toBe(true);
    const money = checked.filter((c) => c.type.name === "money").map((c) => canonical(c.type, c.value as bigint)!);
    expect(money.some((m) => String(Number(m)) !== m.replace(/\.?0+$/, ""))).toBe(true); // more digits than a double keeps
    const times = checked.filter((c) => c.type.name === "datetime2" && c.value !== null).map((c) => c.value as string);
    expect(times.some((t) => !t.endsWith("0"))).toBe(true);
  });

  it("answers an unknown statement with an error naming it, and a wrong password with a login failure", async () => {
    const endpoint = endpointOf(sandbox);
    await expect(readWithMssql(endpoint, "DELETE FROM [dbo].[Client]", {})).rejects.toThrow(/does not answer this statement: DELETE FROM \[dbo\]\.\[Client\]/);
    await expect(readWithMssql(endpoint, "SELECT TOP (1) [Name] FROM dbo.Order ORDER BY [ID]", {})).rejects.toThrow(/Incorrect syntax near the keyword 'Order'/);
    await expect(readWithMssql({ ...endpoint, password: "wrong-password" }, "SELECT 1", {})).rejects.toThrow(/Login failed for user 'concord_reader'/);
    const tsql = await readWithTsql(endpoint, "SELECT TOP (2) [Nope] FROM [dbo].[Client] ORDER BY [ID]").catch((e: Error) => e);
    expect(String(tsql)).toMatch(/Invalid column name 'Nope'/);
  });

  it("cancels a slow query on ATTENTION and the connection stays usable", async () => {
    sandbox.faults.slowQuery = { table: "ClientType", ms: 60_000, times: 1 };
    const pool = new sql.ConnectionPool({
      server: "127.0.0.1",
      port: sandbox.port,
      user: sandbox.user,
      password: sandbox.password,
      database: "ConcordDb",
      pool: { max: 1 },
      options: { encrypt: false },
    });
    await pool.connect();
    try {
      const request = pool.request();
      const pending = request.query("SELECT TOP (5) [ID] FROM [dbo].[ClientType] ORDER BY [ID]");
      setTimeout(() => request.cancel(), 200);
      await expect(pending).rejects.toMatchObject({ code: "ECANCEL" });
      const again = await pool.request().query("SELECT TOP (5) [ID], [Name] FROM [dbo].[ClientType] ORDER BY [ID]");
      expect(again.recordset.map((r: { Name: string }) => r.Name)).toEqual(["Покупець", "Постачальник"]);
    } finally {
      await pool.close();
      sandbox.faults.slowQuery = undefined;
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The extractor against the sandbox.

/** What the warehouse should hold for a value the sandbox serves, worked out here independently of the extractor. */
function landedText(type: SqlType, value: unknown): string | null {
  if (value === null) return null;
  const scaled = (v: bigint, scale: number) => {
    const digits = (v < 0n ? -v : v).toString().padStart(scale + 1, "0");
    return `${v < 0n ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  };
  switch (type.name) {
    case "bit":
      return value ? "1" : "0";
    case "money":
      return scaled(value as bigint, 4);
    case "decimal":
      return scaled(value as bigint, type.scale);
    case "varbinary":
      return "0x" + (value as Buffer).toString("hex").toUpperCase();
    case "nvarchar":
      return (value as string).replaceAll("\u0000", "\u2400");
    default:
      return String(value);
  }
}

describe("salesdw sandbox mssql --data FILE.json", () => {
  /** A value as the data file writes it: exact text for bigint, decimal, money and datetime2, hex for binary. */
  function fileValue(type: SqlType, value: unknown): unknown {
    if (value === null) return null;
    switch (type.name) {
      case "bigint":
        return String(value);
      case "decimal":
        return formatScaled(value as bigint, type.scale);
      case "money":
        return formatScaled(value as bigint, 4);
      case "varbinary":
        return "0x" + (value as Buffer).toString("hex").toUpperCase();
      default:
        return value;
    }
  }

  /** Starts `salesdw sandbox mssql` in a child process and waits for the CONCORD_URL it prints. */
  async function startCliSandbox(args: string[]): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
    const child = spawn(process.execPath, [cliPath, "sandbox", "mssql", ...args], { env: { ...process.env, CI: "true" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      const take = (chunk: Buffer) => {
        output += chunk;
        const match = /CONCORD_URL='([^']+)'/.exec(output);
        if (match) resolve(match[1]);
      };
      child.stdout.on("data", take);
      child.stderr.on("data", take);
      child.on("close", (code) => reject(new Error(`the sandbox ended (code ${code}) before printing CONCORD_URL:\n${output}`)));
    });
    return {
      url,
      output: () => output,
      stop: () =>
        new Promise<void>((resolve) => {
          child.once("close", () => resolve());
          child.kill("SIGTERM");
        }),
    };
  }

  it("serves the file's tables: the extractor lands their exact values, change tracking at the file's versions; a bad value is one line naming it", async () => {
    // The file: three ConcordDb tables taken from a generated sandbox (Cyrillic text, long text, decimal(30,14) of 20
    // significant digits, money, datetime2 to 100 ns), one of them change-tracked with a history, plus a table of its own.
    const generated = await startConcordSandbox({ sales: 3 });
    const tables: Record<string, unknown> = {};
    try {
      for (const name of ["Client", "SaleInvoiceDocument", "OrderItem"]) {
        const t = generated.db.table(name);
        const rows = [...t.scan()].map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, fileValue(c.type, row[i])])));
        tables[name] = { rows };
      }
      const orderItem = tables.OrderItem as { rows: Record<string, unknown>[] };
      orderItem.rows[0].PricePerItem = "123456.78901234567890";
      orderItem.rows[0].Qty = 2.5;
    } finally {
      await generated.close();
    }
    tables.SaleInvoiceDocument = { ...(tables.SaleInvoiceDocument as object), changeTracking: { minValidVersion: "40", changes: [{ ID: "1", operation: "U", version: "41" }] } };
    tables.Probe = {
      columns: [
        { name: "ID", type: "bigint" },
        { name: "Big", type: "bigint", nullable: true },
        { name: "Amount", type: "decimal(30,14)", nullable: true },
        { name: "At", type: "datetime2", nullable: true },
        { name: "Name", type: "nvarchar(100)", nullable: true },
      ],
      rows: [
        { ID: "7", Big: "9007199254740993", Amount: "-98765432109876.54321098765432", At: "2025-02-28 23:59:59.9999999", Name: "Гнатюк Ґалина" },
        { ID: "3", Name: null },
      ],
    };
    const dir = await mkdtemp(path.join(os.tmpdir(), "concord-data-"));
    const file = path.join(dir, "concord.json");
    await writeFile(file, JSON.stringify({ changeTrackingVersion: "42", tables }, null, 1));

    const sandbox = await startCliSandbox(["--data", file]);
    try {
      expect(sandbox.output()).toContain("salesdw ConcordDb sandbox");
      expect(sandbox.output()).toContain(`Serving 4 tables from ${file}`);
      const endpoint = new URL(sandbox.url);
      const probe = await readWithMssql(
        { host: endpoint.hostname, port: Number(endpoint.port), user: decodeURIComponent(endpoint.username), password: decodeURIComponent(endpoint.password), database: "ConcordDb" },
        "SELECT TOP (@n) [ID], [Big], CAST([Amount] AS nvarchar(40)) AS [Amount], [Name] FROM [dbo].[Probe] WHERE [ID] > @after ORDER BY [ID]",
        { n: 10, after: 0 },
      );
      expect(probe).toEqual([
        { ID: "3", Big: null, Amount: null, Name: null },
        { ID: "7", Big: "9007199254740993", Amount: "-98765432109876.54321098765432", Name: "Гнатюк Ґалина" },
      ]);

      const url = await freshDatabase("concord_data_file");
      const run = await runCli(["extract", "concord", "--tables", "Client,SaleInvoiceDocument,OrderItem"], { WAREHOUSE_URL: url, CONCORD_URL: sandbox.url });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/dbo\.SaleInvoiceDocument: loaded \d+ rows .*cursor at change-tracking version 42\)/);
      expect(run.stdout).toMatch(/dbo\.OrderItem: loaded \d+ rows .*cursor at comparison run 1\)/);
      const columnName = (sqlName: string) => sqlName.replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
      const problems: string[] = [];
      for (const [name, table] of Object.entries(tables)) {
        if (name === "Probe") continue;
        const want = (table as { rows: Record<string, unknown>[] }).rows;
        const landed = await queryRows<Record<string, string | null>>(url, `select * from raw."concord__${name.toLowerCase()}" order by id::numeric`);
        expect(landed.length).toBe(want.length);
        want.forEach((row, r) => {
          for (const [column, value] of Object.entries(row)) {
            const have = landed[r][columnName(column)];
            const expected = value === null ? null : typeof value === "boolean" ? (value ? "1" : "0") : typeof value === "string" && column === "NetUID" ? value.toUpperCase() : String(value).replaceAll("\u0000", "\u2400");
            const same = typeof value === "number" ? have !== null && Number(have) === value : have === expected;
            if (!same) problems.push(`${name} ID ${row.ID} ${column}: raw has ${JSON.stringify(have)?.slice(0, 50)}, the file ${JSON.stringify(value)?.slice(0, 50)}`);
          }
        });
      }
      expect(problems).toEqual([]);
      const [price] = await queryRows<{ price_per_item: string; qty: string }>(url, "select price_per_item, qty from raw.concord__orderitem order by id::numeric limit 1");
      expect(price).toEqual({ price_per_item: "123456.78901234567890", qty: "2.5" });
    } finally {
      await sandbox.stop();
    }

    // A value the file gets wrong: one line naming the file, table, row and column; no server starts.
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ tables: { SaleInvoiceDocument: { rows: [{ ...(tables.SaleInvoiceDocument as { rows: Record<string, unknown>[] }).rows[0], Vat: 12.5 }] } } }));
    const refused = await runCli(["sandbox", "mssql", "--data", bad]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split("\n")).toEqual([expect.stringContaining(`${bad}: tables.SaleInvoiceDocument.rows[0].Vat (money): expected the exact number as text`)]);
    await rm(dir, { recursive: true, force: true });
  }, 600_000);
});

describe("ConcordDb extractor", () => {
  const saved = { ...process.env };
  afterAll(() => {
    for (const name of Object.keys(process.env)) if (name.startsWith("CONCORD_")) delete process.env[name];
    Object.assign(process.env, saved);
  });

  async function extract(sandbox: ConcordSandbox, url: string, options: Record<string, unknown>) {
    process.env.CONCORD_URL = sandbox.url;
    const { pullSources } = await import("../../extract/sources/registry.ts");
    return pullSources.concord.run(url, { pageSize: 500, ...options });
  }

  /** The current state of a table in raw: the latest version of each key, deletes removed (what staging's current-state models compute). */
  async function currentState(url: string, entity: string): Promise<Map<string, Record<string, string | null>>> {
    const rows = await queryRows<Record<string, string | null>>(
      url,
      `select * from (select distinct on (id::numeric) * from raw."concord__${entity}" order by id::numeric, _load_id desc) s where sync_operation <> 'delete'`,
    );
    return new Map(rows.map((r) => [r.id!, r]));
  }

  /** The table as the sandbox holds it, each value as the warehouse should hold it. */
  function sourceState(sandbox: ConcordSandbox, table: string): Map<string, Record<string, string | null>> {
    const t = sandbox.db.table(table);
    const out = new Map<string, Record<string, string | null>>();
    for (const row of t.scan()) {
      const record: Record<string, string | null> = {};
      t.columns.forEach((c, i) => (record[c.name] = landedText(c.type, row[i])));
      out.set(String(row[0]), record);
    }
    return out;
  }

  function expectSameState(sandbox: ConcordSandbox, table: string, warehouse: Map<string, Record<string, string | null>>) {
    const source = sourceState(sandbox, table);
    expect([...warehouse.keys()].sort()).toEqual([...source.keys()].sort());
    const t = sandbox.db.table(table);
    const problems: string[] = [];
    for (const [id, expected] of source) {
      const got = warehouse.get(id)!;
      for (const column of t.columns) {
        const name = columnName(column.name);
        const want = expected[column.name];
        const have = got[name];
        const same = column.type.name === "float" ? (want === null ? have === null : have !== null && !/e/i.test(have) && Number(have) === Number(want)) : have === want;
        if (!same) problems.push(`${table} ${id} ${column.name}: raw has ${JSON.stringify(have)?.slice(0, 60)}, the source ${JSON.stringify(want)?.slice(0, 60)}`);
      }
    }
    expect(problems).toEqual([]);
  }

  const columnName = (sqlName: string) =>
    sqlName.replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

  it("lands a snapshot with exact values: money and decimal(30,14) as text, datetime2 to 100 ns, GUIDs, binary as hex, NUL characters, long text", async () => {
    const sandbox = await startConcordSandbox({ sales: 8 });
    try {
      const url = await freshDatabase("concord_snapshot");
      const results = await extract(sandbox, url, { tables: ["Client", "OrganizationClient", "SaleInvoiceDocument", "OrderItem", "ClientType"] });
      expect(results.map((r) => r.status)).toEqual(["loaded", "loaded", "loaded", "loaded", "loaded"]);
      for (const [table, entity] of [["Client", "client"], ["OrganizationClient", "organizationclient"], ["SaleInvoiceDocument", "saleinvoicedocument"], ["OrderItem", "orderitem"], ["ClientType", "clienttype"]]) {
        const state = await currentState(url, entity);
        expectSameState(sandbox, table, state);
        for (const row of state.values()) {
          expect(row.sync_operation).toBe("snapshot");
          expect(row.sync_row_hash).toMatch(/^[0-9a-f]{32}$/);
        }
      }
      // Tracked tables carry the change-tracking version the snapshot was read at; others the run number.
      const versions = await queryRows<{ entity: string; v: string }>(url, "select 'client' as entity, max(sync_version) as v from raw.concord__client union all select 'clienttype', max(sync_version) from raw.concord__clienttype order by 1");
      expect(versions).toEqual([{ entity: "client", v: String(sandbox.db.version) }, { entity: "clienttype", v: "1" }]);
      // The NUL character is kept visible (PostgreSQL text cannot hold it) and the row says so.
      const [nul] = await queryRows<{ comment: string; _extra: Record<string, string> }>(url, "select comment, _extra from raw.concord__client where comment like '%\u2400%'");
      expect(nul).toEqual({ comment: "перший\u2400другий (NUL між словами)", _extra: { "salesdw:nul_replaced": "comment" } });
      const [long] = await queryRows<{ n: number }>(url, "select max(length(comment)) as n from raw.concord__client");
      expect(long.n).toBeGreaterThan(4000);
      const [digits] = await queryRows<{ d: string }>(url, "select price_per_item as d from raw.concord__orderitem order by length(price_per_item) desc limit 1");
      expect(digits.d.replace(/[-.]/g, "").length).toBeGreaterThanOrEqual(29);
      // What was sent: keyset pages with server-side conversions; Updated is never a cursor.
      const sent = sandbox.statements.map((s) => s.sql);
      expect(sent.some((s) => s.includes("CONVERT(nvarchar(30), [MarginAmount], 2) AS [MarginAmount]") && /WHERE \[ID\] > @after ORDER BY \[ID\]$/.test(s))).toBe(true);
      expect(sent.some((s) => s.includes("CAST([PricePerItem] AS nvarchar(48)) AS [PricePerItem]"))).toBe(true);
      expect(sent.some((s) => s.includes("CONVERT(nvarchar(27), [Created], 121) AS [Created]"))).toBe(true);
      expect(sent.filter((s) => /Updated\]?\s*[><]/i.test(s) || /OFFSET/i.test(s))).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("captures an update that left Updated alone, a soft delete and a hard delete, with change tracking and by comparison", async () => {
    const sandbox = await startConcordSandbox({});
    try {
      const url = await freshDatabase("concord_changes");
      const tables = ["Client", "ClientType", "ClientSubClient"];
      expect(sandbox.db.table("Client").changeTracking).toBeDefined();
      expect(sandbox.db.table("ClientType").changeTracking).toBeUndefined();
      await extract(sandbox, url, { tables });
      const client = sandbox.db.table("Client");
      const before = await currentState(url, "client");
      client.update(3n, { Name: "ТОВ «Перейменований» (без Updated)" }, { touchUpdated: false });
      client.softDelete(4n);
      client.hardDelete(5n);
      const inserted = client.insert({ Name: "Новий клієнт", IsIndividual: true, IsActive: true, IsSubClient: false, IsBlocked: false, IsTradePoint: false, IsPayForDelivery: false, IsIncotermsElse: false, IsTemporaryClient: false, ClearCartAfterDays: 3, IsFromECommerce: false, IsForRetail: false, IsWorkplace: false, IsNotResident: false, OrderExpireDays: 0 });
      sandbox.db.table("ClientType").update(1n, { Name: "Покупець (оновлено)" }, { touchUpdated: false });
      sandbox.db.table("ClientType").softDelete(2n);
      sandbox.db.table("ClientSubClient").hardDelete(1n);

      const second = await extract(sandbox, url, { tables });
      expect(second.map((r) => r.message)).toEqual([
        expect.stringMatching(/dbo\.Client: loaded 4 rows .*changes from change tracking: 1 insert, 2 update, 1 delete/),
        expect.stringMatching(/dbo\.ClientSubClient: loaded 1 rows .*compared with raw: 1 delete/),
        expect.stringMatching(/dbo\.ClientType: loaded 2 rows .*compared with raw: 2 update/),
      ]);
      const events = await queryRows<Record<string, string | null>>(url, "select id, sync_operation, name, deleted, updated from raw.concord__client where _load_id = (select max(_load_id) from raw.concord__client) order by id::numeric");
      expect(events).toEqual([
        { id: "3", sync_operation: "update", name: "ТОВ «Перейменований» (без Updated)", deleted: before.get("3")!.deleted, updated: before.get("3")!.updated },
        { id: "4", sync_operation: "update", name: before.get("4")!.name, deleted: "1", updated: before.get("4")!.updated },
        { id: "5", sync_operation: "delete", name: null, deleted: null, updated: null },
        { id: String(inserted), sync_operation: "insert", name: "Новий клієнт", deleted: "0", updated: expect.any(String) },
      ]);
      for (const [table, entity] of [["Client", "client"], ["ClientType", "clienttype"], ["ClientSubClient", "clientsubclient"]]) {
        expectSameState(sandbox, table, await currentState(url, entity));
      }
      // Nothing changed since: nothing lands, the cursors move on.
      const third = await extract(sandbox, url, { tables });
      expect(third.map((r) => r.status)).toEqual(["skipped", "skipped", "skipped"]);
      const cursors = await queryRows<{ entity: string; cursor: { mode: string; version?: string; run: number } }>(url, "select entity, cursor from raw._sync_state where source = 'concord' order by entity");
      expect(cursors.map((c) => [c.entity, c.cursor.mode, c.cursor.version ?? null, c.cursor.run])).toEqual([
        ["client", "change_tracking", String(sandbox.db.version), 3],
        ["clientsubclient", "compare", null, 3],
        ["clienttype", "compare", null, 3],
      ]);
      // Change tracking was read with the saved version, never with Updated.
      expect(sandbox.statements.some((s) => /FROM CHANGETABLE\(CHANGES \[dbo\]\.\[Client\], @since\)/.test(s.sql) && s.params.get("since")?.value === 1000n)).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it("compares in full when the saved change-tracking version is older than the oldest kept, then tracks changes again", async () => {
    const sandbox = await startConcordSandbox({});
    try {
      const url = await freshDatabase("concord_expired");
      await extract(sandbox, url, { tables: ["Client"] });
      const client = sandbox.db.table("Client");
      client.update(6n, { FullName: "Змінено без Updated" }, { touchUpdated: false });
      client.hardDelete(7n);
      client.expireChangeTracking();
      const warnings: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string) => (warnings.push(String(chunk)), true)) as typeof process.stderr.write;
      let second;
      try {
        second = await extract(sandbox, url, { tables: ["Client"] });
      } finally {
        process.stderr.write = write;
      }
      expect(warnings.join("")).toMatch(/dbo\.Client: the saved change-tracking version 1000 is older than the oldest kept \(1002\): the history is gone, so the table is compared in full again/);
      expect(second[0].message).toMatch(/compared with raw: 1 update, 1 delete; cursor at change-tracking version 1002/);
      expectSameState(sandbox, "Client", await currentState(url, "client"));
      client.softDelete(8n);
      const third = await extract(sandbox, url, { tables: ["Client"] });
      expect(third[0].message).toMatch(/changes from change tracking: 1 update; cursor at change-tracking version 1003/);
      expectSameState(sandbox, "Client", await currentState(url, "client"));
    } finally {
      await sandbox.close();
    }
  });

  it("lands rows of a table that was empty when they appear (decimal(30,14) exact)", async () => {
    const sandbox = await startConcordSandbox({});
    try {
      const url = await freshDatabase("concord_fill");
      const first = await extract(sandbox, url, { tables: ["OrderItem"] });
      expect(first[0].message).toMatch(/dbo\.OrderItem: the table is empty/);
      const items = sandbox.db.table("OrderItem");
      const base = { OrderID: 1n, ProductID: 42n, Qty: 2.5, IsValidForCurrentSale: true, PricePerItem: 1234567890123456_12345678901234n, OneTimeDiscount: 15n, FromOfferQty: 0, IsFromOffer: false, OrderedQty: 2.5, ExchangeRateAmount: 412_345n, OfferProcessingStatus: 0, UnpackedQty: 0, DiscountAmount: 0n, PricePerItemWithoutVat: -98765432109876_54321098765432n, ReturnedQty: 0, IsFromReSale: false, Vat: 1n, InvoiceDocumentQty: 0.1 + 0.2, IsClosed: false, IsFromShiftedItem: false };
      items.insert(base);
      items.insert({ ...base, Comment: "друга позиція", Qty: 1e-7 });
      const second = await extract(sandbox, url, { tables: ["OrderItem"] });
      expect(second[0].message).toMatch(/changes from change tracking: 2 insert/);
      const rows = await queryRows<Record<string, string>>(url, "select price_per_item, price_per_item_without_vat, vat, one_time_discount, exchange_rate_amount, qty, invoice_document_qty from raw.concord__orderitem order by id::numeric");
      expect(rows).toEqual([
        { price_per_item: "1234567890123456.12345678901234", price_per_item_without_vat: "-98765432109876.54321098765432", vat: "0.00000000000001", one_time_discount: "0.0015", exchange_rate_amount: "41.2345", qty: "2.5", invoice_document_qty: "0.30000000000000004" },
        { price_per_item: "1234567890123456.12345678901234", price_per_item_without_vat: "-98765432109876.54321098765432", vat: "0.00000000000001", one_time_discount: "0.0015", exchange_rate_amount: "41.2345", qty: "0.0000001", invoice_document_qty: "0.30000000000000004" },
      ]);
    } finally {
      await sandbox.close();
    }
  });

  it("syncs only the tables of the phases asked for, and refuses phases with tables", async () => {
    const sandbox = await startConcordSandbox({ rows: { ClientBankDetailAccountNumber: 40, ClientBankDetailIbanNo: 40 } });
    try {
      const url = await freshDatabase("concord_phase");
      await extract(sandbox, url, { phase: ["2"] });
      // Phase 2 as the issue lists it.
      const phaseTwo = ["ClientBankDetailAccountNumber", "ClientBankDetailIbanNo", "ClientInRole", "OrganizationClientAgreement", "ClientSubClient"];
      const synced = await queryRows<{ entity: string }>(url, "select entity from raw._sync_state where source = 'concord' order by entity");
      expect(synced.map((r) => r.entity.toLowerCase())).toEqual(phaseTwo.map((t) => t.toLowerCase()).sort());
      const [{ n }] = await queryRows<{ n: number }>(url, "select count(*)::int as n from raw.concord__clientbankdetailibanno");
      expect(n).toBe(sandbox.db.table("ClientBankDetailIbanNo").count());
      const loaded = await queryRows<{ entity: string }>(url, "select distinct entity from raw._loads where source = 'concord' order by entity");
      expect(loaded.length).toBeGreaterThan(0);
      expect(loaded.filter((l) => !phaseTwo.some((t) => t.toLowerCase() === l.entity.toLowerCase()))).toEqual([]);
      await expect(extract(sandbox, url, { phase: ["2"], tables: ["Client"] })).rejects.toThrow("Give --phase or --tables, not both.");
    } finally {
      await sandbox.close();
    }
  }, 600_000);

  it("discovers every table with rows, key, change tracking and contract; a changed type fails that table, an added column warns and lands in _extra", async () => {
    const sandbox = await startConcordSandbox({});
    try {
      const url = await freshDatabase("concord_drift");
      const env = { WAREHOUSE_URL: url, CONCORD_URL: sandbox.url };
      const first = await runCli(["extract", "concord", "--discover", "--json"], env);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const { tables } = JSON.parse(first.stdout) as { tables: { table: string; approximate_rows: number; primary_key: string[]; change_tracking: boolean; contract: string; status: string; phase: number }[] };
      expect(tables).toHaveLength(32);
      expect(tables.every((t) => t.status === "ok" && t.primary_key.join() === "ID" && t.contract === `contracts/concord/${t.table.toLowerCase()}.yaml`)).toBe(true);
      expect(tables.find((t) => t.table === "ClientBankDetails")).toMatchObject({ approximate_rows: 10803, change_tracking: false, phase: 1 });
      expect(tables.find((t) => t.table === "Client")).toMatchObject({ approximate_rows: 20, change_tracking: true });
      expect(tables.filter((t) => t.phase === 1).length).toBe(16);

      sandbox.db.table("Client").changeColumnType("Name", "int");
      sandbox.db.table("RetailClient").addColumn({ name: "Nickname", type: "nvarchar(50)", nullable: true }, (id) => `нік-${id}`);
      const second = await runCli(["extract", "concord", "--discover"], env);
      expect(second.code).toBe(1);
      expect(second.stdout).toMatch(/^Client +20 +ID +on \(min 1000\) +1 +contracts\/concord\/client\.yaml +fails$/m);
      expect(second.stdout).toMatch(/^RetailClient +253 .* warning$/m);
      expect(second.stdout).toMatch(/column Name is now int \(integer\) but contracts\/concord\/client\.yaml says text/);
      expect(second.stdout).toMatch(/dbo\.RetailClient: 1 column\(s\) not in contracts\/concord\/retailclient\.yaml, kept in _extra: Nickname/);

      const run = await runCli(["extract", "concord", "--tables", "Client,RetailClient"], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error: concord:dbo\.Client: column Name is now int \(integer\) but contracts\/concord\/client\.yaml says text\. Nothing of this table was read\./);
      expect(run.stderr).toMatch(/warning: dbo\.RetailClient: 1 column\(s\) not in contracts\/concord\/retailclient\.yaml, kept in _extra: Nickname/);
      expect(run.stdout).toMatch(/1 loaded, 0 already loaded, 1 failed\./);
      const extra = await queryRows<{ id: string; nick: string }>(url, "select id, _extra->>'Nickname' as nick from raw.concord__retailclient order by id::numeric limit 2");
      expect(extra).toEqual([{ id: "1", nick: "нік-1" }, { id: "2", nick: "нік-2" }]);
      const ledger = await queryRows<{ raw_table: string; status: string; unknown: unknown }>(url, "select raw_table, status, details->'unknown_headers' as unknown from raw._loads order by load_id");
      expect(ledger).toEqual([
        { raw_table: "concord__client", status: "failed", unknown: null },
        { raw_table: "concord__retailclient", status: "loaded", unknown: ["Nickname"] },
      ]);
      expect(await queryRows(url, "select * from raw.concord__client")).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("a connection dropped mid-snapshot lands nothing of that table and moves no cursor; the other tables land; the re-run completes", async () => {
    const sandbox = await startConcordSandbox({});
    try {
      const url = await freshDatabase("concord_drop");
      const env = { WAREHOUSE_URL: url, CONCORD_URL: sandbox.url };
      sandbox.faults.dropConnection = { table: "ClientBankDetails", afterRows: 5_000 };
      const first = await runCli(["extract", "concord", "--tables", "ClientBankDetails,ClientType", "--page-size", "2000"], env);
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/error: concord:dbo\.ClientBankDetails: reading from ConcordDb failed \(.+\); nothing from this table was kept and its cursor did not move\. Run the same command again\./);
      expect(first.stdout).toMatch(/concord:dbo\.ClientType: loaded 2 rows/);
      // The fault hit the third page: two pages had been read and spooled, none of it landed.
      expect(sandbox.statements.filter((s) => s.sql.includes("FROM [dbo].[ClientBankDetails]")).length).toBe(3);
      expect(await queryRows(url, "select * from raw.concord__clientbankdetails")).toEqual([]);
      expect(await queryRows(url, "select entity from raw._sync_state order by entity")).toEqual([{ entity: "clienttype" }]);
      const [failed] = await queryRows<{ status: string; message: string }>(url, "select status, message from raw._loads where raw_table = 'concord__clientbankdetails'");
      expect(failed.status).toBe("failed");

      const second = await runCli(["extract", "concord", "--tables", "ClientBankDetails,ClientType", "--page-size", "2000"], env);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/concord:dbo\.ClientBankDetails: loaded 10803 rows .*a snapshot of 10803 rows/);
      expect(second.stdout).toMatch(/concord:dbo\.ClientType: no changes/);
      expectSameState(sandbox, "ClientBankDetails", await currentState(url, "clientbankdetails"));
    } finally {
      await sandbox.close();
    }
  });

  it("never prints the password; wrong credentials give one line; no login is sent when the server would not encrypt", async () => {
    const canary = "Concord-Canary/Pa55:w@rd-9d2e";
    const sandbox = await startConcordSandbox({ password: canary });
    try {
      const url = await freshDatabase("concord_secrets");
      const parts = { CONCORD_URL: "", CONCORD_SERVER: "127.0.0.1", CONCORD_PORT: String(sandbox.port), CONCORD_USER: sandbox.user, CONCORD_ENCRYPT: "false" };
      const runs = {
        good: await runCli(["extract", "concord", "--tables", "ClientType"], { WAREHOUSE_URL: url, CONCORD_URL: sandbox.url }),
        parts: await runCli(["extract", "concord", "--tables", "ClientType", "--discover"], { WAREHOUSE_URL: url, ...parts, CONCORD_PASSWORD: canary }),
        wrong: await runCli(["extract", "concord", "--tables", "ClientType"], { WAREHOUSE_URL: url, ...parts, CONCORD_PASSWORD: `${canary}-wrong` }),
        closed: await runCli(["extract", "concord"], { WAREHOUSE_URL: url, ...parts, CONCORD_PORT: "1", CONCORD_PASSWORD: canary }),
      };
      const loginsBefore = sandbox.logins;
      const encrypted = await runCli(["extract", "concord", "--discover"], { WAREHOUSE_URL: url, CONCORD_URL: sandbox.url.replace("encrypt=false", "encrypt=true") });
      expect(sandbox.logins).toBe(loginsBefore);
      for (const run of [...Object.values(runs), encrypted]) {
        for (const text of [run.stdout, run.stderr]) {
          expect(text).not.toContain(canary);
          expect(text).not.toContain(encodeURIComponent(canary));
        }
      }
      expect(runs.good.code).toBe(0);
      expect(runs.parts.code).toBe(0);
      expect(runs.wrong.code).toBe(1);
      expect(runs.wrong.stderr.trim().split("\n")).toEqual([
        `error: ConcordDb at 127.0.0.1:${sandbox.port}/ConcordDb: login failed for user 'concord_reader' (Login failed for user 'concord_reader'.). Check CONCORD_USER and CONCORD_PASSWORD.`,
      ]);
      expect(runs.closed.code).toBe(1);
      expect(runs.closed.stderr).toMatch(/^error: ConcordDb at 127\.0\.0\.1:1\/ConcordDb: cannot connect/);
      expect(encrypted.code).toBe(1);
      expect(encrypted.stderr).toMatch(/does not offer encryption, so the password would travel in clear/);
      const stored = await queryRows<{ text: string }>(url, "select coalesce(message, '') || details::text as text from raw._loads union all select cursor::text from raw._sync_state");
      expect(stored.length).toBeGreaterThan(0);
      for (const row of stored) expect(row.text).not.toContain(canary);
    } finally {
      await sandbox.close();
    }
  });

  // The shared models ConcordDb reaches, with their assertions (the invoices add up to their lines per source).
  const INVOICE_AND_LINE_ACTIONS = [
    "sales_line", "canonical_sales_line_assertions_rowConditions", "assert_canonical_sales_line_unique_sales_line_key", "assert_sales_line_event_types",
    "fct_sales_line", "dw_fct_sales_line_assertions_rowConditions", "assert_fct_sales_line_dimensions", "assert_dw_fct_sales_line_unique_sales_line_key",
    "fct_invoice", "dw_fct_invoice_assertions_rowConditions", "assert_fct_invoice_dimensions", "assert_dw_fct_invoice_unique_invoice_key",
  ];

  it("builds dw.dim_client, dw.fct_invoice and canonical.sales_line with the figures the sandbox data gives, on empty sales tables and once they fill", async () => {
    const sandbox = await startConcordSandbox({ rows: { ClientBankDetails: 300, ClientBankDetailIbanNo: 400, ClientBankDetailAccountNumber: 300 } });
    try {
      const url = await freshDatabase("concord_models");
      const tables = ["Client", "RetailClient", "OrganizationClient", "ClientAgreement", "ClientInRole", "ClientType", "ClientTypeRole", "ClientSubClient", "OrganizationClientAgreement", "SaleInvoiceDocument", "SaleInvoiceNumber", "Sale", "Order", "OrderItem", "ClientBankDetails", "ClientBankDetailIbanNo", "ClientBankDetailAccountNumber"];
      await extract(sandbox, url, { tables });
      sandbox.db.table("Client").softDelete(1n);
      sandbox.db.table("Client").hardDelete(2n);
      sandbox.db.table("SaleInvoiceDocument").hardDelete(3n);
      sandbox.db.table("RetailClient").softDelete(4n);
      // A fifth of the bank details vanish at once: a row count that moved unexpectedly.
      const bankDetails = sandbox.db.table("ClientBankDetails");
      for (const row of [...bankDetails.scan()].slice(0, 60)) bankDetails.hardDelete(row[0] as bigint);
      await extract(sandbox, url, { tables });
      const build = async () => {
        const run = await dataform("run", url, ["--tags", "concord", ...INVOICE_AND_LINE_ACTIONS.flatMap((name) => ["--actions", name]), "--include-deps"]);
        expect(run.failedActions).toEqual([]);
        expect(run.assertionsFailed).toEqual([]);
        expect(run.code, run.output.slice(-2000)).toBe(0);
      };
      await build();

      // The test's own figures, from the rows the sandbox holds.
      const rows = (table: string) => {
        const t = sandbox.db.table(table);
        return [...t.scan()].map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i]])) as Record<string, any>);
      };
      const live = (table: string) => rows(table).filter((r) => !r.Deleted);
      const typeName = new Map(live("ClientType").map((t) => [String(t.ID), t.Name]));
      const roleOf = new Map(live("ClientInRole").map((r) => [String(r.ClientID), typeName.get(String(r.ClientTypeID)) ?? null]));
      const agreements = new Map<string, number>();
      for (const a of live("ClientAgreement")) agreements.set(String(a.ClientID), (agreements.get(String(a.ClientID)) ?? 0) + 1);
      const roots = new Map(live("ClientSubClient").map((l) => [String(l.SubClientID), String(l.RootClientID)]));
      const expected = [
        ...live("Client").map((c) => ({ kind: "client", id: String(c.ID), type: roleOf.get(String(c.ID)) ?? null, agreements: agreements.get(String(c.ID)) ?? 0, parent: roots.get(String(c.ID)) ?? (c.MainClientID === null ? null : String(c.MainClientID)) })),
        ...live("RetailClient").map((c) => ({ kind: "retail", id: String(c.ID), type: null, agreements: 0, parent: null })),
        ...live("OrganizationClient").map((c) => ({ kind: "organization", id: String(c.ID), type: null, agreements: live("OrganizationClientAgreement").filter((a) => a.OrganizationClientID === c.ID).length, parent: null })),
      ].sort((a, b) => (a.kind + a.id.padStart(9, "0") < b.kind + b.id.padStart(9, "0") ? -1 : 1));
      const dim = await queryRows<{ kind: string; id: string; type: string | null; agreements: number; parent: string | null }>(
        url,
        `select d.client_kind as kind, d.source_id::text as id, d.client_type as type, d.agreement_count::int as agreements, p.source_id::text as parent
         from dw.dim_client d left join (select distinct on (source_id) source_id, md5('concord|client|' || source_id) as key from dw.dim_client) p on p.key = d.parent_client_key
         order by d.client_kind || lpad(d.source_id::text, 9, '0')`,
      );
      // A parent that is no longer a client (deleted) still has a key, but no row to find.
      const present = new Set(expected.filter((e) => e.kind === "client").map((e) => e.id));
      expect(dim).toEqual(expected.map((e) => ({ ...e, parent: e.parent && present.has(e.parent) ? e.parent : null })));
      expect(dim.some((d) => d.kind === "client" && d.id === "1")).toBe(false);
      expect(dim.some((d) => d.kind === "client" && d.id === "2")).toBe(false);

      // ConcordDb's invoice documents are rows of dw.fct_invoice; without sales, none has lines or a customer.
      const documents = live("SaleInvoiceDocument");
      const dateKey = (datetime2: string) => Number(datetime2.slice(0, 10).replaceAll("-", ""));
      const concordInvoices = () =>
        queryRows<{ document_id: string; date_key: number; customer_key: string | null; line_count: number; net: string; tax: string }>(
          url,
          "select document_id, date_key, customer_key, line_count::int, net_amount::text as net, tax_amount::text as tax from dw.fct_invoice where source_system = 'concord' and event_type = 'SALE' order by document_id::bigint",
        );
      expect(await concordInvoices()).toEqual(
        documents.map((d) => ({ document_id: String(d.ID), date_key: dateKey(d.Created), customer_key: null, line_count: 0, net: "0", tax: "0" })),
      );
      expect(documents.some((d) => d.ID === 3n)).toBe(false);
      expect(await queryRows(url, "select count(*)::int as n from canonical.sales_line where source_system = 'concord'")).toEqual([{ n: 0 }]);
      expect(await queryRows(url, "select count(*)::int as n from dw.fct_concord_sale_line")).toEqual([{ n: 0 }]);

      // Data quality: the test's own ISO 13616 check, references and duplicate codes against the findings.
      const isoValid = (iban: string) => {
        const text = iban.replace(/\s/g, "").toUpperCase();
        if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(text)) return false;
        const digits = (text.slice(4) + text.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
        return BigInt(digits) % 97n === 1n;
      };
      const badIbans = live("ClientBankDetailIbanNo").filter((r) => r.IBANNO !== null && r.IBANNO.trim() !== "" && !isoValid(r.IBANNO)).map((r) => `dbo.ClientBankDetailIbanNo ID ${r.ID}`);
      const clientIds = new Set(rows("Client").map((c) => String(c.ID)));
      const orphans = live("ClientAgreement").filter((a) => !clientIds.has(String(a.ClientID))).map((a) => `dbo.ClientAgreement ID ${a.ID}`);
      const codes = new Map<string, number>();
      for (const c of live("Client")) if (c.ClientNumber !== null) codes.set(c.ClientNumber, (codes.get(c.ClientNumber) ?? 0) + 1);
      const duplicates = live("Client").filter((c) => (codes.get(c.ClientNumber) ?? 0) > 1).map((c) => `dbo.Client ID ${c.ID}`);
      expect(badIbans.length).toBeGreaterThan(0);
      expect(orphans.length).toBeGreaterThan(0);
      expect(duplicates.length).toBeGreaterThan(1);
      const findings = await queryRows<{ check_name: string; record_key: string; detail: string }>(url, "select check_name, record_key, detail from dq.concord_findings where check_name in ('invalid_iban', 'duplicate_client_code') or table_name = 'staging.cur_concord__clientagreement'");
      const keys = (check: string) => findings.filter((f) => f.check_name === check).map((f) => f.record_key).sort();
      expect(keys("invalid_iban")).toEqual(badIbans.sort());
      expect(keys("orphan_reference")).toEqual(orphans.sort());
      expect(keys("duplicate_client_code")).toEqual(duplicates.sort());
      const jumps = await queryRows<{ table_name: string; record_key: string; detail: string }>(url, "select table_name, record_key, detail from dq.concord_findings where check_name = 'row_count_jump'");
      expect(jumps).toEqual([{ table_name: "raw.concord__clientbankdetails", record_key: expect.stringMatching(/^load \d+ \(concord:dbo\.ClientBankDetails\)$/), detail: "60 rows deleted and 0 inserted at once; the table had about 300" }]);
      // Bank details reach mart only masked.
      const masked = await queryRows<{ iban_masked: string | null; account_number_masked: string | null }>(url, "select iban_masked, account_number_masked from mart.concord_client_bank_details");
      expect(masked.length).toBe(live("ClientBankDetails").length);
      for (const row of masked) for (const value of [row.iban_masked, row.account_number_masked]) if (value !== null) expect(value).toMatch(/^….{1,4}$/u);
      expect(findings.every((f) => !/UA\d{20}/.test(f.detail))).toBe(true);

      // The sales tables fill: three orders and their sales (two invoiced on two documents, one not yet), items
      // with decimal(30,14) prices of 20 significant digits, one item soft-deleted.
      const [documentA, documentB] = documents.slice(0, 2).map((d) => d.ID as bigint);
      const addSale = (agreement: bigint, document: bigint | null, extra: Record<string, unknown> = {}) => {
        const order = sandbox.db.table("Order").insert({ OrderSource: 1, ClientAgreementID: agreement, OrderStatus: 1, IsMerged: false });
        const values: Record<string, unknown> = { ClientAgreementID: agreement, OrderID: order, BaseLifeCycleStatusID: 1n, BaseSalePaymentStatusID: 1n, SaleInvoiceDocumentID: document, SaleInvoiceNumberID: document === null ? null : 1n, CashOnDeliveryAmount: 0n, ShippingAmount: 0n, ShippingAmountEur: 0n, ExpiredDays: 0, ...extra };
        for (const c of sandbox.db.table("Sale").columns) if (c.type.name === "bit" && !(c.name in values) && c.name !== "Deleted") values[c.name] = false;
        return { order, sale: sandbox.db.table("Sale").insert(values as never) };
      };
      const item = { ProductID: 7n, IsValidForCurrentSale: true, OneTimeDiscount: 0n, FromOfferQty: 0, IsFromOffer: false, OrderedQty: 0, ExchangeRateAmount: 412_345n, OfferProcessingStatus: 0, UnpackedQty: 0, DiscountAmount: 0n, ReturnedQty: 0, IsFromReSale: false, Vat: 0n, InvoiceDocumentQty: 0, IsClosed: false, IsFromShiftedItem: false };
      const addItem = (order: bigint, qty: number, price: bigint, withoutVat: bigint, productId = 7n) =>
        sandbox.db.table("OrderItem").insert({ ...item, OrderID: order, ProductID: productId, Qty: qty, PricePerItem: price, PricePerItemWithoutVat: withoutVat });
      const first = addSale(1n, documentA, { ChangedToInvoice: "2025-11-21 23:59:59.9999999" });
      const second = addSale(2n, documentB);
      const uninvoiced = addSale(1n, null);
      addItem(first.order, 2, 1234567890123456_12345678901234n, 1028806575102880_10288065750102n);
      const firstHalf = addItem(first.order, 0.5, 12_00000000000000n, 10_00000000000000n, 8n);
      const softDeletedItem = addItem(first.order, 4, 9_99000000000000n, 8_32500000000000n);
      sandbox.db.table("OrderItem").softDelete(softDeletedItem);
      addItem(second.order, 3, 7_50000000000000n, 6_25000000000000n, 9n);
      addItem(uninvoiced.order, 1, 100_00000000000000n, 83_33333333333333n);
      await extract(sandbox, url, { tables: ["Sale", "Order", "OrderItem"] });
      await build();

      // The test's own canonical lines: items in force of orders in force whose sale is in force and invoiced on a document in force.
      const scaled = (v: bigint, scale: number) => `${v < 0n ? "-" : ""}${trimZeros(`${(v < 0n ? -v : v) / 10n ** BigInt(scale)}.${String((v < 0n ? -v : v) % 10n ** BigInt(scale)).padStart(scale, "0")}`)}`;
      const times = (qty: number, price: bigint) => (BigInt(Math.round(qty * 10)) * price); // scale 14 + 1
      const expectedLines = () => {
        const liveIds = (table: string) => new Set(live(table).map((r) => r.ID as bigint));
        const orders = liveIds("Order");
        const inForce = liveIds("SaleInvoiceDocument");
        const saleOf = new Map<bigint, Record<string, any>>();
        for (const sale of live("Sale").sort((a, b) => (a.ID < b.ID ? -1 : 1))) if (!saleOf.has(sale.OrderID)) saleOf.set(sale.OrderID, sale);
        const clientOf = new Map(rows("ClientAgreement").map((a) => [a.ID as bigint, a.ClientID as bigint]));
        return live("OrderItem")
          .filter((i) => orders.has(i.OrderID) && saleOf.get(i.OrderID)?.SaleInvoiceDocumentID != null && inForce.has(saleOf.get(i.OrderID)!.SaleInvoiceDocumentID))
          .map((i) => {
            const sale = saleOf.get(i.OrderID)!;
            return {
              document_id: String(sale.SaleInvoiceDocumentID),
              event_date: String(sale.ChangedToInvoice ?? sale.Created).slice(0, 10),
              customer_code: String(clientOf.get(sale.ClientAgreementID) ?? "(no client)"),
              product_code: String(i.ProductID),
              quantity: trimZeros(String(i.Qty)),
              net: scaled(times(i.Qty, i.PricePerItemWithoutVat), 15),
              tax: scaled(times(i.Qty, (i.PricePerItem as bigint) - (i.PricePerItemWithoutVat as bigint)), 15),
              currency: "UAH",
            };
          })
          .sort((a, b) => (a.document_id + a.net < b.document_id + b.net ? -1 : 1));
      };
      const canonicalLines = async () =>
        (await queryRows<{ document_id: string; event_date: string; customer_code: string; product_code: string; quantity: string; net: string; tax: string; currency: string }>(
          url,
          `select document_id, event_date::text, customer_code, product_code, quantity::text, net_amount::text as net, tax_amount::text as tax, currency
           from canonical.sales_line where source_system = 'concord'`,
        ))
          .map((l) => ({ ...l, quantity: trimZeros(l.quantity), net: trimZeros(l.net), tax: trimZeros(l.tax) }))
          .sort((a, b) => (a.document_id + a.net < b.document_id + b.net ? -1 : 1));
      /** Decimal text as an integer of 10^-15 units (the lines' amounts have at most 15 decimals). */
      const units = (text: string) => {
        const [whole, fraction = ""] = text.replace("-", "").split(".");
        const value = BigInt(whole + fraction.padEnd(15, "0"));
        return text.startsWith("-") ? -value : value;
      };
      const expectInvoices = async () => {
        const lines = expectedLines();
        const invoices = await concordInvoices();
        expect(invoices.map((i) => i.document_id)).toEqual(live("SaleInvoiceDocument").map((d) => String(d.ID)));
        const got = invoices.map((i) => ({ id: i.document_id, lines: i.line_count, net: trimZeros(i.net), tax: trimZeros(i.tax), customer: i.customer_key }));
        const want = invoices.map((i) => {
          const mine = lines.filter((l) => l.document_id === i.document_id);
          const sum = (field: "net" | "tax") => scaled(mine.reduce((total, l) => total + units(l[field]), 0n), 15);
          const customer = mine.length ? createHash("md5").update(`concord|${mine[0].customer_code}`).digest("hex") : null;
          return { id: i.document_id, lines: mine.length, net: sum("net"), tax: sum("tax"), customer };
        });
        expect(got).toEqual(want);
        expect(got.filter((i) => i.lines > 0).length).toBeGreaterThan(0);
      };
      const filled = expectedLines();
      expect(filled.map((l) => l.document_id).sort()).toEqual([String(documentA), String(documentA), String(documentB)].sort());
      expect(filled.find((l) => l.product_code === "8")).toMatchObject({ event_date: "2025-11-21", quantity: "0.5", net: "5", tax: "1" });
      expect(await canonicalLines()).toEqual(filled);
      expect(filled.find((l) => l.net.startsWith("2057613150205760"))?.net).toBe("2057613150205760.20576131500204");
      await expectInvoices();
      expect(await queryRows(url, "select count(*)::int as n, count(currency)::int as currencies from dw.fct_concord_sale_line")).toEqual([{ n: 4, currencies: 0 }]);

      // A sale soft-deleted (its document has no lines again) and an item hard-deleted leave canonical and the facts.
      sandbox.db.table("Sale").softDelete(second.sale);
      sandbox.db.table("OrderItem").hardDelete(firstHalf);
      await extract(sandbox, url, { tables: ["Sale", "Order", "OrderItem"] });
      await build();
      const shrunk = expectedLines();
      expect(shrunk.length).toBe(1);
      expect(await canonicalLines()).toEqual(shrunk);
      await expectInvoices();
    } finally {
      await sandbox.close();
    }
  }, 1_800_000);
});

// A real SQL Server, when MSSQL_URL points at a ConcordDb (mssql://user:password@host:1433/ConcordDb?encrypt=…):
// the same discovery and snapshot code against the real catalog and the real conversions.
describe.runIf(process.env.MSSQL_URL)("ConcordDb on a real SQL Server (MSSQL_URL)", () => {
  it("discovers the contracted tables without drift and snapshots small tables with the server's row counts", async () => {
    const url = await freshDatabase("concord_real");
    const env = { WAREHOUSE_URL: url, CONCORD_URL: process.env.MSSQL_URL! };
    const discovered = await runCli(["extract", "concord", "--discover", "--json"], env);
    const { tables } = JSON.parse(discovered.stdout) as { tables: { table: string; status: string; drift: string[] }[] };
    expect(tables.filter((t) => t.status === "fails" || t.status === "missing")).toEqual([]);
    const run = await runCli(["extract", "concord", "--tables", "ClientType,ClientTypeRole,SaleInvoiceNumber"], env);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const { concordSettings } = await import("../../extract/sources/concord/settings.ts");
    const { openConcord, queryRows: serverRows } = await import("../../extract/sources/concord/client.ts");
    const server = await openConcord(concordSettings({ CONCORD_URL: process.env.MSSQL_URL! }));
    try {
      for (const table of ["ClientType", "ClientTypeRole", "SaleInvoiceNumber"]) {
        const [{ n }] = await serverRows<{ n: number }>(server, `SELECT COUNT(*) AS n FROM [dbo].[${table}]`);
        const [landed] = await queryRows<{ n: number }>(url, `select count(*)::int as n from raw."concord__${table.toLowerCase()}"`);
        expect(landed.n).toBe(n);
      }
    } finally {
      await server.close();
    }
  }, 900_000);
});
