/**
 * The list endpoints of /api/v1, each declared once: the mart it reads, its columns (with their
 * descriptions, which become the OpenAPI document), its key, its date column and its filters.
 */
import type { Column, ColumnType, Filter, ListSpec } from "./list-route.ts";

const col = (name: string, type: ColumnType, description: string): Column => ({ name, type, description });

const text = (description: string, maxLength = 200) => ({ type: "string", minLength: 1, maxLength, description });
const filters = {
  source: { param: "source", column: "source_system", schema: { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}$", description: "Source system (lower-case name, e.g. karamad)." } },
  currency: { param: "currency", column: "currency", schema: { type: "string", pattern: "^[A-Z]{3}$", description: "Currency, an ISO 4217 code in capitals (e.g. IRR)." } },
  server: { param: "source", column: "source_server", schema: text("Restaurant server the figures come from.") },
  department: { param: "department", column: "department", schema: text("Department (as the restaurant system names it).") },
} satisfies Record<string, Filter>;

const money = {
  netSales: col("net_sales", "decimal", "Sales minus returns."),
  grossSales: col("gross_sales", "decimal", "Sales before returns."),
  returns: col("returns", "decimal", "Returns (a positive amount)."),
};
const common = {
  source: col("source_system", "text", "Source system."),
  currency: col("currency", "text", "Currency (amounts of different currencies are never added)."),
  calendar: col("calendar", "text", "gregorian or jalali: which calendar's months the row is about."),
  month: col("month", "date", "First day of the month (for the Jalali calendar, the Gregorian date of the Jalali month's first day)."),
  jalaliMonth: col("jalali_month", "text", "Jalali month, YYYY-MM (Jalali calendar rows only)."),
};

/** Monthly marts hold every month twice, once per calendar; a list shows one calendar. */
const calendarFilter: Filter = {
  param: "calendar",
  column: "calendar",
  schema: { type: "string", enum: ["gregorian", "jalali"], default: "gregorian", description: "Whose months: gregorian (default) or jalali." },
};
const monthRange = { column: "month", grain: "month", jalaliMonthColumn: "jalali_month" } as const;

const netSalesDaily: ListSpec = {
  path: "/kpi/net-sales-daily",
  tag: "KPIs",
  summary: "Net sales per day",
  description: "Net and gross sales, returns, invoices and lines per day, source and currency.",
  mart: "kpi_net_sales_daily",
  columns: [
    common.source, common.currency, col("day", "date", "Gregorian day."), col("jalali_year", "integer", "Jalali year."),
    col("jalali_month", "integer", "Jalali month (1–12)."), col("jalali_date", "text", "Jalali date, yyyy/mm/dd."), money.netSales, money.grossSales, money.returns,
    col("invoices", "integer", "Sale invoices."), col("lines", "integer", "Sales lines."),
  ],
  key: ["day", "source_system", "currency"],
  dateRange: { column: "day", grain: "day" },
  filters: [filters.source, filters.currency],
};

const returnRate: ListSpec = {
  path: "/kpi/return-rate-by-product-month",
  tag: "KPIs",
  summary: "Return rate per product and month",
  description: "Quantities and amounts sold and returned per product, month, source and currency, and the return rate by quantity and by amount.",
  mart: "kpi_return_rate_by_product_month",
  columns: [
    common.source, common.currency, common.calendar, common.month, common.jalaliMonth,
    col("product_code", "text", "Product code."), col("product_name", "text", "Product name."),
    col("quantity_sold", "decimal", "Quantity sold."), col("quantity_returned", "decimal", "Quantity returned (positive)."),
    col("amount_sold", "decimal", "Net amount of sale lines."), col("amount_returned", "decimal", "Net amount of return lines (positive)."),
    col("return_rate_quantity", "decimal", "Returned ÷ sold, by quantity (null when nothing was sold)."),
    col("return_rate_amount", "decimal", "Returned ÷ sold, by amount (null when nothing was sold)."),
    col("sale_lines", "integer", "Sale lines."), col("return_lines", "integer", "Return lines."),
  ],
  key: ["calendar", "month", "source_system", "currency", "product_code"],
  dateRange: monthRange,
  filters: [calendarFilter, filters.source, filters.currency, { param: "product", column: "product_code", schema: text("Product code.") }],
};

const topCustomers: ListSpec = {
  path: "/kpi/top-customers-month",
  tag: "KPIs",
  summary: "Customers ranked by net sales per month",
  description: "Customers per month, source and currency with their net sales and rank in the month (1 = largest).",
  mart: "kpi_top_customers_month",
  columns: [
    common.source, common.currency, common.calendar, common.month, common.jalaliMonth,
    col("customer_code", "text", "Customer code."), col("customer_name", "text", "Customer name."),
    money.netSales, money.grossSales, money.returns,
    col("invoices", "integer", "Sale invoices."), col("active_days", "integer", "Days with a purchase."),
    col("rank_in_month", "integer", "Rank by net sales within the month, source and currency (ties share a rank)."),
  ],
  key: ["calendar", "month", "source_system", "currency", "rank_in_month", "customer_code"],
  dateRange: monthRange,
  filters: [
    calendarFilter, filters.source, filters.currency,
    { param: "customer", column: "customer_code", schema: text("Customer code.") },
    { param: "top", column: "rank_in_month", op: "<=", schema: { type: "integer", minimum: 1, maximum: 100000, description: "Only ranks 1…top of each month." } },
  ],
};

const salespersonPerformance: ListSpec = {
  path: "/kpi/salesperson-performance-month",
  tag: "KPIs",
  summary: "Salesperson performance per month",
  description: "Net sales, invoices, customers and average invoice value per salesperson, month, source and currency.",
  mart: "kpi_salesperson_performance_month",
  columns: [
    common.source, common.currency, common.calendar, common.month, common.jalaliMonth, col("salesperson", "text", "Salesperson."),
    money.netSales, money.grossSales, money.returns, col("invoices", "integer", "Sale invoices."),
    col("customers", "integer", "Distinct customers."), col("average_invoice_value", "decimal", "Gross sales ÷ invoices (null without invoices)."),
  ],
  key: ["calendar", "month", "source_system", "currency", "salesperson"],
  dateRange: monthRange,
  filters: [calendarFilter, filters.source, filters.currency, { param: "salesperson", column: "salesperson", schema: text("Salesperson.") }],
};

const periodComparison: ListSpec = {
  path: "/kpi/period-comparison",
  tag: "KPIs",
  summary: "Week-, month- and year-to-date against one and two years earlier",
  description:
    "Per source and currency: WTD, MTD and YTD net sales as of the source's last day with sales, against the same span one and two years earlier, by the Gregorian and the Jalali calendar.",
  mart: "kpi_period_comparison",
  columns: [
    common.source, common.currency,
    col("calendar", "text", "gregorian or jalali."), col("period", "text", "WTD, MTD or YTD."), col("as_of", "date", "The source's last day with sales."),
    col("current_start", "date", "First day of the current span."), col("current_end", "date", "Last day of the current span."),
    col("prior_start", "date", "First day of the span a year earlier."), col("prior_end", "date", "Last day of the span a year earlier."),
    col("current_net", "decimal", "Net sales in the current span."), col("prior_net", "decimal", "Net sales in the span a year earlier."),
    col("change_pct", "decimal", "Change against a year earlier, in percent (null when that span has no sales)."),
    col("prior2_start", "date", "First day of the span two years earlier."), col("prior2_end", "date", "Last day of the span two years earlier."),
    col("prior2_net", "decimal", "Net sales in the span two years earlier."),
    col("change_pct_2y", "decimal", "Change against two years earlier, in percent (null when that span has no sales)."),
  ],
  key: ["source_system", "currency", "calendar", "period"],
  dateRange: { column: "as_of", grain: "day" },
  filters: [
    filters.source, filters.currency,
    { param: "calendar", column: "calendar", schema: { type: "string", enum: ["gregorian", "jalali"], description: "Calendar." } },
    { param: "period", column: "period", schema: { type: "string", enum: ["WTD", "MTD", "YTD"], description: "Period." } },
  ],
};

const salesSummary: ListSpec = {
  path: "/sales/summary",
  tag: "Restaurant sales",
  summary: "Restaurant sales per day and department",
  description: "Revenue, gross, discounts, orders, guests and quantity per business day, restaurant server, department and currency.",
  mart: "sales_summary_daily",
  columns: [
    col("source_server", "text", "Restaurant server."), col("department", "text", "Department."), col("business_day", "date", "Business day."),
    common.currency, col("revenue", "decimal", "Revenue."), col("gross_amount", "decimal", "Gross amount."),
    col("discount_amount", "decimal", "Discounts."), col("orders", "integer", "Orders."), col("guests", "integer", "Guests."),
    col("quantity", "decimal", "Items sold."),
  ],
  key: ["business_day", "source_server", "department", "currency"],
  dateRange: { column: "business_day", grain: "day" },
  filters: [filters.server, filters.department, filters.currency],
};

const salesHourly: ListSpec = {
  path: "/sales/hourly",
  tag: "Restaurant sales",
  summary: "Restaurant sales per hour",
  description: "Revenue, orders and quantity per business day, hour, restaurant server and department.",
  mart: "sales_by_hour",
  columns: [
    col("source_server", "text", "Restaurant server."), col("department", "text", "Department."), col("business_day", "date", "Business day."),
    col("hour", "integer", "Hour of the day (0–23)."), col("revenue", "decimal", "Revenue."), col("orders", "integer", "Orders."),
    col("quantity", "decimal", "Items sold."),
  ],
  key: ["business_day", "source_server", "department", "hour"],
  dateRange: { column: "business_day", grain: "day" },
  filters: [filters.server, filters.department, { param: "hour", column: "hour", schema: { type: "integer", minimum: 0, maximum: 23, description: "Hour of the day (0–23)." } }],
};

const salesStats: ListSpec = {
  path: "/sales/stats",
  tag: "Restaurant sales",
  summary: "Restaurant sales statistics over a date range",
  description:
    "Per currency over the range (after the filters): totals, days with sales, average revenue per day, per order and per guest, and the best and worst days (ties: the earlier day).",
  mart: "sales_summary_daily",
  columns: [
    common.currency, col("days", "integer", "Business days with sales."), col("first_day", "date", "First of them."), col("last_day", "date", "Last of them."),
    col("revenue", "decimal", "Total revenue."), col("gross_amount", "decimal", "Total gross."), col("discount_amount", "decimal", "Total discounts."),
    col("orders", "integer", "Total orders."), col("guests", "integer", "Total guests."), col("quantity", "decimal", "Total items sold."),
    col("average_daily_revenue", "decimal", "Revenue ÷ days, rounded to 2 decimals."),
    col("average_order_value", "decimal", "Revenue ÷ orders, rounded to 2 decimals (null without orders)."),
    col("average_guest_spend", "decimal", "Revenue ÷ guests, rounded to 2 decimals (null without guests)."),
    col("best_day", "date", "Day with the highest revenue."), col("best_day_revenue", "decimal", "Its revenue."),
    col("worst_day", "date", "Day with the lowest revenue."), col("worst_day_revenue", "decimal", "Its revenue."),
  ],
  key: ["currency"],
  dateRange: { column: "business_day", grain: "day" },
  filters: [{ ...filters.server, type: "text" }, { ...filters.department, type: "text" }, { ...filters.currency, type: "text" }],
  relation: (where) => `
    with days as (
      select currency::text as currency, business_day::date as day,
        sum(revenue)::numeric as revenue, sum(gross_amount)::numeric as gross_amount, sum(discount_amount)::numeric as discount_amount,
        sum(orders)::bigint as orders, sum(guests)::bigint as guests, sum(quantity)::numeric as quantity
      from mart.sales_summary_daily
      where ${where}
      group by 1, 2
    )
    select currency, count(*)::bigint as days, min(day) as first_day, max(day) as last_day,
      sum(revenue) as revenue, sum(gross_amount) as gross_amount, sum(discount_amount) as discount_amount,
      sum(orders)::bigint as orders, sum(guests)::bigint as guests, sum(quantity) as quantity,
      round(avg(revenue), 2) as average_daily_revenue,
      round(sum(revenue) / nullif(sum(orders), 0), 2) as average_order_value,
      round(sum(revenue) / nullif(sum(guests), 0), 2) as average_guest_spend,
      (array_agg(day order by revenue desc, day))[1] as best_day, max(revenue) as best_day_revenue,
      (array_agg(day order by revenue, day))[1] as worst_day, min(revenue) as worst_day_revenue
    from days
    group by currency`,
};

const sellerBalances: ListSpec = {
  path: "/sellers/balances",
  tag: "Sellers",
  summary: "Seller balances per day",
  description: "Money in and out per seller, day and currency, with the opening and closing balance.",
  mart: "seller_balance_daily",
  columns: [
    col("seller_id", "text", "Seller."), col("day", "date", "Day."), common.currency, col("inflow", "decimal", "Money in."),
    col("outflow", "decimal", "Money out."), col("net", "decimal", "Inflow − outflow."),
    col("opening_balance", "decimal", "Balance at the start of the day."), col("closing_balance", "decimal", "Balance at the end of the day."),
  ],
  key: ["day", "seller_id", "currency"],
  dateRange: { column: "day", grain: "day" },
  filters: [{ param: "seller", column: "seller_id", schema: text("Seller id.") }, filters.currency],
};

const freshness: ListSpec = {
  path: "/freshness",
  tag: "Operations",
  summary: "How current each source is",
  description: "Per source: the last event date, the last successful load, loads and failed loads, rows in raw and canonical.",
  mart: "data_freshness",
  columns: [
    common.source, col("last_event_date", "date", "Latest event date in canonical."), col("days_since_last_event", "integer", "Days from the last event to today."),
    col("last_load_at", "timestamp", "When the last successful load finished."), col("loads", "integer", "Successful loads."),
    col("failed_loads", "integer", "Failed load attempts."), col("raw_rows", "integer", "Rows landed in raw."),
    col("rejected_rows", "integer", "Rows kept in raw._rejects."), col("canonical_lines", "integer", "Lines in canonical.sales_line."),
  ],
  key: ["source_system"],
  dateRange: { column: "last_load_at", grain: "timestamp" },
  filters: [filters.source],
  readsClock: true, // days_since_last_event counts to today
};

const runs: ListSpec = {
  path: "/runs",
  tag: "Operations",
  summary: "Loads, newest first",
  description: "Every load attempt: file or batch, rows landed and rejected, status, message of a failed load, timings.",
  mart: "load_runs",
  columns: [
    col("load_id", "integer", "Load."), common.source, col("entity", "text", "Entity."), col("file_name", "text", "File (or endpoint/table)."),
    col("status", "text", "loaded or failed."), col("rows_loaded", "integer", "Rows landed in raw."), col("rows_rejected", "integer", "Rows kept in raw._rejects."),
    col("message", "text", "Why a failed load failed."), col("started_at", "timestamp", "Start."), col("finished_at", "timestamp", "End."),
    col("seconds", "decimal", "Duration in seconds."),
  ],
  key: ["load_id"],
  descending: true,
  dateRange: { column: "started_at", grain: "timestamp" },
  filters: [filters.source, { param: "status", column: "status", schema: { type: "string", enum: ["loaded", "failed"], description: "Load status." } }],
};

const dqIssues: ListSpec = {
  path: "/dq/issues",
  tag: "Operations",
  summary: "Data-quality findings, newest first",
  description: "Row-level findings of the data-quality checks (what was odd, where, how bad).",
  mart: "dq_issues",
  columns: [
    col("issue_key", "text", "Finding."), col("check_name", "text", "The check (net_mismatch, unparseable_date, …)."),
    col("severity", "text", "error, warning or info."), col("table_name", "text", "Where the record is."),
    col("record_key", "text", "The record."), col("detail", "text", "What was found."), col("load_id", "integer", "The load it came with."),
    common.source, col("detected_at", "timestamp", "The run that found it."),
  ],
  key: ["detected_at", "issue_key"],
  descending: true,
  dateRange: { column: "detected_at", grain: "timestamp" },
  filters: [
    filters.source,
    { param: "check", column: "check_name", schema: { type: "string", pattern: "^[a-z_]{1,63}$", description: "Check name." } },
    { param: "severity", column: "severity", schema: { type: "string", enum: ["error", "warning", "info"], description: "Severity." } },
    { param: "load", column: "load_id", schema: { type: "integer", minimum: 1, description: "Load id." } },
  ],
};

export const LIST_ROUTES: ListSpec[] = [
  netSalesDaily, returnRate, topCustomers, salespersonPerformance, periodComparison,
  salesSummary, salesHourly, salesStats, sellerBalances, freshness, runs, dqIssues,
];
