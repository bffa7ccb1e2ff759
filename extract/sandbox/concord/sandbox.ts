/**
 * `salesdw sandbox concord`: a local stand-in for ConcordDb on SQL Server, for tests and the
 * demo. A real TDS endpoint (the `mssql` driver, FreeTDS `tsql` and python-tds connect to it)
 * serving generated ConcordDb tables; faults on demand. It is a sandbox: it checks the wire
 * format and the extractor's SQL text, not SQL Server's semantics.
 */
import { startTdsServer } from "../tds/server.ts";
import type { ParamValue } from "../tds/types.ts";
import { ConcordBackend, SANDBOX_NOTICE, type Faults } from "./backend.ts";
import { ConcordDb, type ConcordDbOptions } from "./db.ts";

export { SANDBOX_NOTICE };

export interface ConcordSandboxOptions extends ConcordDbOptions {
  port?: number;
  host?: string;
  user?: string;
  password?: string;
  faults?: Faults;
}

export interface ConcordSandbox {
  db: ConcordDb;
  /** Change at any time; read on every login and statement. */
  faults: Faults;
  port: number;
  user: string;
  password: string;
  /** `mssql://user:password@127.0.0.1:port/ConcordDb?encrypt=false&…`: what CONCORD_URL should be to reach it. */
  url: string;
  /** Every statement received, in order (what the extractor sent). */
  statements: { sql: string; params: Map<string, ParamValue> }[];
  /** Logins attempted (LOGIN7 messages received). */
  readonly logins: number;
  close(): Promise<void>;
}

export const SANDBOX_USER = "concord_reader";
export const SANDBOX_PASSWORD = "Sandbox-Only-Passw0rd";

export async function startConcordSandbox(options: ConcordSandboxOptions = {}): Promise<ConcordSandbox> {
  const db = new ConcordDb(options);
  const faults: Faults = options.faults ?? {};
  const user = options.user ?? SANDBOX_USER;
  const password = options.password ?? SANDBOX_PASSWORD;
  const statements: ConcordSandbox["statements"] = [];
  const backend = new ConcordBackend(db, { user, password, faults, onStatement: (sql, params) => statements.push({ sql, params }) });
  const host = options.host ?? "127.0.0.1";
  const server = await startTdsServer(backend, { port: options.port, host });
  const url = `mssql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${server.port}/${db.name}?encrypt=false&trustServerCertificate=true`;
  return {
    db,
    get faults() {
      return backend.options.faults;
    },
    set faults(next: Faults) {
      backend.options.faults = next;
    },
    port: server.port,
    user,
    password,
    url,
    statements,
    get logins() {
      return backend.logins;
    },
    close: () => server.close(),
  };
}
