/**
 * The key that signs the dashboard's cookies (session and CSRF). From SALESDW_SESSION_SECRET, or
 * generated once into a git-ignored file readable by its owner only (mode 0600), so that a
 * restart keeps everyone signed in without anyone having to choose a secret.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../config.ts";
import { registerSecret } from "../log.ts";

export const SECRET_FILE = ".salesdw-session-secret";
const MIN_LENGTH = 32;

export function sessionSecret(env: NodeJS.ProcessEnv = process.env, dir: string = process.cwd()): string {
  const fromEnv = env.SALESDW_SESSION_SECRET?.trim();
  if (fromEnv !== undefined && fromEnv !== "") {
    if (fromEnv.length < MIN_LENGTH) {
      throw new UserError(`SALESDW_SESSION_SECRET is too short: use at least ${MIN_LENGTH} random characters (for example \`openssl rand -base64 48\`).`);
    }
    registerSecret(fromEnv);
    return fromEnv;
  }
  const file = path.join(dir, SECRET_FILE);
  try {
    // "wx": created here or not at all, so two servers starting at once end up with the same one.
    writeFileSync(file, randomBytes(48).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
  }
  if (statSync(file).mode & 0o077) throw new UserError(`${file} can be read by other users: run \`chmod 600 ${file}\` and start again.`);
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < MIN_LENGTH) throw new UserError(`${file} holds no usable secret (under ${MIN_LENGTH} characters): delete it and start again (everyone signs in again).`);
  registerSecret(secret);
  return secret;
}
