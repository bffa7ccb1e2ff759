// Xero: the organisation's base currency. Xero states each document's CurrencyRate as units of the
// document currency per unit of the base currency (1 for base-currency documents), so an amount in
// the base currency is the amount divided by the rate. The base currency is the organisation's own
// (GET /Organisation → BaseCurrency), landed by the sync and read by canonical.xero_organisation;
// the Dataform variable `xero_base_currency` (dataform.json, or `--vars=xero_base_currency=AUD`) is
// only the fallback for a warehouse where no organisation was synced yet.

const DEFAULT_BASE_CURRENCY = "NZD";

/** The base currency when no organisation was synced: the variable xero_base_currency (NZD by default). */
function fallbackBaseCurrency() {
  const vars = (typeof dataform !== "undefined" && dataform.projectConfig && dataform.projectConfig.vars) || {};
  const code = String(vars.xero_base_currency || DEFAULT_BASE_CURRENCY).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`xero_base_currency must be an ISO 4217 code such as NZD, got "${code}"`);
  return code;
}

/** SQL: an amount in the base currency (`base`: a SQL expression, the organisation's), NULL when a foreign-currency document has no usable rate. */
function toBase(amount, currency, rate, base) {
  return `(case when ${currency} = ${base} then ${amount}
    when ${rate} > 0 then round(${amount} / ${rate}, 2) end)`;
}

/** SQL: true when a document's amounts cannot be put in the base currency (foreign currency, no rate above 0). */
function lacksBaseAmount(currency, rate, base) {
  return `(${currency} is distinct from ${base} and (${rate} is null or ${rate} <= 0))`;
}

/** Days without a new Xero document before dq.issues says so (Dataform variable `xero_quiet_days`). */
function quietDays() {
  const vars = (typeof dataform !== "undefined" && dataform.projectConfig && dataform.projectConfig.vars) || {};
  const days = Number(vars.xero_quiet_days ?? 3);
  if (!Number.isInteger(days) || days < 1) throw new Error(`xero_quiet_days must be a whole number of days (1 or more), got "${vars.xero_quiet_days}"`);
  return days;
}

module.exports = { fallbackBaseCurrency, toBase, lacksBaseAmount, quietDays };
