/**
 * Deterministic generator of Karamad's sales-detail export as it really looks (see the
 * README's Karamad section): 61 columns, UTF-8 with BOM, CRLF, amounts quoted with thousands
 * separators, no line-number column, returns written with either sign, a reference date that
 * differs from the system date (or is missing), the same product on several lines of one
 * invoice, trailing empty fields, short rows, and ~45 organisational columns the contract
 * does not know.
 *
 * It returns the truth it was generated from: every line as canonical must read it (computed
 * from the numbers, never by reading the file back), so tests compute KPIs independently.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import * as jalaali from "jalaali-js";
import { seededRandom } from "./random.ts";

/** Where the columns a warehouse needs sit in the real export (1-based), by header. */
const KNOWN_COLUMNS: Record<number, string> = {
  3: "کد فروشنده", 4: "نام فروشنده", 5: "کد کالا", 6: "نام کالا", 7: "واحد", 29: "نوع فاکتور", 38: "تاریخ", 39: "شماره",
  42: "کد مشتری", 43: "نام مشتری", 46: "مجموع تعداد", 47: "فی فروش", 48: "جمع قبل تخفیف", 49: "تخفیف حجمی",
  50: "تخفیف نقدی", 51: "مالیات", 52: "قابل پرداخت", 54: "تاریخ مرجع",
};
/** Organisational attributes: kept in _extra, never needed by the models. */
const OTHER_HEADERS = [
  "کد شرکت", "نام شرکت", "کد سرپرست", "نام سرپرست", "کد مسیر", "نام مسیر", "شهر", "استان", "برند", "تامین کننده",
  "گروه کالا", "زیرگروه کالا", "کد انبار", "نام انبار", "نوع مشتری", "کانال فروش", "کد پخش", "موزع", "شماره خودرو",
  "کد منطقه فروش", "نام منطقه فروش", "نوع پرداخت", "مهلت پرداخت", "شماره پیش فاکتور", "کد ویزیت", "وضعیت تحویل",
  "وزن", "حجم", "بارکد", "کد ایران کد", "نوع بسته بندی", "تعداد در کارتن", "کارتن", "عدد", "جایزه", "شرح", "کاربر ثبت",
  "ساعت ثبت", "دوره فروش", "سال مالی", "کد مرکز هزینه", "کد پروژه", "نوع ارز",
];
export const DETAIL_HEADERS: string[] = (() => {
  const headers: string[] = [];
  let other = 0;
  for (let position = 1; position <= 61; position++) headers.push(KNOWN_COLUMNS[position] ?? OTHER_HEADERS[other++]);
  return headers;
})();
const column = (header: string) => DETAIL_HEADERS.indexOf(header);

const PRODUCTS = [
  ["برنج طارم", "کیلوگرم", 1_850_000], ["روغن مایع", "عدد", 1_420_000], ["چای سیاه", "بسته", 2_350_000],
  ["شکر سفید", "کیلوگرم", 480_000], ["ماکارونی", "بسته", 310_000], ["رب گوجه", "قوطی", 520_000],
  ["پنیر سفید", "کیلوگرم", 1_960_000], ["خرما مضافتی", "کیلوگرم", 1_150_000],
] as const;
const SALESPEOPLE = [["S01", "کامران رحیمی"], ["S02", "لیلا صادقی"], ["S03", "پریسا کیانی"]] as const;
const SALE_TYPES = ["فروش", "فروش نقدی", "فروش اعتباری"];
const RETURN_TYPES = ["برگشت از فروش", "برگشت از فروش نقدی"];

export interface DetailLine {
  invoice: string;
  eventType: "SALE" | "RETURN";
  /** ISO day canonical must date the line by. */
  eventDate: string;
  customer: string;
  product: string;
  salesperson: string;
  /** Signed as canonical holds them: returns negative. Quantity in thousandths. */
  quantityThousandths: bigint;
  net: bigint;
  gross: bigint;
}

export interface DetailTruth {
  file: string;
  /** Records in the file after the header, all landing in raw (no rejects: ragged rows are normal). */
  rawRows: number;
  trimmedRows: number;
  shortRows: number;
  /** Short rows cut before the payable: they land, but cannot reach canonical. */
  unusableRows: number;
  signMismatches: number;
  fallbackDates: number;
  /** Every line canonical must hold. */
  lines: DetailLine[];
  lineCount: number;
  signedNet: bigint;
}

export interface DetailOptions {
  jalaliYear: number;
  jalaliMonth: number;
  rows: number;
  seed?: number;
  invoicePrefix?: string;
  /** Keep each line in the truth (tests); off for the benchmark's million rows. */
  keepLines?: boolean;
  /** Trailing empty fields and short rows (default on); off for a plain-COPY baseline, which cannot take them. */
  ragged?: boolean;
}


/** `"1,250,000"` or `"-1,250,000"`: quoted, because of the separators. */
const amount = (value: bigint) => `"${value < 0n ? "-" : ""}${(value < 0n ? -value : value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")}"`;
const quantityText = (thousandths: bigint) => {
  const negative = thousandths < 0n;
  const abs = negative ? -thousandths : thousandths;
  const fraction = (abs % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / 1000n}${fraction ? `.${fraction}` : ""}`;
};
const jalaliText = (jy: number, jm: number, jd: number) => `${jy}/${String(jm).padStart(2, "0")}/${String(jd).padStart(2, "0")}`;
const iso = (jy: number, jm: number, jd: number) => {
  const g = jalaali.toGregorian(jy, jm, jd);
  return `${g.gy}-${String(g.gm).padStart(2, "0")}-${String(g.gd).padStart(2, "0")}`;
};

export async function writeKaramadDetail(file: string, options: DetailOptions): Promise<DetailTruth> {
  const { jalaliYear: jy, jalaliMonth: jm, rows, seed = jy * 100 + jm + 17, keepLines = true, ragged = true } = options;
  const invoicePrefix = options.invoicePrefix ?? `D${jy}${String(jm).padStart(2, "0")}`;
  const rand = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const monthDays = jalaali.jalaaliMonthLength(jy, jm);
  const truth: DetailTruth = {
    file, rawRows: 0, trimmedRows: 0, shortRows: 0, unusableRows: 0, signMismatches: 0, fallbackDates: 0,
    lines: [], lineCount: 0, signedNet: 0n,
  };

  const out = createWriteStream(file);
  let buffer = "\ufeff" + DETAIL_HEADERS.join(",") + "\r\n";
  const emit = async (fields: string[]) => {
    buffer += fields.join(",") + "\r\n";
    if (buffer.length >= 1 << 16) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  };

  let invoice = 0;
  while (truth.rawRows < rows) {
    invoice++;
    const invoiceNumber = `${invoicePrefix}-${invoice}`;
    const kind = rand();
    // Returns: positive with a return type, negative with a return type, or negative with a sale type.
    const style = kind < 0.05 ? "return-positive" : kind < 0.09 ? "return-negative" : kind < 0.11 ? "sale-type-negative" : "sale";
    const isReturn = style !== "sale";
    const day = 1 + Math.floor(rand() * monthDays);
    const [salespersonCode, salespersonName] = pick(SALESPEOPLE);
    const customer = `C${String(1 + Math.floor(rand() * 60)).padStart(4, "0")}`;
    // A sale's reference date (the visit) is a few days before its registration, sometimes missing or impossible.
    const referenceRoll = rand();
    const referenceDay = Math.max(1, day - Math.floor(rand() * 4));
    const referenceText = isReturn ? "" : referenceRoll < 0.1 ? "" : referenceRoll < 0.13 ? `${jy}/${jm}/${monthDays + 3}` : jalaliText(jy, jm, referenceDay);
    const usesReference = !isReturn && referenceRoll >= 0.13;
    const eventDate = usesReference ? iso(jy, jm, referenceDay) : iso(jy, jm, day);
    const typeText = style === "sale" || style === "sale-type-negative" ? pick(SALE_TYPES) : pick(RETURN_TYPES);
    const sign = style === "return-negative" || style === "sale-type-negative" ? -1n : 1n;

    const lineCount = Math.min(1 + Math.floor(rand() * 6), rows - truth.rawRows);
    const firstProduct = Math.floor(rand() * PRODUCTS.length);
    for (let n = 0; n < lineCount; n++) {
      // The same product on several lines of one invoice: each line counts.
      const productIndex = n > 0 && rand() < 0.3 ? firstProduct : Math.floor(rand() * PRODUCTS.length);
      const [productName, unit, price] = PRODUCTS[productIndex];
      const quantity = BigInt(1000 * (1 + Math.floor(rand() * 10)));
      const unitPrice = BigInt(price);
      const gross = (quantity * unitPrice) / 1000n;
      const volume = rand() < 0.3 ? (gross * 3n) / 100n : 0n;
      const cash = rand() < 0.2 ? (gross * 2n) / 100n : 0n;
      const tax = ((gross - volume - cash) * 9n) / 100n;
      const payable = gross - volume - cash + tax;
      // Now and then a return whose quantity and payable disagree in sign.
      const mismatch = isReturn && rand() < 0.05;
      const fields = DETAIL_HEADERS.map((_, i) => `v${i}-${invoice % 7}`);
      const set = (header: string, value: string) => (fields[column(header)] = value);
      set("کد فروشنده", salespersonCode); set("نام فروشنده", salespersonName);
      set("کد کالا", `P${String(productIndex + 1).padStart(3, "0")}`); set("نام کالا", productName); set("واحد", unit);
      set("نوع فاکتور", typeText); set("تاریخ", jalaliText(jy, jm, day)); set("شماره", invoiceNumber);
      set("کد مشتری", customer); set("نام مشتری", `مشتری ${customer}`);
      set("مجموع تعداد", quantityText((mismatch ? 1n : sign) * quantity)); set("فی فروش", amount(unitPrice));
      set("جمع قبل تخفیف", amount(sign * gross));
      set("تخفیف حجمی", volume ? amount(sign * volume) : ""); set("تخفیف نقدی", cash ? amount(sign * cash) : "");
      set("مالیات", amount(sign * tax)); set("قابل پرداخت", amount((mismatch ? -1n : sign) * payable));
      set("تاریخ مرجع", referenceText);

      const shape = ragged ? rand() : 1;
      let record = fields;
      let usable = true;
      if (shape < 0.03) {
        record = [...fields, "", "", ""]; // trailing commas
        truth.trimmedRows++;
      } else if (shape < 0.05) {
        record = fields.slice(0, 56); // short, but everything the warehouse needs is there
        truth.shortRows++;
      } else if (shape < 0.055) {
        record = fields.slice(0, 45); // short before the quantity and payable: lands, never reaches canonical
        truth.shortRows++;
        truth.unusableRows++;
        usable = false;
      }
      await emit(record);
      truth.rawRows++;
      if (!usable) {
        // Cut before its amounts and reference date: the type column alone says sale, so the date falls back.
        if (SALE_TYPES.includes(typeText)) truth.fallbackDates++;
        continue;
      }
      if (mismatch) truth.signMismatches++;
      if (!isReturn && !usesReference && referenceText !== "") truth.fallbackDates++;
      if (!isReturn && referenceText === "") truth.fallbackDates++;
      const eventType = isReturn || mismatch ? "RETURN" : "SALE";
      const signed = (value: bigint) => (eventType === "RETURN" ? -value : value);
      const line: DetailLine = {
        invoice: invoiceNumber, eventType, eventDate, customer, product: `P${String(productIndex + 1).padStart(3, "0")}`,
        salesperson: salespersonName, quantityThousandths: signed(quantity), net: signed(payable), gross: signed(gross),
      };
      truth.lineCount++;
      truth.signedNet += line.net;
      if (keepLines) truth.lines.push(line);
    }
  }
  out.write(buffer);
  out.end();
  await once(out, "close");
  return truth;
}
