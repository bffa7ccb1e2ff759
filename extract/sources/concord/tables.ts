/**
 * The ConcordDb tables salesdw syncs, the phase each belongs to (a user selects phases with
 * `--phase 1,2`) and what each holds. Phase 1 is what the client dimension and invoice facts
 * need; 2 the rest of the client relations; 3 supply orders; 4 translations. The sales tables
 * (empty in the development database) are in phase 1 too, so their rows land the day they appear.
 */
export interface ConcordTableInfo {
  phase: 1 | 2 | 3 | 4;
  description: string;
}

export const CONCORD_TABLES: Record<string, ConcordTableInfo> = {
  Client: { phase: 1, description: "Clients (wholesale buyers and suppliers): names, codes, addresses, flags; a sub-client points at its main client." },
  RetailClient: { phase: 1, description: "Retail (e-commerce) clients: name, phone, shopping cart." },
  OrganizationClient: { phase: 1, description: "Organisation clients (Polish companies): full name, address, NIP, margin." },
  ClientBankDetails: { phase: 1, description: "Bank details of clients: bank and branch, SWIFT, links to the account number and IBAN rows." },
  ClientAgreement: { phase: 1, description: "Agreements between a client and the company: reservation term and current amount." },
  SaleInvoiceDocument: { phase: 1, description: "Sale invoice documents: payment type, VAT, shipping amounts (local currency and EUR), exchange rate." },
  SaleInvoiceNumber: { phase: 1, description: "Sale invoice numbers as printed." },
  ClientType: { phase: 1, description: "Client types (buyer, provider, resale client)." },
  ClientTypeRole: { phase: 1, description: "Roles within a client type (wholesale, retail, dealer…)." },
  SaleBaseShiftStatus: { phase: 1, description: "Shift statuses of sales (full or partial) with a comment." },
  PerfectClient: { phase: 1, description: "Checklist items of the 'perfect client' profile per client type role." },
  Sale: { phase: 1, description: "Sales: one per order, with agreement, invoice document and number, delivery and payment state. Empty in the development database." },
  SaleReturn: { phase: 1, description: "Returns of sales by a client. Empty in the development database." },
  SaleReturnItem: { phase: 1, description: "Returned order items with quantity, amount and reason. Empty in the development database." },
  Order: { phase: 1, description: "Orders (shop, local, offer) of a client agreement. Empty in the development database." },
  OrderItem: { phase: 1, description: "Order lines: product, quantity, price per item (with and without VAT), discounts. Empty in the development database." },
  ClientBankDetailAccountNumber: { phase: 2, description: "Bank account numbers of client bank details, with their currency." },
  ClientBankDetailIbanNo: { phase: 2, description: "IBANs of client bank details, with their currency." },
  ClientInRole: { phase: 2, description: "The type and role of each client (one row per client)." },
  OrganizationClientAgreement: { phase: 2, description: "Agreements of organisation clients: number, start date, currency." },
  ClientSubClient: { phase: 2, description: "Root client → sub-client links (hard-deleted by the application when unlinked)." },
  SupplyOrder: { phase: 3, description: "Supply orders to suppliers: prices, transport, arrival and completion dates (hard-deleted by sync jobs)." },
  SupplyOrderItem: { phase: 3, description: "Lines of supply orders: product, quantity, prices, weights (hard-deleted by sync jobs)." },
  SupplyOrderDeliveryDocument: { phase: 3, description: "Delivery documents attached to supply orders." },
  SupplyOrderNumber: { phase: 3, description: "Supply order numbers (hard-deleted by sync jobs)." },
  SupplyOrderPaymentDeliveryProtocolKey: { phase: 3, description: "Keys of payment and delivery protocols of supply orders." },
  SupplyOrderUkrainePaymentDeliveryProtocolKey: { phase: 3, description: "Keys of Ukrainian payment and delivery protocols of supply orders." },
  ClientTypeTranslation: { phase: 4, description: "Client type names per culture (uk, ru, pl…)." },
  ClientTypeRoleTranslation: { phase: 4, description: "Client type role names and descriptions per culture." },
  PerfectClientTranslation: { phase: 4, description: "Perfect-client checklist texts per culture." },
  PerfectClientValue: { phase: 4, description: "Selectable values of perfect-client checklist items." },
  PerfectClientValueTranslation: { phase: 4, description: "Perfect-client values per culture." },
};

/** The contract entity of a table: its name in lower case (raw table `concord__<entity>`). */
export function entityOf(table: string): string {
  return table.toLowerCase();
}

/** The contract column name of a SQL Server column: NetUID → net_uid, SourceFenixID → source_fenix_id, IBANNO → ibanno. */
export function columnNameOf(sqlName: string): string {
  return sqlName
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
}
