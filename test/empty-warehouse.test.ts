/**
 * A company with none (or only some) of the sources: `dataform run` and `dataform test` build
 * cleanly on a warehouse where nothing was ever loaded, because every contract's raw table
 * exists from `warehouse start` (the Dataform wrapper prepares it too).
 */
import { describe, expect, it } from "vitest";
import { dataform } from "../extract/dataform.ts";
import { loadContracts } from "../extract/contracts/contracts.ts";
import { freshDatabase, queryRows } from "./support/warehouse.ts";

describe("an empty warehouse", () => {
  it("builds every layer, passes every assertion and every SQLX unit test", async () => {
    const url = await freshDatabase("empty");
    const run = await dataform("run", url);
    expect(run.failedActions, run.output).toEqual([]);
    expect(run.code, run.output).toBe(0);
    expect(run.assertionsFailed).toEqual([]);
    expect(run.assertionsPassed.length).toBeGreaterThan(10);
    for (const contract of loadContracts()) {
      const [{ n }] = await queryRows<{ n: string }>(url, `select count(*) as n from staging.stg_${contract.rawTable}`);
      expect(n).toBe("0");
    }
    const [{ n }] = await queryRows<{ n: string }>(url, "select count(*) as n from mart.kpi_daily");
    expect(n).toBe("0");
    const tests = await dataform("test", url);
    expect(tests.code, tests.output).toBe(0);
  }, 400_000);
});
