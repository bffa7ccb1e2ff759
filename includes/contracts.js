// GENERATED from contracts/*.yaml by `npm run contracts:generate`. Do not edit by hand.
// Dataform's compile sandbox cannot read YAML files; this is the contracts' view for SQLX.
module.exports = {
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
