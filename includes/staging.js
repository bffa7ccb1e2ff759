// Staging generated from the data contracts: one type → SQL expression table, used by
// definitions/staging/staging.js for every contract and by dq.issues for the matching findings.
// A new source gets typed staging by writing its contract; nothing here names a source.

/** The SQL type each contract type becomes, and how raw text is parsed into it. */
const TYPES = {
  text: { sqlType: "text", parse: (raw) => `util.clean_code(${raw})` },
  persian_text: { sqlType: "text", parse: (raw) => `util.clean_text(${raw})` },
  integer: { sqlType: "bigint", parse: (raw) => `util.parse_bigint(${raw})`, finding: "unparseable_integer" },
  decimal: { sqlType: "numeric", parse: (raw) => `util.parse_amount(${raw})`, finding: "unparseable_amount" },
  jalali_date: { sqlType: "date", parse: (raw) => `util.jalali_to_date(${raw})`, finding: "unparseable_date" },
  date: { sqlType: "date", parse: (raw) => `util.parse_iso_date(${raw})`, finding: "unparseable_date" },
  timestamp: { sqlType: "timestamptz", parse: (raw, zone) => `util.parse_timestamp(${raw}, ${zone})`, finding: "unparseable_timestamp" },
  boolean: { sqlType: "boolean", parse: (raw) => `util.parse_boolean(${raw})`, finding: "unparseable_boolean" },
  dotnet_date: { sqlType: "timestamptz", parse: (raw) => `util.parse_dotnet_date(${raw})`, finding: "unparseable_timestamp" },
  uuid: { sqlType: "text", parse: (raw) => `util.parse_uuid(${raw})`, finding: "unparseable_uuid" },
};

function quoteLiteral(text) {
  return `'${String(text).replace(/'/g, "''")}'`;
}

/** Coded values: exact (folded) matches first, then "contains" rules; NULL when nothing matches. */
function codeExpression(raw, column) {
  const exact = Object.entries(column.allowed_values || {})
    .map(([folded, code]) => `when ${quoteLiteral(folded)} then ${quoteLiteral(code)}`)
    .join(" ");
  const contains = Object.entries(column.contains_values || {})
    .map(([folded, code]) => `when strpos(util.fold_text(${raw}), ${quoteLiteral(folded)}) > 0 then ${quoteLiteral(code)}`)
    .join(" ");
  const parts = [];
  if (exact) parts.push(`case util.fold_text(${raw}) ${exact} end`);
  if (contains) parts.push(`case ${contains} end`);
  return parts.length === 1 ? parts[0] : `coalesce(${parts.join(", ")})`;
}

/** The time zone expression for a timestamp column (see the contract language in the README). */
function zoneExpression(column) {
  if (column.timezone_column) return `coalesce(nullif(btrim(source.${column.timezone_column}), ''), 'UTC')`;
  if (column.timezone === "load") return `coalesce(load.details ->> 'timezone', 'UTC')`;
  return quoteLiteral(column.timezone || "UTC");
}

function isCoded(column) {
  return Boolean(column.allowed_values || column.contains_values);
}

/** The typed value of one column, from the raw row aliased `source`. */
function typedExpression(contract, column) {
  const raw = `source.${column.name}`;
  let expression = isCoded(column) ? codeExpression(raw, column) : TYPES[column.type].parse(raw, zoneExpression(column));
  if (column.sum_of) {
    const parts = column.sum_of.map((name) => TYPES.decimal.parse(`source.${name}`));
    expression = `coalesce(${expression}, case when num_nonnulls(${parts.join(", ")}) > 0 then ${parts.map((p) => `coalesce(${p}, 0)`).join(" + ")} end)`;
  }
  const identity = contract.line_identity;
  if (identity && identity.column === column.name) {
    const group = identity.position_within.map((name) => typedExpression(contract, contract.columns.find((c) => c.name === name)));
    // Only when the load has no such column (raw NULL); an empty value in a file that has it is a finding.
    expression = `coalesce(${expression}, case when source.${column.name} is null then row_number() over (partition by source._load_id, ${group.join(", ")} order by util.parse_bigint(source._source_row), source._source_row) end)`;
  }
  return `${expression}::${TYPES[column.type].sqlType}`;
}

/** The typed view's SELECT for a contract: typed columns, their raw text, lineage. */
function typedQuery(contract, rawRef, loadsRef) {
  const needsLoad = contract.columns.some((c) => c.timezone === "load");
  const columns = contract.columns.flatMap((column) => [
    `${typedExpression(contract, column)} as ${column.name}`,
    `source.${column.name} as ${column.name}_text`,
  ]);
  return `
select
  ${columns.join(",\n  ")},
  source._extra,
  source._load_id,
  source._source_row,
  source._loaded_at
from ${rawRef} as source
${needsLoad ? `left join ${loadsRef} as load on load.load_id = source._load_id` : ""}`;
}

/** Columns documentation of a generated staging model. */
function columnDocs(contract) {
  const docs = {};
  for (const column of contract.columns) {
    docs[column.name] = `${column.description} (${isCoded(column) ? "code" : column.type}${column.sum_of ? `; sum of ${column.sum_of.join(" + ")} when empty` : ""})`;
    docs[`${column.name}_text`] = `${column.name} as received.`;
  }
  return Object.assign(docs, {
    _extra: "Source fields the contract does not know (schema drift), as received.",
    _load_id: "The load (raw._loads) the row came in with.",
    _source_row: "Line number in the file, or the record's key in the source.",
    _loaded_at: "When the load ran.",
  });
}

/** Row-level findings of one staging model: required values, values that do not parse, unknown codes. */
function findingsQuery(contract, stagingRef, filter) {
  const present = (column) => `nullif(btrim(${column.name}_text), '') is not null`;
  const branches = [];
  const identity = contract.line_identity && contract.line_identity.column;
  const required = contract.columns.filter((c) => c.required || c.name === identity);
  if (required.length) {
    const empty = (c) => (c.name === identity ? `(${c.name}_text is not null and not (${present(c)}))` : c.sum_of ? `${c.name} is null` : `not (${present(c)})`);
    branches.push(`
  select 'missing_required_value' as check_name, 'error' as severity, _load_id, _source_row,
    'empty: ' || concat_ws(', ', ${required.map((c) => `case when ${empty(c)} then ${quoteLiteral(c.name)} end`).join(", ")}) as detail
  from staged where ${required.map(empty).join(" or ")}`);
  }
  // A value that cannot be read is an error where the row needs it (required: left out above
  // staging), a warning otherwise. Dates the event-date rule falls back from are reported by it.
  const coveredByRules = new Set(contract.rules ? Object.values(contract.rules.event_date).filter((c) => c.length > 1).map((c) => c[0]) : []);
  const byCheck = {};
  for (const column of contract.columns) {
    if (coveredByRules.has(column.name)) continue;
    const check = isCoded(column) ? "unknown_code" : TYPES[column.type].finding;
    if (!check) continue;
    const key = `${check}|${column.required ? "error" : "warning"}`;
    (byCheck[key] = byCheck[key] || []).push(column);
  }
  for (const [key, columns] of Object.entries(byCheck)) {
    const [check, severity] = key.split("|");
    const bad = (c) => `(${c.name} is null and ${present(c)})`;
    const what = check === "unknown_code" ? "not in the contract's allowed values" : "cannot be read";
    branches.push(`
  select ${quoteLiteral(check)}, ${quoteLiteral(severity)}, _load_id, _source_row,
    concat_ws('; ', ${columns.map((c) => `case when ${bad(c)} then format(${quoteLiteral(`%s %L ${what}`)}, ${quoteLiteral(c.name)}, ${c.name}_text) end`).join(", ")})
  from staged where ${columns.map(bad).join(" or ")}`);
  }
  const rules = contract.rules;
  if (rules) {
    const [first, second] = rules.event_type.same_sign_columns;
    if (second) {
      branches.push(`
  select 'sign_mismatch', 'warning', _load_id, _source_row,
    format('${first} %s and ${second} %s have different signs; counted as %s', ${first}, ${second}, ${eventTypeExpression(contract)})
  from staged where sign(${first}) * sign(${second}) < 0`);
    }
    for (const [type, columns] of Object.entries(rules.event_date)) {
      if (columns.length < 2) continue;
      branches.push(`
  select 'fallback_event_date', 'warning', _load_id, _source_row,
    format('${type} without a usable ${columns[0]} (%L): dated by %s', ${columns[0]}_text, ${columns.slice(1).join(", ")})
  from staged where ${eventTypeExpression(contract)} = ${quoteLiteral(type)} and ${columns[0]} is null and ${columns[0]}_text is not null`);
    }
  }
  return `
with staged as (
  select * from ${stagingRef} ${filter}
)
${branches.length ? branches.join("\n  union all") : "select null::text as check_name, null::text as severity, null::bigint as _load_id, null::text as _source_row, null::text as detail where false"}`;
}

/**
 * SALE or RETURN by the contract's rule, over a staging row: RETURN when the type column holds a
 * return code or any sign column is negative; NULL when the type is unknown (reported, left out).
 */
function eventTypeExpression(contract) {
  const rule = contract.rules.event_type;
  const negative = rule.negative_columns.map((c) => `${c} < 0`);
  return `(case when ${rule.column} is null then null when ${[`${rule.column} in (${rule.return_codes.map(quoteLiteral).join(", ")})`, ...negative].join(" or ")} then 'RETURN' else 'SALE' end)`;
}

/** The date a line happened, by the contract's rule: the first usable date column for its event type. */
function eventDateExpression(contract, eventType = eventTypeExpression(contract)) {
  const branches = Object.entries(contract.rules.event_date).map(([type, columns]) => `when ${quoteLiteral(type)} then coalesce(${columns.join(", ")})`);
  return `(case ${eventType} ${branches.join(" ")} end)`;
}

/** An amount signed by event type: negative for a RETURN whatever sign the source wrote. */
function signed(column, eventType) {
  return `(case when ${eventType} = 'RETURN' then -abs(${column}) else ${column} end)`;
}

module.exports = { TYPES, typedQuery, columnDocs, findingsQuery, eventTypeExpression, eventDateExpression, signed };
