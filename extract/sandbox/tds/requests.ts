/** Client requests after login: SQL batches (MS-TDS 2.2.6.7) and RPCs (2.2.6.6). */
import { ByteReader, ProtocolError } from "./wire.ts";
import { readParamValue, type ParamValue } from "./types.ts";

export interface TdsRequest {
  kind: "batch" | "rpc";
  /** The statement text: the batch, or sp_executesql's @stmt. */
  sql: string;
  /** Parameters by lower-case name without "@" (sp_executesql's own @stmt and @params excluded). */
  params: Map<string, ParamValue>;
  /** The procedure an RPC called, e.g. "sp_executesql". */
  procedure?: string;
}

/** Well-known procedure ids a client may send instead of a name (2.2.6.6, ProcIDSwitch). */
const PROC_IDS: Record<number, string> = {
  1: "sp_cursor",
  2: "sp_cursoropen",
  3: "sp_cursorprepare",
  4: "sp_cursorexecute",
  5: "sp_cursorprepexec",
  6: "sp_cursorunprepare",
  7: "sp_cursorfetch",
  8: "sp_cursoroption",
  9: "sp_cursorclose",
  10: "sp_executesql",
  11: "sp_prepare",
  12: "sp_execute",
  13: "sp_prepexec",
  14: "sp_prepexecrpc",
  15: "sp_unprepare",
};

/** ALL_HEADERS (2.2.5.3), present from TDS 7.2 on: a total length that counts itself. */
function skipAllHeaders(r: ByteReader): void {
  const total = r.u32();
  if (total < 4 || total > r.buffer.length) throw new ProtocolError(`ALL_HEADERS length ${total} is out of range`);
  r.offset = total;
}

export function parseSqlBatch(payload: Buffer): TdsRequest {
  const r = new ByteReader(payload);
  skipAllHeaders(r);
  if (r.remaining % 2) throw new ProtocolError("SQL batch text is not whole UCS-2 characters");
  return { kind: "batch", sql: r.bytes(r.remaining).toString("utf16le"), params: new Map() };
}

export function parseRpc(payload: Buffer): TdsRequest {
  const r = new ByteReader(payload);
  skipAllHeaders(r);
  const nameLength = r.u16();
  const procedure = nameLength === 0xffff ? (PROC_IDS[r.u16()] ?? "unknown procedure") : r.ucs2(nameLength);
  r.u16(); // option flags (with recompile, no metadata)
  const list: [string, ParamValue][] = [];
  while (r.remaining > 0) {
    const next = r.buffer[r.offset];
    if (next === 0xff || next === 0x80 || next === 0xfe) {
      throw new ProtocolError("several RPCs in one request are not supported by the sandbox");
    }
    const name = r.bVarchar();
    r.u8(); // status flags (output parameter, default value)
    list.push([name.replace(/^@/, "").toLowerCase(), readParamValue(r)]);
  }
  if (procedure.toLowerCase() !== "sp_executesql") {
    return { kind: "rpc", procedure, sql: `EXEC ${procedure}`, params: new Map(list) };
  }
  // sp_executesql's first two parameters are the statement and the parameter declarations, whatever a client names them.
  const [stmt] = list;
  if (!stmt || typeof stmt[1].value !== "string") throw new ProtocolError("sp_executesql without a statement");
  return { kind: "rpc", procedure, sql: stmt[1].value, params: new Map(list.slice(2)) };
}
