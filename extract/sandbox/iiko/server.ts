/**
 * A loopback stand-in for iikoServer's REST API (a SANDBOX, not iiko's software): SHA-1
 * login, licence seats that run out, sessions that expire and end at logout, the OLAP v2
 * columns and report endpoints over generated orders, and faults on demand. Each restaurant is
 * its own HTTP server on its own port, as real servers are separate hosts.
 *
 * It also watches the client: a request that arrives while another one to the same server is
 * still running is recorded as a violation (and refused), because iiko wants requests to one
 * server strictly one after another.
 */
import { createHash, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { addDays, ordersForDay, SANDBOX_SERVERS, type SandboxOrder, type SandboxServerSpec } from "./data.ts";
import { buildReport, olapColumns, OlapConflict, requestedDay, type OlapRequest } from "./olap.ts";

export const SANDBOX_BANNER = "salesdw iiko SANDBOX: a local imitation of iikoServer's API for tests and demos, not a real iikoServer";

export type FaultKind = "5xx" | "html" | "slow" | "409" | "expire" | "garbage";

export interface Fault {
  kind: FaultKind;
  /** Only this server (all when absent). */
  server?: string;
  /** Only OLAP requests for this business day (all OLAP requests when absent). */
  day?: string;
  /** How many requests it hits; a 409 keeps hitting its day by default, the others hit once. */
  times?: number;
}

export interface IikoSandboxOptions {
  /** How many restaurants (servers) to start, 1–3. */
  servers?: number;
  /** Port of the first server; the next ones take the following ports. 0 lets the OS choose each. */
  port?: number;
  host?: string;
  /** Licence seats per server (open sessions at once). */
  seats?: number;
  /** Session lifetime; requests do not extend it. */
  sessionSeconds?: number;
  seed?: number;
  faults?: Fault[];
  /** Business days with no orders at all (a closed restaurant). */
  closedDays?: string[];
  /** How long a "slow" fault holds its answer. */
  slowMs?: number;
  /** Fields left out of a server's columns list and refused in reports, by server name (an older version). */
  missingFields?: Record<string, string[]>;
}

export interface SessionRecord {
  token: string;
  createdAt: number;
  expiresAt: number;
  endedAt?: number;
  end?: "logout" | "revoked";
}

export interface ServerStats {
  logins: number;
  /** 403: no free licence seat. */
  licenceRefusals: number;
  /** 401 at login: wrong login or password. */
  badLogins: number;
  logouts: number;
  sessions: SessionRecord[];
  /** OLAP requests by business day, with the status answered. */
  reports: { day?: string; status: number }[];
  /** Requests that arrived while another request to this server was running. */
  violations: string[];
  /** Report requests that did not say whether to build the summary. */
  withoutBuildSummary: number;
}

export interface SandboxServer extends SandboxServerSpec {
  url: string;
  port: number;
}

/** One restaurant: its HTTP server, sessions and counters. */
class Restaurant {
  readonly stats: ServerStats = { logins: 0, licenceRefusals: 0, badLogins: 0, logouts: 0, sessions: [], reports: [], violations: [], withoutBuildSummary: 0 };
  private readonly inFlight = new Set<{ abandoned: boolean }>();
  readonly app: FastifyInstance;
  port = 0;

  constructor(
    readonly spec: SandboxServerSpec,
    private readonly sandbox: IikoSandbox,
  ) {
    this.app = Fastify({ logger: false });
    this.routes();
  }

  openSessions(now = Date.now()): SessionRecord[] {
    return this.stats.sessions.filter((s) => !s.end && s.expiresAt > now);
  }

  private routes(): void {
    const app = this.app;
    app.addHook("onRequest", async (request, reply) => {
      reply.header("x-sandbox", SANDBOX_BANNER);
      const running = [...this.inFlight];
      const mine = { abandoned: false };
      this.inFlight.add(mine);
      // 'close' fires when the answer is sent, and also when the client gives up on it (abandoned).
      reply.raw.once("close", () => {
        mine.abandoned = !reply.raw.writableFinished;
        this.inFlight.delete(mine);
      });
      if (!running.length) return;
      // A request the client has given up on (a timeout, Ctrl-C) may not have been noticed yet:
      // give the event loop a moment, then only requests the client still waits for count.
      await sleep(50);
      if (running.every((other) => other.abandoned)) return;
      this.stats.violations.push(`${request.method} ${request.url.replace(/([?&](?:key|pass)=)[^&]*/g, "$1***")} arrived while another request to ${this.spec.name} was running`);
      return reply
        .code(409)
        .type("text/plain; charset=utf-8")
        .send("Sandbox: another request to this server is still running. iikoServer must be called sequentially (one request at a time per server).");
    });

    app.get("/", async (_request, reply) => reply.type("text/plain; charset=utf-8").send(`${SANDBOX_BANNER}.\nRestaurant "${this.spec.name}" (${this.spec.timezone}). API under /resto/api/.\n`));

    app.get("/resto/api/auth", async (request, reply) => {
      const { login, pass } = request.query as { login?: string; pass?: string };
      const expected = createHash("sha1").update(this.spec.password).digest("hex");
      if (login !== this.spec.login || (pass ?? "").toLowerCase() !== expected) {
        this.stats.badLogins++;
        return text(reply, 401, "Wrong login or password.");
      }
      const now = Date.now();
      if (this.openSessions(now).length >= this.sandbox.seats) {
        this.stats.licenceRefusals++;
        return text(reply, 403, `License enhancement is required: no connections available for module 2000 (iikoRMS API) on ${this.spec.name}: ${this.sandbox.seats} of ${this.sandbox.seats} in use.`);
      }
      const token = randomUUID();
      this.stats.sessions.push({ token, createdAt: now, expiresAt: now + this.sandbox.sessionSeconds * 1000 });
      this.stats.logins++;
      // Some iikoServer versions wrap the token in <string>…</string>.
      return this.stats.logins % 2 === 0 ? reply.type("application/xml").send(`<string>${token}</string>`) : text(reply, 200, token);
    });

    app.get("/resto/api/logout", async (request, reply) => {
      const session = this.session(request);
      if (!session) return text(reply, 401, "Token is expired or invalid.");
      session.end = "logout";
      session.endedAt = Date.now();
      this.stats.logouts++;
      return text(reply, 200, "");
    });

    app.get("/resto/api/v2/reports/olap/columns", async (request, reply) => {
      if (!this.session(request)) return this.unauthorised(request, reply);
      const { reportType } = request.query as { reportType?: string };
      if (reportType !== "SALES") return text(reply, 409, `Report type ${JSON.stringify(reportType ?? null)} is not supported by this server (SALES is).`);
      return reply.send(olapColumns(this.sandbox.missingFields[this.spec.name]));
    });

    app.post("/resto/api/v2/reports/olap", async (request, reply) => {
      if (!this.session(request)) return this.unauthorised(request, reply);
      const body = (request.body ?? {}) as OlapRequest;
      const day = requestedDay(body);
      this.sandbox.events.emit("report", { server: this.spec.name, day });
      const answer = await this.report(body, day, reply);
      this.stats.reports.push({ day, status: reply.statusCode });
      return answer;
    });
  }

  private async report(body: OlapRequest, day: string | undefined, reply: FastifyReply) {
    const fault = this.sandbox.takeFault(this.spec.name, day);
    switch (fault?.kind) {
      case "5xx":
        return text(reply, 500, "Internal server error (sandbox fault).");
      case "html":
        return reply.code(200).type("text/html").send("<!DOCTYPE html><html><head><title>Please wait - checking your connection</title></head><body><h1>Please wait…</h1></body></html>");
      case "garbage":
        return reply.code(200).type("application/json").send('{"data":[{"Department":"Main hall","DishSumInt":');
      case "expire":
        // As after a server restart: every session is gone.
        for (const session of this.openSessions()) Object.assign(session, { end: "revoked", endedAt: Date.now() });
        return text(reply, 401, "Token is expired or invalid.");
      case "409":
        return text(reply, 409, `Cannot build the report: the cash shift of ${day} on ${this.spec.name} has unprocessed documents (sandbox fault). Close the shift in iikoOffice and try again.`);
      case "slow":
        await sleep(this.sandbox.slowMs);
        break;
    }
    if (body.buildSummary === undefined) this.stats.withoutBuildSummary++;
    try {
      return reply.send(buildReport(this.ordersForRequest(body), body, this.sandbox.missingFields[this.spec.name]));
    } catch (error) {
      if (error instanceof OlapConflict) return text(reply, 409, error.message);
      throw error;
    }
  }

  /** The orders a report can see: the business days its date filter spans (a week more for filters on close times). */
  private ordersForRequest(body: OlapRequest): SandboxOrder[] {
    const filters = (body.filters ?? {}) as Record<string, { filterType?: string; from?: unknown; to?: unknown }>;
    const ranges = Object.entries(filters).filter(([, f]) => f?.filterType === "DateRange" && typeof f.from === "string" && typeof f.to === "string");
    if (!ranges.length) return [];
    const typed = ranges.find(([name]) => name === "OpenDate.Typed");
    const [, range] = typed ?? ranges[0];
    let first = String(range.from).slice(0, 10);
    const last = String(range.to).slice(0, 10);
    if (!typed) first = addDays(first, -7);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(first) || !/^\d{4}-\d{2}-\d{2}$/.test(last)) return [];
    if (Date.parse(last) - Date.parse(first) > 62 * 86_400_000) {
      throw new OlapConflict(`The period ${first} – ${last} is too long for one report; ask for a month at most.`);
    }
    const orders: SandboxOrder[] = [];
    for (let day = first; day <= last; day = addDays(day, 1)) orders.push(...this.sandbox.orders(this.spec.name, day));
    return orders;
  }

  private session(request: FastifyRequest): SessionRecord | undefined {
    const { key } = request.query as { key?: string };
    const now = Date.now();
    return this.stats.sessions.find((s) => s.token === key && !s.end && s.expiresAt > now);
  }

  private unauthorised(request: FastifyRequest, reply: FastifyReply) {
    const { key } = request.query as { key?: string };
    return text(reply, 401, key ? "Token is expired or invalid." : "No token: log in at /resto/api/auth and pass the token as the key parameter.");
  }
}

function text(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).type("text/plain; charset=utf-8").send(body);
}

export class IikoSandbox {
  readonly events = new EventEmitter();
  readonly seats: number;
  readonly sessionSeconds: number;
  readonly slowMs: number;
  readonly missingFields: Record<string, string[]>;
  private readonly seed: number;
  private readonly faults: (Fault & { served: number })[];
  private readonly closedDays: Set<string>;
  private readonly revisions = new Map<string, number>();
  private readonly edits = new Map<string, (orders: SandboxOrder[]) => void>();
  private readonly restaurants: Restaurant[];
  servers: SandboxServer[] = [];

  constructor(private readonly options: IikoSandboxOptions = {}) {
    const count = options.servers ?? 2;
    if (!Number.isInteger(count) || count < 1 || count > SANDBOX_SERVERS.length) throw new Error(`The iiko sandbox runs 1 to ${SANDBOX_SERVERS.length} servers, not ${count}.`);
    this.seats = options.seats ?? 2;
    this.sessionSeconds = options.sessionSeconds ?? 3600;
    this.slowMs = options.slowMs ?? 5000;
    this.seed = options.seed ?? 1;
    this.missingFields = options.missingFields ?? {};
    this.faults = (options.faults ?? []).map((f) => ({ ...f, served: 0 }));
    this.closedDays = new Set(options.closedDays ?? []);
    this.restaurants = SANDBOX_SERVERS.slice(0, count).map((spec) => new Restaurant(spec, this));
  }

  async start(): Promise<this> {
    const host = this.options.host ?? "127.0.0.1";
    const base = this.options.port ?? 0;
    for (const [i, restaurant] of this.restaurants.entries()) {
      await restaurant.app.listen({ host, port: base ? base + i : 0 });
      restaurant.port = (restaurant.app.server.address() as { port: number }).port;
    }
    this.servers = this.restaurants.map((r) => ({ ...r.spec, port: r.port, url: `http://${host}:${r.port}` }));
    return this;
  }

  async close(): Promise<void> {
    await Promise.all(this.restaurants.map((r) => r.app.close()));
  }

  /** The settings that point `salesdw extract iiko` at this sandbox. */
  env(): Record<string, string> {
    const env: Record<string, string> = { IIKO_SERVERS: this.servers.map((s) => `${s.name}=${s.url}`).join(",") };
    for (const s of this.servers) {
      const prefix = `IIKO_${s.name.toUpperCase()}_`;
      Object.assign(env, { [`${prefix}LOGIN`]: s.login, [`${prefix}PASSWORD`]: s.password, [`${prefix}TIMEZONE`]: s.timezone, [`${prefix}CURRENCY`]: s.currency });
    }
    return env;
  }

  /** Every order (deleted ones too) the server holds for a business day, as it stands now. */
  orders(server: string, day: string): SandboxOrder[] {
    const orders = ordersForDay(this.spec(server), day, { seed: this.seed, closedDays: this.closedDays, revision: this.revisions.get(`${server}|${day}`) ?? 0 });
    this.edits.get(`${server}|${day}`)?.(orders);
    return orders;
  }

  /** Changes the orders a server holds for a day in a way the generator never does (data made to trip a check). */
  editDay(server: string, day: string, edit: (orders: SandboxOrder[]) => void): void {
    this.spec(server);
    this.edits.set(`${server}|${day}`, edit);
  }

  /** Changes a past day the way late closes, deletions and returns do (revision 0 is the day as first served). */
  setRevision(server: string, day: string, revision: number): void {
    this.spec(server);
    this.revisions.set(`${server}|${day}`, revision);
  }

  addFault(fault: Fault): void {
    this.faults.push({ ...fault, served: 0 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** How many requests each fault has hit so far. */
  faultsServed(): (Fault & { served: number })[] {
    return this.faults.map((f) => ({ ...f }));
  }

  takeFault(server: string, day: string | undefined): Fault | undefined {
    const fault = this.faults.find(
      (f) => (!f.server || f.server === server) && (!f.day || f.day === day) && f.served < (f.times ?? (f.kind === "409" ? Infinity : 1)),
    );
    if (fault) fault.served++;
    return fault;
  }

  stats(server: string): ServerStats & { openSessions: number } {
    const restaurant = this.restaurant(server);
    return { ...restaurant.stats, openSessions: restaurant.openSessions().length };
  }

  /** Every violation of the one-request-at-a-time rule, on any server. */
  violations(): string[] {
    return this.restaurants.flatMap((r) => r.stats.violations.map((v) => `${r.spec.name}: ${v}`));
  }

  private restaurant(name: string): Restaurant {
    const found = this.restaurants.find((r) => r.spec.name === name);
    if (!found) throw new Error(`No sandbox server "${name}"; running: ${this.restaurants.map((r) => r.spec.name).join(", ")}.`);
    return found;
  }

  private spec(name: string): SandboxServerSpec {
    return this.restaurant(name).spec;
  }
}

export async function startIikoSandbox(options: IikoSandboxOptions = {}): Promise<IikoSandbox> {
  return new IikoSandbox(options).start();
}

/** `[server/]kind[:day][:times]`, e.g. `409:2025-03-19`, `tehran/5xx::2`, `html`. */
export function parseFault(spec: string): Fault {
  const match = /^(?:([a-z0-9_]+)\/)?(5xx|html|slow|409|expire|garbage)(?::(\d{4}-\d{2}-\d{2})?)?(?::(\d+))?$/.exec(spec.trim());
  if (!match) throw new Error(`Cannot read the fault "${spec}": write [server/]kind[:yyyy-mm-dd][:times], kind one of 5xx, html, slow, 409, expire, garbage.`);
  const [, server, kind, day, times] = match;
  return { kind: kind as FaultKind, server, day, times: times ? Number(times) : undefined };
}
