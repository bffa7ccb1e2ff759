/**
 * TDS messages on a TCP stream (MS-TDS 2.2.3): packets with an 8-byte header (type, status,
 * big-endian length, SPID, packet id, window) carry one message each until a packet with the
 * end-of-message bit. Incoming packets are reassembled into messages; outgoing tokens are cut
 * into packets of the negotiated size as they are produced, so a large result streams.
 */
import type { Socket } from "node:net";
import { once } from "node:events";
import { ByteWriter, ProtocolError } from "./wire.ts";

export const PACKET = {
  SQL_BATCH: 0x01,
  RPC: 0x03,
  TABULAR: 0x04,
  ATTENTION: 0x06,
  BULK_LOAD: 0x07,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

const STATUS_EOM = 0x01;
const STATUS_RESET_CONNECTION = 0x08;
const HEADER = 8;
/** Largest message the sandbox accepts from a client (a statement text or an RPC), to bound memory. */
const MAX_MESSAGE = 64 * 1024 * 1024;

export interface IncomingMessage {
  type: number;
  payload: Buffer;
  resetConnection: boolean;
}

/** Reassembles packets from socket chunks into whole messages. */
export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private size = 0;
  private type = -1;
  private reset = false;

  push(chunk: Buffer): IncomingMessage[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const messages: IncomingMessage[] = [];
    while (this.pending.length >= HEADER) {
      const length = this.pending.readUInt16BE(2);
      if (length < HEADER) throw new ProtocolError(`packet length ${length} is shorter than its header`);
      if (this.pending.length < length) break;
      const type = this.pending[0];
      const status = this.pending[1];
      const body = this.pending.subarray(HEADER, length);
      this.pending = this.pending.subarray(length);
      if (this.type !== -1 && type !== this.type && type !== PACKET.ATTENTION) {
        throw new ProtocolError(`packet of type 0x${type.toString(16)} inside a message of type 0x${this.type.toString(16)}`);
      }
      if (type === PACKET.ATTENTION) {
        // An attention signal can arrive between the packets of nothing else; it is a message of its own.
        messages.push({ type, payload: Buffer.alloc(0), resetConnection: false });
        continue;
      }
      if (this.type === -1) {
        this.type = type;
        this.reset = Boolean(status & STATUS_RESET_CONNECTION);
      }
      this.parts.push(Buffer.from(body));
      this.size += body.length;
      if (this.size > MAX_MESSAGE) throw new ProtocolError(`message larger than ${MAX_MESSAGE} bytes`);
      if (status & STATUS_EOM) {
        messages.push({ type: this.type, payload: Buffer.concat(this.parts), resetConnection: this.reset });
        this.parts = [];
        this.size = 0;
        this.type = -1;
        this.reset = false;
      }
    }
    return messages;
  }
}

/**
 * Writes one response message: tokens accumulate in `w`; whole packets go out as soon as they
 * fill, honouring the socket's backpressure; `end()` sends the rest with the end-of-message bit.
 */
export class MessageWriter {
  readonly w = new ByteWriter(16 * 1024);
  private packetId = 1;

  constructor(
    private socket: Socket,
    private packetSize: number,
    private type: number = PACKET.TABULAR,
  ) {}

  /** Sends the complete packets held so far; resolves when the socket can take more. */
  async flush(): Promise<void> {
    const room = this.packetSize - HEADER;
    let blocked = false;
    while (this.w.length > room) {
      if (!this.send(this.w.take(room), false)) blocked = true;
    }
    if (blocked && !this.socket.destroyed) await Promise.race([once(this.socket, "drain"), once(this.socket, "close")]);
  }

  async end(): Promise<void> {
    await this.flush();
    this.send(this.w.take(this.w.length), true);
  }

  private send(body: Buffer, last: boolean): boolean {
    if (this.socket.destroyed) return true;
    const header = Buffer.alloc(HEADER);
    header[0] = this.type;
    header[1] = last ? STATUS_EOM : 0;
    header.writeUInt16BE(body.length + HEADER, 2);
    header.writeUInt16BE(0, 4);
    header[6] = this.packetId;
    this.packetId = (this.packetId + 1) % 256;
    return this.socket.write(Buffer.concat([header, body]));
  }
}
