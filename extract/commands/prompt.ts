/**
 * Reading a secret at the terminal without showing it. Node's readline has no "do not echo"
 * option and the project carries no prompt library, so readline edits the line as usual
 * (backspace, arrows) but writes its echo to a stream that drops it.
 */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { UserError } from "../config.ts";

export function promptHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise((resolve, reject) => {
    rl.once("line", (line) => {
      rl.close();
      process.stderr.write("\n");
      resolve(line);
    });
    rl.once("SIGINT", () => {
      rl.close();
      process.stderr.write("\n");
      reject(new UserError("Stopped; nothing was changed."));
    });
    rl.once("close", () => reject(new UserError("No password given; nothing was changed.")));
  });
}

export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
