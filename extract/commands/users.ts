/**
 * `salesdw users add | list | password | disable | enable | remove`: who may sign in to the dashboard
 * (extract/serve/users.ts). Passwords come from a prompt that does not echo, or from stdin.
 */
import { Command, Option } from "commander";
import { UserError } from "../config.ts";
import { info, registerSecret } from "../log.ts";
import type { Role } from "../serve/auth.ts";
import type { UserInfo, UserStore } from "../serve/users.ts";
import { connect, warehouseUrl } from "../warehouse/warehouse.ts";
import { exitWith } from "./program.ts";

async function withUserStore<T>(work: (store: UserStore) => Promise<T>): Promise<T> {
  const { UserStore } = await import("../serve/users.ts");
  const client = await connect(warehouseUrl());
  try {
    return await work(new UserStore(client));
  } finally {
    await client.end().catch(() => undefined);
  }
}

const when = (date: Date | null) => (date ? date.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "-");

function table(users: UserInfo[]): string {
  const rows = [
    ["name", "role", "created", "last sign-in", "disabled", "locked until"],
    ...users.map((u) => [u.name, u.role, when(u.createdAt), when(u.lastSignInAt), when(u.disabledAt), when(u.lockedUntil)]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");
}

async function readPassword(fromStdin: boolean): Promise<string> {
  const { promptHidden, readAllStdin } = await import("./prompt.ts");
  if (fromStdin) {
    // One trailing line end is the end of the line, not part of the password.
    const password = (await readAllStdin()).replace(/\r?\n$/, "");
    if (!password) throw new UserError("--password-stdin: standard input was empty; pipe the password in (printf '%s' \"$PASSWORD\" | …).");
    return password;
  }
  if (!process.stdin.isTTY) throw new UserError("No terminal to ask for the password on: pass it on standard input with --password-stdin.");
  const password = await promptHidden("Password: ");
  const again = await promptHidden("Password again: ");
  if (password !== again) throw new UserError("The two passwords differ; nothing was changed. Run the command again.");
  return password;
}

export function register(program: Command): void {
  const users = program.command("users").description("dashboard users: add (viewer or admin), list, password, disable, enable, remove");

  users
    .command("add")
    .description("add a user who signs in to the dashboard with a password (asked for, or --password-stdin)")
    .argument("<name>")
    .addOption(new Option("--role <role>", "viewer: every page; admin: also the admin pages and their edits").choices(["viewer", "admin"]).makeOptionMandatory())
    .option("--password-stdin", "read the password from standard input instead of asking")
    .action(
      exitWith(async (name: string, options: { role: Role; passwordStdin?: boolean }) => {
        const password = await readPassword(Boolean(options.passwordStdin));
        registerSecret(password);
        const added = await withUserStore((store) => store.add(name, options.role, password));
        info(`Added ${added.role} "${added.name}". Sign in at the dashboard (npx salesdw serve).`);
        return 0;
      }),
    );

  users
    .command("list")
    .description("list users: name, role, created, last sign-in, disabled, locked (never a password)")
    .action(
      exitWith(async () => {
        const all = await withUserStore((store) => store.list());
        info(all.length ? table(all) : "No users yet: add one with `npx salesdw users add NAME --role viewer|admin`.");
        return 0;
      }),
    );

  users
    .command("password")
    .description("set a user's password (asked for, or --password-stdin): their open sessions end, a lockout of the name is lifted")
    .argument("<name>")
    .option("--password-stdin", "read the new password from standard input instead of asking")
    .action(
      exitWith(async (name: string, options: { passwordStdin?: boolean }) => {
        const password = await readPassword(Boolean(options.passwordStdin));
        registerSecret(password);
        const { user, endedSessions } = await withUserStore((store) => store.resetPassword(name, password));
        info(`Set the password of ${user.role} "${user.name}"${endedSessions ? `; ${endedSessions} open session(s) ended` : ""}.`);
        return 0;
      }),
    );

  for (const [command, disabled] of [["disable", true], ["enable", false]] as const) {
    users
      .command(command)
      .description(disabled ? "stop a user signing in; their open sessions end at their next request" : "let a disabled user sign in again; also lifts a lockout after failed sign-ins")
      .argument("<name>")
      .action(
        exitWith(async (name: string) => {
          const user = await withUserStore((store) => store.setDisabled(name, disabled));
          info(`${disabled ? "Disabled" : "Enabled"} ${user.role} "${user.name}".`);
          return 0;
        }),
      );
  }

  users
    .command("remove")
    .description("remove a user; their sessions end with them (edits they made keep their name)")
    .argument("<name>")
    .action(
      exitWith(async (name: string) => {
        await withUserStore((store) => store.remove(name));
        info(`Removed user "${name}".`);
        return 0;
      }),
    );
}
