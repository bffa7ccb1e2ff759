/**
 * Property-based tests (fast-check) for the text rules the extractor depends on. The SQL
 * side of the same rules is checked in sql-helpers.test.ts against these and jalaali-js.
 */
import fc from "fast-check";
import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { foldDigits, foldText } from "../extract/contracts/fold.ts";
import { CsvScanner, quoteField, unquoteField } from "../extract/sources/csv-scan.ts";

const persianDigit = fc.integer({ min: 0, max: 9 }).map((d) => ({ latin: String(d), persian: String.fromCharCode(0x06f0 + d), arabic: String.fromCharCode(0x0660 + d) }));

describe("digit folding", () => {
  it("reads any number written in Persian or Arabic-Indic digits as the same Latin number", () => {
    fc.assert(
      fc.property(fc.array(persianDigit, { minLength: 1, maxLength: 20 }), (digits) => {
        const latin = digits.map((d) => d.latin).join("");
        expect(foldDigits(digits.map((d) => d.persian).join(""))).toBe(latin);
        expect(foldDigits(digits.map((d) => d.arabic).join(""))).toBe(latin);
      }),
    );
  });

  it("leaves text without such digits alone", () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !/[\u0660-\u0669\u066b\u066c\u06f0-\u06f9]/.test(s)), (s) => {
        expect(foldDigits(s)).toBe(s);
      }),
    );
  });
});

describe("header folding", () => {
  const header = fc.array(fc.constantFrom(..."شمارهفاکتوریيكک ‌‏ـ۰۱12ab".split("")), { maxLength: 24 }).map((c) => c.join(""));

  it("is idempotent", () => {
    fc.assert(
      fc.property(header, (h) => {
        expect(foldText(foldText(h))).toBe(foldText(h));
      }),
    );
  });

  it("is blind to letter variants, ZWNJ, direction marks, spacing and digit scripts", () => {
    fc.assert(
      fc.property(header, (h) => {
        const variant = ` ${h}`.replace(/ی/g, "ي").replace(/ک/g, "ك").replace(/ /g, " \u200c ").replace(/1/g, "۱") + "\u200f  ";
        expect(foldText(variant)).toBe(foldText(h));
      }),
    );
  });
});

describe("CSV record scanner", () => {
  const field = fc.oneof(
    fc.string({ maxLength: 8 }).filter((s) => !/[",\n\r]/.test(s)),
    fc.string({ maxLength: 8 }).map((s) => quoteField(s.replace(/\r/g, ""))),
  );
  // A record that is one unquoted empty field is an empty line, which both sides skip: leave it out.
  const records = fc.array(
    fc.array(field, { minLength: 1, maxLength: 6 }).filter((r) => !(r.length === 1 && r[0] === "")),
    { minLength: 1, maxLength: 20 },
  );

  it("finds the same records and field counts as csv-parse, however the text is chunked", () => {
    fc.assert(
      fc.property(records, fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 10 }), fc.boolean(), (rows, cuts, crlf) => {
        const text = rows.map((r) => r.join(",")).join(crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n");
        const expected = parseCsv(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
        const scanner = new CsvScanner(",", true);
        const scanned = [];
        let at = 0;
        for (const cut of cuts) {
          scanned.push(...scanner.push(text.slice(at, at + cut)));
          at += cut;
        }
        scanned.push(...scanner.push(text.slice(at)), ...scanner.end());
        const fields = scanned.map((r) => {
          let start = 0;
          return r.fieldEnds!.map((end) => {
            const value = unquoteField(r.text.slice(start, end));
            start = end + 1;
            return value;
          });
        });
        expect(scanned.every((r) => r.problem === undefined)).toBe(true);
        expect(fields).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("numbers records by the line they start on, counting newlines inside quotes", () => {
    const scanner = new CsvScanner(",");
    const records = [...scanner.push('h1,h2\n"a\nb",c\n\nd,e\n"x"y,z\n'), ...scanner.end()];
    expect(records.map((r) => [r.line, r.problem ?? "ok"])).toEqual([
      [1, "ok"],
      [2, "ok"],
      [5, "ok"],
      [6, "has text after a closing quote"],
    ]);
  });
});
