/**
 * Opaque page cursors: the key of the last row served, for keyset paging ("rows after this key"),
 * so a page costs the same however deep it is and rows added meanwhile never shift a page.
 * The values are checked again when a cursor comes back, and reach SQL only as bound parameters.
 */
import { ApiError } from "./errors.ts";

export type CursorValue = string | null;

export function encodeCursor(route: string, key: CursorValue[]): string {
  return Buffer.from(JSON.stringify({ r: route, k: key }), "utf8").toString("base64url");
}

/** The key a cursor carries, for `route` with `length` key columns; a 400 naming `cursor` otherwise. */
export function decodeCursor(cursor: string, route: string, length: number): CursorValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const body = parsed as { r?: unknown; k?: unknown } | undefined;
  const key = body?.k;
  if (!body || body.r !== route || !Array.isArray(key) || key.length !== length || !key.every((v) => v === null || typeof v === "string")) {
    throw new ApiError(400, "invalid_parameter", "cursor is not a cursor this endpoint gave out: pass next_cursor from the previous page unchanged.", "cursor");
  }
  return key as CursorValue[];
}
