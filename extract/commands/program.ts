/**
 * Shared pieces of the command line: how an action reports its exit code, typed option
 * parsers, and the one way every extract command prints its results.
 */
import { InvalidArgumentError, type Command } from "commander";
import { UserError } from "../config.ts";
import { info, warn } from "../log.ts";
import type { LoadResult } from "../loader/loader.ts";

/** Wraps an action so that its returned number becomes the process's exit code. */
export function exitWith<A extends unknown[]>(action: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    process.exitCode = await action(...args);
  };
}

export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`must be a whole number, got "${value}".`);
  return n;
}

/** A calendar date YYYY-MM-DD that exists. */
export function isoDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) throw new InvalidArgumentError(`must be a date YYYY-MM-DD, got "${value}".`);
  return value;
}

export function commaList(value: string): string[] {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new InvalidArgumentError("must be a comma-separated list.");
  return items;
}

/** Each load prints its own line as it lands (`printLoad`); the command ends with the total. Non-zero when anything failed. */
export function printLoad(result: LoadResult): void {
  if (result.status === "failed") warn(`error: ${result.message}`);
  else info(result.message);
}

export function reportLoads(results: LoadResult[]): number {
  const count = (status: string) => results.filter((r) => r.status === status).length;
  info(`${count("loaded")} loaded, ${count("skipped")} already loaded, ${count("failed")} failed.`);
  return count("failed") ? 1 : 0;
}

export type Register = (program: Command) => void;
export { UserError };
