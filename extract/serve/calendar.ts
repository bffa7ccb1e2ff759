/**
 * Dates for the dashboard: ISO days (YYYY-MM-DD) throughout, shown and counted in the
 * Gregorian calendar (weeks from Monday) or the Jalali calendar (weeks from Saturday,
 * years from 1 Farvardin). The warehouse's dim_date agrees with jalaali-js, used here.
 */
import * as jalaali from "jalaali-js";

export type Calendar = "gregorian" | "jalali";
export type Granularity = "day" | "week" | "month";
export const PRESETS = { last_week: "Last week", mtd: "Month to date", ytd: "Year to date", custom: "Custom" } as const;
export type Preset = keyof typeof PRESETS;

const pad = (n: number) => String(n).padStart(2, "0");
const utc = (day: string) => new Date(`${day}T00:00:00Z`);
const isoOf = (date: Date) => date.toISOString().slice(0, 10);
const gregorianDay = (gy: number, gm: number, gd: number) => `${gy}-${pad(gm)}-${pad(gd)}`;

export function addDays(day: string, days: number): string {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + days);
  return isoOf(date);
}

/** Days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utc(b).getTime() - utc(a).getTime()) / 86_400_000);
}

function jalaliOf(day: string) {
  const d = utc(day);
  return jalaali.toJalaali(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function fromJalali(jy: number, jm: number, jd: number): string {
  const g = jalaali.toGregorian(jy, jm, Math.min(jd, jalaali.jalaaliMonthLength(jy, jm)));
  return gregorianDay(g.gy, g.gm, g.gd);
}

export function weekStart(day: string, calendar: Calendar): string {
  const isoWeekday = ((utc(day).getUTCDay() + 6) % 7) + 1; // Monday = 1 … Sunday = 7
  return addDays(day, calendar === "jalali" ? -((isoWeekday + 1) % 7) : 1 - isoWeekday);
}

export function monthStart(day: string, calendar: Calendar): string {
  if (calendar === "jalali") {
    const j = jalaliOf(day);
    return fromJalali(j.jy, j.jm, 1);
  }
  return `${day.slice(0, 8)}01`;
}

export function yearStart(day: string, calendar: Calendar): string {
  return calendar === "jalali" ? fromJalali(jalaliOf(day).jy, 1, 1) : `${day.slice(0, 4)}-01-01`;
}

export function yearEnd(day: string, calendar: Calendar): string {
  return addDays(shiftYears(yearStart(day, calendar), 1, calendar), -1);
}

/** The same day `years` years later (negative: earlier), in that calendar; a day the month lacks becomes its last day. */
export function shiftYears(day: string, years: number, calendar: Calendar): string {
  if (calendar === "jalali") {
    const j = jalaliOf(day);
    return fromJalali(j.jy + years, j.jm, j.jd);
  }
  const [y, m, d] = day.split("-").map(Number);
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return gregorianDay(y + years, m, Math.min(d, lastDay));
}

export function jalaliText(day: string): string {
  const j = jalaliOf(day);
  return `${j.jy}/${pad(j.jm)}/${pad(j.jd)}`;
}

export function displayDay(day: string, calendar: Calendar): string {
  return calendar === "jalali" ? jalaliText(day) : day;
}

const foldDigits = (text: string) =>
  text.replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));

/** A day typed in a URL or form: Gregorian YYYY-MM-DD, or Jalali YYYY/MM/DD (a year before 1700 is Jalali; Persian digits allowed). */
export function parseDay(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const match = /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*$/.exec(foldDigits(text));
  if (!match) return undefined;
  const [y, m, d] = match.slice(1).map(Number);
  if (y < 1700) {
    if (!jalaali.isValidJalaaliDate(y, m, d)) return undefined;
    return fromJalali(y, m, d);
  }
  const day = gregorianDay(y, m, d);
  return isoOf(utc(day)) === day ? day : undefined;
}

export function presetRange(preset: Exclude<Preset, "custom">, asOf: string, calendar: Calendar): { from: string; to: string } {
  switch (preset) {
    case "last_week": {
      const thisWeek = weekStart(asOf, calendar);
      return { from: addDays(thisWeek, -7), to: addDays(thisWeek, -1) };
    }
    case "mtd":
      return { from: monthStart(asOf, calendar), to: asOf };
    case "ytd":
      return { from: yearStart(asOf, calendar), to: asOf };
  }
}

/** Day buckets for up to two months, weeks up to a bit over a year, months beyond. */
export function granularityFor(from: string, to: string): Granularity {
  const days = daysBetween(from, to) + 1;
  return days <= 62 ? "day" : days <= 400 ? "week" : "month";
}

/** The bucket a day falls in, as the SQL in queries.ts names it. */
export function bucketKey(day: string, granularity: Granularity, calendar: Calendar): string {
  if (granularity === "day") return day;
  if (granularity === "week") return weekStart(day, calendar);
  if (calendar === "jalali") {
    const j = jalaliOf(day);
    return `${j.jy}/${pad(j.jm)}`;
  }
  return day.slice(0, 7);
}

export function bucketLabel(key: string, granularity: Granularity, calendar: Calendar): string {
  return granularity === "month" ? key : displayDay(key, calendar);
}

/** Every bucket between two days, in order (so a chart shows empty days as zero, not as gaps closed up). */
export function bucketsBetween(from: string, to: string, granularity: Granularity, calendar: Calendar): string[] {
  const keys: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const key = bucketKey(day, granularity, calendar);
    if (keys.at(-1) !== key) keys.push(key);
  }
  return keys;
}
