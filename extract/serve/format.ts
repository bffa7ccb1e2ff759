/**
 * Number formatting for pages. Sums arrive from PostgreSQL as decimal strings; they are
 * rounded and grouped as strings (through BigInt) so a large rial total is shown exactly.
 */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "1234567.891" → "1,234,567.89" (digits = fraction digits kept, trailing zeros trimmed unless `fixed`). */
export function formatDecimal(value: string | number | bigint | null | undefined, digits = 0, fixed = false): string {
  if (value === null || value === undefined || value === "") return "–";
  const text = typeof value === "number" ? value.toFixed(Math.min(20, digits + 2)) : String(value);
  const match = DECIMAL.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = ""] = match;
  const scaled = BigInt(whole + fraction.padEnd(digits + 1, "0").slice(0, digits + 1));
  const rounded = (scaled + 5n) / 10n; // half away from zero: the sign is applied afterwards
  const unit = 10n ** BigInt(digits);
  const wholeText = (rounded / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  let fractionText = digits ? (rounded % unit).toString().padStart(digits, "0") : "";
  if (!fixed) fractionText = fractionText.replace(/0+$/, "");
  const isZero = rounded === 0n;
  return `${sign && !isZero ? "-" : ""}${wholeText}${fractionText ? `.${fractionText}` : ""}`;
}

/** Change from `before` to `now` in percent, or undefined when there is nothing to compare with. */
export function changePercent(now: string | number | null | undefined, before: string | number | null | undefined): number | undefined {
  if (now === undefined || now === null) return undefined; // nothing now (an average of no units) is no change
  const a = Number(now);
  const b = Number(before ?? 0);
  if (!b) return undefined;
  return (100 * (a - b)) / Math.abs(b);
}

export function formatChange(pct: number | undefined): string {
  if (pct === undefined || !Number.isFinite(pct)) return "–";
  return `${pct > 0 ? "+" : pct < 0 ? "-" : ""}${Math.abs(pct).toFixed(1)}%`;
}

/** Exact ratio of two decimal strings, for display (average price = revenue / units). */
export function divide(numerator: string | null | undefined, denominator: string | null | undefined): number | undefined {
  const d = Number(denominator ?? 0);
  if (!d) return undefined;
  return Number(numerator ?? 0) / d;
}
