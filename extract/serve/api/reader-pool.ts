/**
 * The pool the API reads through: every session runs as salesdw_reader (schema mart only). The
 * role is a startup option, so a connection that cannot take it fails instead of reading as the
 * login behind the URL.
 */
import pg from "pg";
import { ROLES } from "../../warehouse/roles.ts";
import { clientConfig, registerUrlSecret } from "../../warehouse/warehouse.ts";

export function createReaderPool(url: string, options: { max?: number; statementTimeoutMs?: number } = {}): pg.Pool {
  registerUrlSecret(url);
  const pool = new pg.Pool({
    ...clientConfig(url),
    max: options.max ?? 10,
    options: `-c role=${ROLES.reader} -c statement_timeout=${options.statementTimeoutMs ?? 30_000}`,
  });
  pool.on("error", () => {}); // an idle client's lost connection: the next query reports it
  return pool;
}
