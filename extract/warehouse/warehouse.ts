/**
 * One entry point to "the warehouse": the PostgreSQL named by WAREHOUSE_URL when set,
 * otherwise the embedded one. Also writes `.df-credentials.json` so that a plain
 * `npx dataform run` reaches the same database.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { projectRoot, UserError, warehouseSettings, type WarehouseSettings } from "../config.ts";
import { registerSecret, redact } from "../log.ts";
import { embeddedUrl, runningPort, startEmbedded } from "./embedded.ts";

/** The URL of the warehouse to use now; throws a clear error when the embedded one is not running. */
export function warehouseUrl(settings: WarehouseSettings = warehouseSettings()): string {
  if (settings.externalUrl) {
    registerUrlSecret(settings.externalUrl);
    return settings.externalUrl;
  }
  if (runningPort(settings) === undefined) {
    throw new UserError(`The embedded warehouse (${settings.dir}) is not running: start it with "npx salesdw warehouse start".`);
  }
  return embeddedUrl(settings);
}

/** Makes sure a warehouse is reachable, starting the embedded one if needed. */
export async function ensureWarehouse(log: (line: string) => void, settings = warehouseSettings()): Promise<string> {
  let url: string;
  if (settings.externalUrl) {
    registerUrlSecret(settings.externalUrl);
    url = settings.externalUrl;
  } else {
    url = await startEmbedded(settings, log);
  }
  await prepareRawLayer(url);
  return url;
}

/**
 * Every contract's raw table exists from the start, so `dataform run` builds with any subset of
 * sources loaded; so do the users' mapping tables the models read (admin.customer_map, admin.product_map).
 * Only creates what is missing: the transformer role may read raw, not change it. Also the
 * trigger that keeps Dataform's model drops from deadlocking (drop-lock.ts).
 */
export async function prepareRawLayer(url: string): Promise<void> {
  const { ensureAllRawTables, missingRawColumns } = await import("../loader/raw-schema.ts");
  const { ensureMappingTables } = await import("../identity/mapping-tables.ts");
  const { ensureDropLock } = await import("./drop-lock.ts");
  const client = await connect(url);
  try {
    const missing = await missingRawColumns(client);
    try {
      if (missing.length) await ensureAllRawTables(client);
      await ensureMappingTables(client);
      await ensureDropLock(client);
    } catch (error) {
      if ((error as { code?: string }).code !== "42501") throw error;
      throw new UserError(
        `The warehouse lacks ${[...missing, "admin mapping tables"].slice(0, 5).join(", ")}${missing.length > 4 ? ", …" : ""} and this login may not create them; ` +
          "run `npx salesdw warehouse start` (or any extract) as the loader or owner first.",
      );
    }
  } finally {
    await client.end();
  }
}

export function registerUrlSecret(url: string): void {
  try {
    registerSecret(decodeURIComponent(new URL(url).password));
  } catch {
    /* not a URL: nothing to hide */
  }
}

export async function connect(url: string): Promise<pg.Client> {
  registerUrlSecret(url);
  const client = new pg.Client(clientConfig(url));
  // A dropped connection also fails the query in flight, which reports it; without a listener
  // the client's 'error' event would crash the process with a stack trace instead.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new UserError(`Cannot connect to the warehouse at ${describeUrl(url)}: ${redact((error as Error).message)}`);
  }
  return client;
}

/** pg settings for a URL: TLS is used when the URL asks for it (sslmode), never verified for the embedded server. */
export function clientConfig(url: string): pg.ClientConfig {
  return { connectionString: url, application_name: "salesdw" };
}


/** host:port/database, with no user or password: safe for messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "(unparseable WAREHOUSE_URL)";
  }
}

/** Writes the Dataform CLI's credentials file (git-ignored) for the given URL. */
export function dataformCredentialsFile(): string {
  return path.resolve(process.env.DATAFORM_CREDENTIALS || path.join(projectRoot, ".df-credentials.json"));
}

export function writeDataformCredentials(url: string, file = dataformCredentialsFile()): string {
  const parsed = new URL(url);
  const credentials = {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    databaseName: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
  };
  try {
    writeFileSync(file, JSON.stringify(credentials, null, 2) + "\n", { mode: 0o600 });
  } catch (error) {
    throw new UserError(`Cannot write the Dataform credentials to ${file} (${(error as NodeJS.ErrnoException).code}); set DATAFORM_CREDENTIALS to a file you can write.`);
  }
  return file;
}
