/**
 * The sandbox's organisation: deterministic generated contacts, items, invoices and credit notes
 * in NZD, shaped like Xero's (money in cents internally, written with fixed decimals). Mixed in,
 * as in a real organisation: supplier bills (ACCPAY) and supplier credits, drafts, submitted,
 * voided and deleted documents, GST-exclusive, -inclusive and no-tax lines, the same item on
 * several lines of one invoice, description-only lines, dates before 1970, archived contacts.
 */

export type LineAmountTypes = "Exclusive" | "Inclusive" | "NoTax";
export type DocumentStatus = "DRAFT" | "SUBMITTED" | "AUTHORISED" | "PAID" | "VOIDED" | "DELETED";

export interface SandboxLine {
  LineItemID: string;
  ItemCode?: string;
  Description: string;
  /** Quantity in ten-thousandths (unitdp=4). */
  quantity4: number;
  /** Unit amount in ten-thousandths. */
  unitAmount4: number;
  /** Percent, or undefined. */
  DiscountRate?: number;
  lineCents: number;
  taxCents: number;
  TaxType: string;
  AccountCode: string;
  Tracking: { TrackingCategoryID: string; Name: string; Option: string }[];
}

export interface SandboxDocument {
  kind: "invoice" | "credit_note";
  Type: "ACCREC" | "ACCPAY" | "ACCRECCREDIT" | "ACCPAYCREDIT";
  id: string;
  number: string;
  Reference: string;
  contactId: string;
  /** Midnight UTC of the document date, ms (may be negative: migrated history). */
  dateMs: number;
  dueMs: number;
  Status: DocumentStatus;
  LineAmountTypes: LineAmountTypes;
  lines: SandboxLine[];
  /** Cents; normally the lines' ex-tax sum. A few documents carry a rounding difference. */
  subTotalCents: number;
  totalTaxCents: number;
  CurrencyCode: string;
  CurrencyRate: string;
  updatedMs: number;
  /** Creation order, the default sort. */
  seq: number;
}

export interface SandboxContact {
  ContactID: string;
  ContactNumber: string;
  AccountNumber: string;
  ContactStatus: "ACTIVE" | "ARCHIVED";
  Name: string;
  FirstName: string;
  LastName: string;
  EmailAddress: string;
  IsCustomer: boolean;
  IsSupplier: boolean;
  DefaultCurrency: string;
  City: string;
  updatedMs: number;
  seq: number;
}

export interface SandboxItem {
  ItemID: string;
  Code: string;
  Name: string;
  Description: string;
  unitPriceCents: number;
  IsSold: boolean;
  IsPurchased: boolean;
  updatedMs: number;
}

export interface SandboxData {
  tenantId: string;
  tenantName: string;
  /** The organisation's base currency (GET /Organisation → BaseCurrency); documents are in it unless changed. */
  baseCurrency: string;
  contacts: SandboxContact[];
  items: SandboxItem[];
  documents: SandboxDocument[];
}

export interface GenerateOptions {
  seed?: number;
  invoices?: number;
  creditNotes?: number;
  /** The organisation's base currency (default NZD, this business's). */
  baseCurrency?: string;
}

/** mulberry32: a small seeded generator, so the same seed always gives the same organisation. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = "0123456789abcdef";

export function uuidFrom(random: () => number): string {
  let hex = "";
  for (let i = 0; i < 32; i++) hex += HEX[Math.floor(random() * 16)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const DAY = 86_400_000;
const HISTORY_START = Date.UTC(2024, 6, 1); // 1 July 2024: a New Zealand financial year
const UPDATED_START = Date.UTC(2025, 0, 1, 9);
export const GST_RATE = 0.15;

const TOWNS = ["Wellsford", "Warkworth", "Whangarei", "Dargaville", "Kaitaia", "Hamilton", "Tauranga", "Rotorua", "Napier", "Nelson"];
const CHAINS = ["Farmlands", "PGG Wrightson", "Mitre 10", "Animates", "Hunting & Fishing"];
const PRODUCTS: [string, string, number][] = [
  ["KK-COL-CTN", "Kiwi Klip:Coloured:Carton", 4_850],
  ["KK-CLR-CTN", "Kiwi Klip:Clear:Carton", 4_520],
  ["KK-COL-BAG", "Kiwi Klip:Coloured:Bag", 695],
  ["PEG-WD-24", "Pegs:Wooden:24 pack", 389],
  ["PEG-PL-36", "Pegs:Plastic:36 pack", 412],
  ["LINE-RT-30", "Clothesline:Rotary:30m", 18_900],
  ["LINE-FW-4", "Clothesline:Fold-away:4 line", 12_450],
  ["BSK-WIL-L", "Baskets:Willow:Large", 3_275],
  ["BSK-PL-M", "Baskets:Plastic:Medium", 1_190],
  ["HNG-WD-10", "Hangers:Wooden:10 pack", 1_560],
  ["HNG-VLV-20", "Hangers:Velvet:20 pack", 2_240],
  ["RACK-AIR-3", "Airers:3 tier", 5_990],
  ["RACK-WALL", "Airers:Wall mounted", 7_450],
  ["COVER-LINE", "Clothesline:Cover", 2_995],
  ["SPARE-ARM", "Clothesline:Spare arm", 1_425],
  ["FREIGHT", "Freight", 2_500],
  ["PALLET-WRAP", "Consumables:Pallet wrap", 1_850],
];

export function generateOrganisation(options: GenerateOptions = {}): SandboxData {
  const random = randomSource(options.seed ?? 20250701);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const tenantId = uuidFrom(random);
  const baseCurrency = options.baseCurrency ?? "NZD";
  let updated = UPDATED_START;
  // Ascending change times; now and then several records share one (the cursor must handle ties).
  const nextUpdated = () => (random() < 0.08 ? updated : (updated += between(60_000, 3 * 3_600_000) + between(0, 999)));

  const contacts: SandboxContact[] = [];
  for (let i = 0; i < 60; i++) {
    const supplier = i >= 50;
    const chain = pick(CHAINS);
    const town = pick(TOWNS);
    const first = pick(["Aroha", "Ben", "Chloe", "Dev", "Ema", "Finn", "Grace", "Hemi"]);
    const last = pick(["Smith", "Ngata", "Wilson", "Patel", "Brown", "Tane", "Li", "Walker"]);
    contacts.push({
      ContactID: uuidFrom(random),
      ContactNumber: `C${1000 + i}`,
      AccountNumber: supplier ? `SUP${i}` : `${chain.slice(0, 2).toUpperCase()}${String(i + 1).padStart(2, "0")}`,
      ContactStatus: i % 13 === 7 ? "ARCHIVED" : "ACTIVE",
      Name: supplier ? `${pick(["Pacific", "Southern", "Kauri"])} Supplies ${i} Ltd` : `${chain} ${town}${i >= 25 ? ` ${i}` : ""}`,
      FirstName: first,
      LastName: last,
      EmailAddress: `${first.toLowerCase()}.${last.toLowerCase()}@example.co.nz`,
      IsCustomer: !supplier,
      IsSupplier: supplier,
      DefaultCurrency: baseCurrency,
      City: town,
      updatedMs: 0,
      seq: i,
    });
  }
  const customers = contacts.filter((c) => c.IsCustomer);
  const suppliers = contacts.filter((c) => c.IsSupplier);

  const items: SandboxItem[] = PRODUCTS.map(([code, name, cents]) => ({
    ItemID: uuidFrom(random),
    Code: code,
    Name: name.split(":").at(-1)!,
    Description: name,
    unitPriceCents: cents,
    IsSold: true,
    IsPurchased: code !== "FREIGHT",
    updatedMs: 0,
  }));

  const tracking = [
    { TrackingCategoryID: uuidFrom(random), Name: "Region", Option: "North" },
    { TrackingCategoryID: uuidFrom(random), Name: "Region", Option: "Central" },
  ];

  const makeLine = (amountTypes: LineAmountTypes, salesItem: boolean): SandboxLine => {
    const item = pick(items);
    const descriptionOnly = random() < 0.05;
    const quantity4 = random() < 0.15 ? between(1, 20) * 5_000 : between(1, 48) * 10_000; // some halves
    const unitAmount4 = (descriptionOnly ? between(500, 5_000) : item.unitPriceCents) * 100;
    const discount = random() < 0.15 ? pick([5, 10, 12.5]) : undefined;
    // Inclusive documents quote prices with GST in them.
    const inclusiveFactor = amountTypes === "Inclusive" ? 1 + GST_RATE : 1;
    const unit4 = Math.round(unitAmount4 * inclusiveFactor / 100) * 100;
    const lineCents = Math.round(((quantity4 / 10_000) * (unit4 / 10_000) * 100 * (1 - (discount ?? 0) / 100)));
    const taxCents =
      amountTypes === "NoTax" ? 0 : amountTypes === "Inclusive" ? Math.round((lineCents * GST_RATE) / (1 + GST_RATE)) : Math.round(lineCents * GST_RATE);
    return {
      LineItemID: uuidFrom(random),
      ItemCode: descriptionOnly ? undefined : item.Code,
      Description: descriptionOnly ? "Delivery to site" : item.Description,
      quantity4,
      unitAmount4: unit4,
      DiscountRate: discount,
      lineCents,
      taxCents,
      TaxType: amountTypes === "NoTax" ? "NONE" : salesItem ? "OUTPUT2" : "INPUT2",
      AccountCode: salesItem ? "200" : "300",
      Tracking: random() < 0.3 ? [pick(tracking)] : [],
    };
  };

  const documents: SandboxDocument[] = [];
  const invoiceCount = options.invoices ?? 320;
  const creditCount = options.creditNotes ?? 45;
  let seq = 0;
  const pickStatus = (): DocumentStatus => {
    const r = random();
    return r < 0.42 ? "AUTHORISED" : r < 0.78 ? "PAID" : r < 0.86 ? "DRAFT" : r < 0.9 ? "SUBMITTED" : r < 0.95 ? "VOIDED" : "DELETED";
  };
  const pickAmountTypes = (): LineAmountTypes => {
    const r = random();
    return r < 0.6 ? "Exclusive" : r < 0.88 ? "Inclusive" : "NoTax";
  };
  const addDocument = (kind: SandboxDocument["kind"], type: SandboxDocument["Type"], number: string) => {
    const sales = type === "ACCREC" || type === "ACCRECCREDIT";
    const amountTypes = pickAmountTypes();
    const lineCount = kind === "credit_note" ? between(1, 3) : between(1, 6);
    const lines: SandboxLine[] = [];
    for (let i = 0; i < lineCount; i++) {
      // The same item again on the next line, as real invoices do.
      if (i > 0 && random() < 0.15) lines.push({ ...makeLine(amountTypes, sales), ItemCode: lines[i - 1].ItemCode, Description: lines[i - 1].Description });
      else lines.push(makeLine(amountTypes, sales));
    }
    let status = pickStatus();
    // Migrated history: a few documents before 1970 (negative .NET dates), never revenue.
    const ancient = sales && seq % 97 === 13;
    if (ancient) status = "DRAFT";
    const dateMs = ancient ? Date.UTC(1969, between(0, 11), between(1, 28)) : HISTORY_START + between(0, 364) * DAY;
    const subTotalCents = lines.reduce((sum, l) => sum + l.lineCents - (amountTypes === "Inclusive" ? l.taxCents : 0), 0);
    documents.push({
      kind,
      Type: type,
      id: uuidFrom(random),
      number,
      Reference: random() < 0.5 ? `PO ${between(1000, 9999)}` : "",
      contactId: pick(sales ? customers : suppliers).ContactID,
      dateMs,
      dueMs: dateMs + 20 * DAY,
      Status: status,
      LineAmountTypes: amountTypes,
      lines,
      subTotalCents,
      totalTaxCents: lines.reduce((sum, l) => sum + l.taxCents, 0),
      CurrencyCode: baseCurrency,
      CurrencyRate: "1.000000",
      updatedMs: 0,
      seq: seq++,
    });
  };
  for (let i = 0; i < invoiceCount; i++) addDocument("invoice", "ACCREC", `INV-${String(i + 1).padStart(5, "0")}`);
  for (let i = 0; i < Math.round(invoiceCount / 6); i++) addDocument("invoice", "ACCPAY", `BILL-${i + 1}`);
  for (let i = 0; i < creditCount; i++) addDocument("credit_note", "ACCRECCREDIT", `CN-${String(i + 1).padStart(4, "0")}`);
  for (let i = 0; i < Math.round(creditCount / 5); i++) addDocument("credit_note", "ACCPAYCREDIT", `SCN-${i + 1}`);

  // A rounding difference between SubTotal and its lines, as a "Rounding" adjustment leaves it.
  const authorised = documents.filter((d) => d.Type === "ACCREC" && d.Status === "AUTHORISED");
  for (const doc of authorised.slice(3, 5)) doc.subTotalCents += 3;

  // Change times interleave the kinds, as a live organisation's do.
  const everything: { updatedMs: number }[] = [...contacts, ...items, ...documents];
  for (let i = everything.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [everything[i], everything[j]] = [everything[j], everything[i]];
  }
  for (const record of everything) record.updatedMs = nextUpdated();
  return { tenantId, tenantName: "Sandbox Wholesale Ltd (not a real Xero organisation)", baseCurrency, contacts, items, documents };
}

/** Money in cents as Xero writes it (`1234.50`). */
export function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A quantity or unit amount in ten-thousandths with `dp` decimals (Xero's unitdp: 2 by default, 4 on request). */
export function fixed4(value4: number, dp: 2 | 4): string {
  const sign = value4 < 0 ? "-" : "";
  const abs = Math.abs(value4);
  const whole = Math.floor(abs / 10_000);
  const fraction = String(abs % 10_000).padStart(4, "0");
  if (dp === 4) return `${sign}${whole}.${fraction}`;
  const cents = Math.round(abs / 100);
  return `${sign}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** Ex-GST amount of a line in cents: what revenue means on both sides (Reckon history is ex GST). */
export function lineNetCents(doc: SandboxDocument, line: SandboxLine): number {
  return doc.LineAmountTypes === "Inclusive" ? line.lineCents - line.taxCents : line.lineCents;
}
