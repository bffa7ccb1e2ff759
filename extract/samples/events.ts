/**
 * Deterministic generator of seller money event files as the marketplace really writes them
 * (see contracts/events/seller_event.yaml): one file per week, alternating the two layouts:
 *   - "marketplace": order_paid / payout_reversed / payout / refund / fee_commission, with
 *     signed_amount and direction, ids like 20250701-S004-837647, timestamps mostly with `T`;
 *   - "generator": order / payout / refund / fee, without signed_amount and direction, UUID ids,
 *     timestamps mostly with a space.
 * Both carry the quirks of the real files: naive timestamps (written in `timezone`) and some
 * with an offset, one-decimal amounts, RUB and USD, duplicates with the same and with different
 * content (in the same file and across files and layouts), late events for days of earlier
 * files, missing values, unknown event types, sign contradictions and unusual amounts. Plus an
 * opening-balances file.
 *
 * Rows are written as they are generated (memory stays flat for millions of events); what the
 * warehouse should make of them is for the reader to work out from the files, as the tests do.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { seededRandom } from "./random.ts";

export interface SellerEventSampleOptions {
  sellers?: number;
  days?: number;
  /** Regular events to write (planted quirk rows come on top). Default: 8 per seller and day. */
  events?: number;
  seed?: number;
  /** First day, YYYY-MM-DD. */
  start?: string;
  /** Naive timestamps are written as wall-clock time in this IANA zone: load them with the same `--timezone`. */
  timezone?: string;
  daysPerFile?: number;
}

export type Quirk =
  | "duplicate_same_file" | "duplicate_other_file" | "conflicting_duplicate" | "late_event"
  | "missing_seller" | "missing_amount" | "missing_timestamp" | "unknown_type"
  | "sign_contradiction" | "amount_mismatch" | "unusual_amount";

export interface SellerEventSample {
  eventFiles: string[];
  openingBalanceFile: string;
  /** Data rows written to the event files, planted ones included. */
  rows: number;
  planted: Record<Quirk, number>;
  /** Rows whose timestamp carries an offset, rows with a space instead of T, amounts written with one decimal. */
  formats: { offset: number; space: number; oneDecimal: number };
}

export type EventCode = "ORDER_PAID" | "PAYOUT_REVERSED" | "PAYOUT" | "REFUND" | "FEE";
type Layout = "marketplace" | "generator";

interface Seller {
  id: string;
  currencies: string[];
  /** Typical order size per currency, in cents. */
  base: Record<string, number>;
  /** Opening balance per currency in cents (none for some sellers), and the running balance of its regular events. */
  opening: Record<string, number | undefined>;
  balance: Record<string, number>;
}

interface Event {
  id: string;
  at: number; // epoch ms
  seller: Seller;
  code: EventCode;
  currency: string;
  cents: number;
}

const VOCABULARY: Record<Layout, Partial<Record<EventCode, string>>> = {
  marketplace: { ORDER_PAID: "order_paid", PAYOUT_REVERSED: "payout_reversed", PAYOUT: "payout", REFUND: "refund", FEE: "fee_commission" },
  generator: { ORDER_PAID: "order", PAYOUT: "payout", REFUND: "refund", FEE: "fee" },
};
const HEADERS: Record<Layout, string[]> = {
  marketplace: ["event_id", "event_ts", "seller_id", "event_type", "currency", "amount", "signed_amount", "direction", "source_system"],
  generator: ["event_id", "event_ts", "seller_id", "event_type", "currency", "amount", "source_system"],
};
export const MONEY_IN: ReadonlySet<EventCode> = new Set(["ORDER_PAID", "PAYOUT_REVERSED"]);
const SOURCE_SYSTEM: Record<EventCode, string> = { ORDER_PAID: "orders", REFUND: "orders", PAYOUT: "payments", PAYOUT_REVERSED: "payments", FEE: "fees" };
/** Share of events and size relative to the seller's typical order. */
const MIX: [EventCode, number, number][] = [
  ["ORDER_PAID", 0.52, 1], ["FEE", 0.28, 0.12], ["REFUND", 0.06, 0.9], ["PAYOUT", 0.13, 2.5], ["PAYOUT_REVERSED", 0.01, 2.5],
];
const QUIRKS: Quirk[] = [
  "duplicate_same_file", "late_event", "missing_seller", "conflicting_duplicate", "unknown_type", "sign_contradiction",
  "duplicate_other_file", "missing_amount", "unusual_amount", "amount_mismatch", "missing_timestamp",
];
/** Quirks that need signed_amount/direction columns. */
const MARKETPLACE_ONLY: ReadonlySet<Quirk> = new Set(["sign_contradiction", "amount_mismatch"]);
const DAY_MS = 86_400_000;
/** An unusual amount is this many typical orders: far beyond any per-seller robust threshold. */
export const UNUSUAL_FACTOR = 80;


const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Wall-clock "YYYY-MM-DDTHH:MM:SS" of an instant in an IANA zone (formatters cached per zone). */
const formatters = new Map<string, Intl.DateTimeFormat>();
export function wallClock(ms: number, zone: string): string {
  if (zone === "UTC") return new Date(ms).toISOString().slice(0, 19);
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    formatters.set(zone, format);
  }
  const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

export async function writeSellerEventSample(dir: string, options: SellerEventSampleOptions = {}): Promise<SellerEventSample> {
  const {
    sellers: sellerCount = 10, days = 14, seed = 1, start = "2025-07-01", timezone = "UTC", daysPerFile = 7,
  } = options;
  const events = options.events ?? sellerCount * days * 8;
  if (sellerCount < 1 || days < 1) throw new Error("sellers and days must be at least 1");
  const firstDay = Date.parse(`${start}T00:00:00Z`);
  if (Number.isNaN(firstDay)) throw new Error(`start must be a date YYYY-MM-DD, got "${start}"`);
  mkdirSync(dir, { recursive: true });
  const rand = seededRandom(seed);
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);

  const width = Math.max(3, String(sellerCount).length);
  const sellers: Seller[] = Array.from({ length: sellerCount }, (_, i) => {
    const currencies = i === 1 && sellerCount > 2 ? ["RUB", "USD"] : i % 5 === 3 ? ["USD"] : ["RUB"];
    const base = Object.fromEntries(currencies.map((c) => [c, Math.round(c === "USD" ? between(1_000, 6_000) : between(50_000, 500_000))]));
    // Not every seller has an opening balance; one owes the marketplace.
    const opening = Object.fromEntries(currencies.map((c) => [c, i % 3 === 2 ? undefined : Math.round(base[c] * between(5, 20)) * (i === 4 ? -1 : 1)]));
    const balance = Object.fromEntries(currencies.map((c) => [c, opening[c] ?? 0]));
    return { id: `S${pad(i + 1, width)}`, currencies, base, opening, balance };
  });

  const sample: SellerEventSample = {
    eventFiles: [], openingBalanceFile: path.join(dir, "seller-opening-balances.csv"), rows: 0,
    planted: Object.fromEntries(QUIRKS.map((q) => [q, 0])) as Record<Quirk, number>,
    formats: { offset: 0, space: 0, oneDecimal: 0 },
  };

  // Ids: per-day counters make marketplace ids unique (six digits while a day has < 1e6 events); UUIDs end in a sequence number.
  const dayCounters = new Array<number>(days).fill(0);
  const idDigits = events / days < 900_000 ? 6 : 7;
  let sequence = 0;
  const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(rand() * 16).toString(16)).join("");
  const newId = (layout: Layout, seller: Seller, day: number): string => {
    sequence++;
    if (layout === "generator") {
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(rand() * 4)]}${hex(3)}-${sequence.toString(16).padStart(12, "0")}`;
    }
    const n = dayCounters[day]++;
    const scrambled = (n * 7_919 + 104_729) % 10 ** idDigits; // a permutation of 0…10^digits-1: looks random, never repeats
    return `${new Date(firstDay + day * DAY_MS).toISOString().slice(0, 10).replace(/-/g, "")}-${seller.id}-${pad(scrambled, idDigits)}`;
  };

  const pickCode = (layout: Layout): [EventCode, number] => {
    let r = rand();
    for (const [code, share, size] of MIX) {
      if ((r -= share) < 0) return code === "PAYOUT_REVERSED" && layout === "generator" ? ["ORDER_PAID", 1] : [code, size];
    }
    return ["ORDER_PAID", 1];
  };
  const newEvent = (layout: Layout, day: number, at?: number): Event => {
    const seller = sellers[Math.floor(rand() * sellers.length)];
    const currency = seller.currencies.length > 1 && rand() < 0.3 ? seller.currencies[1] : seller.currencies[0];
    let [code, size] = pickCode(layout);
    let cents = Math.max(1, Math.round(seller.base[currency] * size * between(0.5, 1.5)));
    // The marketplace pays out only what the seller holds; until then, orders keep coming.
    if (code === "PAYOUT" && seller.balance[currency] < cents) [code, cents] = ["ORDER_PAID", Math.round(cents / size)];
    if (rand() < 0.15) cents = Math.max(10, cents - (cents % 10)); // whole tenths: written with one decimal, as in 106.4
    return { id: newId(layout, seller, day), at: at ?? firstDay + day * DAY_MS + Math.floor(rand() * DAY_MS / 1000) * 1000, seller, code, currency, cents };
  };

  const amountText = (cents: number) => {
    const whole = `${Math.trunc(cents / 100)}`;
    const fraction = Math.abs(cents % 100);
    if (fraction % 10 === 0 && rand() < 0.6) {
      sample.formats.oneDecimal++;
      return `${cents < 0 && whole === "0" ? "-" : ""}${whole}.${fraction / 10}`;
    }
    return `${cents < 0 && whole === "0" ? "-" : ""}${whole}.${pad(fraction)}`;
  };
  const timestampText = (at: number, layout: Layout) => {
    const space = rand() < (layout === "marketplace" ? 0.1 : 0.6);
    if (space) sample.formats.space++;
    const separate = (text: string) => (space ? text.replace("T", " ") : text);
    const r = rand();
    if (r < 0.04) {
      sample.formats.offset++;
      return `${separate(new Date(at + 3 * 3_600_000).toISOString().slice(0, 19))}+03:00`;
    }
    if (r < 0.05) {
      sample.formats.offset++;
      return `${separate(new Date(at).toISOString().slice(0, 19))}Z`;
    }
    return separate(wallClock(at, timezone));
  };

  type Overrides = Partial<Record<"seller" | "ts" | "type" | "amount" | "signed" | "direction", string>>;
  const line = (event: Event, layout: Layout, change: Overrides = {}): string => {
    const moneyIn = MONEY_IN.has(event.code);
    const amount = change.amount ?? amountText(event.cents);
    const fields = [
      event.id, change.ts ?? timestampText(event.at, layout), change.seller ?? event.seller.id,
      change.type ?? VOCABULARY[layout][event.code]!, event.currency, amount,
    ];
    if (layout === "marketplace") {
      fields.push(change.signed ?? (moneyIn || amount === "" ? amount : `-${amount}`), change.direction ?? (moneyIn ? "in" : "out"));
    }
    fields.push(SOURCE_SYSTEM[event.code]);
    return fields.join(",") + "\n";
  };

  // Recent regular events of this file (for duplicates in the same file) and a few from earlier files.
  const recent: { event: Event; text: string }[] = [];
  const earlier: Event[] = [];
  const files = Math.ceil(days / daysPerFile);
  let quirkIndex = 0;

  for (let f = 0; f < files; f++) {
    const layout: Layout = f % 2 === 0 ? "marketplace" : "generator";
    const fromDay = f * daysPerFile;
    const toDay = Math.min(days, fromDay + daysPerFile);
    const file = path.join(dir, `seller-events-${pad(f + 1)}-${layout}.csv`);
    const out = new Output(file);
    await out.write(HEADERS[layout].join(",") + "\n");
    const fileEvents = Math.round((events * toDay) / days) - Math.round((events * fromDay) / days);
    // Plant one quirk every `every` regular rows, in turn, so each shows up in every file.
    const every = Math.max(1, Math.min(67, Math.floor(fileEvents / (QUIRKS.length + 1))));
    let written = 0;
    recent.length = 0;

    const plant = async (): Promise<void> => {
      for (let tries = 0; tries < QUIRKS.length; tries++) {
        const quirk = QUIRKS[quirkIndex++ % QUIRKS.length];
        if (MARKETPLACE_ONLY.has(quirk) && layout !== "marketplace") continue;
        const text = quirkLine(quirk);
        if (text === undefined) continue;
        await out.write(text);
        sample.rows++;
        sample.planted[quirk]++;
        return;
      }
    };
    const quirkLine = (quirk: Quirk): string | undefined => {
      const day = fromDay + Math.floor(rand() * (toDay - fromDay));
      switch (quirk) {
        case "duplicate_same_file":
          return recent.length ? recent[Math.floor(rand() * recent.length)].text : undefined;
        case "duplicate_other_file": {
          const candidates = earlier.filter((e) => VOCABULARY[layout][e.code]);
          return candidates.length ? line(candidates[Math.floor(rand() * candidates.length)], layout) : undefined;
        }
        case "conflicting_duplicate": {
          const source = rand() < 0.5 && earlier.length ? earlier[Math.floor(rand() * earlier.length)] : recent[Math.floor(rand() * recent.length)]?.event;
          if (!source || !VOCABULARY[layout][source.code]) return undefined;
          return line({ ...source, cents: source.cents + 100 * (1 + Math.floor(rand() * 50)) }, layout);
        }
        case "late_event":
          return fromDay === 0 ? undefined : line(newEvent(layout, Math.floor(rand() * fromDay)), layout);
        case "missing_seller":
          return line(newEvent(layout, day), layout, { seller: "" });
        case "missing_amount":
          return line(newEvent(layout, day), layout, { amount: "" });
        case "missing_timestamp":
          return line(newEvent(layout, day), layout, { ts: "" });
        case "unknown_type":
          return line(newEvent(layout, day), layout, { type: rand() < 0.5 ? "adjustment" : "chargeback" });
        case "sign_contradiction": {
          // The direction and signed amount say the opposite of what the event type means.
          const event = newEvent(layout, day);
          const amount = amountText(event.cents);
          const moneyIn = MONEY_IN.has(event.code);
          return line(event, layout, { amount, signed: moneyIn ? `-${amount}` : amount, direction: moneyIn ? "out" : "in" });
        }
        case "amount_mismatch": {
          const event = newEvent(layout, day);
          const signed = amountText((MONEY_IN.has(event.code) ? 1 : -1) * (event.cents + 1_000));
          return line(event, layout, { amount: amountText(event.cents), signed });
        }
        case "unusual_amount": {
          const event = newEvent(layout, day);
          return line({ ...event, code: "ORDER_PAID", cents: event.seller.base[event.currency] * UNUSUAL_FACTOR }, layout);
        }
      }
    };

    for (let day = fromDay; day < toDay; day++) {
      const dayEvents = Math.round((events * (day + 1)) / days) - Math.round((events * day) / days);
      // Times in order through the day, as the marketplace writes them.
      const times = Array.from({ length: dayEvents }, () => Math.floor(rand() * (DAY_MS / 1000)) * 1000).sort((a, b) => a - b);
      for (const t of times) {
        const event = newEvent(layout, day, firstDay + day * DAY_MS + t);
        event.seller.balance[event.currency] += MONEY_IN.has(event.code) ? event.cents : -event.cents;
        const text = line(event, layout);
        await out.write(text);
        sample.rows++;
        written++;
        if (recent.length < 64) recent.push({ event, text });
        else recent[Math.floor(rand() * 64)] = { event, text };
        if (written % every === 0) await plant();
      }
    }
    for (const { event } of recent.slice(0, 8)) {
      if (earlier.length < 32) earlier.push(event);
      else earlier[Math.floor(rand() * 32)] = event;
    }
    await out.close();
    sample.eventFiles.push(file);
  }

  const opening = new Output(sample.openingBalanceFile);
  await opening.write("seller_id,currency,opening_balance\n");
  for (const seller of sellers) {
    for (const currency of seller.currencies) {
      const cents = seller.opening[currency];
      if (cents !== undefined) await opening.write(`${seller.id},${currency},${amountText(cents)}\n`);
    }
  }
  await opening.close();
  return sample;
}

/** A buffered file writer that waits for the disk (memory stays flat). */
class Output {
  private stream: WriteStream;
  private buffer = "";
  constructor(file: string) {
    this.stream = createWriteStream(file);
  }
  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length < 1 << 16) return;
    const chunk = this.buffer;
    this.buffer = "";
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }
  async close(): Promise<void> {
    if (this.buffer) this.stream.write(this.buffer);
    this.stream.end();
    await once(this.stream, "close");
  }
}
