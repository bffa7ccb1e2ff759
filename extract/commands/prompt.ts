/** Reading a secret at the terminal without showing it (npm's `read`), or from standard input. */
import { read } from "read";
import { UserError } from "../config.ts";

export async function promptHidden(prompt: string): Promise<string> {
  try {
    // The prompt goes to stderr: stdout stays for what a script may capture.
    const answer = String(await read({ prompt, silent: true, replace: "", output: process.stderr }));
    process.stderr.write("\n"); // the Enter key is not echoed either
    return answer;
  } catch {
    throw new UserError("Stopped; nothing was changed.");
  }
}

export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
