import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findContract, loadContracts, parseContract } from "../extract/contracts/contracts.ts";
import { generatedContractsAreCurrent, renderGeneratedContracts } from "../extract/contracts/generate.ts";

const minimal = (columns: string, extra = "") => `
contract_version: 1
source: shop
entity: order
description: test
origin: { kind: file, format: csv }
key: [id]
${extra}
columns:
${columns}`;

describe("contracts", () => {
  it("loads the Karamad contract with its Persian headers and required columns", () => {
    const contract = findContract("karamad");
    expect(contract.rawTable).toBe("karamad__sales_line");
    expect(contract.columns.map((c) => c.name)).toContain("invoice_date");
    expect(contract.columns.filter((c) => c.required).map((c) => c.name).sort()).toEqual(
      ["document_type", "invoice_date", "invoice_number", "net_amount", "product_code", "quantity"].sort(),
    );
    expect(contract.headerIndex.get("تاریخ فاکتور")?.name).toBe("invoice_date");
    expect(contract.columns.find((c) => c.name === "document_type")?.allowed_values).toMatchObject({ فروش: "SALE", "برگشت از فروش": "RETURN" });
    expect(contract.columns.find((c) => c.name === "document_type")?.contains_values).toEqual({ برگشت: "RETURN" });
  });

  it("names the file and the path of what is wrong", () => {
    expect(() => parseContract(minimal("  - { name: id, headers: [ID], type: money, description: x }"), "contracts/shop/order.yaml")).toThrow(
      /contracts\/shop\/order\.yaml: columns\[0\]\.type: /,
    );
    expect(() => parseContract(minimal("  - { name: Bad-Name, headers: [ID], type: text, description: x }"), "f.yaml")).toThrow(/columns\[0\]\.name: must be lower case/);
    expect(() => parseContract(minimal("  - { name: other, headers: [ID], type: text, description: x }"), "f.yaml")).toThrow(/key\[0\]: "id" is not one of the columns/);
    expect(() => parseContract("columns: [", "broken.yaml")).toThrow(/broken\.yaml: line 1 is not valid YAML/);
    expect(() =>
      parseContract(
        minimal("  - { name: id, headers: [کد], type: text, description: x }\n  - { name: code, headers: [' كد '], type: text, description: y }"),
        "f.yaml",
      ),
    ).toThrow(/columns\[1\]\.headers: "كد" is also a header of id/);
    expect(() => parseContract(minimal("  - { name: id, headers: [ID], type: text, description: x, colour: red }"), "f.yaml")).toThrow(/columns\[0\]/);
  });

  it("requires each contract to live at contracts/<source>/<entity>.yaml", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "contracts-"));
    mkdirSync(path.join(dir, "shop"));
    writeFileSync(path.join(dir, "shop", "orders.yaml"), minimal("  - { name: id, headers: [ID], type: text, description: x }"));
    expect(() => loadContracts(dir)).toThrow(/must be stored as contracts\/shop\/order\.yaml/);
  });

  it("keeps includes/contracts.js in step with the YAML (run `npm run contracts:generate` when this fails)", () => {
    expect(generatedContractsAreCurrent()).toBe(true);
    const generated = renderGeneratedContracts();
    const module = { exports: {} as Record<string, { columns: { name: string; allowed_values?: Record<string, string> }[] }> };
    new Function("module", generated)(module);
    const karamad = module.exports.karamad__sales_line;
    expect(karamad.columns.map((c) => c.name)).toEqual(findContract("karamad").columns.map((c) => c.name));
    expect(karamad.columns.find((c) => c.name === "document_type")?.allowed_values).toMatchObject({ فروش: "SALE", "برگشت از فروش": "RETURN" });
  });
});
