/**
 * The connection to ConcordDb (the `mssql` driver on tedious 19): one pool per run, clear
 * one-line errors without the password, and statements streamed with backpressure so that a
 * million-row table never sits in memory.
 */
import { connect as tcpConnect } from "node:net";
import { once } from "node:events";
import sql from "mssql";
import { UserError } from "../../config.ts";
import { redact } from "../../log.ts";
import { describeConcord, type ConcordSettings } from "./settings.ts";

export type ConcordPool = sql.ConnectionPool;

/** A failure talking to ConcordDb (lost connection, timeout, SQL error): it fails the table at hand, not the run. */
export class ConcordError extends UserError {}

export async function openConcord(settings: ConcordSettings): Promise<ConcordPool> {
  const where = describeConcord(settings);
  if (settings.encrypt) await refuseWithoutTls(settings);
  const pool = new sql.ConnectionPool({
    server: settings.server,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    connectionTimeout: 30_000,
    // A keyset page of a wide table can take a while on a busy server; a stuck one still ends.
    requestTimeout: 300_000,
    pool: { min: 0, max: 2 },
    options: {
      // The largest TDS packet: fewer packets (and fewer rows split across them) per page.
      packetSize: 32767,
      encrypt: settings.encrypt,
      trustServerCertificate: settings.trustServerCertificate,
      appName: "salesdw",
      useUTC: true,
    },
  });
  pool.on("error", () => {});
  try {
    await pool.connect();
  } catch (error) {
    throw new UserError(connectionMessage(error, settings, where));
  }
  return pool;
}

function connectionMessage(error: unknown, settings: ConcordSettings, where: string): string {
  const e = error as { code?: string; message?: string; originalError?: { message?: string } };
  const detail = redact(e.originalError?.message ?? e.message ?? String(error));
  if (e.code === "ELOGIN") {
    return `ConcordDb at ${where}: login failed for user '${settings.user}' (${detail}). Check CONCORD_USER and CONCORD_PASSWORD.`;
  }
  if (e.code === "ETIMEOUT" || e.code === "ESOCKET") {
    return `ConcordDb at ${where}: cannot connect (${detail}). Check CONCORD_SERVER/CONCORD_PORT and that the server accepts TCP connections.`;
  }
  return `ConcordDb at ${where}: cannot connect: ${detail}`;
}

/**
 * tedious 19 goes on without TLS, password included, when a server answers PRELOGIN with
 * "encryption not supported" even though the client asked for encryption. So before the real
 * login, ask the server's PRELOGIN answer ourselves (MS-TDS 2.2.6.5) and refuse if it will not
 * encrypt. Hand-written because no library exposes the negotiated state before LOGIN7 is sent.
 */
async function refuseWithoutTls(settings: ConcordSettings): Promise<void> {
  const where = describeConcord(settings);
  const options = Buffer.from([
    0x00, 0x00, 0x0b, 0x00, 0x06, // VERSION at offset 11, 6 bytes
    0x01, 0x00, 0x11, 0x00, 0x01, // ENCRYPTION at offset 17, 1 byte
    0xff,
    0x10, 0x00, 0x00, 0x00, 0x00, 0x00, // client version (informational)
    0x01, // ENCRYPT_ON
  ]);
  const header = Buffer.from([0x12, 0x01, 0x00, 8 + options.length, 0x00, 0x00, 0x01, 0x00]);
  const socket = tcpConnect({ host: settings.server, port: settings.port });
  socket.setTimeout(15_000, () => socket.destroy(new Error("no answer within 15 s")));
  try {
    await once(socket, "connect");
    socket.write(Buffer.concat([header, options]));
    let received = Buffer.alloc(0);
    while (received.length < 8 || received.length < received.readUInt16BE(2)) {
      const [chunk] = (await once(socket, "data")) as [Buffer];
      received = Buffer.concat([received, chunk]);
    }
    const payload = received.subarray(8, received.readUInt16BE(2));
    let encryption: number | undefined;
    for (let at = 0; at + 5 <= payload.length && payload[at] !== 0xff; at += 5) {
      if (payload[at] === 0x01) encryption = payload[payload.readUInt16BE(at + 1)];
    }
    // ENCRYPT_ON (1) and ENCRYPT_REQ (3) lead to TLS; OFF (0) and NOT_SUP (2) would not.
    if (encryption !== 0x01 && encryption !== 0x03) {
      throw new UserError(
        `ConcordDb at ${where} does not offer encryption, so the password would travel in clear: ` +
          `enable TLS on the server, or set CONCORD_ENCRYPT=false if that network is trusted (the sandbox needs it).`,
      );
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`ConcordDb at ${where}: cannot connect (${redact((error as Error).message)}). Check CONCORD_SERVER and CONCORD_PORT.`);
  } finally {
    socket.destroy();
  }
}

export interface Param {
  name: string;
  type: "bigint" | "int" | "nvarchar";
  value: string | number | bigint | null;
}

function prepare(pool: ConcordPool, params: Param[]): sql.Request {
  const request = pool.request();
  for (const p of params) {
    const type = p.type === "bigint" ? sql.BigInt : p.type === "int" ? sql.Int : sql.NVarChar(4000);
    request.input(p.name, type, typeof p.value === "bigint" ? p.value.toString() : p.value);
  }
  return request;
}

/** A statement's rows, all in memory (catalog queries and other small results). */
export async function queryRows<T = Record<string, unknown>>(pool: ConcordPool, statement: string, params: Param[] = []): Promise<T[]> {
  try {
    const result = await prepare(pool, params).query(statement);
    return result.recordset as T[];
  } catch (error) {
    throw new ConcordError(redact((error as Error).message));
  }
}

/**
 * A statement's rows as arrays, handed to `onRow` one at a time and in order, as the driver
 * parses them (stream mode, a callback per row, no promise per row). When `onRow` returns a
 * promise (its consumer has to catch up), the request pauses and later rows wait their turn
 * until it settles, so memory stays flat however many rows come back. Resolves with the number
 * of rows once every one was handled; a driver error, or one from `onRow`, cancels the request
 * and rejects (driver errors as ConcordError, the consumer's as they are).
 */
export function eachRow(pool: ConcordPool, statement: string, params: Param[], onRow: (row: unknown[]) => void | Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = prepare(pool, params);
    request.stream = true;
    request.arrayRowMode = true;
    let rows = 0;
    let paused = false;
    let ended = false;
    let failure: Error | undefined;
    let pending: Promise<void> | undefined;
    const queue: unknown[][] = [];
    const settle = () => (failure ? reject(failure) : resolve(rows));
    const stop = (error: Error) => {
      if (failure) return;
      failure = error;
      queue.length = 0;
      if (paused) request.resume();
      if (ended) settle();
      else request.cancel();
    };
    const fail = (error: unknown) => stop(error instanceof Error ? error : new Error(String(error)));
    const handle = (row: unknown[]): void => {
      let waiting: void | Promise<void>;
      try {
        waiting = onRow(row);
      } catch (error) {
        return fail(error);
      }
      if (!waiting) return;
      pending = waiting;
      if (!paused) {
        paused = true;
        request.pause();
      }
      waiting.then(next, fail);
    };
    // The consumer caught up: the rows that arrived meanwhile, then the driver again.
    const next = () => {
      pending = undefined;
      while (queue.length && !failure && !pending) handle(queue.shift()!);
      if (failure || pending) return;
      if (ended) return settle();
      if (paused) {
        paused = false;
        request.resume();
      }
    };
    request.on("row", (row: unknown[]) => {
      if (failure) return;
      rows++;
      if (pending) queue.push(row);
      else handle(row);
    });
    request.on("error", (error: Error) => stop(new ConcordError(redact(error.message))));
    // Stream mode: rows and errors arrive as events; the callback marks the end of the result.
    request.query(statement, () => {
      ended = true;
      if (failure || !pending) settle();
    });
  });
}
