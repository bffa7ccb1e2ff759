/**
 * `salesdw serve [--port 8080] [--host 127.0.0.1]`: starts the dashboard on the warehouse and
 * runs until stopped (Ctrl-C). Kept apart from the CLI's parsing so any CLI framework can call it.
 */
import { UserError } from "../config.ts";
import { info } from "../log.ts";
import { warehouseUrl } from "../warehouse/warehouse.ts";

export const SERVE_DEFAULTS = { port: 8080, host: "127.0.0.1" };

const RATE_SETTING = "SALESDW_API_RATE_LIMIT";

/** SALESDW_API_RATE_LIMIT: the API's requests per key per minute (unset: the API's default, 600). */
export function apiRateLimitSetting(env: NodeJS.ProcessEnv = process.env): { max: number; timeWindow: string } | undefined {
  const text = env[RATE_SETTING]?.trim();
  if (!text) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(text)) throw new UserError(`${RATE_SETTING}: "${text}" is not a number of requests per minute (a whole number from 1); leave it empty for the default, 600.`);
  return { max: Number(text), timeWindow: "1 minute" };
}

export async function serveCommand({ port, host }: { port: number; host: string }): Promise<number> {
  const [{ buildServer }, { trustProxySetting }] = await Promise.all([import("./server.ts"), import("./proxy.ts")]);
  const app = await buildServer({ url: warehouseUrl(), trustProxy: trustProxySetting(), apiRateLimit: apiRateLimitSetting() });
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE") throw new UserError(`Port ${port} on ${host} is in use: choose another with --port.`);
    throw error;
  }
  const shown = host.includes(":") ? `[${host}]` : host;
  info(`Dashboard: http://${shown === "0.0.0.0" ? "127.0.0.1" : shown}:${(app.server.address() as { port: number }).port}/  (Ctrl-C stops it)`);
  info((await app.users.count())
    ? "Sign in as a user of `npx salesdw users list`."
    : "No users yet: create the first with `npx salesdw users add NAME --role admin` (it asks for a password), then sign in.");
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await app.close();
  return 0;
}
