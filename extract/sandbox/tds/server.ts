/**
 * A TDS 7.3/7.4 server written for salesdw's tests from Microsoft's MS-TDS specification: the
 * session (PRELOGIN, LOGIN7 → LOGINACK and ENVCHANGE), SQL batches and RPCs, result sets
 * (COLMETADATA, ROW, DONE), errors (ERROR tokens) and cancellation (ATTENTION → DONE_ATTN).
 * What a statement means is the backend's business: this layer only speaks the wire format.
 * It is a sandbox for testing a client's wire handling and SQL text, not a database.
 */
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { setImmediate as nextTick } from "node:timers/promises";
import { ProtocolError } from "./wire.ts";
import { MessageReader, MessageWriter, PACKET, type IncomingMessage } from "./messages.ts";
import { parseLogin7, parsePrelogin, preloginResponse, type Login7 } from "./login.ts";
import { parseRpc, parseSqlBatch, type TdsRequest } from "./requests.ts";
import { CMD_SELECT, colMetadata, done, DONE_STATUS, envChangeBytes, envChangeText, loginAck, message, returnStatus, row, TOKEN, type ServerMessage } from "./tokens.ts";
import { COLLATION, type ResultColumn, type SqlValue } from "./types.ts";

/** SQL Server 2022's version, which is what the sandbox announces. */
export const SERVER_VERSION: [number, number, number, number] = [16, 0, 1000, 6];

const TDS_7_3A = 0x730a0003;
const TDS_7_4 = 0x74000004;

export type TdsResult =
  | { kind: "rows"; columns: ResultColumn[]; rows: Iterable<SqlValue[]> | AsyncIterable<SqlValue[]> }
  /** A statement without a result set (SET …): a DONE with its row count, if any. */
  | { kind: "done"; rowCount?: number }
  | { kind: "info"; message: ServerMessage };

export type LoginOutcome = { ok: true; database: string; messages?: ServerMessage[] } | { ok: false; error: ServerMessage };

export interface TdsSession {
  id: number;
  user: string;
  database: string;
}

export interface TdsBackend {
  /** The name in ERROR and INFO tokens. */
  serverName: string;
  login(login: Login7): LoginOutcome | Promise<LoginOutcome>;
  /** The results of one request, in order. Throw `SqlError` for an error the client should see, `DropConnection` to cut the line. */
  execute(request: TdsRequest, context: { session: TdsSession; signal: AbortSignal }): AsyncIterable<TdsResult>;
}

/** An error the client receives as an ERROR token (then the request ends). */
export class SqlError extends Error {
  constructor(
    readonly info: ServerMessage,
  ) {
    super(info.message);
  }
}

/** Thrown by a backend to close the connection abruptly (fault injection). */
export class DropConnection extends Error {}

export interface TdsServerHandle {
  server: Server;
  port: number;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

export async function startTdsServer(backend: TdsBackend, options: { port?: number; host?: string } = {}): Promise<TdsServerHandle> {
  const sockets = new Set<Socket>();
  let nextSession = 51;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    new TdsConnection(socket, backend, nextSession++).start();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class TdsConnection {
  private reader = new MessageReader();
  private queue: IncomingMessage[] = [];
  private busy = false;
  private state: "prelogin" | "login" | "ready" = "prelogin";
  private packetSize = 4096;
  private tdsVersion = TDS_7_4;
  private session: TdsSession;
  private running: AbortController | undefined;

  constructor(
    private socket: Socket,
    private backend: TdsBackend,
    id: number,
  ) {
    this.session = { id, user: "", database: "" };
  }

  start(): void {
    this.socket.setNoDelay(true);
    this.socket.on("error", () => this.socket.destroy());
    this.socket.on("data", (chunk: Buffer) => {
      let messages: IncomingMessage[];
      try {
        messages = this.reader.push(chunk);
      } catch {
        this.socket.destroy();
        return;
      }
      for (const m of messages) {
        if (m.type === PACKET.ATTENTION) this.attention();
        else this.queue.push(m);
      }
      void this.drain();
    });
  }

  /** A cancel: the running request stops and acknowledges; with nothing running, the acknowledgement goes out at once. */
  private attention(): void {
    if (this.running) {
      this.running.abort();
      return;
    }
    // The request may have finished before the signal arrived; the client still waits for the acknowledgement.
    this.queue.push({ type: PACKET.ATTENTION, payload: Buffer.alloc(0), resetConnection: false });
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length && !this.socket.destroyed) await this.handle(this.queue.shift()!);
    } catch {
      this.socket.destroy();
    } finally {
      this.busy = false;
    }
  }

  private async handle(m: IncomingMessage): Promise<void> {
    if (m.type === PACKET.ATTENTION) {
      const out = this.writer();
      done(out.w, DONE_STATUS.ATTN);
      await out.end();
      return;
    }
    if (this.state === "prelogin") {
      if (m.type !== PACKET.PRELOGIN) throw new ProtocolError("expected PRELOGIN");
      parsePrelogin(m.payload);
      const out = this.writer();
      out.w.bytes(preloginResponse(SERVER_VERSION));
      await out.end();
      this.state = "login";
      return;
    }
    if (this.state === "login") {
      if (m.type !== PACKET.LOGIN7) throw new ProtocolError("expected LOGIN7 (the sandbox offers no TLS and no SSPI)");
      await this.login(parseLogin7(m.payload));
      return;
    }
    let request: TdsRequest;
    try {
      if (m.type === PACKET.SQL_BATCH) request = parseSqlBatch(m.payload);
      else if (m.type === PACKET.RPC) request = parseRpc(m.payload);
      else throw new SqlError({ number: 50000, state: 1, severity: 16, message: `The sandbox does not support TDS message type 0x${m.type.toString(16)}.` });
    } catch (error) {
      const out = this.writer();
      message(out.w, toServerMessage(error), this.backend.serverName);
      done(out.w, DONE_STATUS.ERROR, 0n, m.type === PACKET.RPC ? TOKEN.DONEPROC : TOKEN.DONE);
      await out.end();
      return;
    }
    await this.respond(request);
  }

  private async login(login: Login7): Promise<void> {
    const out = this.writer();
    let outcome: LoginOutcome;
    if (login.tdsVersion < TDS_7_3A) {
      outcome = { ok: false, error: { number: 18456, state: 1, severity: 14, message: "The sandbox speaks TDS 7.3 and 7.4 only; configure the client for TDS 7.4." } };
    } else if (login.integratedSecurity) {
      outcome = { ok: false, error: { number: 18456, state: 1, severity: 14, message: "The sandbox accepts SQL Server logins only (user and password), not Windows authentication." } };
    } else {
      outcome = await this.backend.login(login);
    }
    if (!outcome.ok) {
      message(out.w, outcome.error, this.backend.serverName);
      done(out.w, DONE_STATUS.ERROR);
      await out.end();
      this.socket.end();
      return;
    }
    this.tdsVersion = Math.min(login.tdsVersion, TDS_7_4);
    this.session = { ...this.session, user: login.userName, database: outcome.database };
    envChangeText(out.w, 1, outcome.database, "master");
    message(out.w, { number: 5701, state: 2, severity: 0, message: `Changed database context to '${outcome.database}'.` }, this.backend.serverName);
    envChangeBytes(out.w, 7, COLLATION, Buffer.alloc(0));
    envChangeText(out.w, 2, "us_english", "");
    message(out.w, { number: 5703, state: 1, severity: 0, message: "Changed language setting to us_english." }, this.backend.serverName);
    for (const extra of outcome.messages ?? []) message(out.w, extra, this.backend.serverName);
    loginAck(out.w, this.tdsVersion, "Microsoft SQL Server", [SERVER_VERSION[0], SERVER_VERSION[1], SERVER_VERSION[2] >> 8, SERVER_VERSION[2] & 0xff]);
    const requested = login.packetSize || 4096;
    const size = Math.max(512, Math.min(32767, requested));
    envChangeText(out.w, 4, String(size), String(this.packetSize));
    done(out.w, DONE_STATUS.FINAL);
    await out.end();
    this.packetSize = size;
    this.state = "ready";
  }

  /** Streams a request's results; a cancel ends them with DONE_ATTN, an error with an ERROR token. */
  private async respond(request: TdsRequest): Promise<void> {
    const rpc = request.kind === "rpc";
    const inner = rpc ? TOKEN.DONEINPROC : TOKEN.DONE;
    const out = this.writer();
    const controller = new AbortController();
    this.running = controller;
    let pendingDone: ((more?: boolean) => void) | undefined;
    let failed = false;
    try {
      for await (const result of this.backend.execute(request, { session: this.session, signal: controller.signal })) {
        if (controller.signal.aborted) break;
        pendingDone?.();
        pendingDone = undefined;
        if (result.kind === "info") {
          message(out.w, result.message, this.backend.serverName);
          continue;
        }
        if (result.kind === "done") {
          const count = result.rowCount;
          pendingDone = (more = true) =>
            done(out.w, (more ? DONE_STATUS.MORE : 0) | (count === undefined ? 0 : DONE_STATUS.COUNT), BigInt(count ?? 0), inner);
          continue;
        }
        colMetadata(out.w, result.columns);
        let count = 0;
        for await (const values of result.rows as AsyncIterable<SqlValue[]>) {
          row(out.w, result.columns, values);
          count++;
          if (out.w.length >= this.packetSize) {
            await out.flush();
            // Let an ATTENTION that arrived meanwhile be read before producing more.
            await nextTick();
            if (controller.signal.aborted) break;
          }
        }
        if (controller.signal.aborted) break;
        const rows = count;
        pendingDone = (more = true) => done(out.w, (more ? DONE_STATUS.MORE : 0) | DONE_STATUS.COUNT, BigInt(rows), inner, CMD_SELECT);
      }
    } catch (error) {
      if (error instanceof DropConnection) {
        await out.flush().catch(() => undefined);
        this.socket.destroy();
        this.running = undefined;
        return;
      }
      if (!controller.signal.aborted) {
        pendingDone?.();
        pendingDone = undefined;
        message(out.w, toServerMessage(error), this.backend.serverName);
        failed = true;
      }
    } finally {
      this.running = undefined;
    }
    if (controller.signal.aborted) {
      // The response in progress ends here; the acknowledgement follows as a message of its own
      // (a client reads to the end of the current message before it looks for it).
      done(out.w, DONE_STATUS.FINAL);
      await out.end();
      const ack = this.writer();
      done(ack.w, DONE_STATUS.ATTN);
      await ack.end();
      return;
    }
    if (rpc) {
      pendingDone?.();
      returnStatus(out.w, failed ? 1 : 0);
      done(out.w, failed ? DONE_STATUS.ERROR : 0, 0n, TOKEN.DONEPROC);
    } else if (failed) {
      done(out.w, DONE_STATUS.ERROR);
    } else if (pendingDone) {
      pendingDone(false);
    } else {
      done(out.w, DONE_STATUS.FINAL);
    }
    await out.end();
  }

  private writer(): MessageWriter {
    return new MessageWriter(this.socket, this.packetSize);
  }
}

function toServerMessage(error: unknown): ServerMessage {
  if (error instanceof SqlError) return error.info;
  if (error instanceof ProtocolError) return { number: 50000, state: 1, severity: 16, message: `The sandbox could not read the request: ${error.message}` };
  return { number: 50000, state: 1, severity: 16, message: `Sandbox internal error: ${(error as Error).message}` };
}
