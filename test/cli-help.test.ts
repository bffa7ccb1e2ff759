/**
 * `--help` answers for every command and subcommand of the real CLI (a child process, as a user
 * runs it), though commands load their implementation only when they run: the walk follows
 * each help's "Commands:" list down to the leaves.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "./support/warehouse.ts";

/** The subcommand names a help text lists (its "Commands:" section, without `help`). */
function subcommands(help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1];
  if (!section) return [];
  return section
    .split("\n")
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name) && name !== "help");
}

describe("salesdw --help", () => {
  it("answers for every command and subcommand, each with its own usage line", async () => {
    const seen: string[] = [];
    const walk = async (path: string[]): Promise<void> => {
      const result = await runCli([...path, "--help"]);
      expect([path.join(" "), result.code, result.stderr]).toEqual([path.join(" "), 0, ""]);
      expect(result.stdout).toMatch(new RegExp(`^Usage: salesdw${path.map((p) => ` ${p}`).join("")}\\b`, "m"));
      seen.push(path.join(" "));
      for (const name of subcommands(result.stdout)) await walk([...path, name]);
    };
    await walk([]);
    // Each kind of source is there, with the options its reader declares.
    expect(seen).toEqual(expect.arrayContaining(["extract karamad", "extract reckon", "extract events", "extract xero", "extract iiko", "extract concord", "users add", "keys create"]));
    expect((await runCli(["extract", "events", "--help"])).stdout).toContain("--timezone <zone>");
    expect((await runCli(["extract", "reckon", "--help"])).stdout).toContain("--entity <name>");
  }, 600_000);

});
