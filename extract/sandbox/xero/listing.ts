/**
 * What the sandbox's listings are made of, so that serving a large history does not make the
 * server the bottleneck: filters and order read a document's fields straight from it (no rendered
 * copy of every document per listing), each document version's JSON is written once and kept, and
 * a page is its slice of the listing joined into the envelope, byte for byte what writing the
 * whole envelope at once gives. Kept as UTF-8 bytes: a page is then copied together, not encoded
 * again for every answer.
 */
import type { SandboxData, SandboxDocument } from "./data.ts";
import { readField, renderDocument, xeroJson, type Json } from "./render.ts";
import type { FieldReader } from "./where.ts";

/** One record of a listing: its order keys, its fields for `where`, its JSON as a member of the list. */
export interface ListEntry {
  seq: number;
  updated: number;
  read(path: string[]): ReturnType<FieldReader>;
  text(withLines: boolean, dp: 2 | 4): Buffer;
}

/** A list member inside the envelope is two levels deep. */
const MEMBER_INDENT = "    ";

type Direct = (doc: SandboxDocument) => string | number;
const common: Record<string, Direct> = {
  Type: (d) => d.Type,
  Status: (d) => d.Status,
  Reference: (d) => d.Reference,
  LineAmountTypes: (d) => d.LineAmountTypes,
  CurrencyCode: (d) => d.CurrencyCode,
  Date: (d) => d.dateMs,
  UpdatedDateUTC: (d) => d.updatedMs,
};
/** Fields read without rendering the document (the ones clients filter and sort by); any other field is read from its rendering. */
const DIRECT: Record<SandboxDocument["kind"], Record<string, Direct>> = {
  invoice: { ...common, InvoiceID: (d) => d.id, InvoiceNumber: (d) => d.number, DueDate: (d) => d.dueMs },
  credit_note: { ...common, CreditNoteID: (d) => d.id, CreditNoteNumber: (d) => d.number },
};

/** A document's field as `where` reads it from the rendered document (money as a number, dates as ms). */
export function documentField(doc: SandboxDocument, data: SandboxData, path: string[]): ReturnType<FieldReader> {
  const direct = path.length === 1 ? DIRECT[doc.kind][path[0]] : undefined;
  return direct ? direct(doc) : readField(renderDocument(doc, data, { withLines: false, dp: 2 }), path);
}

interface Kept {
  version: string;
  texts: Map<string, Buffer>;
}
const kept = new WeakMap<SandboxDocument, Kept>();

/**
 * What a rendering depends on. Every change moves UpdatedDateUTC (as in Xero); status, totals,
 * line count and contact are in the key as well, so a change made without moving it is seen too.
 */
function versionOf(doc: SandboxDocument, contactName: string | undefined): string {
  return `${doc.updatedMs}|${doc.Status}|${doc.subTotalCents}|${doc.totalTaxCents}|${doc.lines.length}|${doc.contactId}|${contactName ?? ""}|${doc.CurrencyCode}|${doc.CurrencyRate}`;
}

/** The document's JSON as a list member, written once per version, with or without lines, per unitdp. */
export function documentText(doc: SandboxDocument, data: SandboxData, contactName: string | undefined, withLines: boolean, dp: 2 | 4): Buffer {
  const version = versionOf(doc, contactName);
  let entry = kept.get(doc);
  if (!entry || entry.version !== version) kept.set(doc, (entry = { version, texts: new Map() }));
  const key = withLines ? `lines ${dp}` : "header";
  let text = entry.texts.get(key);
  if (text === undefined) {
    text = Buffer.from(xeroJson(renderDocument(doc, data, { withLines, dp }), MEMBER_INDENT));
    entry.texts.set(key, text);
  }
  return text;
}

/** A document in a listing (a class, not an object of closures: a listing may hold 100,000 of them). */
class DocumentEntry implements ListEntry {
  readonly seq: number;
  readonly updated: number;
  constructor(
    private readonly doc: SandboxDocument,
    private readonly data: SandboxData,
    private readonly contactName: string | undefined,
  ) {
    this.seq = doc.seq;
    this.updated = doc.updatedMs;
  }
  read(path: string[]) {
    return documentField(this.doc, this.data, path);
  }
  text(withLines: boolean, dp: 2 | 4): Buffer {
    return documentText(this.doc, this.data, this.contactName, withLines, dp);
  }
}

export function documentEntries(data: SandboxData, kind: SandboxDocument["kind"]): ListEntry[] {
  const names = new Map(data.contacts.map((c) => [c.ContactID, c.Name]));
  return data.documents.filter((doc) => doc.kind === kind).map((doc) => new DocumentEntry(doc, data, names.get(doc.contactId)));
}

/** A small record (a contact, an item) rendered for the listing. */
export function renderedEntry(seq: number, updated: number, rendered: { [key: string]: Json | undefined }): ListEntry {
  return { seq, updated, read: (path) => readField(rendered, path), text: () => Buffer.from(xeroJson(rendered, MEMBER_INDENT)) };
}

const MEMBER_SEPARATOR = Buffer.from(",\r\n");

/** The envelope with its list (the last member) made of members' texts: what xeroJson writes for the whole envelope. */
export function envelopeText(head: { [key: string]: Json | undefined }, key: string, members: Buffer[]): Buffer {
  const empty = xeroJson({ ...head, [key]: [] });
  const tail = `${JSON.stringify(key)}: []\r\n}`;
  if (!empty.endsWith(tail)) throw new Error(`the envelope's ${key} list must be its last member`);
  if (!members.length) return Buffer.from(empty);
  const parts: Buffer[] = [Buffer.from(`${empty.slice(0, -tail.length)}${JSON.stringify(key)}: [\r\n`)];
  members.forEach((member, i) => {
    if (i) parts.push(MEMBER_SEPARATOR);
    parts.push(member);
  });
  parts.push(Buffer.from("\r\n  ]\r\n}"));
  return Buffer.concat(parts);
}
