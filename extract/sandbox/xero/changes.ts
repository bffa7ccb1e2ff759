/**
 * What users do in Xero between two syncs, applied to the sandbox's organisation: void or delete
 * a document, edit one (a line removed, a quantity changed), pay it, add a credit note or an
 * invoice, archive a contact. Each change moves UpdatedDateUTC to now, as Xero does.
 */
import { GST_RATE, randomSource, uuidFrom, type SandboxData, type SandboxDocument, type DocumentStatus } from "./data.ts";

export type Change =
  | { action: "void" | "delete" | "pay" | "authorise" | "remove-line" | "edit-line"; number: string }
  | { action: "add-credit-note"; contactId?: string; number?: string; lines?: number }
  | {
      action: "add-invoice";
      contactId?: string;
      number?: string;
      lines?: number;
      amountTypes?: "Exclusive" | "Inclusive" | "NoTax";
      /** A foreign-currency invoice: its CurrencyCode and CurrencyRate (units of it per unit of the base currency; "0.000000" for a rate Xero lacks). */
      currencyCode?: string;
      currencyRate?: string;
      /** An item code that is not in the organisation's Items (a code typed on the invoice only). */
      itemCode?: string;
    }
  | { action: "archive-contact"; contactId: string };

let counter = 0;

/** A change time after every existing one (several changes in one millisecond stay ordered). */
function touch(data: SandboxData): number {
  const latest = Math.max(...data.documents.map((d) => d.updatedMs), ...data.contacts.map((c) => c.updatedMs), ...data.items.map((i) => i.updatedMs));
  return Math.max(Date.now(), latest + 1);
}

function recomputeTotals(doc: SandboxDocument): void {
  doc.subTotalCents = doc.lines.reduce((sum, l) => sum + l.lineCents - (doc.LineAmountTypes === "Inclusive" ? l.taxCents : 0), 0);
  doc.totalTaxCents = doc.lines.reduce((sum, l) => sum + l.taxCents, 0);
}

export function applyChange(data: SandboxData, change: Change): SandboxDocument | undefined {
  if (change.action === "archive-contact") {
    const contact = data.contacts.find((c) => c.ContactID === change.contactId);
    if (!contact) throw new Error(`no contact ${change.contactId}`);
    contact.ContactStatus = "ARCHIVED";
    contact.updatedMs = touch(data);
    return undefined;
  }
  if (change.action === "add-credit-note" || change.action === "add-invoice") {
    const random = randomSource(++counter * 7919 + data.documents.length);
    const credit = change.action === "add-credit-note";
    const invoice = change.action === "add-invoice" ? change : undefined;
    const amountTypes = invoice?.amountTypes ?? "Exclusive";
    const customers = data.contacts.filter((c) => c.IsCustomer);
    const contactId = change.contactId ?? customers[Math.floor(random() * customers.length)].ContactID;
    const lines = Array.from({ length: change.lines ?? 2 }, (_, i) => {
      const item = data.items[(i * 3 + data.documents.length) % data.items.length];
      const quantity4 = (1 + Math.floor(random() * 5)) * 10_000;
      const unit4 = item.unitPriceCents * 100;
      const lineCents = Math.round((quantity4 / 10_000) * item.unitPriceCents);
      const taxCents = amountTypes === "NoTax" ? 0 : amountTypes === "Inclusive" ? Math.round((lineCents * GST_RATE) / (1 + GST_RATE)) : Math.round(lineCents * GST_RATE);
      return {
        LineItemID: uuidFrom(random),
        ItemCode: invoice?.itemCode ?? item.Code,
        Description: invoice?.itemCode ? `${invoice.itemCode} (not in Items)` : item.Description,
        quantity4,
        unitAmount4: unit4,
        lineCents,
        taxCents,
        TaxType: amountTypes === "NoTax" ? "NONE" : "OUTPUT2",
        AccountCode: "200",
        Tracking: [],
      };
    });
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const doc: SandboxDocument = {
      kind: credit ? "credit_note" : "invoice",
      Type: credit ? "ACCRECCREDIT" : "ACCREC",
      id: uuidFrom(random),
      number: change.number ?? `${credit ? "CN" : "INV"}-N${data.documents.length + 1}`,
      Reference: "",
      contactId,
      dateMs: today,
      dueMs: today + 20 * 86_400_000,
      Status: "AUTHORISED",
      LineAmountTypes: amountTypes,
      lines,
      subTotalCents: 0,
      totalTaxCents: 0,
      CurrencyCode: invoice?.currencyCode ?? data.baseCurrency,
      CurrencyRate: invoice?.currencyRate ?? "1.000000",
      updatedMs: touch(data),
      seq: data.documents.length,
    };
    recomputeTotals(doc);
    data.documents.push(doc);
    return doc;
  }
  const doc = data.documents.find((d) => d.number === change.number);
  if (!doc) throw new Error(`no document numbered ${change.number}`);
  const statuses: Record<string, DocumentStatus> = { void: "VOIDED", delete: "DELETED", pay: "PAID", authorise: "AUTHORISED" };
  if (statuses[change.action]) doc.Status = statuses[change.action];
  if (change.action === "remove-line") {
    if (doc.lines.length < 2) throw new Error(`${doc.number} has one line; Xero keeps at least one`);
    doc.lines.pop();
    recomputeTotals(doc);
  }
  if (change.action === "edit-line") {
    const line = doc.lines[0];
    line.quantity4 += 10_000;
    line.lineCents = Math.round((line.quantity4 / 10_000) * (line.unitAmount4 / 100) * (1 - (line.DiscountRate ?? 0) / 100));
    line.taxCents =
      doc.LineAmountTypes === "NoTax" ? 0 : doc.LineAmountTypes === "Inclusive" ? Math.round((line.lineCents * GST_RATE) / (1 + GST_RATE)) : Math.round(line.lineCents * GST_RATE);
    recomputeTotals(doc);
  }
  doc.updatedMs = touch(data);
  return doc;
}
