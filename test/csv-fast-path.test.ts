/**
 * The byte path (UTF-8 files) must land exactly what the text path lands: the same COPY lines,
 * the same rejects and row notes, in the same order, whatever the input's raggedness and
 * however the file is cut into chunks.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { loadContracts } from "../extract/contracts/contracts.ts";
import { byteChunks, openCsvFile, textChunks, type HeaderMapping } from "../extract/sources/csv-file.ts";
import type { CopyChunk, RejectedRecord, RowNote } from "../extract/sources/source.ts";

type Chunk = CopyChunk | RejectedRecord | RowNote;

/** Everything a path yields, with the rows joined into one text (chunking is not part of the result). */
async function collect(chunks: AsyncIterable<Chunk>) {
  let rows = 0;
  const lines: Buffer[] = [];
  const others: Chunk[] = [];
  for await (const chunk of chunks) {
    if (chunk.kind === "rows") {
      rows += chunk.rows;
      lines.push(Buffer.from(chunk.text));
    } else others.push(chunk);
  }
  return { rows, text: Buffer.concat(lines).toString("utf8"), others };
}

async function* pieces<T>(items: T[]) {
  yield* items;
}

/** The bytes cut at the given lengths (cuts may fall inside a multi-byte character), and the same cuts decoded. */
function cut(bytes: Buffer, lengths: number[]) {
  const parts: Buffer[] = [];
  let at = 0;
  for (const length of lengths) {
    if (at >= bytes.length) break;
    parts.push(bytes.subarray(at, at + length));
    at += length;
  }
  if (at < bytes.length) parts.push(bytes.subarray(at));
  const decoder = new TextDecoder("utf-8");
  const texts = [...parts.map((part) => decoder.decode(part, { stream: true })), decoder.decode()];
  return { parts, texts };
}

/** Four file columns: the 2nd and 4th unknown to the contract (so they land in _extra). */
const withExtra: HeaderMapping = {
  columnSource: [0, 2],
  fileColumns: ["invoice_number", null, "quantity", null],
  extraKeys: [null, "شهر", null, 'note "x"'],
  unknownHeaders: ["شهر", 'note "x"'],
};
const allKnown: HeaderMapping = {
  columnSource: [0, 1, 2, 3],
  fileColumns: ["a", "b", "c", "d"],
  extraKeys: [null, null, null, null],
  unknownHeaders: [],
};

const field = fc.oneof(
  fc.constantFrom("", "x", "W-17", "فروش نقدی", '"1,250,000"', '"a ""quoted"" word"', '"two\nlines"', '"back\\slash"', '"tab\there"', '"\r\n"', " "),
  fc.string({ maxLength: 6 }).filter((s) => !/[",\n\r]/.test(s)),
);
/** Mostly four fields; sometimes short, long with empty or non-empty extras, or broken. */
const record = fc.oneof(
  { weight: 6, arbitrary: fc.array(field, { minLength: 4, maxLength: 4 }).map((r) => r.join(",")) },
  { weight: 1, arbitrary: fc.array(field, { minLength: 1, maxLength: 3 }).map((r) => r.join(",")) },
  { weight: 1, arbitrary: fc.tuple(fc.array(field, { minLength: 4, maxLength: 4 }), fc.integer({ min: 1, max: 3 })).map(([r, n]) => r.join(",") + ",".repeat(n)) },
  { weight: 1, arbitrary: fc.array(field, { minLength: 5, maxLength: 7 }).map((r) => r.join(",")) },
  { weight: 1, arbitrary: fc.constantFrom('a,b"c,d,e', '"a"x,b,c,d', "a,\0,c,d", '"unclosed,b,c,d', "", "\r", ",,,", '"",,"",') },
);

describe("the byte path lands what the text path lands", () => {
  for (const [name, mapping] of [["with _extra", withExtra], ["all columns known", allKnown]] as const) {
    it(`ragged records, quotes, newlines, CRLF, any chunking (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(record, { minLength: 0, maxLength: 25 }),
          fc.boolean(),
          fc.boolean(),
          fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 12 }),
          async (records, crlf, finalNewline, lengths) => {
            const eol = crlf ? "\r\n" : "\n";
            const text = ["h1,h2,h3,h4", ...records].join(eol) + (finalNewline ? eol : "");
            const { parts, texts } = cut(Buffer.from(text, "utf8"), lengths);
            const bytePath = await collect(byteChunks(pieces(parts), ",", 4, mapping, 7));
            const textPath = await collect(textChunks(pieces(texts), false, ",", 4, mapping, 7));
            expect(bytePath).toEqual(textPath);
          },
        ),
        { numRuns: 400 },
      );
    });
  }

  it("a real export (BOM, CRLF, trailing commas, short rows, extra fields) lands the same as UTF-8 and as UTF-16", async () => {
    const contract = loadContracts().find((c) => c.source === "karamad" && c.entity === "sales_line")!;
    const header = ["شماره فاکتور", "ردیف", "تاریخ فاکتور", "نوع سند", "کد کالا", "تعداد", "مبلغ خالص", "شهر", "یادداشت"].join(",");
    const lines = [
      header,
      'B-1,1,1403/06/01,فروش,P1,"1,250",900,کرج,"گفت ""سلام"""',
      "B-1,2,1403/06/01,فروش,P2,2,800,تهران,,,", // trailing commas: trimmed
      "B-2,1,1403/06/02,برگشت از فروش,P1,3", // short: padded
      "B-3,1,1403/06/02,فروش,P3,4,700,قم,x,extra", // extra non-empty field: rejected
      'B-4,1,1403/06/03,فروش,P1,5,600,"چند\r\nخط",back\\slash',
      'B-5,1,1403/06/03,فروش,P2,6,500,bad"quote,',
      "",
      "B-6,1,1403/06/04,فروش,P3,7,400,اصفهان,\t",
    ];
    const dir = mkdtempSync(path.join(tmpdir(), "fast-path-"));
    const text = lines.join("\r\n") + "\r\n";
    const utf8 = path.join(dir, "export-utf8.csv");
    const utf16 = path.join(dir, "export-utf16.csv");
    writeFileSync(utf8, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
    writeFileSync(utf16, iconv.encode(text, "utf-16le", { addBOM: true }));
    const viaBytes = await openCsvFile(utf8, contract);
    const viaText = await openCsvFile(utf16, contract);
    expect(viaBytes.details.encoding).toBe("utf-8-bom");
    expect(viaText.details.encoding).toBe("utf-16le");
    expect(viaBytes.columns).toEqual(viaText.columns);
    const landed = await collect(viaBytes.chunks(3));
    expect(landed).toEqual(await collect(viaText.chunks(3)));
    // And what that is, independently: 5 rows (one trimmed, one padded), 2 rejects.
    expect(landed.rows).toBe(5);
    expect(landed.others.map((c) => (c.kind === "note" ? `${c.note}@${c.sourceRow}` : c.kind === "reject" ? `reject@${c.sourceRow}` : "rows"))).toEqual([
      "trimmed_row@3",
      "short_row@4",
      "reject@5",
      "reject@8",
    ]);
    expect(landed.text.split("\n")[0]).toBe(`B-1,1,1403/06/01,فروش,P1,"1,250",900,"{""شهر"":""کرج"",""یادداشت"":""گفت \\""سلام\\""""}",3,2`);
  });
});
