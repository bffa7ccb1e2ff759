// GENERATED from contracts/*.yaml by `npm run contracts:generate`. Do not edit by hand.
// Dataform's compile sandbox cannot read YAML files; this is the contracts' view for SQLX.
module.exports = {
  "events__opening_balance": {
    "source": "events",
    "entity": "opening_balance",
    "raw_table": "events__opening_balance",
    "description": "Opening balance per seller and currency: the balance carried in before the seller's first event in the warehouse (finance's figure from the system this one replaces). Applied to the first day of the seller's daily balance in that currency. When a later file gives a seller and currency again, the latest load wins.\n",
    "key": [
      "seller_id",
      "currency"
    ],
    "columns": [
      {
        "name": "seller_id",
        "type": "text",
        "required": true,
        "description": "The seller."
      },
      {
        "name": "currency",
        "type": "text",
        "required": true,
        "description": "ISO 4217 code of the balance."
      },
      {
        "name": "opening_balance",
        "type": "decimal",
        "required": true,
        "description": "The balance before the seller's first event; negative when the seller owed the marketplace."
      }
    ]
  },
  "events__seller_event": {
    "source": "events",
    "entity": "seller_event",
    "raw_table": "events__seller_event",
    "description": "Money events per seller, as exported by the marketplace. Which way money moves is decided by the event type: ORDER_PAID and PAYOUT_REVERSED are money in, PAYOUT, REFUND and FEE are money out (canonical.seller_ledger_event signs them so; a signed_amount or direction that disagrees is a sign_contradiction finding). Timestamps without an offset are read in the time zone given at extraction (`salesdw extract events --timezone`, recorded in the load's details).\n",
    "key": [
      "event_id"
    ],
    "columns": [
      {
        "name": "event_id",
        "type": "text",
        "required": true,
        "description": "The event's id, `20250701-S004-837647` style or a UUID; the same id twice is one event."
      },
      {
        "name": "event_ts",
        "type": "timestamp",
        "required": true,
        "description": "When the money moved. ISO 8601 with `T` or a space; an offset (+03:00, Z) is honoured, a naive value is read in the load's time zone.",
        "timezone": "load"
      },
      {
        "name": "seller_id",
        "type": "text",
        "required": true,
        "description": "The seller whose balance the event changes."
      },
      {
        "name": "event_type",
        "type": "text",
        "required": true,
        "description": "What happened, in either vocabulary. In: order_paid / order (ORDER_PAID), payout_reversed (PAYOUT_REVERSED). Out: payout (PAYOUT), refund (REFUND), fee_commission / fee (FEE).\n",
        "allowed_values": {
          "order_paid": "ORDER_PAID",
          "order": "ORDER_PAID",
          "payout_reversed": "PAYOUT_REVERSED",
          "payout": "PAYOUT",
          "refund": "REFUND",
          "fee_commission": "FEE",
          "fee": "FEE"
        }
      },
      {
        "name": "currency",
        "type": "text",
        "required": true,
        "description": "ISO 4217 code of the amounts (RUB, USD); balances are kept per currency."
      },
      {
        "name": "amount",
        "type": "decimal",
        "required": true,
        "description": "Size of the event, positive, two decimals (sometimes written with one, 106.4)."
      },
      {
        "name": "signed_amount",
        "type": "decimal",
        "required": false,
        "description": "Optional. The amount with the direction's sign (negative out); checked against the event type."
      },
      {
        "name": "direction",
        "type": "text",
        "required": false,
        "description": "Optional. in or out; checked against the event type.",
        "allowed_values": {
          "in": "IN",
          "out": "OUT"
        }
      },
      {
        "name": "source_system",
        "type": "text",
        "required": false,
        "description": "The upstream system that emitted the event (orders, payments, fees)."
      }
    ]
  },
  "iiko__olap_sales": {
    "source": "iiko",
    "entity": "olap_sales",
    "raw_table": "iiko__olap_sales",
    "description": "iikoServer OLAP v2 SALES report, one row per order (department, business day, order id, receipt number, close time, close hour, storno flag) with the dish sum before and after discount, the quantity and the guests. Times are the restaurant's local time without an offset.\n",
    "key": [
      "source_server",
      "business_day",
      "order_id",
      "storned",
      "close_time",
      "receipt_number",
      "department"
    ],
    "columns": [
      {
        "name": "source_server",
        "type": "text",
        "required": true,
        "description": "The server's name in IIKO_SERVERS (stamped by the extractor)."
      },
      {
        "name": "server_timezone",
        "type": "text",
        "required": true,
        "description": "The server's IANA time zone (IIKO_<NAME>_TIMEZONE, stamped by the extractor); local times are read in it."
      },
      {
        "name": "currency",
        "type": "text",
        "required": false,
        "description": "ISO 4217 currency of the server's amounts (IIKO_<NAME>_CURRENCY, stamped by the extractor); empty when not configured."
      },
      {
        "name": "business_day",
        "type": "date",
        "required": true,
        "description": "The order's business (\"accounting\") day, even when it closed after midnight or days later."
      },
      {
        "name": "department",
        "type": "text",
        "required": false,
        "description": "Department (restaurant, hall, delivery) as named on the server; iiko may give none."
      },
      {
        "name": "order_id",
        "type": "uuid",
        "required": true,
        "description": "The order's UUID (unique; the receipt number is not)."
      },
      {
        "name": "receipt_number",
        "type": "text",
        "required": false,
        "description": "Receipt number as printed; repeats across days and departments."
      },
      {
        "name": "close_time",
        "type": "timestamp",
        "required": false,
        "description": "When the order was closed, local time of the server (no offset in the source, 0–3 fractional digits).",
        "timezone_column": "server_timezone"
      },
      {
        "name": "close_hour",
        "type": "integer",
        "required": false,
        "description": "Local hour of closing (0–23), as the server computes it."
      },
      {
        "name": "storned",
        "type": "boolean",
        "required": false,
        "description": "TRUE for a storno (return) receipt."
      },
      {
        "name": "gross_amount",
        "type": "decimal",
        "required": false,
        "description": "Dish amount before discount (DishSumInt); may be fractional; negative on storno receipts."
      },
      {
        "name": "revenue",
        "type": "decimal",
        "required": false,
        "description": "Dish amount after discount (DishDiscountSumInt), the revenue; negative on storno receipts."
      },
      {
        "name": "quantity",
        "type": "decimal",
        "required": false,
        "description": "Dish quantity (DishAmountInt); fractional for weighed dishes."
      },
      {
        "name": "guests",
        "type": "integer",
        "required": false,
        "description": "Guests of the order (GuestNum)."
      }
    ]
  },
  "karamad__sales_line": {
    "source": "karamad",
    "entity": "sales_line",
    "raw_table": "karamad__sales_line",
    "description": "Karamad accounting's sales export (فروش و برگشت از فروش). Amounts are in rials, with or without thousands separators; dates are Jalali; returns are written with either sign.\n",
    "key": [
      "document_type",
      "invoice_number",
      "line_number"
    ],
    "line_identity": {
      "column": "line_number",
      "position_within": [
        "document_type",
        "invoice_number"
      ]
    },
    "rules": {
      "event_type": {
        "column": "document_type",
        "return_codes": [
          "RETURN"
        ],
        "negative_columns": [
          "quantity",
          "net_amount"
        ],
        "same_sign_columns": [
          "quantity",
          "net_amount"
        ]
      },
      "event_date": {
        "SALE": [
          "reference_date",
          "invoice_date"
        ],
        "RETURN": [
          "invoice_date"
        ]
      }
    },
    "columns": [
      {
        "name": "invoice_number",
        "type": "text",
        "required": true,
        "description": "Invoice (or return document) number as printed."
      },
      {
        "name": "line_number",
        "type": "integer",
        "required": false,
        "description": "Line number inside the invoice; when the export has none, the line's position among its invoice's lines in the file."
      },
      {
        "name": "invoice_date",
        "type": "jalali_date",
        "required": true,
        "description": "System (registration) date, Jalali, e.g. 1403/12/30 or ۱۴۰۴/۱/۱۸."
      },
      {
        "name": "reference_date",
        "type": "jalali_date",
        "required": false,
        "description": "Reference date, when the sale really happened (the visit / pre-invoice date); only in the sales-detail export."
      },
      {
        "name": "document_type",
        "type": "text",
        "required": true,
        "description": "Sale or return.",
        "allowed_values": {
          "فروش": "SALE",
          "فاکتور فروش": "SALE",
          "فروش نقدی": "SALE",
          "فروش اعتباری": "SALE",
          "فروش مویرگی": "SALE",
          "فروش عمده": "SALE",
          "برگشت از فروش": "RETURN"
        },
        "contains_values": {
          "برگشت": "RETURN"
        }
      },
      {
        "name": "customer_code",
        "type": "text",
        "required": false,
        "description": "Customer code in Karamad."
      },
      {
        "name": "customer_name",
        "type": "persian_text",
        "required": false,
        "description": "Customer name."
      },
      {
        "name": "product_code",
        "type": "text",
        "required": true,
        "description": "Product code in Karamad."
      },
      {
        "name": "product_name",
        "type": "persian_text",
        "required": false,
        "description": "Product name."
      },
      {
        "name": "quantity",
        "type": "decimal",
        "required": true,
        "description": "Quantity (free items included); either sign for returns; may carry a decimal part (۲٫۵)."
      },
      {
        "name": "unit",
        "type": "persian_text",
        "required": false,
        "description": "Unit of measure."
      },
      {
        "name": "unit_price",
        "type": "decimal",
        "required": false,
        "description": "Unit price before discount, in rials."
      },
      {
        "name": "gross_amount",
        "type": "decimal",
        "required": false,
        "description": "Amount before discount (quantity × unit price), in rials."
      },
      {
        "name": "volume_discount",
        "type": "decimal",
        "required": false,
        "description": "Volume discount in rials (sales-detail export); part of discount_amount."
      },
      {
        "name": "cash_discount",
        "type": "decimal",
        "required": false,
        "description": "Cash discount in rials (sales-detail export); part of discount_amount."
      },
      {
        "name": "discount_amount",
        "type": "decimal",
        "required": false,
        "description": "The line's discount in rials; in the sales-detail export, volume + cash discount. Empty means 0.",
        "sum_of": [
          "volume_discount",
          "cash_discount"
        ]
      },
      {
        "name": "tax_amount",
        "type": "decimal",
        "required": false,
        "description": "VAT and duties in rials."
      },
      {
        "name": "net_amount",
        "type": "decimal",
        "required": true,
        "description": "Payable, the line's net after discounts and tax (gross − discount + tax), in rials."
      },
      {
        "name": "branch",
        "type": "persian_text",
        "required": false,
        "description": "Selling branch."
      },
      {
        "name": "salesperson_code",
        "type": "text",
        "required": false,
        "description": "Salesperson code (sales-detail export)."
      },
      {
        "name": "salesperson",
        "type": "persian_text",
        "required": false,
        "description": "Salesperson (visitor) name."
      },
      {
        "name": "region",
        "type": "persian_text",
        "required": false,
        "description": "Sales region."
      }
    ]
  },
  "reckon__cluster_summary": {
    "source": "reckon",
    "entity": "cluster_summary",
    "raw_table": "reckon__cluster_summary",
    "description": "Cluster sizes and example customers, derived from the customer clusters file (the latest load of this entity is the one the models read).\n",
    "key": [
      "cluster"
    ],
    "columns": [
      {
        "name": "cluster",
        "type": "integer",
        "required": true,
        "description": "Cluster number."
      },
      {
        "name": "customer_count",
        "type": "integer",
        "required": true,
        "description": "Customers in the cluster."
      },
      {
        "name": "example_customers",
        "type": "text",
        "required": false,
        "description": "A few of its customers' names, comma-separated."
      }
    ]
  },
  "reckon__customer_clusters": {
    "source": "reckon",
    "entity": "customer_clusters",
    "raw_table": "reckon__customer_clusters",
    "description": "One row per Xero contact with its delivery address, coordinates and cluster number (the latest load of this entity is the one the models read).\n",
    "key": [
      "contact_name"
    ],
    "columns": [
      {
        "name": "contact_name",
        "type": "text",
        "required": true,
        "description": "Contact name as in Xero (\"Farmlands Wellsford\")."
      },
      {
        "name": "account_number",
        "type": "text",
        "required": false,
        "description": "Xero account number (FL03); empty for some contacts."
      },
      {
        "name": "attention_to",
        "type": "text",
        "required": false,
        "description": "Delivery address, attention line."
      },
      {
        "name": "address_line1",
        "type": "text",
        "required": false,
        "description": "Delivery address line 1."
      },
      {
        "name": "address_line2",
        "type": "text",
        "required": false,
        "description": "Delivery address line 2."
      },
      {
        "name": "address_line3",
        "type": "text",
        "required": false,
        "description": "Delivery address line 3."
      },
      {
        "name": "address_line4",
        "type": "text",
        "required": false,
        "description": "Delivery address line 4."
      },
      {
        "name": "city",
        "type": "text",
        "required": false,
        "description": "Delivery city."
      },
      {
        "name": "region",
        "type": "text",
        "required": false,
        "description": "Delivery region."
      },
      {
        "name": "postal_code",
        "type": "text",
        "required": false,
        "description": "Delivery postcode, as text (leading zeros matter)."
      },
      {
        "name": "latitude",
        "type": "decimal",
        "required": false,
        "description": "Latitude of the delivery address."
      },
      {
        "name": "longitude",
        "type": "decimal",
        "required": false,
        "description": "Longitude of the delivery address."
      },
      {
        "name": "cluster",
        "type": "integer",
        "required": true,
        "description": "Cluster number, compared as a number (cluster 10 comes after 9)."
      }
    ]
  },
  "reckon__customers": {
    "source": "reckon",
    "entity": "customers",
    "raw_table": "reckon__customers",
    "description": "Reckon customers as cleaned into CSV when the history was exported (loaded once, reloaded when corrected: the latest load of this entity is the one the models read).\n",
    "key": [
      "customer_id"
    ],
    "columns": [
      {
        "name": "customer_id",
        "type": "integer",
        "required": true,
        "description": "Reckon customer id (a number; compared as a number, never as text)."
      },
      {
        "name": "customer_name",
        "type": "text",
        "required": true,
        "description": "Full Reckon name with its hierarchy, \"Market - n:Parent:Branch\"."
      },
      {
        "name": "contact_name",
        "type": "text",
        "required": false,
        "description": "Contact person."
      },
      {
        "name": "phone",
        "type": "text",
        "required": false,
        "description": "Phone number."
      },
      {
        "name": "fax",
        "type": "text",
        "required": false,
        "description": "Fax number."
      },
      {
        "name": "bill_to",
        "type": "text",
        "required": false,
        "description": "Billing address as one text."
      },
      {
        "name": "balance_total",
        "type": "decimal",
        "required": false,
        "description": "Open balance in NZD at export time (float noise kept exactly)."
      },
      {
        "name": "market",
        "type": "text",
        "required": false,
        "description": "Market (\"Local - 1\"); the name's first segment says the same when the column is empty."
      },
      {
        "name": "merchant_group",
        "type": "text",
        "required": false,
        "description": "Buying or merchant group the customer belongs to."
      },
      {
        "name": "xero_account_number",
        "type": "text",
        "required": false,
        "description": "Account number in Xero (FL03); set on the Xero-side copies of a branch."
      }
    ]
  },
  "reckon__invoices": {
    "source": "reckon",
    "entity": "invoices",
    "raw_table": "reckon__invoices",
    "description": "Reckon invoice headers (Tax Invoices and Adjustment Notes) with their line count and net total ex GST in NZD; totals agree with their lines within half a cent.\n",
    "key": [
      "invoice_number"
    ],
    "columns": [
      {
        "name": "invoice_number",
        "type": "text",
        "required": true,
        "description": "Invoice or adjustment note number; a clash was suffixed (610428_1)."
      },
      {
        "name": "document_type",
        "type": "text",
        "required": true,
        "description": "Tax Invoice (a sale) or Adjustment Note (a credit, negative amounts).",
        "allowed_values": {
          "tax invoice": "SALE",
          "adjustment note": "RETURN"
        }
      },
      {
        "name": "invoice_date",
        "type": "date",
        "required": true,
        "description": "Document date, yyyy-mm-dd."
      },
      {
        "name": "lines",
        "type": "integer",
        "required": false,
        "description": "Number of lines on the document."
      },
      {
        "name": "net_amount",
        "type": "decimal",
        "required": true,
        "description": "Net total ex GST in NZD, signed (Adjustment Notes negative), float noise kept exactly."
      },
      {
        "name": "customer_id",
        "type": "integer",
        "required": false,
        "description": "Reckon customer id (a number)."
      },
      {
        "name": "customer_name",
        "type": "text",
        "required": false,
        "description": "Customer's full Reckon name."
      }
    ]
  },
  "reckon__products": {
    "source": "reckon",
    "entity": "products",
    "raw_table": "reckon__products",
    "description": "Reckon items as cleaned into CSV when the history was exported (the latest load of this entity is the one the models read).\n",
    "key": [
      "product_id"
    ],
    "columns": [
      {
        "name": "product_id",
        "type": "integer",
        "required": true,
        "description": "Reckon item id, as the sales lines refer to it (a number)."
      },
      {
        "name": "product_code",
        "type": "text",
        "required": false,
        "description": "Item code (the code Xero items use)."
      },
      {
        "name": "item_name",
        "type": "text",
        "required": true,
        "description": "Full item name with its group path, \"Group:Subgroup:Item\"."
      },
      {
        "name": "item_description",
        "type": "text",
        "required": false,
        "description": "Sales description."
      },
      {
        "name": "product_group",
        "type": "text",
        "required": false,
        "description": "Product group (Kiwi Klip, Freight, …); the name's first segment when empty."
      },
      {
        "name": "price",
        "type": "decimal",
        "required": false,
        "description": "List price ex GST, NZD."
      },
      {
        "name": "gross_price",
        "type": "decimal",
        "required": false,
        "description": "List price incl. GST, NZD."
      }
    ]
  },
  "reckon__sales_lines": {
    "source": "reckon",
    "entity": "sales_lines",
    "raw_table": "reckon__sales_lines",
    "description": "Reckon invoice and adjustment note lines ex GST in NZD, signed as in the file (Adjustment Notes negative). The latest load of this entity is the whole history: a corrected file replaces the previous one in the models.\n",
    "key": [
      "invoice_number",
      "line_number"
    ],
    "line_identity": {
      "column": "line_number",
      "position_within": [
        "invoice_number"
      ]
    },
    "rules": {
      "event_type": {
        "column": "document_type",
        "return_codes": [
          "RETURN"
        ],
        "negative_columns": [],
        "same_sign_columns": [
          "qty",
          "line_amount"
        ]
      },
      "event_date": {
        "SALE": [
          "invoice_date"
        ],
        "RETURN": [
          "invoice_date"
        ]
      }
    },
    "columns": [
      {
        "name": "invoice_number",
        "type": "text",
        "required": true,
        "description": "Invoice or adjustment note number (610428_1 is a different document from 610428)."
      },
      {
        "name": "line_number",
        "type": "integer",
        "required": false,
        "description": "Line number inside the invoice; the Reckon extract has none, so staging numbers each line by its position among its invoice's lines in the file.\n"
      },
      {
        "name": "invoice_date",
        "type": "date",
        "required": true,
        "description": "Document date, yyyy-mm-dd."
      },
      {
        "name": "document_type",
        "type": "text",
        "required": true,
        "description": "Tax Invoice (a sale) or Adjustment Note (a credit, negative amounts).",
        "allowed_values": {
          "tax invoice": "SALE",
          "adjustment note": "RETURN"
        }
      },
      {
        "name": "customer_id",
        "type": "integer",
        "required": true,
        "description": "Reckon customer id (a number)."
      },
      {
        "name": "customer_name",
        "type": "text",
        "required": false,
        "description": "Customer's full Reckon name, \"Market - n:Parent:Branch\"."
      },
      {
        "name": "product_id",
        "type": "integer",
        "required": true,
        "description": "Reckon item id (a number)."
      },
      {
        "name": "item_name",
        "type": "text",
        "required": false,
        "description": "Item's full name with its group path, \"Group:Subgroup:Item\"."
      },
      {
        "name": "qty",
        "type": "decimal",
        "required": true,
        "description": "Quantity, signed as in the file."
      },
      {
        "name": "unit_price",
        "type": "decimal",
        "required": false,
        "description": "Unit price ex GST, NZD."
      },
      {
        "name": "line_amount",
        "type": "decimal",
        "required": true,
        "description": "Line amount ex GST in NZD, signed (negative on Adjustment Notes), float noise kept exactly."
      }
    ]
  },
  "xero__contact": {
    "source": "xero",
    "entity": "contact",
    "raw_table": "xero__contact",
    "description": "Xero contacts, customers and suppliers, archived ones included; one row per version (UpdatedDateUTC).\n",
    "key": [
      "contact_id",
      "updated_date_utc"
    ],
    "columns": [
      {
        "name": "contact_id",
        "type": "uuid",
        "required": true,
        "description": "Xero's id of the contact."
      },
      {
        "name": "contact_number",
        "type": "text",
        "required": false,
        "description": "Number given by an integration or a user."
      },
      {
        "name": "account_number",
        "type": "text",
        "required": false,
        "description": "Account number (FL03), shared with the Reckon history's Xero-side customers."
      },
      {
        "name": "contact_status",
        "type": "text",
        "required": true,
        "description": "ACTIVE or ARCHIVED."
      },
      {
        "name": "name",
        "type": "text",
        "required": true,
        "description": "Contact (organisation) name."
      },
      {
        "name": "first_name",
        "type": "text",
        "required": false,
        "description": "First name of the contact person."
      },
      {
        "name": "last_name",
        "type": "text",
        "required": false,
        "description": "Last name of the contact person."
      },
      {
        "name": "email_address",
        "type": "text",
        "required": false,
        "description": "Email address."
      },
      {
        "name": "is_customer",
        "type": "boolean",
        "required": false,
        "description": "True when the contact has sales invoices."
      },
      {
        "name": "is_supplier",
        "type": "boolean",
        "required": false,
        "description": "True when the contact has bills."
      },
      {
        "name": "default_currency",
        "type": "text",
        "required": false,
        "description": "The contact's default currency."
      },
      {
        "name": "updated_date_utc",
        "type": "dotnet_date",
        "required": true,
        "description": "When this version was made; the latest one wins."
      }
    ]
  },
  "xero__credit_note_line": {
    "source": "xero",
    "entity": "credit_note_line",
    "raw_table": "xero__credit_note_line",
    "description": "Xero sales credit notes (ACCRECCREDIT: returns), one row per line per document version. The latest version of a document is the truth: its lines replace the earlier ones; VOIDED and DELETED versions take the document out of revenue.\n",
    "key": [
      "credit_note_id",
      "updated_date_utc",
      "line_position"
    ],
    "columns": [
      {
        "name": "credit_note_id",
        "type": "uuid",
        "required": true,
        "description": "Xero's id of the credit note (the same for every version)."
      },
      {
        "name": "credit_note_number",
        "type": "text",
        "required": false,
        "description": "Credit note number (CN-0001)."
      },
      {
        "name": "type",
        "type": "text",
        "required": true,
        "description": "ACCRECCREDIT for a sales credit note (ACCPAYCREDIT supplier credits are not requested)."
      },
      {
        "name": "status",
        "type": "text",
        "required": true,
        "description": "DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED or DELETED; only AUTHORISED and PAID are revenue."
      },
      {
        "name": "reference",
        "type": "text",
        "required": false,
        "description": "The customer's reference (a purchase order number)."
      },
      {
        "name": "contact_id",
        "type": "uuid",
        "required": false,
        "description": "The customer the credit is for (Xero ContactID)."
      },
      {
        "name": "contact_name",
        "type": "text",
        "required": false,
        "description": "The customer's name on the credit note."
      },
      {
        "name": "credit_note_date",
        "type": "dotnet_date",
        "required": true,
        "description": "Credit note date, midnight UTC of the day (/Date(ms+0000)/)."
      },
      {
        "name": "line_amount_types",
        "type": "text",
        "required": true,
        "description": "Exclusive, Inclusive (line amounts include their tax) or NoTax."
      },
      {
        "name": "sub_total",
        "type": "decimal",
        "required": false,
        "description": "Total excluding tax, as Xero states it."
      },
      {
        "name": "total_tax",
        "type": "decimal",
        "required": false,
        "description": "Total tax."
      },
      {
        "name": "total",
        "type": "decimal",
        "required": false,
        "description": "Total including tax."
      },
      {
        "name": "currency_code",
        "type": "text",
        "required": true,
        "description": "ISO 4217 currency of the amounts."
      },
      {
        "name": "remaining_credit",
        "type": "decimal",
        "required": false,
        "description": "Credit not yet allocated or refunded."
      },
      {
        "name": "currency_rate",
        "type": "decimal",
        "required": false,
        "description": "Units of the document currency per unit of the organisation's base currency."
      },
      {
        "name": "updated_date_utc",
        "type": "dotnet_date",
        "required": true,
        "description": "When this version was made; the latest one wins."
      },
      {
        "name": "line_position",
        "type": "integer",
        "required": true,
        "description": "The line's position in the document, from 1 (0 for a version without lines)."
      },
      {
        "name": "line_item_id",
        "type": "uuid",
        "required": false,
        "description": "Xero's id of the line (stable across versions); with the credit note id, the line's key."
      },
      {
        "name": "item_code",
        "type": "text",
        "required": false,
        "description": "Item code; empty on description-only lines."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "Line description."
      },
      {
        "name": "quantity",
        "type": "decimal",
        "required": false,
        "description": "Quantity (4 decimals)."
      },
      {
        "name": "unit_amount",
        "type": "decimal",
        "required": false,
        "description": "Unit price (4 decimals), including tax when line_amount_types is Inclusive."
      },
      {
        "name": "discount_rate",
        "type": "decimal",
        "required": false,
        "description": "Discount in percent."
      },
      {
        "name": "line_amount",
        "type": "decimal",
        "required": false,
        "description": "Line amount after discount; includes tax_amount when line_amount_types is Inclusive."
      },
      {
        "name": "tax_type",
        "type": "text",
        "required": false,
        "description": "Tax rate code (OUTPUT2 = 15% GST, NONE)."
      },
      {
        "name": "tax_amount",
        "type": "decimal",
        "required": false,
        "description": "The line's tax."
      },
      {
        "name": "account_code",
        "type": "text",
        "required": false,
        "description": "Revenue account the line posts to."
      },
      {
        "name": "tracking",
        "type": "text",
        "required": false,
        "description": "Tracking categories of the line, as JSON."
      }
    ]
  },
  "xero__invoice_line": {
    "source": "xero",
    "entity": "invoice_line",
    "raw_table": "xero__invoice_line",
    "description": "Xero sales invoices (ACCREC), one row per line per document version (UpdatedDateUTC). The latest version of a document is the truth: its lines replace the earlier ones; VOIDED and DELETED versions take the document out of revenue.\n",
    "key": [
      "invoice_id",
      "updated_date_utc",
      "line_position"
    ],
    "columns": [
      {
        "name": "invoice_id",
        "type": "uuid",
        "required": true,
        "description": "Xero's id of the invoice (the same for every version)."
      },
      {
        "name": "invoice_number",
        "type": "text",
        "required": false,
        "description": "Invoice number as shown to the customer (INV-0001)."
      },
      {
        "name": "type",
        "type": "text",
        "required": true,
        "description": "ACCREC for a sales invoice (ACCPAY bills are not requested)."
      },
      {
        "name": "status",
        "type": "text",
        "required": true,
        "description": "DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED or DELETED; only AUTHORISED and PAID are revenue."
      },
      {
        "name": "reference",
        "type": "text",
        "required": false,
        "description": "The customer's reference (a purchase order number)."
      },
      {
        "name": "contact_id",
        "type": "uuid",
        "required": false,
        "description": "The customer (Xero ContactID)."
      },
      {
        "name": "contact_name",
        "type": "text",
        "required": false,
        "description": "The customer's name on the invoice."
      },
      {
        "name": "invoice_date",
        "type": "dotnet_date",
        "required": true,
        "description": "Invoice date, midnight UTC of the day (/Date(ms+0000)/)."
      },
      {
        "name": "due_date",
        "type": "dotnet_date",
        "required": false,
        "description": "Due date."
      },
      {
        "name": "line_amount_types",
        "type": "text",
        "required": true,
        "description": "Exclusive, Inclusive (line amounts include their tax) or NoTax."
      },
      {
        "name": "sub_total",
        "type": "decimal",
        "required": false,
        "description": "Total excluding tax, as Xero states it."
      },
      {
        "name": "total_tax",
        "type": "decimal",
        "required": false,
        "description": "Total tax."
      },
      {
        "name": "total",
        "type": "decimal",
        "required": false,
        "description": "Total including tax."
      },
      {
        "name": "currency_code",
        "type": "text",
        "required": true,
        "description": "ISO 4217 currency of the amounts."
      },
      {
        "name": "currency_rate",
        "type": "decimal",
        "required": false,
        "description": "Units of the document currency per unit of the organisation's base currency."
      },
      {
        "name": "updated_date_utc",
        "type": "dotnet_date",
        "required": true,
        "description": "When this version was made; the latest one wins."
      },
      {
        "name": "line_position",
        "type": "integer",
        "required": true,
        "description": "The line's position in the document, from 1 (0 for a version without lines)."
      },
      {
        "name": "line_item_id",
        "type": "uuid",
        "required": false,
        "description": "Xero's id of the line (stable across versions); with the invoice id, the line's key."
      },
      {
        "name": "item_code",
        "type": "text",
        "required": false,
        "description": "Item code; empty on description-only lines."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "Line description."
      },
      {
        "name": "quantity",
        "type": "decimal",
        "required": false,
        "description": "Quantity (4 decimals)."
      },
      {
        "name": "unit_amount",
        "type": "decimal",
        "required": false,
        "description": "Unit price (4 decimals), including tax when line_amount_types is Inclusive."
      },
      {
        "name": "discount_rate",
        "type": "decimal",
        "required": false,
        "description": "Discount in percent."
      },
      {
        "name": "line_amount",
        "type": "decimal",
        "required": false,
        "description": "Line amount after discount; includes tax_amount when line_amount_types is Inclusive."
      },
      {
        "name": "tax_type",
        "type": "text",
        "required": false,
        "description": "Tax rate code (OUTPUT2 = 15% GST, NONE)."
      },
      {
        "name": "tax_amount",
        "type": "decimal",
        "required": false,
        "description": "The line's tax."
      },
      {
        "name": "account_code",
        "type": "text",
        "required": false,
        "description": "Revenue account the line posts to."
      },
      {
        "name": "tracking",
        "type": "text",
        "required": false,
        "description": "Tracking categories of the line, as JSON."
      }
    ]
  },
  "xero__item": {
    "source": "xero",
    "entity": "item",
    "raw_table": "xero__item",
    "description": "Xero items (products and services), the full list as of each load that changed it.\n",
    "key": [
      "item_id",
      "updated_date_utc"
    ],
    "columns": [
      {
        "name": "item_id",
        "type": "uuid",
        "required": true,
        "description": "Xero's id of the item."
      },
      {
        "name": "code",
        "type": "text",
        "required": true,
        "description": "Item code, as on invoice lines (ItemCode)."
      },
      {
        "name": "name",
        "type": "text",
        "required": false,
        "description": "Item name."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "Sales description."
      },
      {
        "name": "is_sold",
        "type": "boolean",
        "required": false,
        "description": "True when the item can be sold."
      },
      {
        "name": "is_purchased",
        "type": "boolean",
        "required": false,
        "description": "True when the item can be bought."
      },
      {
        "name": "is_tracked_as_inventory",
        "type": "boolean",
        "required": false,
        "description": "True for tracked inventory."
      },
      {
        "name": "sales_unit_price",
        "type": "decimal",
        "required": false,
        "description": "Sales unit price."
      },
      {
        "name": "sales_account_code",
        "type": "text",
        "required": false,
        "description": "Revenue account of sales."
      },
      {
        "name": "sales_tax_type",
        "type": "text",
        "required": false,
        "description": "Tax rate code of sales."
      },
      {
        "name": "updated_date_utc",
        "type": "dotnet_date",
        "required": false,
        "description": "When the item last changed."
      }
    ]
  }
};
