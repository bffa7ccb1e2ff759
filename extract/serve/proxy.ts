/**
 * SALESDW_TRUST_PROXY: whether `serve` sits behind a reverse proxy (HTTPS terminated there) whose
 * X-Forwarded-Proto and X-Forwarded-For it believes. Fastify's own `trustProxy` does the work:
 * `request.protocol` becomes the client's (so the cookies get Secure on https) and `request.ip` the
 * client's address (so the sign-in limit per address counts people, not the proxy). Off by
 * default: without a proxy those headers come from the client and must not be believed.
 */
import { isIP } from "node:net";
import { UserError } from "../config.ts";

export type TrustProxy = boolean | string;

const SETTING = "SALESDW_TRUST_PROXY";

export function trustProxySetting(env: NodeJS.ProcessEnv = process.env): TrustProxy {
  const text = env[SETTING]?.trim();
  if (!text || /^(false|no|off)$/i.test(text)) return false;
  // Any proxy: fine when nothing but the proxy can reach serve (it listens on 127.0.0.1, or a firewall says so).
  if (/^(true|yes|on)$/i.test(text)) return true;
  // Only these proxies' addresses (or networks), e.g. 127.0.0.1 or 10.0.0.0/8,::1.
  const entries = text.split(",").map((entry) => entry.trim());
  const bad = entries.find((entry) => {
    const [address, bits, extra] = entry.split("/");
    const family = isIP(address);
    return !family || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
  });
  if (bad !== undefined) {
    throw new UserError(
      `${SETTING}: cannot read "${bad}". Write true (any proxy) ` +
        "or the proxies' addresses or networks, comma-separated (e.g. 127.0.0.1,10.0.0.0/8); false or empty when there is no proxy.",
    );
  }
  return entries.join(",");
}
