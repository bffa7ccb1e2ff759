// Reckon history: each extract is loaded once and reloaded when corrected, so the models read
// only the latest load of each entity (a corrected file supersedes the previous one whole).

/** The latest successful load (with rows) of one Reckon entity, as a scalar subquery over raw._loads. */
function latestLoad(loadsRef, entity) {
  return `(select max(load_id) from ${loadsRef} where raw_table = 'reckon__${entity}' and status = 'loaded' and rows_loaded > 0)`;
}

/**
 * Reckon keeps hierarchy in customer names: "Local - 1:Farmlands:Wellsford" is market, parent,
 * branch; "Farmlands:Wellsford" has no market segment (a market looks like "Name - n"); a name
 * without ":" is its own parent. Returns SQL for the three parts of a name expression.
 */
function customerHierarchy(name) {
  const parts = `string_to_array(${name}, ':')`;
  const hasMarket = `(strpos(${name}, ':') > 0 and split_part(${name}, ':', 1) ~ '^.+ - [0-9]+$')`;
  return {
    market: `(case when ${hasMarket} then btrim(split_part(${name}, ':', 1)) end)`,
    parent: `btrim(case when ${hasMarket} then split_part(${name}, ':', 2) else split_part(${name}, ':', 1) end)`,
    branch: `nullif(btrim(array_to_string((${parts})[(case when ${hasMarket} then 3 else 2 end):], ':')), '')`,
  };
}

/** "Group:Subgroup:Item": the group path (all but the last segment) and the item (the last). */
function itemHierarchy(name) {
  return {
    groupPath: `nullif(btrim(regexp_replace(${name}, ':[^:]*$', '')), btrim(${name}))`,
    firstGroup: `(case when strpos(${name}, ':') > 0 then btrim(split_part(${name}, ':', 1)) end)`,
    item: `btrim(regexp_replace(${name}, '^.*:', ''))`,
  };
}

module.exports = { latestLoad, customerHierarchy, itemHierarchy };
