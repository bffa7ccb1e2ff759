import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the Dataform project, contracts and the default warehouse folder live here. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const DEFAULT_WAREHOUSE_PORT = 54329;
export const WAREHOUSE_DATABASE = "salesdw";

/** Reads `.env` from the current folder or the project root if present; real environment variables win. */
export function loadDotEnv(): void {
  for (const dir of [process.cwd(), projectRoot]) {
    const file = path.join(dir, ".env");
    if (existsSync(file)) {
      const before = { ...process.env };
      process.loadEnvFile(file);
      Object.assign(process.env, before);
      return;
    }
  }
}

export interface WarehouseSettings {
  /** An external PostgreSQL chosen by the user; when set, the embedded one is not used. */
  externalUrl?: string;
  dir: string;
  port: number;
}

export function warehouseSettings(env: NodeJS.ProcessEnv = process.env): WarehouseSettings {
  const port = env.WAREHOUSE_PORT ? Number(env.WAREHOUSE_PORT) : DEFAULT_WAREHOUSE_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(`WAREHOUSE_PORT must be a port number (1-65535), got "${env.WAREHOUSE_PORT}".`);
  }
  return {
    externalUrl: env.WAREHOUSE_URL || undefined,
    dir: path.resolve(env.WAREHOUSE_DIR || defaultWarehouseDir()),
    port,
  };
}

/**
 * `.warehouse/` in the project, unless we are root and the project sits where other users
 * cannot enter (a clone under /root): the server runs as "postgres", so the data then lives
 * in /var/tmp under a name derived from the project's path.
 */
function defaultWarehouseDir(): string {
  const inProject = path.join(projectRoot, ".warehouse");
  if (process.getuid?.() !== 0 || othersCanEnter(projectRoot)) return inProject;
  return path.join("/var/tmp", `salesdw-${createHash("sha256").update(projectRoot).digest("hex").slice(0, 12)}`);
}

function othersCanEnter(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    if (!(statSync(current).mode & 0o001)) return false;
    if (current === path.dirname(current)) return true;
  }
}

/** An error whose message is meant for the person at the terminal: printed as one line, no stack. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
