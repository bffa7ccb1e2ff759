// Small SQL builders shared by the models. Dialect-specific SQL lives here, so that moving
// to another warehouse means changing these helpers, not every model.

/** A CASE that maps a raw coded value to its warehouse code, using a contract column's allowed_values. */
function codeLookup(rawColumn, allowedValues) {
  const branches = Object.entries(allowedValues)
    .map(([folded, code]) => `when ${literal(folded)} then ${literal(code)}`)
    .join(" ");
  return `case util.fold_text(${rawColumn}) ${branches} end`;
}

/** A SQL string literal. */
function literal(text) {
  return `'${String(text).replace(/'/g, "''")}'`;
}

/** The allowed_values of one column of a contract, by raw table and column name. */
function allowedValues(rawTable, column) {
  const found = contracts[rawTable].columns.find((c) => c.name === column);
  if (!found || !found.allowed_values) throw new Error(`${rawTable}.${column} has no allowed_values in its contract`);
  return found.allowed_values;
}

/** Columns documentation for config blocks, taken from the contract so it is written once. */
function contractColumnDocs(rawTable) {
  return Object.fromEntries(contracts[rawTable].columns.map((c) => [c.name, c.description]));
}

/** Column docs of a staging model: the contract's, plus the columns staging adds. */
function stagingColumnDocs(rawTable) {
  return Object.assign(contractColumnDocs(rawTable), {
    invoice_date: "Gregorian date of the Jalali invoice date; NULL when the text is not a real Jalali day.",
    invoice_date_text: "The invoice date as received.",
    document_type: "SALE or RETURN; NULL when the source value is not in the contract's allowed_values.",
    document_type_text: "The document type as received.",
    _load_id: "The load (raw._loads) the row came in with.",
    _source_row: "Line number in the source file."
  });
}

/** A stable text key from several parts (md5 of the parts joined by |). */
function surrogateKey(parts) {
  return `md5(${parts.map((p) => `coalesce(${p}::text, '')`).join(" || '|' || ")})`;
}

module.exports = { codeLookup, literal, allowedValues, contractColumnDocs, stagingColumnDocs, surrogateKey };

/**
 * A filter for incremental models: rows of successful loads the model has not processed yet.
 * The load ids are worked out once (an ARRAY(...) init plan over the small ledger), so the
 * filter is a plain condition on the scan, checked before a view's expensive expressions; a
 * join or a NOT IN over the model would let PostgreSQL parse every row first.
 * Robust to loads that commit out of order, unlike a "load_id > max" watermark.
 */
function newLoads(self, { column = "_load_id", doneColumn = column, source, doneCondition = "" } = {}) {
  return `${column} = any(array(
    select l.load_id from raw._loads l
    where l.status = 'loaded' ${source ? `and l.source = ${literal(source)}` : ""}
      and not exists (select 1 from ${self} done where done.${doneColumn} = l.load_id ${doneCondition})))`;
}

module.exports.newLoads = newLoads;

/**
 * An assertion query that fails unless `column` of `table` is guarded by a valid unique index.
 * Used for the large incremental tables, whose keys the database itself keeps unique: checking
 * the guard costs nothing, where grouping a million keys on every run does not.
 */
function uniqueIndexAssertion(table, column) {
  return `
select ${literal(`${table} has no valid unique index on ${column}`)} as problem
where not exists (
  select 1
  from pg_index i
  join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
  where i.indrelid = to_regclass(${literal(table)})
    and i.indisunique and i.indisvalid and i.indnatts = 1 and a.attname = ${literal(column)}
)`;
}

module.exports.uniqueIndexAssertion = uniqueIndexAssertion;

/**
 * Joins each fact row to its month in both calendars: one row with calendar 'gregorian'
 * (month = the 1st of the Gregorian month) and one with 'jalali' (month = the Gregorian date of
 * the 1st of the Jalali month, jalali_month = 'YYYY-MM'). Month KPIs group by calendar and month,
 * so Persian finance reads Jalali months and everyone else Gregorian ones from the same view.
 */
function bothCalendarMonths(dateAlias) {
  return `cross join lateral (values
    ('gregorian', date_trunc('month', ${dateAlias}.date)::date, null::text),
    ('jalali', util.make_jalali_date(${dateAlias}.jalali_year, ${dateAlias}.jalali_month, 1),
      format('%s-%s', ${dateAlias}.jalali_year, lpad(${dateAlias}.jalali_month::text, 2, '0')))
  ) as period(calendar, month, jalali_month)`;
}

module.exports.bothCalendarMonths = bothCalendarMonths;
