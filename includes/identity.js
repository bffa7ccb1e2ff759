// Identity across sources: which customer or product a source's id is, as users decide it in
// the mapping tables admin.customer_map / admin.product_map (created by `salesdw warehouse start`,
// never by Dataform, so a run cannot overwrite an edit). Automatic matching only suggests
// (mart.identity_suggestions); a mapping row is the only thing that merges.

/** An id as it compares: a number when it is all digits (' 072' = '72'), else the trimmed text. */
function normalizedId(expression) {
  return `(case when btrim(${expression}) ~ '^[0-9]+$' then (btrim(${expression})::numeric)::text else nullif(btrim(${expression}), '') end)`;
}

/** A name as people mean it: lower case, any run of punctuation or spaces as one space ("Farmlands - Wellsford" = "FARMLANDS  WELLSFORD"). */
function foldedName(expression) {
  return `nullif(btrim(regexp_replace(lower(${expression}), '[^[:alnum:]]+', ' ', 'g')), '')`;
}

/**
 * One row per (source_system, normalized id) of a mapping table, the latest edit winning when
 * two spellings of the same number were both entered (' 72' and '72').
 */
function mappingRows(mapRef, idColumn, keyColumn) {
  return `(
    select distinct on (source_system, ${normalizedId(idColumn)})
      source_system, ${normalizedId(idColumn)} as source_id, btrim(${keyColumn}) as mapped_key
    from ${mapRef}
    where nullif(btrim(${keyColumn}), '') is not null
    order by source_system, ${normalizedId(idColumn)}, updated_at desc nulls last, ${idColumn}
  )`;
}

/** The unified key of a source id: the mapping's, else source_system:id. */
function unifiedKey(mappedKey, sourceSystem, id) {
  return `coalesce(${mappedKey}, ${sourceSystem} || ':' || ${id})`;
}

module.exports = { normalizedId, foldedName, mappingRows, unifiedKey };
