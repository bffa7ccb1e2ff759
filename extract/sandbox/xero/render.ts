/**
 * Xero's JSON as it comes off the wire: pretty-printed with CRLF line ends, slashes escaped
 * (`"\/Date(1573755038314+0000)\/"`), money with fixed decimals (`40.00`, never `40`).
 */
import { formatDotnetDate } from "../../sources/xero/json.ts";
import { fixed4, money, type SandboxContact, type SandboxData, type SandboxDocument, type SandboxItem, type SandboxLine } from "./data.ts";

/** A number written exactly as given (JSON.stringify would drop the trailing zeros). */
export class Decimal {
  constructor(readonly text: string) {}
  /** Stands in for the number inside JSON.stringify's output until xeroJson writes it bare. */
  toJSON(): string {
    return `${DECIMAL_OPEN}${this.text}${DECIMAL_CLOSE}`;
  }
}

/** Characters generated data never holds: JSON.stringify writes them as the escapes `\u0000` and `\u0001`. */
const DECIMAL_OPEN = "\u0000";
const DECIMAL_CLOSE = "\u0001";

export type Json = string | number | boolean | null | Decimal | Json[] | { [key: string]: Json | undefined };

/**
 * CRLF-pretty JSON with escaped slashes and exact decimals. JSON.stringify does the writing (its
 * two-space layout is Xero's), then decimals lose their quotes and marks, slashes get escaped (a
 * slash can only be inside a string in JSON) and line ends become CRLF. The decimals' marks go by
 * plain-text replaces, not a pattern with a capture: several times faster on a page of 1,000.
 * With `indent`, every line starts with it: the text of a list member, to be put into an envelope.
 */
export function xeroJson(value: Json, indent = ""): string {
  const text = JSON.stringify(value, null, 2).replaceAll('"\\u0000', "").replaceAll('\\u0001"', "").replaceAll("/", "\\/");
  return indent ? indent + text.replace(/\n/g, `\r\n${indent}`) : text.replace(/\n/g, "\r\n");
}

const d = (text: string) => new Decimal(text);

/** `2019-07-22T00:00:00`: the date beside the .NET date. */
function dateString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export function renderContactRef(contact: SandboxContact | undefined, id: string): Json {
  return { ContactID: id, Name: contact?.Name ?? "", Addresses: [], Phones: [], ContactGroups: [], ContactPersons: [], HasValidationErrors: false };
}

function renderLine(line: SandboxLine, dp: 2 | 4): Json {
  return {
    Description: line.Description,
    UnitAmount: d(fixed4(line.unitAmount4, dp)),
    TaxType: line.TaxType,
    TaxAmount: d(money(line.taxCents)),
    LineAmount: d(money(line.lineCents)),
    AccountCode: line.AccountCode,
    ItemCode: line.ItemCode,
    Tracking: line.Tracking,
    Quantity: d(fixed4(line.quantity4, dp)),
    DiscountRate: line.DiscountRate === undefined ? undefined : d(line.DiscountRate.toFixed(2)),
    LineItemID: line.LineItemID,
    ValidationErrors: [],
  };
}

export function renderDocument(doc: SandboxDocument, data: SandboxData, options: { withLines: boolean; dp: 2 | 4 }): { [key: string]: Json | undefined } {
  const contact = data.contacts.find((c) => c.ContactID === doc.contactId);
  const total = doc.subTotalCents + doc.totalTaxCents;
  const paid = doc.Status === "PAID" ? total : 0;
  const common = {
    Contact: renderContactRef(contact, doc.contactId),
    DateString: dateString(doc.dateMs),
    Date: formatDotnetDate(doc.dateMs),
    Status: doc.Status,
    LineAmountTypes: doc.LineAmountTypes,
    LineItems: options.withLines ? doc.lines.map((l) => renderLine(l, options.dp)) : [],
    SubTotal: d(money(doc.subTotalCents)),
    TotalTax: d(money(doc.totalTaxCents)),
    Total: d(money(total)),
    UpdatedDateUTC: formatDotnetDate(doc.updatedMs),
    CurrencyCode: doc.CurrencyCode,
  };
  if (doc.kind === "credit_note") {
    return {
      Type: doc.Type,
      CreditNoteID: doc.id,
      CreditNoteNumber: doc.number,
      Reference: doc.Reference,
      RemainingCredit: d(money(doc.Status === "PAID" ? 0 : total)),
      Allocations: [],
      Payments: [],
      HasAttachments: false,
      ...common,
      CurrencyRate: d(doc.CurrencyRate),
      FullyPaidOnDate: doc.Status === "PAID" ? formatDotnetDate(doc.dateMs + 5 * 86_400_000) : undefined,
    };
  }
  return {
    Type: doc.Type,
    InvoiceID: doc.id,
    InvoiceNumber: doc.number,
    Reference: doc.Reference,
    Payments: [],
    CreditNotes: [],
    Prepayments: [],
    Overpayments: [],
    AmountDue: d(money(total - paid)),
    AmountPaid: d(money(paid)),
    AmountCredited: d("0.00"),
    CurrencyRate: d(doc.CurrencyRate),
    IsDiscounted: doc.lines.some((l) => l.DiscountRate !== undefined),
    HasAttachments: false,
    HasErrors: false,
    DueDateString: dateString(doc.dueMs),
    DueDate: formatDotnetDate(doc.dueMs),
    ...common,
  };
}

export function renderContact(contact: SandboxContact): { [key: string]: Json | undefined } {
  return {
    ContactID: contact.ContactID,
    ContactNumber: contact.ContactNumber,
    AccountNumber: contact.AccountNumber,
    ContactStatus: contact.ContactStatus,
    Name: contact.Name,
    FirstName: contact.FirstName,
    LastName: contact.LastName,
    EmailAddress: contact.EmailAddress,
    Addresses: [{ AddressType: "STREET", City: contact.City, Region: "", PostalCode: "", Country: "New Zealand" }],
    Phones: [{ PhoneType: "DEFAULT", PhoneNumber: "", PhoneAreaCode: "", PhoneCountryCode: "" }],
    UpdatedDateUTC: formatDotnetDate(contact.updatedMs),
    ContactGroups: [],
    IsSupplier: contact.IsSupplier,
    IsCustomer: contact.IsCustomer,
    DefaultCurrency: contact.DefaultCurrency,
    HasAttachments: false,
    HasValidationErrors: false,
  };
}

export function renderItem(item: SandboxItem): { [key: string]: Json | undefined } {
  return {
    ItemID: item.ItemID,
    Code: item.Code,
    Description: item.Description,
    PurchaseDescription: item.IsPurchased ? item.Description : undefined,
    UpdatedDateUTC: formatDotnetDate(item.updatedMs),
    PurchaseDetails: item.IsPurchased ? { UnitPrice: d(money(Math.round(item.unitPriceCents * 0.6))), AccountCode: "300", TaxType: "INPUT2" } : {},
    SalesDetails: { UnitPrice: d(money(item.unitPriceCents)), AccountCode: "200", TaxType: "OUTPUT2" },
    Name: item.Name,
    IsTrackedAsInventory: false,
    IsSold: item.IsSold,
    IsPurchased: item.IsPurchased,
  };
}

/** GET /Organisation's one organisation, with the fields Xero sends (BaseCurrency is what the warehouse reads). */
export function renderOrganisation(data: SandboxData): { [key: string]: Json | undefined } {
  const country = data.baseCurrency === "NZD" ? "NZ" : data.baseCurrency === "AUD" ? "AU" : data.baseCurrency.slice(0, 2);
  return {
    APIKey: "",
    Name: data.tenantName,
    LegalName: data.tenantName,
    PaysTax: true,
    Version: country,
    OrganisationType: "COMPANY",
    BaseCurrency: data.baseCurrency,
    CountryCode: country,
    IsDemoCompany: false,
    OrganisationStatus: "ACTIVE",
    FinancialYearEndDay: 31,
    FinancialYearEndMonth: 3,
    SalesTaxBasis: "INVOICE",
    SalesTaxPeriod: "TWOMONTHS",
    DefaultSalesTax: "Tax Exclusive",
    DefaultPurchasesTax: "Tax Exclusive",
    CreatedDateUTC: formatDotnetDate(Date.UTC(2024, 5, 1, 9)),
    OrganisationEntityType: "COMPANY",
    Timezone: "NEWZEALANDSTANDARDTIME",
    ShortCode: "!sbx01",
    OrganisationID: data.tenantId,
    Edition: "BUSINESS",
    Class: "STANDARD",
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  };
}

/** Reads a rendered record's field for `where`: money as a number, .NET dates as milliseconds. */
export function readField(record: unknown, path: string[]): string | number | boolean | null | undefined {
  let value: unknown = record;
  for (const part of path) value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  if (value instanceof Decimal) return Number(value.text);
  if (typeof value === "string") {
    const date = /^\/Date\((-?\d+)/.exec(value);
    return date ? Number(date[1]) : value;
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  return undefined;
}
