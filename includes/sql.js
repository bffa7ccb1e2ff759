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

/** A stable text key from several parts (md5 of the parts joined by |). */
function surrogateKey(parts) {
  return `md5(${parts.map((p) => `coalesce(${p}::text, '')`).join(" || '|' || ")})`;
}

module.exports = { codeLookup, literal, allowedValues, contractColumnDocs, surrogateKey };
