/**
 * `salesdw keys create | list | revoke`: API keys for the HTTP API (people sign in to the pages as users: commands/users.ts).
 */
import { Command, Option } from "commander";
import { info } from "../log.ts";
import type { ApiKeyInfo, KeyStore, Role } from "../serve/auth.ts";
import { connect, warehouseUrl } from "../warehouse/warehouse.ts";
import { exitWith } from "./program.ts";

async function withKeyStore<T>(work: (store: KeyStore) => Promise<T>): Promise<T> {
  const { KeyStore } = await import("../serve/auth.ts");
  const client = await connect(warehouseUrl());
  try {
    return await work(new KeyStore(client));
  } finally {
    await client.end().catch(() => undefined);
  }
}

const when = (date: Date | null) => (date ? date.toISOString().replace("T", " ").slice(0, 19) + " UTC" : "-");

function table(keys: ApiKeyInfo[]): string {
  const rows = [
    ["id", "name", "role", "created", "last used", "revoked"],
    ...keys.map((k) => [String(k.id), k.name, k.role, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");
}

export function register(program: Command): void {
  const keys = program.command("keys").description("API keys: create (shown once, stored hashed), list, revoke");

  keys
    .command("create")
    .description("create a key and print it once (alone on stdout, so that KEY=$(salesdw keys create …) works)")
    .addOption(new Option("--role <role>", "what the key may do").choices(["viewer", "admin"]).makeOptionMandatory())
    .option("--name <name>", "a name to list and revoke it by (default: <role>-<random>)")
    .action(
      exitWith(async (options: { role: Role; name?: string }) => {
        const { key, info: created } = await withKeyStore((store) => store.create(options));
        // The one place a key is printed: straight to stdout, not through the redacting logger.
        process.stdout.write(key + "\n");
        process.stderr.write(`Created ${created.role} key "${created.name}" (id ${created.id}). It is shown only now: store it; the warehouse keeps only its hash.\n`);
        return 0;
      }),
    );

  keys
    .command("list")
    .description("list keys: name, role, created, last used, revoked (never the key)")
    .action(
      exitWith(async () => {
        const all = await withKeyStore((store) => store.list());
        info(all.length ? table(all) : 'No API keys yet: create one with "salesdw keys create --role viewer|admin".');
        return 0;
      }),
    );

  keys
    .command("revoke")
    .description("revoke a key by name or id; requests with it are refused from then on")
    .argument("<name-or-id>")
    .action(
      exitWith(async (nameOrId: string) => {
        const { info: revoked, alreadyRevoked } = await withKeyStore((store) => store.revoke(nameOrId));
        info(alreadyRevoked ? `Key "${revoked.name}" (id ${revoked.id}) was already revoked at ${when(revoked.revokedAt)}.` : `Revoked key "${revoked.name}" (id ${revoked.id}).`);
        return 0;
      }),
    );
}
