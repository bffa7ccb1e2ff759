/**
 * The SQL types the sandbox serves and how each travels (MS-TDS 2.2.5.4 data type definitions,
 * 2.2.5.5 data type details). NOT NULL columns go as the fixed-length types and nullable ones
 * as their "N" variants, as SQL Server itself does. Column values in memory:
 * bigint → bigint, int/smallint/tinyint → number, bit → boolean, money → bigint (ten-thousandths),
 * float → number, decimal → bigint (scaled by 10^scale), nvarchar → string,
 * uniqueidentifier → string, varbinary → Buffer, datetime2 → its text ("yyyy-mm-dd hh:mi:ss.fffffff").
 */
import { ByteReader, ByteWriter, ProtocolError } from "./wire.ts";
import { bytesToGuid, formatDatetime2, formatScaled, guidToBytes, parseDatetime2 } from "./values.ts";

export type SqlType =
  | { name: "bigint" }
  | { name: "int" }
  | { name: "smallint" }
  | { name: "tinyint" }
  | { name: "bit" }
  | { name: "money" }
  | { name: "float" }
  | { name: "decimal"; precision: number; scale: number }
  | { name: "nvarchar"; length: number | "max" }
  | { name: "uniqueidentifier" }
  | { name: "varbinary"; length: number | "max" }
  | { name: "datetime2"; scale: number };

export type SqlValue = bigint | number | boolean | string | Buffer | null;

export interface ResultColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
  identity?: boolean;
}

/** TDS type tokens (MS-TDS 2.2.5.4.1–2.2.5.4.3). */
export const T = {
  INT1: 0x30,
  BIT: 0x32,
  INT2: 0x34,
  INT4: 0x38,
  DATETIM4: 0x3a,
  FLT4: 0x3b,
  MONEY: 0x3c,
  DATETIME: 0x3d,
  FLT8: 0x3e,
  MONEY4: 0x7a,
  INT8: 0x7f,
  GUID: 0x24,
  INTN: 0x26,
  DECIMAL: 0x37,
  NUMERIC: 0x3f,
  BITN: 0x68,
  DECIMALN: 0x6a,
  NUMERICN: 0x6c,
  FLTN: 0x6d,
  MONEYN: 0x6e,
  DATETIMN: 0x6f,
  DATEN: 0x28,
  TIMEN: 0x29,
  DATETIME2N: 0x2a,
  DATETIMEOFFSETN: 0x2b,
  BIGVARBIN: 0xa5,
  BIGVARCHR: 0xa7,
  BIGBINARY: 0xad,
  BIGCHAR: 0xaf,
  NVARCHAR: 0xe7,
  NCHAR: 0xef,
} as const;

/** Latin1_General_CI_AS: LCID 0x0409, ignore case/kana/width, sort id 52. Text here is always UCS-2, so it only labels. */
export const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

/** PLP chunk size for nvarchar(max)/varbinary(max): values over it travel in several chunks. */
const PLP_CHUNK = 8000;
const PLP_NULL = 0xffffffffffffffffn;
const PLP_UNKNOWN = 0xfffffffffffffffen;

export function decimalBytes(precision: number): number {
  if (precision <= 9) return 4;
  if (precision <= 19) return 8;
  if (precision <= 28) return 12;
  return 16;
}

function timeBytes(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

/** TYPE_INFO for a result column. */
export function writeTypeInfo(w: ByteWriter, column: ResultColumn): void {
  const { type, nullable } = column;
  switch (type.name) {
    case "bigint":
      if (nullable) w.u8(T.INTN).u8(8);
      else w.u8(T.INT8);
      return;
    case "int":
      if (nullable) w.u8(T.INTN).u8(4);
      else w.u8(T.INT4);
      return;
    case "smallint":
      if (nullable) w.u8(T.INTN).u8(2);
      else w.u8(T.INT2);
      return;
    case "tinyint":
      if (nullable) w.u8(T.INTN).u8(1);
      else w.u8(T.INT1);
      return;
    case "bit":
      if (nullable) w.u8(T.BITN).u8(1);
      else w.u8(T.BIT);
      return;
    case "money":
      if (nullable) w.u8(T.MONEYN).u8(8);
      else w.u8(T.MONEY);
      return;
    case "float":
      if (nullable) w.u8(T.FLTN).u8(8);
      else w.u8(T.FLT8);
      return;
    case "decimal":
      w.u8(T.DECIMALN).u8(1 + decimalBytes(type.precision)).u8(type.precision).u8(type.scale);
      return;
    case "nvarchar":
      w.u8(T.NVARCHAR).u16(type.length === "max" ? 0xffff : type.length * 2).bytes(COLLATION);
      return;
    case "uniqueidentifier":
      w.u8(T.GUID).u8(16);
      return;
    case "varbinary":
      w.u8(T.BIGVARBIN).u16(type.length === "max" ? 0xffff : type.length);
      return;
    case "datetime2":
      w.u8(T.DATETIME2N).u8(type.scale);
      return;
  }
}

/** One value of a ROW token, in the column's TYPE_INFO encoding. */
export function writeValue(w: ByteWriter, column: ResultColumn, value: SqlValue): void {
  const { type, nullable } = column;
  if (value === null || value === undefined) {
    if (!nullable) throw new Error(`column ${column.name} is NOT NULL but the value is NULL`);
    switch (type.name) {
      case "nvarchar":
      case "varbinary":
        if (type.length === "max") w.u64(PLP_NULL);
        else w.u16(0xffff);
        return;
      default:
        w.u8(0);
        return;
    }
  }
  switch (type.name) {
    case "bigint":
      if (nullable) w.u8(8);
      w.i64(BigInt(value as bigint));
      return;
    case "int":
      if (nullable) w.u8(4);
      w.i32(Number(value));
      return;
    case "smallint":
      if (nullable) w.u8(2);
      w.u16(Number(value) & 0xffff);
      return;
    case "tinyint":
      if (nullable) w.u8(1);
      w.u8(Number(value));
      return;
    case "bit":
      if (nullable) w.u8(1);
      w.u8(value ? 1 : 0);
      return;
    case "money": {
      if (nullable) w.u8(8);
      // MS-TDS 2.2.5.5.1.4: the 8-byte integer (value × 10^4) as its high 4 bytes, then its low 4 bytes.
      const v = BigInt.asUintN(64, value as bigint);
      w.u32(Number(v >> 32n)).u32(Number(v & 0xffffffffn));
      return;
    }
    case "float":
      if (nullable) w.u8(8);
      w.f64(Number(value));
      return;
    case "decimal": {
      const size = decimalBytes(type.precision);
      const v = value as bigint;
      w.u8(1 + size).u8(v < 0n ? 0 : 1).uintN(v < 0n ? -v : v, size);
      return;
    }
    case "nvarchar": {
      const bytes = Buffer.from(value as string, "utf16le");
      if (type.length === "max") writePlp(w, bytes);
      else {
        if (bytes.length > type.length * 2) throw new Error(`value of ${column.name} is longer than nvarchar(${type.length})`);
        w.u16(bytes.length).bytes(bytes);
      }
      return;
    }
    case "uniqueidentifier":
      w.u8(16).bytes(guidToBytes(value as string));
      return;
    case "varbinary": {
      const bytes = value as Buffer;
      if (type.length === "max") writePlp(w, bytes);
      else {
        if (bytes.length > type.length) throw new Error(`value of ${column.name} is longer than varbinary(${type.length})`);
        w.u16(bytes.length).bytes(bytes);
      }
      return;
    }
    case "datetime2": {
      const { days, ticks } = parseDatetime2(value as string);
      const scaled = ticks / 10n ** BigInt(7 - type.scale);
      w.u8(timeBytes(type.scale) + 3).uintN(scaled, timeBytes(type.scale)).uintN(BigInt(days), 3);
      return;
    }
  }
}

/** Partially length-prefixed bytes (MS-TDS 2.2.5.2.3): total length, chunks, a zero-length terminator. */
function writePlp(w: ByteWriter, bytes: Buffer): void {
  w.u64(BigInt(bytes.length));
  for (let at = 0; at < bytes.length; at += PLP_CHUNK) {
    const chunk = bytes.subarray(at, at + PLP_CHUNK);
    w.u32(chunk.length).bytes(chunk);
  }
  w.u32(0);
}

function readPlp(r: ByteReader): Buffer | null {
  const total = r.u64();
  if (total === PLP_NULL) return null;
  const parts: Buffer[] = [];
  for (;;) {
    const size = r.u32();
    if (size === 0) break;
    parts.push(r.bytes(size));
  }
  const out = Buffer.concat(parts);
  if (total !== PLP_UNKNOWN && BigInt(out.length) !== total) throw new ProtocolError(`PLP value of ${out.length} bytes announced ${total}`);
  return out;
}

/** A parameter as the client sent it: its value in JavaScript terms and its type, for messages. */
export interface ParamValue {
  type: string;
  value: bigint | number | boolean | string | Buffer | null;
}

/** Reads TYPE_INFO and one value of an RPC parameter (the types clients send for sp_executesql). */
export function readParamValue(r: ByteReader): ParamValue {
  const token = r.u8();
  switch (token) {
    case T.INT1:
      return { type: "tinyint", value: r.u8() };
    case T.INT2:
      return { type: "smallint", value: r.i16() };
    case T.INT4:
      return { type: "int", value: r.i32() };
    case T.INT8:
      return { type: "bigint", value: r.i64() };
    case T.BIT:
      return { type: "bit", value: r.u8() !== 0 };
    case T.FLT4:
      return { type: "real", value: r.f32() };
    case T.FLT8:
      return { type: "float", value: r.f64() };
    case T.INTN: {
      r.u8();
      const size = r.u8();
      const type = { 0: "int", 1: "tinyint", 2: "smallint", 4: "int", 8: "bigint" }[size] ?? "int";
      if (size === 0) return { type, value: null };
      if (size === 1) return { type, value: r.u8() };
      if (size === 2) return { type, value: r.i16() };
      if (size === 4) return { type, value: r.i32() };
      if (size === 8) return { type, value: r.i64() };
      throw new ProtocolError(`INTN parameter of ${size} bytes`);
    }
    case T.BITN: {
      r.u8();
      const size = r.u8();
      return { type: "bit", value: size ? r.u8() !== 0 : null };
    }
    case T.FLTN: {
      r.u8();
      const size = r.u8();
      if (size === 0) return { type: "float", value: null };
      return { type: size === 4 ? "real" : "float", value: size === 4 ? r.f32() : r.f64() };
    }
    case T.MONEYN: {
      r.u8();
      const size = r.u8();
      if (size === 0) return { type: "money", value: null };
      if (size === 4) return { type: "smallmoney", value: formatScaled(BigInt(r.i32()), 4) };
      const high = BigInt(r.i32());
      const low = BigInt(r.u32());
      return { type: "money", value: formatScaled((high << 32n) | low, 4) };
    }
    case T.DECIMALN:
    case T.NUMERICN: {
      r.u8();
      const precision = r.u8();
      const scale = r.u8();
      const size = r.u8();
      const type = `decimal(${precision},${scale})`;
      if (size === 0) return { type, value: null };
      const sign = r.u8();
      const magnitude = r.uintN(size - 1);
      return { type, value: formatScaled(sign ? magnitude : -magnitude, scale) };
    }
    case T.GUID: {
      r.u8();
      const size = r.u8();
      return { type: "uniqueidentifier", value: size ? bytesToGuid(r.bytes(16)) : null };
    }
    case T.DATETIME2N: {
      const scale = r.u8();
      const size = r.u8();
      if (size === 0) return { type: `datetime2(${scale})`, value: null };
      const ticks = r.uintN(timeBytes(scale)) * 10n ** BigInt(7 - scale);
      const days = Number(r.uintN(3));
      return { type: `datetime2(${scale})`, value: formatDatetime2({ days, ticks }, scale) };
    }
    case T.NVARCHAR:
    case T.NCHAR:
    case T.BIGVARCHR:
    case T.BIGCHAR: {
      const max = r.u16();
      r.bytes(5); // collation
      const unicode = token === T.NVARCHAR || token === T.NCHAR;
      const type = `${unicode ? "n" : ""}${token === T.NCHAR || token === T.BIGCHAR ? "char" : "varchar"}(${max === 0xffff ? "max" : unicode ? max / 2 : max})`;
      let bytes: Buffer | null;
      if (max === 0xffff) bytes = readPlp(r);
      else {
        const size = r.u16();
        bytes = size === 0xffff ? null : r.bytes(size);
      }
      return { type, value: bytes === null ? null : bytes.toString(unicode ? "utf16le" : "latin1") };
    }
    case T.BIGVARBIN:
    case T.BIGBINARY: {
      const max = r.u16();
      const type = `varbinary(${max === 0xffff ? "max" : max})`;
      if (max === 0xffff) return { type, value: readPlp(r) };
      const size = r.u16();
      return { type, value: size === 0xffff ? null : Buffer.from(r.bytes(size)) };
    }
    default:
      throw new ProtocolError(`parameter type 0x${token.toString(16)} is not supported by the sandbox`);
  }
}

/** How a type is written in SQL, for messages and the catalog. */
export function typeText(type: SqlType): string {
  switch (type.name) {
    case "decimal":
      return `decimal(${type.precision},${type.scale})`;
    case "nvarchar":
    case "varbinary":
      return `${type.name}(${type.length})`;
    case "datetime2":
      return `datetime2(${type.scale})`;
    default:
      return type.name;
  }
}
