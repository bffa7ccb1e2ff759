/**
 * Output for people and for CI: one plain line per event; progress redraws in place on a
 * terminal and prints at most every few seconds elsewhere. Everything passes through
 * `redact`, so a password in a connection string never reaches the screen or a log.
 */
const secrets = new Set<string>();

/** Registers a value that must never be printed (passwords, tokens). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/gi, "$1***@");
  for (const secret of secrets) out = out.split(secret).join("***");
  for (const secret of secrets) out = out.split(encodeURIComponent(secret)).join("***");
  return out;
}

export function info(message: string): void {
  clearProgress();
  process.stdout.write(redact(message) + "\n");
}

export function warn(message: string): void {
  clearProgress();
  process.stderr.write(redact(message) + "\n");
}

let progressShown = false;
function clearProgress(): void {
  if (progressShown && process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  progressShown = false;
}

/** Reports rows and rate for long work: in place on a terminal, a plain line every 5 s otherwise. */
export class Progress {
  private started = Date.now();
  private lastPrint = Date.now();
  constructor(private label: string) {}

  update(rows: number, bytes?: number): void {
    const now = Date.now();
    const tty = Boolean(process.stderr.isTTY);
    if (now - this.lastPrint < (tty ? 250 : 5000)) return;
    this.lastPrint = now;
    const line = `${this.label}: ${this.describe(rows, bytes)}`;
    if (tty) {
      process.stderr.write("\r\x1b[K" + line);
      progressShown = true;
    } else {
      process.stderr.write(line + "\n");
    }
  }

  done(): void {
    clearProgress();
  }

  private describe(rows: number, bytes?: number): string {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = Math.round(rows / seconds).toLocaleString("en-US");
    const mb = bytes === undefined ? "" : `, ${(bytes / 1e6).toFixed(1)} MB`;
    return `${rows.toLocaleString("en-US")} rows${mb} (${rate} rows/s)`;
  }
}
