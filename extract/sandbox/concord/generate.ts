/**
 * Deterministic rows for the ConcordDb sandbox. Every value is a pure function of (table, row
 * index, column), so a table of a million rows needs no memory and two runs serve the same data.
 * The text is Ukrainian, Russian and Polish, with the awkward cases real ERP data has: NULL next
 * to '', NUL characters, quotes, commas and new lines, surrogate pairs, nvarchar(max) values
 * over 8 KB, datetime2 with 7 fractional digits, money with 4 decimals, decimal(30,14) values
 * with more digits than a double holds, and a few references to rows that do not exist.
 */
import { formatDatetime2, parseDatetime2 } from "../tds/values.ts";
import type { SqlType, SqlValue } from "../tds/types.ts";
import type { ColumnSpec, TableSpec } from "./schema.ts";

/** IDs have gaps, as identity columns do after deletes and rolled-back inserts: every tenth number is missing. */
export function idOf(index: number): bigint {
  return BigInt(index + Math.floor((index - 1) / 9));
}

export function indexOfId(id: bigint): number | undefined {
  if (id < 1n || id % 10n === 0n) return undefined;
  return Number(id - id / 10n);
}

function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small, fast seeded generator (mulberry32): the same seed gives the same sequence. */
export class Random {
  private state: number;
  /** From a text key (FNV-1a), or a numeric seed mixed with a row index. */
  constructor(key: string | number, index = 0) {
    const seed = typeof key === "string" ? hashKey(key) : key;
    this.state = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
    this.next();
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(count: number): string {
    let out = "";
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }
}

export function parseSqlType(text: string): SqlType {
  const t = text.toLowerCase().replace(/\s+/g, "");
  let m: RegExpExecArray | null;
  if (t === "bigint" || t === "int" || t === "bit" || t === "money" || t === "float" || t === "uniqueidentifier" || t === "smallint" || t === "tinyint") {
    return { name: t } as SqlType;
  }
  if ((m = /^decimal\((\d+),(\d+)\)$/.exec(t))) return { name: "decimal", precision: Number(m[1]), scale: Number(m[2]) };
  if ((m = /^nvarchar\((\d+|max)\)$/.exec(t))) return { name: "nvarchar", length: m[1] === "max" ? "max" : Number(m[1]) };
  if ((m = /^varbinary\((\d+|max)\)$/.exec(t))) return { name: "varbinary", length: m[1] === "max" ? "max" : Number(m[1]) };
  if ((m = /^datetime2(?:\((\d)\))?$/.exec(t))) return { name: "datetime2", scale: m[1] === undefined ? 7 : Number(m[1]) };
  throw new Error(`the sandbox does not serve SQL type ${text}`);
}

const CITIES = ["Київ", "Львів", "Одеса", "Харків", "Дніпро", "Запоріжжя", "Івано-Франківськ", "Житомир", "Łódź", "Kraków", "Gdańsk", "Wrocław", "Москва", "Ростов-на-Дону"];
const COUNTRIES = ["Україна", "Polska", "Deutschland", "Молдова"];
const STREETS = ["вулиця Шевченка", "проспект Перемоги", "вул. Ґонти", "вулиця Січових Стрільців", "ulica Marszałkowska", "ul. Źródlana", "улица Пушкина", "пров. Євгена Коновальця"];
const FIRST = ["Олександр", "Ірина", "Богдана", "Євген", "Ґжегож", "Їржі", "Małgorzata", "Łukasz", "Андрей", "Ёлка", "Світлана", "Paweł"];
const LAST = ["Шевченко", "Коваленко", "Бондаренко", "Ткачук", "Wiśniewski", "Kowalczyk", "Żółkiewski", "Иванов", "Сидорова", "Гнатюк", "Дячишин"];
const COMPANIES = [
  "ТОВ «Будівельна компанія Ґалич»",
  "ФОП Коваленко Ірина Олексіївна",
  "ООО \"Северный ветер\"",
  "Przedsiębiorstwo Handlowe \"Łódź\" Sp. z o.o.",
  "ПП «Їжак і Ко»",
  "АТ \"Укрпостачання\", філія №3",
  "Zakład Produkcyjny Źdźbło",
  "ТОВ 'Агро-Світ'",
];
const WORDS = [
  "доставка", "склад", "оптова", "знижка", "рахунок", "гривня", "ґудзик", "їжа", "єнот", "пʼятниця",
  "счёт", "поставка", "съешь", "ещё", "этих", "мягких", "французских", "булок",
  "zażółć", "gęślą", "jaźń", "dostawa", "faktura", "złoty", "źródło", "świeży",
];
const SPECIAL_TEXT = [
  "кома, крапка. \"лапки\" і 'апостроф'",
  "рядок 1\nрядок 2\r\nрядок 3",
  "  пробіли навколо  ",
  "зворотна \\ коса риска\tі табуляція",
  "емодзі 📦🚚 поза BMP",
  "=SUM(A1:A3)",
];

function sentence(r: Random, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(r.pick(WORDS));
  const text = out.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1) + ".";
}

/** Text longer than 8 KB in UCS-2, so that it travels in several PLP chunks. */
function longText(r: Random): string {
  const parts: string[] = [];
  let length = 0;
  while (length < 4_600) {
    const part = sentence(r, 12);
    parts.push(part);
    length += part.length + 1;
  }
  return parts.join(" ");
}

/** A valid Ukrainian IBAN (ISO 13616, mod 97 = 1) for the given bank code and account. */
export function ukrainianIban(bankCode: string, account: string): string {
  const bban = bankCode.padStart(6, "0") + account.padStart(19, "0");
  const numeric = (bban + "UA00").replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98n - (BigInt(numeric) % 97n);
  return `UA${String(check).padStart(2, "0")}${bban}`;
}

function guidFrom(r: Random): string {
  const word = () => Math.floor(r.next() * 0x100000000).toString(16).padStart(8, "0");
  const hex = word() + word() + word() + word();
  // Version 4, variant 10xx, as newid() makes them.
  const variant = "89ab"[parseInt(hex[16], 16) & 3];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

const BASE_DAY = parseDatetime2("2019-01-01 00:00:00").days;

const dayTexts = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? "0" : "") + n;

/** A datetime2 text with 7 fractional digits (the date part cached: generating millions of rows must stay cheap). */
function timestamp(r: Random, fromDay: number, spanDays: number): { day: number; text: string } {
  const day = fromDay + r.int(0, spanDays);
  let date = dayTexts.get(day);
  if (date === undefined) {
    date = formatDatetime2({ days: day, ticks: 0n }).slice(0, 10);
    dayTexts.set(day, date);
  }
  const seconds = r.int(0, 86_399);
  const fraction = String(r.int(0, 9_999_999)).padStart(7, "0");
  return { day, text: `${date} ${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${fraction}` };
}

/** The values an enum column may hold, from its note ("SalePaymentType: 0 Cash, 1 Transfer, …"). */
function enumValues(note: string | undefined): number[] | undefined {
  if (!note) return undefined;
  const values = [...note.matchAll(/(?:^|[:,]\s*)(\d+) \w/g)].map((m) => Number(m[1]));
  return values.length ? values : undefined;
}

export interface GenerationContext {
  /** Row count of a table the sandbox serves (for references); 0 for tables outside the 32. */
  rowsOf(table: string): number;
}

interface CompiledColumn {
  spec: ColumnSpec;
  type: SqlType;
  seed: number;
  /** The first nvarchar(max) column carries long values; the first nullable text column the other awkward ones. */
  long: boolean;
  awkward: boolean;
  enumOptions: number[] | undefined;
  /** How a nullable column comes out NULL now and then. */
  nullChance: number;
  text: TextMaker;
}

interface CompiledTable {
  columns: CompiledColumn[];
  position: Map<string, number>;
  createdSeed: number;
}

const compiled = new WeakMap<TableSpec, CompiledTable>();

/** What can be worked out once per table (types, seeds, which columns carry the awkward values). */
function compile(table: TableSpec): CompiledTable {
  let done = compiled.get(table);
  if (done) return done;
  const firstMax = table.columns.find((c) => c.type === "nvarchar(max)");
  const firstText = table.columns.find((c) => c.nullable && c.type.startsWith("nvarchar"));
  done = {
    columns: table.columns.map((spec) => ({
      spec,
      type: parseSqlType(spec.type),
      seed: hashKey(`${table.name}:${spec.name}`),
      long: spec === firstMax,
      awkward: spec === firstText,
      enumOptions: enumValues(spec.note),
      nullChance: spec.name.endsWith("ID") || spec.name.endsWith("Id") ? 0.25 : 0.12,
      text: textMaker(spec.name),
    })),
    position: new Map(table.columns.map((c, i) => [c.name, i])),
    createdSeed: hashKey(`${table.name}:Created`),
  };
  compiled.set(table, done);
  return done;
}

/** One base row of a table: values in column order. */
export function generateRow(table: TableSpec, index: number, ctx: GenerationContext): SqlValue[] {
  const t = compile(table);
  const id = idOf(index);
  const created = timestamp(new Random(t.createdSeed, index), BASE_DAY, 2_400);
  const values = t.columns.map((column) => generateValue(column, index, id, created, ctx));
  applyRules(table.name, index, (name, value) => {
    const at = t.position.get(name);
    if (at !== undefined) values[at] = value;
  }, ctx);
  return values;
}

function generateValue(compiledColumn: CompiledColumn, index: number, id: bigint, created: { day: number; text: string }, ctx: GenerationContext): SqlValue {
  const { spec: column, type } = compiledColumn;
  const r = new Random(compiledColumn.seed, index);
  const name = column.name;
  if (name === "ID") return id;
  if (name === "Created") return created.text;
  if (name === "Updated") return r.chance(0.3) ? created.text : timestamp(r, created.day + 1, 300).text;
  if (name === "Deleted") return index % 11 === 7;
  const special = compiledColumn.long || compiledColumn.awkward ? specialText(compiledColumn, index, r) : undefined;
  if (special !== undefined) return special;
  if (column.nullable && r.chance(compiledColumn.nullChance)) return null;
  switch (type.name) {
    case "bigint": {
      if (column.references) {
        const rows = ctx.rowsOf(column.references);
        // A reference into a table the sandbox serves points at one of its rows; others at small ids of tables outside the 32.
        return rows ? idOf(r.int(1, rows)) : BigInt(r.int(1, 40));
      }
      return BigInt(r.int(1, 999_999)) * (r.chance(0.05) ? 1_000_000_000n : 1n);
    }
    case "int": {
      if (compiledColumn.enumOptions) return r.pick(compiledColumn.enumOptions);
      if (/Days|Term/.test(name)) return r.int(0, 60);
      return r.int(0, 10);
    }
    case "smallint":
    case "tinyint":
      return r.int(0, 100);
    case "bit":
      return r.chance(0.4);
    case "money": {
      // Four decimals; now and then a value with more significant digits than a double keeps.
      const big = index % 7 === 3;
      const whole = big ? BigInt(r.int(100_000_000, 999_999_999)) * 1_000n + BigInt(r.int(0, 999)) : BigInt(r.int(0, 250_000));
      const value = whole * 10_000n + BigInt(r.int(0, 9_999));
      return r.chance(0.1) ? -value : value;
    }
    case "float": {
      const choices = [0.1 + 0.2, 1.5, 12, 1 / 3, 1e-7, 2.5e10, 0, 99.99];
      return r.chance(0.5) ? r.pick(choices) : Math.round(r.next() * 1_000_000) / 1000;
    }
    case "decimal": {
      // decimal(30,14): 16 whole and 14 fractional digits, beyond a double's 15–17 significant digits.
      const whole = BigInt(r.digits(type.precision - type.scale - 1) || "0");
      const fraction = BigInt(r.digits(type.scale) || "0");
      const value = whole * 10n ** BigInt(type.scale) + fraction;
      return r.chance(0.15) ? -value : value;
    }
    case "uniqueidentifier":
      return guidFrom(r);
    case "varbinary": {
      const size = type.length === "max" ? 16 : type.length;
      return Buffer.from(Array.from({ length: size }, () => r.int(0, 255)));
    }
    case "datetime2":
      return timestamp(r, BASE_DAY, 2_600).text;
    case "nvarchar":
      return fitText(compiledColumn.text(index, r), type.length);
    default:
      return null;
  }
}

function fitText(text: string, length: number | "max"): string {
  if (length === "max" || text.length <= length) return text;
  // Never cut a surrogate pair in half.
  let cut = text.slice(0, length);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

/** The awkward values, in the first (nullable) text columns of a few rows of every table. */
function specialText(column: CompiledColumn, index: number, r: Random): string | undefined {
  if (column.long && index % 97 === 1) return longText(r);
  if (!column.awkward) return undefined;
  const length = (column.type as { length: number | "max" }).length;
  if (index % 53 === 2) return fitText("перший\u0000другий (NUL між словами)", length);
  if (index % 29 === 5) return "";
  const special = (index % 31) - 6;
  if (special >= 0 && special < SPECIAL_TEXT.length) return fitText(SPECIAL_TEXT[special], length);
  return undefined;
}

type TextMaker = (index: number, r: Random) => string;

/** The kind of text a column holds, by its name; worked out once per column. */
function textMaker(name: string): TextMaker {
  if (name === "FirstName") return (_, r) => r.pick(FIRST);
  if (name === "LastName") return (_, r) => r.pick(LAST);
  if (name === "MiddleName") return (_, r) => r.pick(["Олексійович", "Іванівна", "Петрович", "Jan"]);
  if (/^(Name|FullName|SupplierName|Brand|Manufacturer)$/.test(name)) return (i, r) => `${r.pick(COMPANIES)} ${i}`;
  if (/Manager|ContactName/.test(name)) return (_, r) => `${r.pick(LAST)} ${r.pick(FIRST)}`;
  if (/City/.test(name)) return (_, r) => r.pick(CITIES);
  if (name === "Country") return (_, r) => r.pick(COUNTRIES);
  if (/Address|Street/.test(name)) return (_, r) => `${r.pick(CITIES)}, ${r.pick(STREETS)}, ${r.int(1, 200)}`;
  if (/HouseNumber/.test(name)) return (_, r) => `${r.int(1, 200)}${r.pick(["", "а", "б", "/2"])}`;
  if (/ZipCode/.test(name)) return (_, r) => r.digits(5);
  if (/Email/.test(name)) return (i) => `client${i}@example.com.ua`;
  if (/(Mobile|Fax|SMS|Director|Accountant|Phone)Number/.test(name)) return (_, r) => `+380 ${r.digits(2)} ${r.digits(3)} ${r.digits(4)}`;
  if (/^(TIN|USREOU)$/.test(name)) return (_, r) => r.digits(8);
  if (name === "NIP") return (_, r) => r.digits(10);
  if (name === "Swift") return (_, r) => r.pick(["PBANUA2X", "AVALUAUK", "BPKOPLPW", "UNJSUAUK"]);
  if (name === "BranchCode") return (_, r) => r.digits(6);
  if (name === "CultureCode") return (_, r) => r.pick(["uk", "ru", "pl", "en"]);
  if (/^(Number|ClientNumber)$/.test(name)) return (i, r) => `${r.pick(["СФ", "РН", "FV"])}-${String(i).padStart(6, "0")}`;
  if (name === "SupplierCode" || name === "OriginalRegionCode") return (_, r) => r.digits(4);
  if (name === "Key") return (_, r) => `ключ-${r.digits(6)}`;
  if (name === "ICQ") return (_, r) => r.digits(9);
  if (name === "ShoppingCartJson") return (_, r) => JSON.stringify({ items: [{ product: r.int(1, 999), qty: r.int(1, 9), note: sentence(r, 3) }] });
  if (/Url/.test(name)) return (_, r) => `https://files.example.com/${r.digits(6)}/документ.pdf`;
  if (/FileName|GeneratedName/.test(name)) return (_, r) => `накладна_${r.digits(5)}.pdf`;
  if (name === "ContentType") return () => "application/pdf";
  if (name === "TTN") return (_, r) => r.digits(14);
  if (name === "ItemNo" || name === "StockNo") return (_, r) => `${r.pick(["A", "B", "Ż"])}-${r.digits(5)}`;
  if (name === "Lable") return (i) => `Мітка ${i}`;
  if (name === "Value") return (_, r) => r.pick(["так", "ні", "tak", "да", sentence(r, 2)]);
  return (_, r) => sentence(r, r.int(2, 8));
}

const RULE_SEED = hashKey("rules");

/** Relations the models rely on, beyond random references. */
function applyRules(table: string, index: number, set: (column: string, value: SqlValue) => void, ctx: GenerationContext): void {
  const v = { set };
  const r = new Random(RULE_SEED, index);
  switch (table) {
    case "Client": {
      const subClient = index % 5 === 0;
      v.set("IsSubClient", subClient);
      v.set("MainClientID", subClient ? idOf(index - 1) : null);
      v.set("Deleted", index % 9 === 8);
      // Two clients share a client number (a duplicate code the data-quality checks should find).
      if (index === 12) v.set("ClientNumber", `СФ-${String(11).padStart(6, "0")}`);
      break;
    }
    case "ClientType":
      v.set("Name", index === 1 ? "Покупець" : index === 2 ? "Постачальник" : `Тип ${index}`);
      v.set("Type", (index - 1) % 3);
      v.set("Deleted", false);
      break;
    case "ClientTypeRole":
      v.set("ClientTypeID", idOf(((index - 1) % Math.max(1, ctx.rowsOf("ClientType"))) + 1));
      v.set("Name", ["Оптовий", "Роздрібний", "Дилер", "Виробник", "Імпортер", "Перевізник"][(index - 1) % 6]);
      v.set("Deleted", false);
      break;
    case "ClientInRole": {
      // One role per client (a unique index on ClientID).
      v.set("ClientID", idOf(index));
      const roles = Math.max(1, ctx.rowsOf("ClientTypeRole"));
      const role = ((index - 1) % roles) + 1;
      v.set("ClientTypeRoleID", idOf(role));
      v.set("ClientTypeID", idOf(((role - 1) % Math.max(1, ctx.rowsOf("ClientType"))) + 1));
      v.set("Deleted", false);
      break;
    }
    case "ClientSubClient":
      v.set("SubClientID", idOf(index * 5));
      v.set("RootClientID", idOf(index * 5 - 1));
      v.set("Deleted", false);
      break;
    case "ClientAgreement":
      v.set("ClientID", index === 8 ? 999n : idOf(((index - 1) % Math.max(1, ctx.rowsOf("Client"))) + 1));
      break;
    case "ClientBankDetailIbanNo": {
      const iban = ukrainianIban(r.digits(6), r.digits(19));
      // About one in forty fails the ISO 13616 check (a mistyped digit).
      v.set("IBANNO", index % 40 === 13 ? iban.slice(0, 10) + ((Number(iban[10]) + 1) % 10) + iban.slice(11) : iban);
      break;
    }
    case "ClientBankDetailAccountNumber":
      v.set("AccountNumber", r.digits(14));
      break;
    case "Sale":
      v.set("OrderID", idOf(index));
      v.set("SaleInvoiceDocumentID", idOf(((index - 1) % Math.max(1, ctx.rowsOf("SaleInvoiceDocument"))) + 1));
      v.set("SaleInvoiceNumberID", idOf(((index - 1) % Math.max(1, ctx.rowsOf("SaleInvoiceNumber"))) + 1));
      v.set("ClientAgreementID", idOf(((index - 1) % Math.max(1, ctx.rowsOf("ClientAgreement") - 1)) + 1));
      break;
    case "OrderItem":
      v.set("OrderID", idOf(Math.floor((index - 1) / 3) + 1));
      v.set("Qty", r.int(1, 20) + (r.chance(0.2) ? 0.5 : 0));
      break;
    case "Order":
      v.set("ClientAgreementID", idOf(((index - 1) % Math.max(1, ctx.rowsOf("ClientAgreement") - 1)) + 1));
      break;
  }
}
