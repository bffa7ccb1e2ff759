/**
 * Xero's JSON as received: numbers keep their exact text (`40.00` stays "40.00", never a float),
 * and .NET dates (`/Date(1573755038314+0000)/`) are read and written here, once.
 */

/**
 * JSON.parse with every number turned into its source text. One regular expression walks the
 * tokens: a string literal is matched first and left alone, so digits inside strings are never
 * touched. (Node 20 has no `context.source` in JSON.parse revivers, which would do the same.)
 */
export function parseJsonKeepingNumbers(text: string): unknown {
  const quoted = text.replace(/"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g, (token, number: string | undefined) =>
    number === undefined ? token : `"${number}"`,
  );
  return JSON.parse(quoted);
}

const DOTNET_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** Milliseconds since the epoch of a .NET JSON date (the offset only says how it was displayed). */
export function parseDotnetDate(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = DOTNET_DATE.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

export function formatDotnetDate(ms: number): string {
  return `/Date(${ms}+0000)/`;
}

/** `If-Modified-Since` as Xero documents it: UTC, second precision, no zone (`2024-05-01T10:00:00`). */
export function formatIfModifiedSince(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}
