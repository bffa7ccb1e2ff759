/**
 * Deterministic generator of a Reckon history in the real extract layouts, with every quirk
 * of the real files: an empty line before the header (invoices, sales lines), CRLF without a
 * final newline and LF, float noise in amounts, hierarchy in names (`Local - 1:Farmlands:Wellsford`,
 * `Kiwi Klip:Coloured:Carton`), the same product on many lines of one invoice (identical lines
 * included), suffixed invoice numbers (610428_1), each branch twice (the Reckon customer with
 * the sales and a Xero-side copy with an account number), numeric ids that sort wrongly as
 * text (7, 72, 176, 1045), clusters 1–12, and product groups that are not sales (freight…).
 *
 * It returns the rows it wrote, as numbers (cents) and as the exact texts in the files, so
 * tests compute their expected figures from them rather than from the warehouse.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { seededRandom } from "./random.ts";

export const RECKON_FILES = {
  customers: "reckon-customers.csv",
  products: "reckon-products.csv",
  invoices: "reckon-invoices.csv",
  sales_lines: "reckon-sales-lines.csv",
  customer_clusters: "reckon-customer-clusters.csv",
  cluster_summary: "reckon-cluster-summary.csv",
} as const;

export type ReckonEntity = keyof typeof RECKON_FILES;

/** How a file is written: line ending, a final newline or not, empty lines before the header. */
export interface FileStyle {
  eol: "\n" | "\r\n";
  finalNewline: boolean;
  leadingEmptyLines: number;
}

/** The styles of the real extracts. */
export const RECKON_STYLES: Record<ReckonEntity, FileStyle> = {
  customers: { eol: "\r\n", finalNewline: false, leadingEmptyLines: 0 },
  products: { eol: "\n", finalNewline: true, leadingEmptyLines: 0 },
  invoices: { eol: "\r\n", finalNewline: false, leadingEmptyLines: 1 },
  sales_lines: { eol: "\n", finalNewline: true, leadingEmptyLines: 1 },
  customer_clusters: { eol: "\r\n", finalNewline: false, leadingEmptyLines: 0 },
  cluster_summary: { eol: "\n", finalNewline: false, leadingEmptyLines: 0 },
};

export const RECKON_HEADERS: Record<ReckonEntity, string[]> = {
  customers: ["customer_id", "customer_name", "contact_name", "phone", "fax", "bill_to", "balance_total", "market", "merchant_group", "xero_account_number"],
  products: ["product_id", "product_code", "item_name", "item_description", "product_group", "price", "gross_price"],
  invoices: ["invoice_number", "document_type", "invoice_date", "lines", "net_amount", "customer_id", "customer_name"],
  sales_lines: ["invoice_number", "invoice_date", "document_type", "customer_id", "customer_name", "product_id", "item_name", "qty", "unit_price", "line_amount"],
  customer_clusters: ["*ContactName", "AccountNumber", "SAAttentionTo", "SAAddressLine1", "SAAddressLine2", "SAAddressLine3", "SAAddressLine4", "SACity", "SARegion", "SAPostalCode", "Latitude", "Longitude", "Cluster"],
  cluster_summary: ["Cluster", "CustomerCount", "ExampleCustomers"],
};

/** Product groups that are not sales (the models' default list says the same). */
export const NON_SALES_GROUPS = ["Freight", "Consumables", "Pallet Wrapping"];

export interface ReckonCustomer {
  id: number;
  /** As in the file: `Market - n:Parent:Branch`, `Parent:Branch`, or a plain name. */
  name: string;
  /** What the models must make of it. */
  market: string | null;
  parent: string;
  branch: string | null;
  merchantGroup: string | null;
  accountNumber: string | null;
  /** The market column (empty on Xero-side copies). */
  marketColumn: string | null;
  /** A Xero-side copy of the branch `copyOf` (another id, an account number, no sales). */
  copyOf: number | null;
  /** The cluster the models must give it (by account number, else by folded name), or null. */
  cluster: number | null;
  balanceText: string;
}

export interface ReckonProduct {
  id: number;
  code: string;
  /** Full name with the group path. */
  name: string;
  group: string;
  /** The product_group column (empty for a few: the path's first segment says it). */
  groupColumn: string | null;
  groupPath: string;
  item: string;
  isSales: boolean;
  priceCents: number;
}

export interface ReckonLine {
  invoiceNumber: string;
  /** Position among the invoice's lines in the file, from 1. */
  position: number;
  date: string;
  documentType: "Tax Invoice" | "Adjustment Note";
  customerId: number;
  productId: number;
  qty: number;
  unitPriceCents: number;
  /** Signed, exact. */
  cents: number;
  /** line_amount exactly as written (float noise included). */
  amountText: string;
}

export interface ReckonDocument {
  number: string;
  type: "Tax Invoice" | "Adjustment Note";
  date: string;
  customerId: number;
  lines: ReckonLine[];
  cents: number;
  netText: string;
}

export interface ClusterRow {
  contactName: string;
  accountNumber: string | null;
  cluster: number;
}

export interface ReckonHistory {
  customers: ReckonCustomer[];
  products: ReckonProduct[];
  documents: ReckonDocument[];
  clusters: ClusterRow[];
}

export interface ReckonSample extends ReckonHistory {
  files: Record<ReckonEntity, string>;
  lines: ReckonLine[];
}

export interface ReckonOptions {
  seed?: number;
  /** First and last day of the history (the last one always has a sale). */
  from?: string;
  to?: string;
  /** Average documents per weekday. */
  documentsPerDay?: number;
}


const MARKETS = ["Local - 1", "Local - 2", "Export - 3"];
const CHAINS: { parent: string; merchantGroup: string; prefix: string; xeroStyle: (parent: string, branch: string) => string }[] = [
  { parent: "Farmlands", merchantGroup: "Farmlands Co-operative", prefix: "FL", xeroStyle: (p, b) => `${p} ${b}` },
  { parent: "PGG Wrightson", merchantGroup: "PGG Wrightson", prefix: "PW", xeroStyle: (p, b) => `${p} - ${b}` },
  { parent: "RD1", merchantGroup: "Fonterra", prefix: "RD", xeroStyle: (p, b) => `${p.toUpperCase()} ${b.toUpperCase()}` },
  { parent: "Farm Source", merchantGroup: "Fonterra", prefix: "FS", xeroStyle: (p, b) => `${p}  ${b}` },
];
const TOWNS = [
  "Wellsford", "Te Kuiti", "Gore", "Ashburton", "Masterton", "Dargaville", "Taumarunui", "Feilding", "Balclutha", "Oamaru",
  "Timaru", "Whakatane", "Pukekohe", "Matamata", "Dannevirke", "Hawera", "Winton", "Cheviot", "Kaikohe", "Motueka",
];
/** Ids of different lengths, so that text order ("1045" < "176" < "7" < "72") is wrong. */
const CUSTOMER_IDS = [7, 72, 176, 1045, 23, 311, 9, 1760, 88, 402, 15, 2077, 64, 530, 1201, 39, 97, 860, 1333, 5, 250, 12, 1999, 45];
const COPY_ID_BASE = 3000;

const PRODUCT_ROWS: [number, string, string, string | null, number][] = [
  // id, code, name with group path, product_group column, price in cents
  [3, "KK-COL-CTN", "Kiwi Klip:Coloured:Carton", "Kiwi Klip", 12_850],
  [27, "KK-COL-500", "Kiwi Klip:Coloured:Bag of 500", "Kiwi Klip", 3_310],
  [145, "KK-STD-CTN", "Kiwi Klip:Standard:Carton", "Kiwi Klip", 11_020],
  [1203, "KK-STD-500", "Kiwi Klip:Standard:Bag of 500", null, 110],
  [88, "DR-WIRE-12", "Droppers:Wire:1.2m", "Droppers", 330],
  [9, "DR-WIRE-15", "Droppers:Wire:1.5m", "Droppers", 410],
  [610, "DR-PLAS-12", "Droppers:Plastic:1.2m", "Droppers", 290],
  [42, "IN-PIN-25", "Insulators:Pinlock:Bag of 25", "Insulators", 1_870],
  [1017, "IN-RING-25", "Insulators:Ring:Bag of 25", null, 1_230],
  [77, "IN-CLAW-25", "Insulators:Claw:Bag of 25", "Insulators", 2_145],
  [350, "ST-REEL", "Strainers:Reel:Standard", "Strainers", 4_999],
  [36, "ST-TENS", "Strainers:Tensioner", "Strainers", 705],
  [901, "FR-COURIER", "Freight:Courier", "Freight", 1_500],
  [902, "FR-PALLET", "Freight:Pallet Freight", "Freight", 8_500],
  [5, "CO-STAPLES", "Consumables:Staples", "Consumables", 260],
  [1100, "CO-LABELS", "Consumables:Labels", "Consumables", 90],
  [66, "PW-WRAP", "Pallet Wrapping:Wrap Charge", "Pallet Wrapping", 1_200],
];

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDay(d);
}

/** A number as a cleaning script in floating point writes it: `3.3000000000000003`. */
function floatText(value: number): string {
  return String(value);
}

function buildCustomers(rand: () => number): { customers: ReckonCustomer[]; clusters: ClusterRow[] } {
  const customers: ReckonCustomer[] = [];
  const clusters: ClusterRow[] = [];
  const branches = TOWNS.length;
  for (let i = 0; i < branches; i++) {
    const chain = CHAINS[i % CHAINS.length];
    const market = MARKETS[i % MARKETS.length];
    const town = TOWNS[i];
    const id = CUSTOMER_IDS[i];
    const account = `${chain.prefix}${String(i + 1).padStart(2, "0")}`;
    const cluster = (i % 12) + 1;
    // Most branches: a Reckon customer without account number (it carries the sales) and a Xero-side copy with one.
    const hasCopy = i % 5 !== 4;
    // A few Reckon customers carry the account number themselves.
    const ownAccount = i % 6 === 1;
    // Two branches' Xero names differ from Reckon's: only the account number links them.
    const renamedInXero = i === 7 || i === 13;
    const xeroName = renamedInXero ? `${chain.parent} ${town} Store` : chain.xeroStyle(chain.parent, town);
    // Branch 19 appears in no clusters row: its cluster is unknown.
    const clustered = i !== 19;
    const reckonHasAccount = ownAccount || renamedInXero;
    customers.push({
      id,
      name: `${market}:${chain.parent}:${town}`,
      market,
      parent: chain.parent,
      branch: town,
      merchantGroup: chain.merchantGroup,
      accountNumber: reckonHasAccount ? account : null,
      marketColumn: market,
      copyOf: null,
      cluster: clustered && (reckonHasAccount || !renamedInXero) ? cluster : null,
      balanceText: floatText(Math.round(rand() * 500000) / 100 + 0.1 + 0.2),
    });
    if (hasCopy) {
      customers.push({
        id: COPY_ID_BASE + id,
        name: xeroName,
        market: null,
        parent: xeroName,
        branch: null,
        merchantGroup: chain.merchantGroup,
        accountNumber: account,
        marketColumn: null,
        copyOf: id,
        cluster: clustered ? cluster : null,
        balanceText: "0",
      });
    }
    if (clustered) clusters.push({ contactName: xeroName, accountNumber: hasCopy || reckonHasAccount ? account : null, cluster });
  }
  // A customer without hierarchy in its name (its market comes from the column), and one with parent:branch only.
  customers.push({
    id: 10450, name: "Smith Fencing Ltd", market: "Local - 2", parent: "Smith Fencing Ltd", branch: null, merchantGroup: "Independent",
    accountNumber: null, marketColumn: "Local - 2", copyOf: null, cluster: 10, balanceText: "1234.5",
  });
  clusters.push({ contactName: "SMITH FENCING LTD", accountNumber: null, cluster: 10 });
  customers.push({
    id: 8, name: "Rural Supplies:Ohakune", market: "Export - 3", parent: "Rural Supplies", branch: "Ohakune", merchantGroup: "Independent",
    accountNumber: null, marketColumn: "Export - 3", copyOf: null, cluster: 11, balanceText: "0",
  });
  clusters.push({ contactName: "Rural Supplies Ohakune", accountNumber: null, cluster: 11 });
  // A Xero contact that matches no Reckon customer.
  clusters.push({ contactName: "Brand New Rural Ltd", accountNumber: "BN01", cluster: 12 });
  return { customers, clusters };
}

function buildProducts(): ReckonProduct[] {
  return PRODUCT_ROWS.map(([id, code, name, groupColumn, priceCents]) => {
    const parts = name.split(":");
    const group = groupColumn ?? parts[0];
    return {
      id, code, name, group, groupColumn, priceCents,
      groupPath: parts.slice(0, -1).join(":"),
      item: parts.at(-1)!,
      isSales: !NON_SALES_GROUPS.includes(group),
    };
  });
}

/** Generates the history (no files). */
export function generateReckonHistory(options: ReckonOptions = {}): ReckonHistory {
  const rand = seededRandom(options.seed ?? 1);
  const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];
  const { customers, clusters } = buildCustomers(rand);
  const products = buildProducts();
  const sellers = customers.filter((c) => c.copyOf === null);
  const sales = products.filter((p) => p.isSales);
  const freight = products.filter((p) => !p.isSales);
  const from = options.from ?? "2022-01-03";
  const to = options.to ?? "2025-01-02";
  const perDay = options.documentsPerDay ?? 1;
  const documents: ReckonDocument[] = [];
  let nextNumber = 609_800;

  const makeLine = (doc: ReckonDocument, product: ReckonProduct, qty: number, priceCents: number) => {
    const sign = doc.type === "Adjustment Note" ? -1 : 1;
    const signedQty = sign * qty;
    doc.lines.push({
      invoiceNumber: doc.number, position: doc.lines.length + 1, date: doc.date, documentType: doc.type, customerId: doc.customerId,
      productId: product.id, qty: signedQty, unitPriceCents: priceCents, cents: signedQty * priceCents,
      amountText: floatText(signedQty * (priceCents / 100)),
    });
  };

  const makeDocument = (date: string, type: ReckonDocument["type"], number: string, customerId: number): ReckonDocument => {
    const doc: ReckonDocument = { number, type, date, customerId, lines: [], cents: 0, netText: "" };
    documents.push(doc);
    return doc;
  };

  for (let day = from; day <= to; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const count = day === to ? Math.max(1, Math.round(perDay)) : Math.floor(rand() * (2 * perDay + 1));
    for (let n = 0; n < count; n++) {
      const number = String(nextNumber++);
      const isNote = rand() < 0.08;
      // Every Reckon customer carries sales (the first documents go round them all).
      const customerId = documents.length < sellers.length ? sellers[documents.length].id : pick(sellers).id;
      const doc = makeDocument(day, isNote ? "Adjustment Note" : "Tax Invoice", number, customerId);
      const lineCount = isNote ? 1 + Math.floor(rand() * 3) : 1 + Math.floor(rand() * 7);
      for (let l = 0; l < lineCount; l++) {
        const product = pick(sales);
        makeLine(doc, product, 1 + Math.floor(rand() * 30), product.priceCents);
        // The same product again on the same invoice, sometimes an identical line.
        if (!isNote && rand() < 0.12) {
          const repeats = 1 + Math.floor(rand() * 4);
          for (let r = 0; r < repeats; r++) makeLine(doc, product, rand() < 0.5 ? doc.lines.at(-1)!.qty : 1 + Math.floor(rand() * 30), product.priceCents);
        }
      }
      if (!isNote && rand() < 0.25) {
        const charge = pick(freight);
        makeLine(doc, charge, 1, charge.priceCents);
      }
    }
  }
  // An invoice with the same product dozens of times (as real histories have), a line whose amount carries
  // float noise for sure (3 × 1.10), and a clashing number suffixed as Reckon does (610428_1).
  const big = documents.find((d) => d.type === "Tax Invoice" && d.date >= addDays(to, -400))!;
  const kiwi = products[0];
  for (let r = 0; r < 30; r++) makeLine(big, kiwi, r % 3 === 0 ? 5 : 12, kiwi.priceCents);
  const noisy = documents.find((d) => d.type === "Tax Invoice" && d !== big)!;
  makeLine(noisy, products.find((p) => p.id === 1203)!, 3, 110);
  for (const clash of ["610428", "610111"]) {
    const original = documents.find((d) => d.number === clash);
    if (!original) continue;
    const twin = makeDocument(original.date, "Tax Invoice", `${clash}_1`, pick(sellers).id);
    makeLine(twin, kiwi, 2, kiwi.priceCents);
    makeLine(twin, kiwi, 2, kiwi.priceCents);
    makeLine(twin, pick(freight), 1, 1_500);
  }
  documents.sort((a, b) => (a.date === b.date ? a.number.localeCompare(b.number) : a.date.localeCompare(b.date)));
  for (const doc of documents) {
    doc.cents = doc.lines.reduce((sum, line) => sum + line.cents, 0);
    doc.netText = floatText(doc.lines.reduce((sum, line) => sum + Number(line.amountText), 0));
  }
  return { customers, products, documents, clusters };
}

function csvField(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes one extract in the style of the real files. */
export function writeReckonFile(file: string, entity: ReckonEntity, rows: (string | number | null)[][], style: FileStyle = RECKON_STYLES[entity]): void {
  const lines = [RECKON_HEADERS[entity], ...rows].map((row) => row.map(csvField).join(","));
  const body = style.eol.repeat(style.leadingEmptyLines) + lines.join(style.eol) + (style.finalNewline ? style.eol : "");
  writeFileSync(file, body);
}

/** The rows of each extract, in file order. */
export function reckonRows(history: ReckonHistory): Record<ReckonEntity, (string | number | null)[][]> {
  const customersById = new Map(history.customers.map((c) => [c.id, c]));
  const productsById = new Map(history.products.map((p) => [p.id, p]));
  const byCluster = new Map<number, ClusterRow[]>();
  for (const row of history.clusters) byCluster.set(row.cluster, [...(byCluster.get(row.cluster) ?? []), row]);
  return {
    customers: history.customers.map((c, i) => [
      c.id, c.name, c.copyOf === null ? `Contact ${i + 1}` : "", c.copyOf === null ? `09 ${400 + i} ${1000 + i * 7}` : "", "",
      c.copyOf === null ? `${c.branch ?? c.parent}, PO Box ${100 + i}, ${c.branch ?? "Auckland"}` : "",
      c.balanceText, c.marketColumn, c.merchantGroup, c.accountNumber,
    ]),
    products: history.products.map((p) => [
      p.id, p.code, p.name, `${p.item} (${p.group})`, p.groupColumn, floatText(p.priceCents / 100), floatText((p.priceCents / 100) * 1.15),
    ]),
    invoices: history.documents.map((d) => [d.number, d.type, d.date, d.lines.length, d.netText, d.customerId, customersById.get(d.customerId)!.name]),
    sales_lines: history.documents.flatMap((d) =>
      d.lines.map((l) => [
        l.invoiceNumber, l.date, l.documentType, l.customerId, customersById.get(l.customerId)!.name, l.productId,
        productsById.get(l.productId)!.name, l.qty, floatText(l.unitPriceCents / 100), l.amountText,
      ]),
    ),
    customer_clusters: history.clusters.map((row, i) => [
      row.contactName, row.accountNumber, i % 3 === 0 ? "Store Manager" : "", `${10 + i} Main Road`, "", "", "",
      TOWNS[i % TOWNS.length], "Waikato", String(3000 + i * 37).padStart(4, "0"),
      floatText(-37.5 - i / 7), floatText(175.1 + i / 11), row.cluster,
    ]),
    cluster_summary: [...byCluster.keys()].sort((a, b) => a - b).map((cluster) => {
      const rows = byCluster.get(cluster)!;
      return [cluster, rows.length, rows.slice(0, 3).map((r) => r.contactName).join(", ")];
    }),
  };
}

/** Writes the six extracts to `dir` and returns what they hold. */
export function writeReckonSample(dir: string, options: ReckonOptions = {}): ReckonSample {
  mkdirSync(dir, { recursive: true });
  const history = generateReckonHistory(options);
  const rows = reckonRows(history);
  const files = {} as Record<ReckonEntity, string>;
  for (const entity of Object.keys(RECKON_FILES) as ReckonEntity[]) {
    files[entity] = path.join(dir, RECKON_FILES[entity]);
    writeReckonFile(files[entity], entity, rows[entity]);
  }
  return { ...history, files, lines: history.documents.flatMap((d) => d.lines) };
}
