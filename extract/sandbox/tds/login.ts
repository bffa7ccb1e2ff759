/** PRELOGIN (MS-TDS 2.2.6.5) and LOGIN7 (2.2.6.4): the two messages that open a session. */
import { ByteReader, ByteWriter, ProtocolError } from "./wire.ts";

const PRELOGIN_OPTION = { VERSION: 0x00, ENCRYPTION: 0x01, INSTOPT: 0x02, THREADID: 0x03, MARS: 0x04, TERMINATOR: 0xff } as const;
export const ENCRYPT = { OFF: 0x00, ON: 0x01, NOT_SUP: 0x02, REQ: 0x03 } as const;

export interface Prelogin {
  encryption: number | undefined;
}

export function parsePrelogin(payload: Buffer): Prelogin {
  const r = new ByteReader(payload);
  let encryption: number | undefined;
  for (;;) {
    const token = r.u8();
    if (token === PRELOGIN_OPTION.TERMINATOR) break;
    const offset = r.u16be();
    const length = r.u16be();
    if (offset + length > payload.length) throw new ProtocolError("PRELOGIN option points past the message");
    if (token === PRELOGIN_OPTION.ENCRYPTION && length >= 1) encryption = payload[offset];
  }
  return { encryption };
}

/**
 * The server's PRELOGIN answer. The sandbox has no TLS: it answers ENCRYPT_NOT_SUP, so a client
 * must be configured with encryption off (a client that requires it should refuse to go on).
 */
export function preloginResponse(version: [number, number, number, number]): Buffer {
  const options: [number, Buffer][] = [
    [PRELOGIN_OPTION.VERSION, Buffer.from([version[0], version[1], (version[2] >> 8) & 0xff, version[2] & 0xff, 0, version[3]])],
    [PRELOGIN_OPTION.ENCRYPTION, Buffer.from([ENCRYPT.NOT_SUP])],
    [PRELOGIN_OPTION.INSTOPT, Buffer.from([0])],
    [PRELOGIN_OPTION.THREADID, Buffer.alloc(0)],
    [PRELOGIN_OPTION.MARS, Buffer.from([0])],
  ];
  const w = new ByteWriter(64);
  let dataOffset = options.length * 5 + 1;
  for (const [token, data] of options) {
    w.u8(token).u16be(dataOffset).u16be(data.length);
    dataOffset += data.length;
  }
  w.u8(PRELOGIN_OPTION.TERMINATOR);
  for (const [, data] of options) w.bytes(data);
  return Buffer.from(w.view());
}

export interface Login7 {
  /** As the client asked, e.g. 0x74000004 for TDS 7.4. */
  tdsVersion: number;
  packetSize: number;
  hostName: string;
  userName: string;
  password: string;
  appName: string;
  serverName: string;
  language: string;
  database: string;
  /** True when the client asked for Windows (SSPI) authentication, which the sandbox does not offer. */
  integratedSecurity: boolean;
}

/** LOGIN7's password travels with each byte's nibbles swapped and XORed with 0xA5 (2.2.6.4); this undoes it. */
function decodePassword(bytes: Buffer): string {
  const plain = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ^ 0xa5;
    plain[i] = ((b & 0x0f) << 4) | (b >> 4);
  }
  return plain.toString("utf16le");
}

export function parseLogin7(payload: Buffer): Login7 {
  const r = new ByteReader(payload);
  const length = r.u32();
  if (length > payload.length) throw new ProtocolError(`LOGIN7 announces ${length} bytes but has ${payload.length}`);
  const tdsVersion = r.u32();
  const packetSize = r.u32();
  r.offset = 25;
  const optionFlags2 = r.u8();
  r.offset = 36;
  const field = () => ({ at: r.u16(), count: r.u16() });
  const host = field();
  const user = field();
  const password = field();
  const app = field();
  const server = field();
  field(); // extension (feature-ext offset) or unused
  field(); // client interface name
  const language = field();
  const database = field();
  const text = (f: { at: number; count: number }) => {
    if (f.at + f.count * 2 > payload.length) throw new ProtocolError("LOGIN7 field points past the message");
    return payload.subarray(f.at, f.at + f.count * 2).toString("utf16le");
  };
  if (password.at + password.count * 2 > payload.length) throw new ProtocolError("LOGIN7 password points past the message");
  return {
    tdsVersion,
    packetSize,
    hostName: text(host),
    userName: text(user),
    password: decodePassword(payload.subarray(password.at, password.at + password.count * 2)),
    appName: text(app),
    serverName: text(server),
    language: text(language),
    database: text(database),
    integratedSecurity: Boolean(optionFlags2 & 0x80),
  };
}
