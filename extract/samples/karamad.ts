/**
 * Deterministic generator of realistic Karamad monthly exports: Persian headers (with
 * variants), sales and returns interleaved, thousands separators, Persian or Latin digits,
 * UTF-8 (with or without BOM) or Windows-1256, and a few broken and dirty rows.
 *
 * Alongside each file it returns the truth it was generated from (counts and totals
 * computed from the numbers, never by reading the file back), which tests compare the
 * warehouse against.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import iconv from "iconv-lite";
import * as jalaali from "jalaali-js";
import { seededRandom } from "./random.ts";

export type SampleEncoding = "utf-8" | "utf-8-bom" | "windows-1256";

export interface KaramadMonthOptions {
  jalaliYear: number;
  jalaliMonth: number;
  /** Data rows to write, broken, dirty and inconsistent ones included. */
  lines: number;
  seed?: number;
  encoding?: SampleEncoding;
  digits?: "latin" | "persian";
  delimiter?: "," | ";" | "\t";
  /** "standard" headers, "aliases" (other spellings), or "arabic" letter forms (ي ك) with ZWNJ/space noise. */
  headerStyle?: "standard" | "aliases" | "arabic";
  lineEnding?: "\n" | "\r\n";
  /** Rows with an extra field that holds text (an unquoted delimiter in a name): land in raw._rejects. */
  brokenRows?: number;
  /** Rows cut short after the net amount (the trailing fields missing): padded, a short_row finding, still counted. */
  shortRows?: number;
  /** Rows with trailing empty fields (trailing delimiters): trimmed, counted as usual. */
  trailingRows?: number;
  /** Parseable rows with an impossible date or amount: land in raw, flagged in dq.issues, kept out of canonical. */
  dirtyRows?: number;
  /** Lines whose net differs from gross − discount + tax: land everywhere, flagged in dq.issues. */
  inconsistentRows?: number;
  /** Prefix for invoice numbers, so two files do not share documents unless meant to. */
  invoicePrefix?: string;
}

export interface MonthTruth {
  file: string;
  /** Rows that land in the raw table (valid + dirty + inconsistent). */
  rawRows: number;
  rejectedRows: number;
  shortRows: number;
  trailingRows: number;
  /** Rows that reach canonical.sales_line. */
  lines: number;
  saleLines: number;
  returnLines: number;
  dirtyRows: number;
  inconsistentRows: number;
  /** Signed (returns negative), in rials; exact integers or 3-decimal quantities kept as thousandths. */
  signedNet: bigint;
  signedGross: bigint;
  salesNet: bigint;
  returnsNet: bigint;
  signedQuantityThousandths: bigint;
  firstDay: string;
  lastDay: string;
  netByDay: Map<string, bigint>;
}

const STANDARD_HEADERS = [
  "شماره فاکتور", "ردیف", "تاریخ فاکتور", "نوع فاکتور", "کد مشتری", "نام مشتری", "کد کالا", "نام کالا",
  "تعداد", "واحد", "فی", "مبلغ ناخالص", "تخفیف", "مالیات و عوارض", "مبلغ خالص", "شعبه", "ویزیتور", "منطقه",
];
const ALIAS_HEADERS = [
  "شماره سند", "ردیف فاکتور", "تاریخ سند", "نوع سند", "کد طرف حساب", "نام طرف حساب", "کد کالا", "شرح کالا",
  "مقدار", "واحد کالا", "فی واحد", "مبلغ کل", "مبلغ تخفیف", "مالیات بر ارزش افزوده", "مبلغ خالص", "شعبه", "بازاریاب", "ناحیه",
];

const PRODUCTS = [
  ["برنج طارم", "کیلوگرم", 1_850_000, true], ["روغن مایع ۱.۵ لیتری", "عدد", 1_420_000, false],
  ["چای سیاه ۵۰۰ گرمی", "بسته", 2_350_000, false], ["شکر سفید", "کیلوگرم", 480_000, true],
  ["ماکارونی ۷۰۰ گرمی", "بسته", 310_000, false], ["رب گوجه ۸۰۰ گرمی", "قوطی", 520_000, false],
  ["پنیر سفید", "کیلوگرم", 1_960_000, true], ["شیر کم‌چرب", "عدد", 275_000, false],
  ["خرما مضافتی", "کیلوگرم", 1_150_000, true], ["زعفران یک مثقالی", "عدد", 9_800_000, false],
  ["حبوبات لوبیا", "کیلوگرم", 890_000, true], ["کنسرو تن ماهی", "قوطی", 960_000, false],
] as const;
const FIRST_NAMES = ["علی", "مریم", "رضا", "زهرا", "حسین", "فاطمه", "کاوه", "نگار", "یوسف", "سارا"];
const LAST_NAMES = ["محمدی", "حسینی", "کریمی", "رضایی", "احمدی", "موسوی", "کاظمی", "یزدانی"];
const BRANCHES = ["تهران مرکزی", "کرج", "اصفهان", "شیراز"];
const SALESPEOPLE = ["کامران رحیمی", "لیلا صادقی", "بهروز نیک‌نام", "پریسا کیانی", "یاسر کرمانی"];
const REGIONS = ["شمال", "جنوب", "شرق", "غرب", "مرکز"];


const toPersianDigits = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

function formatAmount(rials: bigint, persian: boolean): string {
  const grouped = rials.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return persian ? toPersianDigits(grouped).replace(/,/g, "\u066c") : grouped;
}

function formatQuantity(thousandths: bigint, persian: boolean): string {
  const whole = thousandths / 1000n;
  const fraction = (thousandths % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  const text = fraction ? `${whole}.${fraction}` : `${whole}`;
  return persian ? toPersianDigits(text).replace(".", "\u066b") : text;
}

/** Windows-1256 has no Persian yeh/keheh or Persian digits; old exports use the Arabic forms. */
const toArabicLetterForms = (text: string) => text.replace(/\u06cc/g, "\u064a").replace(/\u06a9/g, "\u0643");

function quote(field: string, delimiter: string): string {
  return field.includes(delimiter) || field.includes('"') || field.includes("\n") ? `"${field.replace(/"/g, '""')}"` : field;
}

function isoDay(jy: number, jm: number, jd: number): string {
  const g = jalaali.toGregorian(jy, jm, jd);
  return `${g.gy}-${String(g.gm).padStart(2, "0")}-${String(g.gd).padStart(2, "0")}`;
}

/** Writes one month's export to `file` and returns the truth it was built from. */
export async function writeKaramadMonth(file: string, options: KaramadMonthOptions): Promise<MonthTruth> {
  const {
    jalaliYear: jy, jalaliMonth: jm, lines, seed = jy * 100 + jm, encoding = "utf-8", digits = "latin",
    delimiter = ",", headerStyle = "standard", lineEnding = "\n", brokenRows = 0, shortRows = 0, trailingRows = 0, dirtyRows = 0,
    inconsistentRows = 0, invoicePrefix = `${jy}${String(jm).padStart(2, "0")}`,
  } = options;
  const rand = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const persian = digits === "persian";
  const arabicForms = encoding === "windows-1256" || headerStyle === "arabic";
  const monthDays = jalaali.jalaaliMonthLength(jy, jm);

  const out = createWriteStream(file);
  let buffer = encoding === "utf-8-bom" ? "\ufeff" : "";
  const flush = async (force = false) => {
    if (!force && buffer.length < 1 << 16) return;
    const bytes = encoding === "windows-1256" ? iconv.encode(buffer, "windows-1256") : Buffer.from(buffer, "utf8");
    buffer = "";
    if (!out.write(bytes)) await once(out, "drain");
  };
  const emit = async (fields: string[]) => {
    const row = fields.map((f) => quote(arabicForms ? toArabicLetterForms(f) : f, delimiter)).join(delimiter);
    buffer += row + lineEnding;
    await flush();
  };

  let headers = headerStyle === "aliases" ? ALIAS_HEADERS : STANDARD_HEADERS;
  if (headerStyle === "arabic") headers = headers.map((h, i) => (i % 3 === 0 ? h.replace(" ", "\u200c") : ` ${h}  `));
  await emit(headers);

  const truth: MonthTruth = {
    file, rawRows: 0, rejectedRows: 0, shortRows: 0, trailingRows: 0, lines: 0, saleLines: 0, returnLines: 0, dirtyRows: 0, inconsistentRows: 0,
    signedNet: 0n, signedGross: 0n, salesNet: 0n, returnsNet: 0n, signedQuantityThousandths: 0n,
    firstDay: "", lastDay: "", netByDay: new Map(),
  };
  // Spread the special rows evenly through the file.
  const specials: ("broken" | "short" | "trailing" | "dirty" | "inconsistent")[] = [
    ...Array(brokenRows).fill("broken"), ...Array(shortRows).fill("short"), ...Array(trailingRows).fill("trailing"), ...Array(dirtyRows).fill("dirty"), ...Array(inconsistentRows).fill("inconsistent"),
  ];
  const specialEvery = specials.length ? Math.max(1, Math.floor(lines / (specials.length + 1))) : Infinity;

  let written = 0;
  let invoice = 0;
  while (written < lines) {
    invoice++;
    const isReturn = rand() < 0.08;
    const day = 1 + Math.floor(rand() * monthDays);
    const dayText = rand() < 0.3 ? `${jy}/${jm}/${day}` : `${jy}/${String(jm).padStart(2, "0")}/${String(day).padStart(2, "0")}`;
    const customer = Math.floor(rand() * 400) + 1;
    const customerName = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
    const branch = pick(BRANCHES);
    const salesperson = pick(SALESPEOPLE);
    const region = pick(REGIONS);
    const lineCount = Math.min(1 + Math.floor(rand() * 5), lines - written);
    for (let line = 1; line <= lineCount; line++) {
      written++;
      const productIndex = Math.floor(rand() * PRODUCTS.length);
      const [productName, unit, basePrice, byWeight] = PRODUCTS[productIndex];
      const quantity = byWeight ? BigInt(500 * (1 + Math.floor(rand() * 20))) : BigInt(1000 * (1 + Math.floor(rand() * 12)));
      const unitPrice = BigInt(basePrice + 10_000 * Math.floor(rand() * 10));
      const gross = (quantity * unitPrice) / 1000n;
      const discount = rand() < 0.3 ? (gross * BigInt(1 + Math.floor(rand() * 10))) / 100n : 0n;
      const tax = ((gross - discount) * 10n) / 100n;
      let net = gross - discount + tax;
      const special = written % specialEvery === 0 ? specials.shift() : undefined;
      if (special === "inconsistent") net += 5_000n;
      const fields = [
        `${invoicePrefix}-${String(invoice).padStart(6, "0")}`, String(line), dayText,
        isReturn ? "برگشت از فروش" : "فروش", `C${String(customer).padStart(5, "0")}`, customerName,
        `P${String(productIndex + 1).padStart(4, "0")}`, productName, formatQuantity(quantity, persian), unit,
        formatAmount(unitPrice, persian), formatAmount(gross, persian), formatAmount(discount, persian),
        formatAmount(tax, persian), formatAmount(net, persian), branch, salesperson, region,
      ].map((f) => (persian ? toPersianDigits(f) : f));
      if (special === "broken") {
        await emit([...fields, "سطر اضافه"]); // one field too many, with text in it: a reject
        truth.rejectedRows++;
        continue;
      }
      if (special === "dirty") {
        fields[2] = `${jy}/${jm}/${monthDays + 5}`; // a day this month does not have
        await emit(fields);
        truth.rawRows++;
        truth.dirtyRows++;
        continue;
      }
      if (special === "short") {
        await emit(fields.slice(0, 15)); // branch, salesperson and region cut off: padded as empty
        truth.shortRows++;
      } else if (special === "trailing") {
        await emit([...fields, "", ""]); // trailing delimiters: trimmed
        truth.trailingRows++;
      } else {
        await emit(fields);
      }
      truth.rawRows++;
      if (special === "inconsistent") truth.inconsistentRows++;
      const sign = isReturn ? -1n : 1n;
      const iso = isoDay(jy, jm, day);
      truth.lines++;
      if (isReturn) {
        truth.returnLines++;
        truth.returnsNet += net;
      } else {
        truth.saleLines++;
        truth.salesNet += net;
      }
      truth.signedNet += sign * net;
      truth.signedGross += sign * gross;
      truth.signedQuantityThousandths += sign * quantity;
      truth.netByDay.set(iso, (truth.netByDay.get(iso) ?? 0n) + sign * net);
      if (!truth.firstDay || iso < truth.firstDay) truth.firstDay = iso;
      if (!truth.lastDay || iso > truth.lastDay) truth.lastDay = iso;
    }
  }
  await flush(true);
  out.end();
  await once(out, "close");
  return truth;
}
