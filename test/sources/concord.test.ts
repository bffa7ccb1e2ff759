/**
 * ConcordDb (SQL Server): the TDS sandbox read by three independent clients, and the extractor
 * against it (discovery, drift, snapshot, change capture, faults, secrets).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sql from "mssql";
import { startConcordSandbox, type ConcordSandbox } from "../../extract/sandbox/concord/sandbox.ts";
import type { SqlType } from "../../extract/sandbox/tds/types.ts";
import { asMillisecondDate, canonical, readWithMssql, readWithPytds, readWithTsql, tsqlDatetime, type Endpoint } from "./concord-peers.ts";

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
