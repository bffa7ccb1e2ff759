/**
 * Reads a file once to fingerprint it (sha256) and decide how to decode it:
 * UTF-8 (with or without BOM), UTF-16 (with BOM), or Windows-1256 (Arabic/Persian
 * exports from older Windows software). A file that is UTF-8 in some lines and not in
 * others is "mixed": decoded as UTF-8, its undecodable lines are rejected.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";

export type FileEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "windows-1256";

export interface FileInspection {
  sha256: string;
  bytes: number;
  encoding: FileEncoding;
  /** Some lines are valid UTF-8 with non-ASCII text and others are not. */
  mixedEncoding: boolean;
  /** Where the decoded text starts (after a byte-order mark). */
  bomLength: number;
}

export async function inspectFile(file: string): Promise<FileInspection> {
  const hash = createHash("sha256");
  let bytes = 0;
  let head: Buffer | undefined;
  let validUtf8 = true;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (!head) head = chunk.subarray(0, 4);
    bytes += chunk.length;
    if (validUtf8) {
      // Check whole characters only; a character cut by the chunk boundary waits for the next chunk.
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const end = completeUtf8Length(data);
      validUtf8 = isUtf8(data.subarray(0, end));
      carry = Buffer.from(data.subarray(end));
    }
  }
  if (carry.length) validUtf8 = false; // a character cut off at the very end
  const sha256 = hash.digest("hex");
  const start = head ?? Buffer.alloc(0);
  const base = { sha256, bytes, mixedEncoding: false };
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) {
    return { ...base, encoding: "utf-8-bom", bomLength: 3, mixedEncoding: !validUtf8 };
  }
  if (start[0] === 0xff && start[1] === 0xfe) return { ...base, encoding: "utf-16le", bomLength: 2 };
  if (start[0] === 0xfe && start[1] === 0xff) return { ...base, encoding: "utf-16be", bomLength: 2 };
  if (validUtf8) return { ...base, encoding: "utf-8", bomLength: 0 };
  return { ...base, ...(await classifyNonUtf8(file)), bomLength: 0 };
}

/** How many bytes of `data` end on a UTF-8 character boundary. */
function completeUtf8Length(data: Buffer): number {
  let lead = data.length - 1;
  while (lead >= 0 && data.length - lead < 4 && (data[lead] & 0xc0) === 0x80) lead--;
  if (lead < 0) return data.length;
  const byte = data[lead];
  const width = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return data.length - lead < width ? lead : data.length;
}

/** Line by line: if some lines are real UTF-8 text and others are not, the file is mixed. */
async function classifyNonUtf8(file: string): Promise<{ encoding: FileEncoding; mixedEncoding: boolean }> {
  let utf8Lines = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10, start)) {
      if (isNonAsciiUtf8(data.subarray(start, end))) utf8Lines++;
      start = end + 1;
    }
    carry = Buffer.from(data.subarray(start));
  }
  if (isNonAsciiUtf8(carry)) utf8Lines++;
  return utf8Lines > 0 ? { encoding: "utf-8", mixedEncoding: true } : { encoding: "windows-1256", mixedEncoding: false };
}

function isNonAsciiUtf8(line: Buffer): boolean {
  return line.some((byte) => byte >= 0x80) && isUtf8(line);
}

/** iconv-lite's name for an encoding. */
export function iconvName(encoding: FileEncoding): string {
  return encoding === "utf-8-bom" ? "utf-8" : encoding;
}

/** The file's text, decoded chunk by chunk (TextDecoder for UTF-8, which is the fastest; iconv-lite otherwise). */
export async function* decodeFile(file: string, inspection: FileInspection): AsyncGenerator<string> {
  const utf8 = inspection.encoding === "utf-8" || inspection.encoding === "utf-8-bom";
  const textDecoder = new TextDecoder("utf-8");
  const iconvDecoder = utf8 ? undefined : iconv.getDecoder(iconvName(inspection.encoding), { stripBOM: true });
  for await (const chunk of createReadStream(file, { start: inspection.bomLength, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    yield iconvDecoder ? iconvDecoder.write(chunk) : textDecoder.decode(chunk, { stream: true });
  }
  yield iconvDecoder ? (iconvDecoder.end() ?? "") : textDecoder.decode();
}
