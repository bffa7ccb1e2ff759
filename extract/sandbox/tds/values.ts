/**
 * Exact conversions between the sandbox's in-memory values and their SQL Server text forms:
 * decimals and money as scaled integers (never JavaScript numbers, which lose digits beyond
 * 15–17), datetime2 as its text with up to 7 fractional digits, GUIDs in their mixed-endian
 * byte order (MS-TDS 2.2.5.5.1.5: the first three groups little-endian).
 */

/** A scaled integer as decimal text with exactly `scale` fractional digits, as SQL Server prints decimal(p,s). */
export function formatScaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale ? "." + fraction : ""}`;
}

/** Decimal text (e.g. "-12.5") as an integer scaled by 10^scale; refuses more fractional digits than the scale. */
export function parseScaled(text: string, scale: number): bigint {
  const match = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match || (!match[2] && !match[3])) throw new Error(`not a decimal number: ${JSON.stringify(text)}`);
  const fraction = match[3] ?? "";
  if (fraction.length > scale) throw new Error(`${text} has more than ${scale} fractional digits`);
  const value = BigInt((match[2] || "0") + fraction.padEnd(scale, "0"));
  return match[1] === "-" ? -value : value;
}

/** Rounds a scaled integer to fewer fractional digits, half away from zero (SQL Server's rounding). */
export function roundScaled(unscaled: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return unscaled * 10n ** BigInt(toScale - fromScale);
  const factor = 10n ** BigInt(fromScale - toScale);
  const negative = unscaled < 0n;
  const magnitude = negative ? -unscaled : unscaled;
  const rounded = (magnitude + factor / 2n) / factor;
  return negative ? -rounded : rounded;
}

const DATETIME2_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

export interface Datetime2Parts {
  /** Days since 0001-01-01 (proleptic Gregorian). */
  days: number;
  /** 100-nanosecond ticks since midnight. */
  ticks: bigint;
}

const DAY_MS = 86_400_000;

/** Midnight of 0001-01-01 UTC in milliseconds (Date.UTC would read year 1 as 1901). */
const START_0001 = (() => {
  const start = new Date(0);
  start.setUTCFullYear(1, 0, 1);
  start.setUTCHours(0, 0, 0, 0);
  return start.getTime();
})();

function daysFrom0001(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(0, 0, 0, 0);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw new Error(`no such date ${year}-${month}-${day}`);
  return Math.round((date.getTime() - START_0001) / DAY_MS);
}

/** "2025-03-14 09:26:53.5897932" → days and ticks. */
export function parseDatetime2(text: string): Datetime2Parts {
  const m = DATETIME2_TEXT.exec(text);
  if (!m) throw new Error(`not a datetime2 text: ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const fraction = BigInt((m[7] ?? "").padEnd(7, "0"));
  const ticks = (BigInt(hour * 3600 + minute * 60 + second) * 10_000_000n) + fraction;
  return { days: daysFrom0001(year, month, day), ticks };
}

/** Days and ticks → "yyyy-mm-dd hh:mi:ss.fffffff" cut to `scale` fractional digits (style 121). */
export function formatDatetime2(parts: Datetime2Parts, scale = 7): string {
  const date = new Date(START_0001 + parts.days * DAY_MS);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const seconds = Number(parts.ticks / 10_000_000n);
  const fraction = (parts.ticks % 10_000_000n).toString().padStart(7, "0").slice(0, scale);
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${time}${scale ? "." + fraction : ""}`;
}

const GUID_TEXT = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/** The 16 bytes a uniqueidentifier travels as. */
export function guidToBytes(text: string): Buffer {
  if (!GUID_TEXT.test(text)) throw new Error(`not a GUID: ${JSON.stringify(text)}`);
  const hex = text.replace(/-/g, "");
  const raw = Buffer.from(hex, "hex");
  const out = Buffer.alloc(16);
  // Data1 (4 bytes), Data2 (2), Data3 (2) little-endian; Data4 (8) as is.
  out[0] = raw[3]; out[1] = raw[2]; out[2] = raw[1]; out[3] = raw[0];
  out[4] = raw[5]; out[5] = raw[4];
  out[6] = raw[7]; out[7] = raw[6];
  raw.copy(out, 8, 8, 16);
  return out;
}

export function bytesToGuid(bytes: Buffer): string {
  const b = bytes;
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(b.subarray(from, to));
    if (reverse) part.reverse();
    return part.toString("hex");
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`.toUpperCase();
}
