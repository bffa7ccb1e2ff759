/**
 * Each measured data-quality check finds exactly the rows it should, names them by load and
 * line, and the lines that cannot be used stay out of canonical (nothing silently dropped).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findContract } from "../extract/contracts/contracts.ts";
import { dataform } from "../extract/dataform.ts";
import { freshDatabase, queryRows, runCli } from "./support/warehouse.ts";

const contract = findContract("karamad");
const good: Record<string, string> = {
  invoice_number: "INV-1", line_number: "1", invoice_date: "1404/01/18", document_type: "فروش", customer_code: "C1",
  customer_name: "علی", product_code: "P1", product_name: "برنج", quantity: "2", unit: "کیلوگرم", unit_price: "1,000",
  gross_amount: "2,000", discount_amount: "0", tax_amount: "200", net_amount: "2,200", branch: "کرج", salesperson: "لیلا", region: "غرب",
  reference_date: "1404/01/17", volume_discount: "", cash_discount: "", salesperson_code: "S1",
};
// Line 2 is clean; each later line breaks one rule.
const cases: [string, Partial<Record<string, string>>, string | null][] = [
  ["clean", {}, null],
  ["unknown type", { invoice_number: "INV-2", document_type: "پیش فاکتور" }, "unknown_code"],
  ["amount", { invoice_number: "INV-3", net_amount: "۲٫۲۰۰٫۰۰۰" }, "unparseable_amount"],
  ["missing product", { invoice_number: "INV-4", product_code: " " }, "missing_required_value"],
  ["negative sale", { invoice_number: "INV-5", quantity: "-2", gross_amount: "-2,000", tax_amount: "-200", net_amount: "-2,200" }, "negative_quantity_on_sale"],
  ["net mismatch", { invoice_number: "INV-6", net_amount: "9,999" }, "net_mismatch"],
  ["bad date", { invoice_number: "INV-7", invoice_date: "1404/02/32" }, "unparseable_date"],
  ["signs disagree", { invoice_number: "INV-8", document_type: "برگشت از فروش", quantity: "-2" }, "sign_mismatch"],
  ["no usable reference date", { invoice_number: "INV-9", reference_date: "1404/13/01" }, "fallback_event_date"],
  ["short row", { invoice_number: "INV-10", cut: "4" }, "short_row"],
];

let url: string;

beforeAll(async () => {
  url = await freshDatabase("dq");
  const dir = mkdtempSync(path.join(tmpdir(), "dq-"));
  const csv = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = cases.map(([, change]) => {
    const fields = contract.columns.map((c) => csv(change[c.name] ?? good[c.name]));
    return fields.slice(0, fields.length - Number(change.cut ?? 0)).join(",");
  });
  const file = path.join(dir, "dq.csv");
  writeFileSync(file, [contract.columns.map((c) => c.headers[0]).join(","), ...rows].join("\n") + "\n");
  expect((await runCli(["extract", "karamad", file], { WAREHOUSE_URL: url })).code).toBe(0);
  const run = await dataform("run", url);
  expect(run.assertionsFailed).toEqual([]);
  expect(run.code).toBe(0);
});

describe("dq.issues", () => {
  it("reports each broken rule once, on the line that breaks it", async () => {
    const issues = await queryRows<{ check_name: string; record_key: string; severity: string }>(
      url,
      "select check_name, record_key, severity from dq.issues where check_name <> 'load_checked' order by record_key",
    );
    const expected = cases
      .map(([, , check], i) => check && { check_name: check, record_key: `load 1 line ${i + 2}` })
      .filter(Boolean);
    expect(issues.map(({ check_name, record_key }) => ({ check_name, record_key }))).toEqual(
      expect.arrayContaining(expected as object[]),
    );
    expect(issues, JSON.stringify(issues)).toHaveLength(expected.length);
    expect(issues.find((i) => i.check_name === "net_mismatch")?.severity).toBe("warning");
    expect(issues.find((i) => i.check_name === "unknown_code")?.severity).toBe("error");
    expect(issues.find((i) => i.check_name === "sign_mismatch")?.severity).toBe("warning");
    expect(issues.find((i) => i.check_name === "fallback_event_date")?.severity).toBe("warning");
    expect(issues.find((i) => i.check_name === "short_row")?.severity).toBe("warning");
  });

  it("keeps unusable lines out of canonical and everything else in", async () => {
    const lines = await queryRows<{ document_id: string; event_type: string; event_date: string; quantity: string; net_amount: string }>(
      url,
      "select document_id, event_type, event_date::text, quantity::text, net_amount::text from canonical.sales_line order by document_id",
    );
    expect(lines).toEqual([
      // A sale is dated by its reference date (1404/01/17), a return by its system date (1404/01/18).
      { document_id: "INV-1", event_type: "SALE", event_date: "2025-04-06", quantity: "2", net_amount: "2200" },
      // A short row keeps everything it has; the cut-off fields are empty.
      { document_id: "INV-10", event_type: "SALE", event_date: "2025-04-06", quantity: "2", net_amount: "2200" },
      // A sale-type line with negative amounts is a RETURN, negative.
      { document_id: "INV-5", event_type: "RETURN", event_date: "2025-04-07", quantity: "-2", net_amount: "-2200" },
      { document_id: "INV-6", event_type: "SALE", event_date: "2025-04-06", quantity: "2", net_amount: "9999" },
      // Signs that disagree: a RETURN, and both values negative in canonical.
      { document_id: "INV-8", event_type: "RETURN", event_date: "2025-04-07", quantity: "-2", net_amount: "-2200" },
      // No usable reference date: the system date.
      { document_id: "INV-9", event_type: "SALE", event_date: "2025-04-07", quantity: "2", net_amount: "2200" },
    ]);
    const [stats] = await queryRows<Record<string, string>>(url, "select rows_loaded, canonical_lines, errors, warnings from dq.run_stats");
    expect(stats).toEqual({ rows_loaded: "10", canonical_lines: "6", errors: "4", warnings: "5" });
  });
});
