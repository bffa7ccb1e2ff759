/**
 * The iiko sandbox's restaurants: a fixed catalogue of servers (each in its own time zone) and
 * deterministic orders for any business day, generated from (seed, server, day, revision) only,
 * so a test can ask for the same orders the sandbox serves and compute its own figures.
 *
 * What real iikoServer data does and the generator reproduces: orders closed after midnight
 * and days later (they stay on the business day they were opened on), storno (return) receipts
 * with negative amounts, deleted orders, receipt numbers that repeat, fractional money and
 * quantities, orders without a department, timestamps with 0–3 fractional digits, local times
 * without an offset. A later revision of a day changes it the way late closes, deletions and
 * returns change a real past day.
 */
import { createHash } from "node:crypto";

export interface SandboxServerSpec {
  name: string;
  timezone: string;
  currency: string;
  login: string;
  password: string;
  departments: string[];
  /** Money in the server's currency is generated in hundredths and multiplied by this. */
  priceScale: number;
}

/** The restaurants `--servers N` starts, in order. Two share a department name on purpose: servers must stay apart. */
export const SANDBOX_SERVERS: SandboxServerSpec[] = [
  { name: "tehran", timezone: "Asia/Tehran", currency: "IRR", login: "sandbox", password: "sandbox-tehran-password", departments: ["Main hall", "Terrace", "Delivery"], priceScale: 10_000 },
  { name: "dubai", timezone: "Asia/Dubai", currency: "AED", login: "sandbox", password: "sandbox-dubai-password", departments: ["Main hall", "Bar"], priceScale: 1 },
  { name: "almaty", timezone: "Asia/Almaty", currency: "KZT", login: "sandbox", password: "sandbox-almaty-password", departments: ["Main hall", "Summer garden"], priceScale: 50 },
];

export interface SandboxDish {
  code: string;
  name: string;
  group: string;
  /** Amount before discount, in hundredths of the currency unit (negative on a storno receipt). */
  sumCents: number;
  /** Amount after discount (revenue), in hundredths. */
  discountedCents: number;
  /** Quantity in thousandths (1000 = one portion; weighed dishes are fractional). */
  amountMilli: number;
}

export interface SandboxOrder {
  id: string;
  department: string | null;
  departmentId: string | null;
  /** The business ("accounting") day, yyyy-mm-dd: what OpenDate.Typed says. */
  businessDay: string;
  /** Receipt number: repeats across days and departments. */
  number: number;
  /** Local wall-clock times, as iiko prints them (no offset, 0–3 fractional digits). */
  openTime: string;
  closeTime: string;
  closeHour: number;
  openHour: number;
  guests: number;
  storned: boolean;
  deleted: "NOT_DELETED" | "DELETED";
  deletedWithWriteoff: "NOT_DELETED" | "DELETED_WITH_WRITEOFF" | "DELETED_WITHOUT_WRITEOFF";
  payType: string;
  dishes: SandboxDish[];
}

const MENU = [
  { code: "K-101", name: "Chelow kebab", group: "Mains", cents: [42_00, 58_00] },
  { code: "K-102", name: "Joojeh", group: "Mains", cents: [35_00, 47_50] },
  { code: "S-201", name: "Mirza ghasemi", group: "Starters", cents: [12_00, 18_90] },
  { code: "S-202", name: "Soup of the day", group: "Starters", cents: [8_50, 11_25] },
  { code: "D-301", name: "Doogh", group: "Drinks", cents: [3_00, 4_75] },
  { code: "D-302", name: "Tea pot", group: "Drinks", cents: [4_40, 6_10] },
  { code: "W-401", name: "Grilled fish (per kg)", group: "By weight", cents: [60_00, 89_99], weighed: true },
  { code: "W-402", name: "Saffron rice (per kg)", group: "By weight", cents: [14_00, 19_95], weighed: true },
];
const PAY_TYPES = ["Cash", "Card", "Card", "Bonus"];

/** A small deterministic PRNG (mulberry32) seeded from a string. */
export function random(seedText: string) {
  let state = createHash("sha256").update(seedText).digest().readUInt32LE(0);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[parseInt(hex[16], 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  return { next, int, pick, uuid };
}

type Random = ReturnType<typeof random>;

/** A stable UUID for a name (department ids). */
export function nameUuid(text: string): string {
  return random(`uuid|${text}`).uuid();
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** yyyy-mm-dd of a wall-clock instant kept as UTC milliseconds. */
function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** iiko's local timestamp: no offset, the fraction without trailing zeros (0–3 digits). */
export function iikoTimestamp(ms: number): string {
  const [whole, fraction] = new Date(ms).toISOString().slice(0, 23).split(".");
  const digits = fraction.replace(/0+$/, "");
  return digits ? `${whole}.${digits}` : whole;
}

export function addDays(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY);
}

export interface DayOptions {
  seed: number;
  /** Days on which the restaurant was closed: no orders at all. */
  closedDays?: Set<string>;
  /** 0 is the day as first served; each later revision adds late changes on top of the previous one. */
  revision?: number;
}

/** Every order (deleted ones included) that the server holds for one business day. */
export function ordersForDay(server: SandboxServerSpec, day: string, options: DayOptions): SandboxOrder[] {
  if (options.closedDays?.has(day)) return [];
  const rng = random(`${options.seed}|${server.name}|${day}`);
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const orders: SandboxOrder[] = [];
  server.departments.forEach((department, d) => {
    const count = department === "Delivery" ? rng.int(4, 10) : rng.int(10, 24) - d;
    for (let i = 0; i < count; i++) orders.push(newOrder(rng, server, department, day, dayStart));
  });
  // Now and then an order nobody assigned to a department (iiko gives null for the group value).
  if (rng.next() < 0.35) orders.push({ ...newOrder(rng, server, server.departments[0], day, dayStart), department: null, departmentId: null });

  for (const order of [...orders]) {
    if (rng.next() < 0.04) {
      order.deleted = "DELETED";
      order.deletedWithWriteoff = rng.next() < 0.5 ? "DELETED_WITH_WRITEOFF" : "DELETED_WITHOUT_WRITEOFF";
    } else if (rng.next() < 0.05) {
      orders.push(stornoOf(rng, order));
    }
  }
  numberReceipts(rng, orders);
  for (let revision = 1; revision <= (options.revision ?? 0); revision++) amend(random(`${options.seed}|${server.name}|${day}|revision ${revision}`), server, orders, day, dayStart);
  return orders;
}

function newOrder(rng: Random, server: SandboxServerSpec, department: string, day: string, dayStart: number): SandboxOrder {
  // Most orders open between 10:00 and 22:00; a few late ones run past midnight.
  const late = rng.next() < 0.12;
  const open = dayStart + (late ? rng.int(22 * 60 + 30, 23 * 60 + 55) : rng.int(10 * 60, 22 * 60)) * MINUTE + rng.int(0, 59_999);
  let close = open + rng.int(12, 150) * MINUTE + rng.int(0, 59_999);
  // An order left open and closed days later (a forgotten tab, a corporate account).
  if (rng.next() < 0.015) close = dayStart + rng.int(1, 6) * DAY + rng.int(9 * 60, 21 * 60) * MINUTE + rng.int(0, 59_999);
  close = withFraction(rng, close);
  const discount = rng.pick([0, 0, 0, 0, 5, 10, 15]);
  const dishes: SandboxDish[] = [];
  for (let n = rng.int(1, 5); n > 0; n--) {
    const item = rng.pick(MENU);
    const priceCents = rng.int(item.cents[0], item.cents[1]) * server.priceScale;
    const amountMilli = "weighed" in item ? rng.int(250, 1_850) : rng.int(1, 3) * 1000;
    const sumCents = Math.round((priceCents * amountMilli) / 1000);
    dishes.push({ code: item.code, name: item.name, group: item.group, sumCents, discountedCents: sumCents - Math.round((sumCents * discount) / 100), amountMilli });
  }
  return {
    id: rng.uuid(),
    department,
    departmentId: nameUuid(`${server.name}|${department}`),
    businessDay: day,
    number: 0,
    openTime: iikoTimestamp(withFraction(rng, open)),
    closeTime: iikoTimestamp(close),
    closeHour: new Date(close).getUTCHours(),
    openHour: new Date(open).getUTCHours(),
    guests: department === "Delivery" ? 1 : rng.int(1, 6),
    storned: false,
    deleted: "NOT_DELETED",
    deletedWithWriteoff: "NOT_DELETED",
    payType: rng.pick(PAY_TYPES),
    dishes,
  };
}

/** 0, 1, 2 or 3 fractional digits on the printed timestamp. */
function withFraction(rng: Random, ms: number): number {
  const base = ms - (ms % 1000);
  return base + rng.pick([0, 0, 100 * rng.int(1, 9), 10 * rng.int(1, 99), rng.int(1, 999)]);
}

/** A return receipt for part of an order: its own order id, Storned TRUE, negative amounts, closed a little later. */
function stornoOf(rng: Random, original: SandboxOrder): SandboxOrder {
  const dish = rng.pick(original.dishes);
  const close = withFraction(rng, Date.parse(`${original.closeTime}Z`) + rng.int(5, 90) * MINUTE);
  return {
    ...original,
    id: rng.uuid(),
    openTime: original.closeTime,
    closeTime: iikoTimestamp(close),
    closeHour: new Date(close).getUTCHours(),
    storned: true,
    dishes: [{ ...dish, sumCents: -dish.sumCents, discountedCents: -dish.discountedCents, amountMilli: -dish.amountMilli }],
  };
}

/** A later look at the same day: one order deleted, one closed days later added, one more return. */
function amend(rng: Random, server: SandboxServerSpec, orders: SandboxOrder[], day: string, dayStart: number): void {
  const live = orders.filter((o) => o.deleted === "NOT_DELETED" && !o.storned);
  if (live.length) {
    const victim = rng.pick(live);
    victim.deleted = "DELETED";
    victim.deletedWithWriteoff = "DELETED_WITHOUT_WRITEOFF";
  }
  const nextNumber = () => Math.max(0, ...orders.map((o) => o.number)) + 1;
  const late = newOrder(rng, server, rng.pick(server.departments), day, dayStart);
  const close = withFraction(rng, dayStart + 2 * DAY + rng.int(12 * 60, 20 * 60) * MINUTE);
  orders.push({ ...late, number: nextNumber(), closeTime: iikoTimestamp(close), closeHour: new Date(close).getUTCHours() });
  const stillLive = orders.filter((o) => o.deleted === "NOT_DELETED" && !o.storned);
  if (stillLive.length) orders.push({ ...stornoOf(rng, rng.pick(stillLive)), number: nextNumber() });
}

/** Receipt numbers in opening order, restarting every day: not unique, as in iiko. */
function numberReceipts(rng: Random, orders: SandboxOrder[]): void {
  const start = rng.int(1, 40);
  [...orders].sort((a, b) => a.openTime.localeCompare(b.openTime)).forEach((order, i) => (order.number = start + i));
}
