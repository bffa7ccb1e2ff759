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
