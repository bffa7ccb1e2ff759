// Product groups that are not sales (freight, consumables, pallet wrapping…): their lines stay in
// the facts, flagged is_sales_product = false, and are left out of the revenue KPIs. The list is
// the Dataform variable `non_sales_product_groups` (dataform.json, comma-separated); change it
// there or for one run with `dataform run --vars=non_sales_product_groups=Freight,Pallets`.
// Groups match after folding case and punctuation.

const DEFAULT = "Freight,Consumables,Pallet Wrapping,Pallets";

function nonSalesGroups() {
  const vars = (typeof dataform !== "undefined" && dataform.projectConfig && dataform.projectConfig.vars) || {};
  return String(vars.non_sales_product_groups || DEFAULT)
    .split(",")
    .map((group) => group.trim().toLowerCase().replace(/[^a-z0-9]+/g, " ").trim())
    .filter(Boolean);
}

/** True unless the group (a SQL expression) is one of the non-sales groups; a product without a group is a sales product. */
function isSalesProduct(groupExpression) {
  const folded = `btrim(regexp_replace(lower(${groupExpression}), '[^[:alnum:]]+', ' ', 'g'))`;
  const list = nonSalesGroups().map((g) => `'${g.replace(/'/g, "''")}'`).join(", ");
  return `(${groupExpression} is null or ${folded} not in (${list}))`;
}

module.exports = { nonSalesGroups, isSalesProduct };
