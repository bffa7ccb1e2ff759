// GENERATED from contracts/*.yaml by `npm run contracts:generate`. Do not edit by hand.
// Dataform's compile sandbox cannot read YAML files; this is the contracts' view for SQLX.
module.exports = {
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
  }
};
