/**
 * The dashboard's connections. Pages read through salesdw_reader (schema mart only); admin
 * edits write through salesdw_admin_writer (the mapping tables only). The role is a startup
 * parameter of each connection, so a connection that cannot take it fails instead of running
 * with the login's own rights.
 */
import pg from "pg";
import { UserError } from "../config.ts";
import { info } from "../log.ts";
import { connect, clientConfig, describeUrl } from "../warehouse/warehouse.ts";
import { ensureRoles, ROLES } from "../warehouse/roles.ts";

// Days stay ISO text ("2025-03-21"): a JS Date would shift them by the server's time zone.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.DATE ? (value: string) => value : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

export interface Warehouse {
  reader: pg.Pool;
  adminWriter: pg.Pool;
  close(): Promise<void>;
}

function rolePool(url: string, role: string, extra: string, max: number): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(url), application_name: `salesdw serve (${role})`, options: `-c role=${role} ${extra}`, types, max });
  // A connection that drops while idle is replaced on the next checkout; the query in flight reports its own error.
  pool.on("error", () => {});
  return pool;
}

export function openWarehouse(url: string): Warehouse {
  const reader = rolePool(url, ROLES.reader, "-c default_transaction_read_only=on -c statement_timeout=120s", 10);
  const adminWriter = rolePool(url, ROLES.adminWriter, "-c statement_timeout=30s", 3);
  return { reader, adminWriter, close: async () => void (await Promise.all([reader.end(), adminWriter.end()])) };
}

/**
 * Makes sure the reader can read all of mart and the admin tables exist. When they are missing
 * and this login may create roles (the embedded warehouse's owner), it does what
 * `salesdw warehouse roles` does; otherwise it says what to run.
 */
export async function ensureServeRoles(url: string, log: (line: string) => void = info): Promise<void> {
  const client = await connect(url);
  try {
    if (await rolesReady(client)) return;
    const { rows } = await client.query("select rolsuper or rolcreaterole as can from pg_roles where rolname = current_user");
    if (!rows[0]?.can) {
      throw new UserError(
        `The dashboard reads as ${ROLES.reader} and edits mappings as ${ROLES.adminWriter}; at ${describeUrl(url)} they are missing or cannot read every mart table. ` +
          "Run `npx salesdw warehouse roles` as the database owner, then start the dashboard again.",
      );
    }
    for (const line of await ensureRoles(client)) log(line);
    log(`Roles ready for the dashboard (as \`salesdw warehouse roles\` sets them up).`);
  } finally {
    await client.end();
  }
}

async function rolesReady(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query(
    `select count(*) filter (where rolname = any($1)) = cardinality($1) as roles,
       to_regclass('admin.map_changes') is not null as change_log
     from pg_roles`,
    [[ROLES.reader, ROLES.adminWriter]],
  );
  if (!rows[0].roles || !rows[0].change_log) return false;
  const { rows: ready } = await client.query(
    `select has_table_privilege($2, 'admin.customer_map', 'insert') and has_table_privilege($2, 'admin.product_map', 'insert')
       and (to_regnamespace('mart') is null or has_schema_privilege($1, 'mart', 'usage') and not exists (
         select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'mart' and c.relkind in ('r', 'v', 'm', 'p') and not has_table_privilege($1, c.oid, 'select'))) as ok`,
    [ROLES.reader, ROLES.adminWriter],
  );
  return ready[0].ok;
}
