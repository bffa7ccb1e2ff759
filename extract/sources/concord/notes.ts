/**
 * What the application's C# enums mean for the int columns that hold them (from the application's
 * code; the database catalog does not say). Used in the descriptions `contracts scaffold` writes.
 */
export const SCHEMA_NOTES: Record<string, string> = {
  "ClientType.Type": "Enum ClientTypeType: 0 Buyer, 1 Provider, 2 ReSaleClient.",
  "PerfectClient.Type": "Enum PerfectClientType: 1 Checkbox, 2 Toggle.",
  "SaleInvoiceDocument.ClientPaymentType": "Enum ClientPaymentType: 0 Organization, 1 Individual.",
  "SaleInvoiceDocument.PaymentType": "Enum SalePaymentType: 0 Cash, 1 Transfer, 2 CashAfterDelivery.",
  "SaleBaseShiftStatus.ShiftStatus": "Enum SaleShiftStatus: 0 Full, 1 Partial.",
  "SaleReturnItem.SaleReturnItemStatus": "Enum SaleReturnItemStatus: 0 ProductArrivedNotAtTime, 1 NotFullDelivery, 2 IncorrectAssortment, 3 IncorrectCrossCode, 4 ProductAbandon, 5 IncorrectQuality, 6 Defect, 7 ClientNotTookProduct, 8 SupplierWithdrawal.",
  "Order.OrderSource": "Enum OrderSource: 0 Shop, 1 Local, 2 Offer.",
  "Order.OrderStatus": "Enum OrderStatus: 0 NewOrderCart, 1 Sale, 2 Closed.",
  "OrderItem.OfferProcessingStatus": "Enum OfferProcessingStatus: 0 NotProcessed, 1 PartiallyProcessed, 2 FullyProcessed.",
  "SupplyOrder.TransportationType": "Enum SupplyTransportationType: 0 Vehicle, 1 Ship, 2 Plane.",
};

/** What a reviewer added to the scaffolded descriptions: what the column means to the business. */
export const REVIEW_NOTES: Record<string, string> = {
  "Client.Name": "Short name as the sales staff use it.",
  "Client.FullName": "Registered full name.",
  "Client.TIN": "Individual taxpayer number (РНОКПП) of a person.",
  "Client.USREOU": "Company code in the Ukrainian state register (ЄДРПОУ).",
  "Client.ClientNumber": "Client code in the ERP; not unique there (duplicates are reported in dq).",
  "Client.IsSubClient": "A sub-client of another client (see MainClientID and ClientSubClient).",
  "Client.MainClientID": "The main client of a sub-client.",
  "Client.SourceFenixID": "Id in the legacy Fenix system.",
  "Client.SourceAmgID": "Id in the legacy AMG system.",
  "Client.Comment": "Free text; can exceed 8 KB.",
  "ClientAgreement.CurrentAmount": "Current amount of the agreement, in the agreement's currency (Agreement → Currency, not synced).",
  "ClientBankDetailIbanNo.IBANNO": "IBAN as typed in; not validated by the application (dq checks ISO 13616). Masked before it reaches mart.",
  "ClientBankDetailAccountNumber.AccountNumber": "Account number as typed in. Masked before it reaches mart.",
  "ClientInRole.ClientID": "One row per client (a unique index in ConcordDb).",
  "ClientSubClient.RootClientID": "The main client.",
  "ClientSubClient.SubClientID": "The sub-client.",
  "OrganizationClient.NIP": "Polish tax identification number.",
  "OrganizationClient.MarginAmount": "Margin agreed with the organisation.",
  "SaleInvoiceDocument.Vat": "VAT of the document, in the local currency.",
  "SaleInvoiceDocument.ShippingAmount": "Shipping, VAT included, in the local currency.",
  "SaleInvoiceDocument.ShippingAmountEur": "Shipping, VAT included, in EUR.",
  "SaleInvoiceDocument.ExchangeRateAmount": "EUR exchange rate the document used.",
  "SaleInvoiceNumber.Number": "Invoice number as printed.",
  "Sale.OrderID": "The order this sale came from (one sale per order).",
  "Sale.SaleInvoiceDocumentID": "The invoice document of the sale.",
  "Sale.SaleInvoiceNumberID": "The printed invoice number of the sale.",
  "Sale.ChangedToInvoice": "When the sale became an invoice.",
  "OrderItem.PricePerItem": "Price per item in the agreement's currency.",
  "OrderItem.Qty": "Quantity ordered (float).",
};
