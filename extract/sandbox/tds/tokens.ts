/** Server response tokens (MS-TDS 2.2.7), written into a ByteWriter. */
import { ByteWriter } from "./wire.ts";
import { writeTypeInfo, writeValue, type ResultColumn, type SqlValue } from "./types.ts";

export const TOKEN = {
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  INFO: 0xab,
  LOGINACK: 0xad,
  ENVCHANGE: 0xe3,
  ROW: 0xd1,
  RETURNSTATUS: 0x79,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;

export const DONE_STATUS = {
  FINAL: 0x00,
  MORE: 0x01,
  ERROR: 0x02,
  COUNT: 0x10,
  ATTN: 0x20,
} as const;

/** CurCmd of a DONE token after a SELECT. */
export const CMD_SELECT = 0xc1;

export function done(w: ByteWriter, status: number, rowCount = 0n, token: number = TOKEN.DONE, curCmd = 0): void {
  w.u8(token).u16(status).u16(curCmd).u64(rowCount);
}

export interface ServerMessage {
  number: number;
  state: number;
  /** Severity: 0–10 informational (INFO token), 11+ an error (ERROR token). */
  severity: number;
  message: string;
}

export function message(w: ByteWriter, msg: ServerMessage, serverName: string): void {
  w.u8(msg.severity > 10 ? TOKEN.ERROR : TOKEN.INFO);
  const lengthAt = w.length;
  w.u16(0);
  const start = w.length;
  w.i32(msg.number).u8(msg.state).u8(msg.severity).usVarchar(msg.message).bVarchar(serverName).bVarchar("").i32(1);
  w.patchU16(lengthAt, w.length - start);
}

/** ENVCHANGE with text values (database 1, language 2, charset 3, packet size 4). */
export function envChangeText(w: ByteWriter, type: number, newValue: string, oldValue: string): void {
  w.u8(TOKEN.ENVCHANGE);
  const lengthAt = w.length;
  w.u16(0);
  const start = w.length;
  w.u8(type).bVarchar(newValue).bVarchar(oldValue);
  w.patchU16(lengthAt, w.length - start);
}

/** ENVCHANGE with binary values (SQL collation 7). */
export function envChangeBytes(w: ByteWriter, type: number, newValue: Buffer, oldValue: Buffer): void {
  w.u8(TOKEN.ENVCHANGE);
  const lengthAt = w.length;
  w.u16(0);
  const start = w.length;
  w.u8(type).u8(newValue.length).bytes(newValue).u8(oldValue.length).bytes(oldValue);
  w.patchU16(lengthAt, w.length - start);
}

/** LOGINACK: interface SQL_TSQL, the TDS version (big-endian, as MS-TDS 2.2.7.14 gives it), program name and version. */
export function loginAck(w: ByteWriter, tdsVersion: number, progName: string, version: [number, number, number, number]): void {
  w.u8(TOKEN.LOGINACK);
  const lengthAt = w.length;
  w.u16(0);
  const start = w.length;
  w.u8(1).u32be(tdsVersion).bVarchar(progName);
  for (const part of version) w.u8(part);
  w.patchU16(lengthAt, w.length - start);
}

export function colMetadata(w: ByteWriter, columns: ResultColumn[]): void {
  w.u8(TOKEN.COLMETADATA).u16(columns.length);
  for (const column of columns) {
    // Flags: fNullable, updateable "unknown" (0x08 = usage 2), fIdentity.
    const flags = (column.nullable ? 0x0001 : 0) | 0x0008 | (column.identity ? 0x0010 : 0);
    w.u32(0).u16(flags);
    writeTypeInfo(w, column);
    w.bVarchar(column.name);
  }
}

export function row(w: ByteWriter, columns: ResultColumn[], values: SqlValue[]): void {
  w.u8(TOKEN.ROW);
  columns.forEach((column, i) => writeValue(w, column, values[i]));
}

export function returnStatus(w: ByteWriter, value: number): void {
  w.u8(TOKEN.RETURNSTATUS).i32(value);
}
