/**
 * Byte-level helpers for the TDS sandbox: a growable little-endian writer and a bounds-checked
 * reader. TDS is little-endian except where MS-TDS says otherwise (packet header length, the
 * PRELOGIN option table, LOGINACK's TDS version); those places call the BE methods explicitly.
 */

export class ByteWriter {
  private buffer: Buffer;
  length = 0;

  constructor(initial = 4096) {
    this.buffer = Buffer.allocUnsafe(initial);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  u8(value: number): this {
    this.ensure(1);
    this.buffer.writeUInt8(value, this.length);
    this.length += 1;
    return this;
  }

  u16(value: number): this {
    this.ensure(2);
    this.buffer.writeUInt16LE(value, this.length);
    this.length += 2;
    return this;
  }

  u16be(value: number): this {
    this.ensure(2);
    this.buffer.writeUInt16BE(value, this.length);
    this.length += 2;
    return this;
  }

  i32(value: number): this {
    this.ensure(4);
    this.buffer.writeInt32LE(value, this.length);
    this.length += 4;
    return this;
  }

  u32(value: number): this {
    this.ensure(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
    return this;
  }

  u32be(value: number): this {
    this.ensure(4);
    this.buffer.writeUInt32BE(value, this.length);
    this.length += 4;
    return this;
  }

  i64(value: bigint): this {
    this.ensure(8);
    this.buffer.writeBigInt64LE(value, this.length);
    this.length += 8;
    return this;
  }

  u64(value: bigint): this {
    this.ensure(8);
    this.buffer.writeBigUInt64LE(value, this.length);
    this.length += 8;
    return this;
  }

  f64(value: number): this {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
    return this;
  }

  /** An unsigned integer in `bytes` little-endian bytes (3- and 5-byte fields of date and time types). */
  uintN(value: bigint, bytes: number): this {
    this.ensure(bytes);
    let v = value;
    for (let i = 0; i < bytes; i++) {
      this.buffer[this.length + i] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.length += bytes;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** UCS-2 (UTF-16LE) text without a length prefix. */
  ucs2(text: string): this {
    return this.bytes(Buffer.from(text, "utf16le"));
  }

  /** B_VARCHAR: a one-byte character count, then UCS-2. */
  bVarchar(text: string): this {
    if (text.length > 255) throw new Error(`B_VARCHAR too long (${text.length} characters)`);
    return this.u8(text.length).ucs2(text);
  }

  /** US_VARCHAR: a two-byte character count, then UCS-2. */
  usVarchar(text: string): this {
    if (text.length > 0xffff) throw new Error(`US_VARCHAR too long (${text.length} characters)`);
    return this.u16(text.length).ucs2(text);
  }

  /** Overwrites a two-byte little-endian value written earlier (token lengths known only at the end). */
  patchU16(at: number, value: number): void {
    this.buffer.writeUInt16LE(value, at);
  }

  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** Takes the first `count` bytes out (a copy), keeping the rest. */
  take(count: number): Buffer {
    const out = Buffer.from(this.buffer.subarray(0, count));
    this.buffer.copy(this.buffer, 0, count, this.length);
    this.length -= count;
    return out;
  }
}

/** A malformed client message: the server answers with an error or closes the connection. */
export class ProtocolError extends Error {}

export class ByteReader {
  offset = 0;

  constructor(readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private need(count: number): void {
    if (this.offset + count > this.buffer.length) {
      throw new ProtocolError(`message ends early: needed ${count} bytes at offset ${this.offset} of ${this.buffer.length}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.offset++);
  }

  u16(): number {
    this.need(2);
    const v = this.buffer.readUInt16LE(this.offset);
    this.offset += 2;
    return v;
  }

  u16be(): number {
    this.need(2);
    const v = this.buffer.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  i16(): number {
    this.need(2);
    const v = this.buffer.readInt16LE(this.offset);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.buffer.readInt32LE(this.offset);
    this.offset += 4;
    return v;
  }

  i64(): bigint {
    this.need(8);
    const v = this.buffer.readBigInt64LE(this.offset);
    this.offset += 8;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.buffer.readBigUInt64LE(this.offset);
    this.offset += 8;
    return v;
  }

  f32(): number {
    this.need(4);
    const v = this.buffer.readFloatLE(this.offset);
    this.offset += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    return v;
  }

  uintN(bytes: number): bigint {
    this.need(bytes);
    let v = 0n;
    for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.buffer[this.offset + i]);
    this.offset += bytes;
    return v;
  }

  bytes(count: number): Buffer {
    this.need(count);
    const out = this.buffer.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  ucs2(chars: number): string {
    return this.bytes(chars * 2).toString("utf16le");
  }

  bVarchar(): string {
    return this.ucs2(this.u8());
  }

  usVarchar(): string {
    return this.ucs2(this.u16());
  }
}
