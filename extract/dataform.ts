/**
 * Runs the Dataform CLI (pinned 2.6.7) against a warehouse URL: writes a temporary
 * credentials file, passes --track=false, hides its Node warnings, and reads the outcome of
 * each action from its output.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectRoot } from "./config.ts";
import { redact } from "./log.ts";
import { prepareRawLayer, writeDataformCredentials } from "./warehouse/warehouse.ts";

export interface DataformOutcome {
  code: number;
  output: string;
  created: string[];
  assertionsPassed: string[];
  assertionsFailed: string[];
  failedActions: string[];
  testsPassed: string[];
  testsFailed: string[];
}

const dataformBin = path.join(projectRoot, "node_modules", "@dataform", "cli", "bundle.js");
/** The Dataform CLI's command line for `args`: no telemetry, and a generous compile timeout (the default 30 s is too short on a busy 2-core machine). */
export const dataformArgv = (args: string[]) => [dataformBin, ...args, "--track=false", "--timeout", "10m"];
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function runRaw(args: string[], onLine?: (line: string) => void): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, dataformArgv(args), {
      cwd: projectRoot,
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --no-warnings`.trim() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let pending = "";
    const take = (chunk: Buffer) => {
      const text = chunk.toString("utf8").replace(ANSI, "");
      output += text;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine?.(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => {
      if (pending) onLine?.(pending);
      resolve({ code: code ?? 1, output: redact(output) });
    });
  });
}

function matching(output: string, pattern: RegExp): string[] {
  return [...output.matchAll(pattern)].map((m) => m[1].trim());
}

function outcome(code: number, output: string): DataformOutcome {
  return {
    code,
    output,
    created: matching(output, /(?:Dataset created|Operation completed successfully):\s+(\S+)/g),
    // Dataform prints a failed assertion's name, then more lines that start the same way ("Assertion failed: query returned …").
    assertionsPassed: matching(output, /^Assertion passed:\s+(\w+\.\w+)\s*$/gm),
    assertionsFailed: matching(output, /^Assertion failed:\s+(\w+\.\w+)\s*$/gm),
    failedActions: matching(output, /(?:Dataset creation failed|Operation failed):\s+(\S+)/g),
    testsPassed: matching(output, /^(\S+): passed$/gm),
    testsFailed: matching(output, /^(\S+): failed$/gm),
  };
}

/** `dataform run|test …` against the warehouse at `url`. Lines of progress go to `onLine`. */
export async function dataform(
  command: "run" | "test" | "compile",
  url: string,
  extraArgs: string[] = [],
  onLine?: (line: string) => void,
): Promise<DataformOutcome> {
  if (command !== "compile") await prepareRawLayer(url);
  const dir = mkdtempSync(path.join(tmpdir(), "salesdw-df-"));
  try {
    // Compiling needs no warehouse: `url` may be empty then.
    const args = command === "compile" ? [command, projectRoot, ...extraArgs] : [command, projectRoot, "--credentials", writeDataformCredentials(url, path.join(dir, "credentials.json")), ...extraArgs];
    const { code, output } = await runRaw(args, onLine);
    return outcome(code, output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines worth showing a person from Dataform's output (action results, errors), without its log noise. */
export function isInterestingLine(line: string): boolean {
  return line.trim() !== "" && !line.startsWith('{"level"') && !/^(Compiling|Running)\.\.\.$/.test(line.trim());
}
