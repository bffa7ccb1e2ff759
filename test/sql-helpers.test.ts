/**
 * The SQL helpers that staging uses, checked against references: every day of Jalali years
 * 1380-1420 against jalaali-js (both directions, leap years included), amounts and digit
 * folding against the extractor's TypeScript folding, with fast-check for the text rules.
 */
import * as jalaali from "jalaali-js";
import fc from "fast-check";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldDigits, foldText } from "../extract/contracts/fold.ts";
import { dataform } from "../extract/dataform.ts";
import { freshDatabase } from "./support/warehouse.ts";
import pgModule from "pg";

let client: pg.Client;

beforeAll(async () => {
  const url = await freshDatabase("helpers");
  const run = await dataform("run", url, ["--tags", "helpers"]);
  expect(run.code).toBe(0);
  client = new pgModule.Client({ connectionString: url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
});

const iso = (gy: number, gm: number, gd: number) => `${gy}-${String(gm).padStart(2, "0")}-${String(gd).padStart(2, "0")}`;

describe("Jalali dates in SQL", () => {
  it("match jalaali-js on every day of Jalali years 1380-1420, both directions", async () => {
    const texts: string[] = [];
    const expected: string[] = [];
    let leapYears = 0;
    for (let jy = 1380; jy <= 1420; jy++) {
      if (jalaali.isLeapJalaaliYear(jy)) leapYears++;
      for (let jm = 1; jm <= 12; jm++) {
        for (let jd = 1; jd <= jalaali.jalaaliMonthLength(jy, jm); jd++) {
          texts.push(`${jy}/${jm}/${jd}`);
          const g = jalaali.toGregorian(jy, jm, jd);
          expected.push(iso(g.gy, g.gm, g.gd));
        }
      }
    }
    expect(leapYears).toBeGreaterThanOrEqual(9);
    const { rows } = await client.query(
      "select util.jalali_to_date(t)::text as d, util.to_jalali(util.jalali_to_date(t)) as j from unnest($1::text[]) with ordinality as u(t, n) order by n",
      [texts],
    );
    expect(rows.map((r) => r.d)).toEqual(expected);
    expect(rows.map((r) => r.j.join("/"))).toEqual(texts);
  });

  it("give NULL, not an error, for days that do not exist and for text that is not a date", async () => {
    const invalid: string[] = [];
    for (let jy = 1380; jy <= 1420; jy++) {
      if (!jalaali.isLeapJalaaliYear(jy)) invalid.push(`${jy}/12/30`);
      invalid.push(`${jy}/07/31`, `${jy}/13/01`, `${jy}/00/10`, `${jy}/1/0`);
    }
    invalid.push("", "abc", "1403/12", "14031230", "1403.12.30", "99999/1/1", "1403/1/1/1");
    const { rows } = await client.query("select t, util.jalali_to_date(t) as d from unnest($1::text[]) t", [invalid]);
    expect(rows.filter((r) => r.d !== null)).toEqual([]);
  });

  it("accept Persian digits, dashes and zero padding alike", async () => {
    const { rows } = await client.query(
      "select util.jalali_to_date(t)::text as d from unnest(array['۱۴۰۴/۱/۱۸', '1404-01-18', '1404/01/18', ' ١٤٠٤/١/١٨ ']) t",
    );
    expect(rows.map((r) => r.d)).toEqual(Array(4).fill("2025-04-07"));
  });
});

describe("amounts and folding in SQL", () => {
  it("parse amounts with thousands separators in Latin or Persian digits", async () => {
    const cases: [string, string | null][] = [
      ["1,250,000", "1250000"], ["۱٬۲۵۰٬۰۰۰", "1250000"], ["۲٫۵", "2.5"], ["-300", "-300"], ["(300)", "-300"],
      [" 42 ", "42"], ["0", "0"], [".5", "0.5"], ["1.100,50", null], ["12,34", null], ["abc", null], ["", null], ["-", null], ["1e5", null],
    ];
    const { rows } = await client.query("select util.parse_amount(t)::text as v from unnest($1::text[]) with ordinality u(t, n) order by n", [cases.map((c) => c[0])]);
    expect(rows.map((r) => r.v)).toEqual(cases.map((c) => c[1]));
  });

  it("parse any grouped integer the way the extractor's digit folding reads it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.boolean(), async (value, persian) => {
        let text = value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
        if (persian) text = text.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d))).replace(/,/g, "\u066c");
        const { rows } = await client.query("select util.parse_amount($1)::text as v", [text]);
        expect(rows[0].v).toBe(foldDigits(text).replace(/,/g, ""));
      }),
      { numRuns: 200 },
    );
  });

  it("fold text exactly as the extractor folds headers (Arabic/Persian letters, ZWNJ, digits, spaces)", async () => {
    const alphabet = fc.constantFrom(..."ابپتکكیيىهةۀ ‌‏ـًٌ۰۱۲٠١٢012 aBc\t".split(""));
    await fc.assert(
      fc.asyncProperty(fc.array(alphabet, { maxLength: 20 }).map((chars) => chars.join("")), async (text) => {
        const { rows } = await client.query("select coalesce(util.fold_text($1), '') as v", [text]);
        expect(rows[0].v).toBe(foldText(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe("ISO timestamps in SQL", () => {
  // Expected instants worked out here: naive values are read in Asia/Tehran (UTC+03:30 all year since 2022).
  const TEHRAN = 210;
  const utc = (text: string, minutesEast: number) => new Date(Date.parse(`${text}Z`) - minutesEast * 60_000).toISOString();
  const cases: [string, string | null][] = [
    ["2025-07-01T01:04:00", utc("2025-07-01T01:04:00", TEHRAN)],
    ["2025-07-01 01:04:00", utc("2025-07-01T01:04:00", TEHRAN)],
    ["  2025-07-01T01:04  ", utc("2025-07-01T01:04:00", TEHRAN)],
    ["2025-07-01T01:04:00.5", utc("2025-07-01T01:04:00.500", TEHRAN)],
    ["۲۰۲۵-۰۷-۰۱T۰۱:۰۴:۰۰", utc("2025-07-01T01:04:00", TEHRAN)],
    ["2024-02-29T23:59:59", utc("2024-02-29T23:59:59", TEHRAN)],
    ["2025-07-01T01:04:00Z", utc("2025-07-01T01:04:00", 0)],
    ["2025-07-01t01:04:00z", utc("2025-07-01T01:04:00", 0)],
    ["2025-07-01T01:04:00+03:00", utc("2025-07-01T01:04:00", 180)],
    ["2025-07-01T01:04:00+0300", utc("2025-07-01T01:04:00", 180)],
    ["2025-07-01 01:04 -05:30", utc("2025-07-01T01:04:00", -330)],
    ["2025-07-01T01:04:00.25+02", utc("2025-07-01T01:04:00.250", 120)],
    ["2025-02-29T00:00:00", null],
    ["2025-13-01T00:00:00", null],
    ["2025-07-00T00:00:00", null],
    ["0000-07-01T00:00:00", null],
    ["2025-07-01T24:00:00", null],
    ["2025-07-01T23:60:00", null],
    ["2025-07-01T23:59:60", null],
    ["2025-07-01T1:04:00", null],
    ["2025-07-01T01:04:00+3", null],
    ["2025-07-01X01:04:00", null],
    ["2025-07-01", null],
    ["", null],
  ];

  it("read ISO 8601 with T or a space, fractions, Z or offsets, naive values in the given zone; NULL for what does not exist", async () => {
    const { rows } = await client.query(
      "select (extract(epoch from util.parse_timestamp(t, 'Asia/Tehran')) * 1000)::bigint::text as ms from unnest($1::text[]) with ordinality as u(t, n) order by n",
      [cases.map(([text]) => text)],
    );
    expect(rows.map((r, i) => [cases[i][0], r.ms === null ? null : new Date(Number(r.ms)).toISOString()])).toEqual(cases);
  });
});
