// GENERATED from contracts/*.yaml by `npm run contracts:generate`. Do not edit by hand.
// Dataform's compile sandbox cannot read YAML files; this is the contracts' view for SQLX.
module.exports = {
  "karamad__sales_line": {
    "source": "karamad",
    "entity": "sales_line",
    "raw_table": "karamad__sales_line",
    "key": [
      "document_type",
      "invoice_number",
      "line_number"
    ],
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
        "required": true,
        "description": "Line number inside the invoice."
      },
      {
        "name": "invoice_date",
        "type": "jalali_date",
        "required": true,
        "description": "Jalali invoice date, e.g. 1403/12/30 or ۱۴۰۴/۱/۱۸."
      },
      {
        "name": "document_type",
        "type": "text",
        "required": true,
        "description": "Sale or return.",
        "allowed_values": {
          "فروش": "SALE",
          "برگشت از فروش": "RETURN"
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
        "description": "Quantity, positive in the file for sales and returns; may carry a decimal part (۲٫۵)."
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
        "description": "Unit price in rials."
      },
      {
        "name": "gross_amount",
        "type": "decimal",
        "required": false,
        "description": "Quantity × unit price, in rials."
      },
      {
        "name": "discount_amount",
        "type": "decimal",
        "required": false,
        "description": "Discount in rials."
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
        "description": "Gross − discount + tax, in rials."
      },
      {
        "name": "branch",
        "type": "persian_text",
        "required": false,
        "description": "Selling branch."
      },
      {
        "name": "salesperson",
        "type": "persian_text",
        "required": false,
        "description": "Salesperson (visitor)."
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
