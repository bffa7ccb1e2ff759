// Mapping tables users own (identity across sources). The tool creates them (`salesdw warehouse
// start`, extract/identity/mapping-tables.ts); Dataform only reads them, so no run can overwrite an edit.
declare({
  schema: "admin",
  name: "customer_map",
  description: "Users' customer identity: (source_system, source_customer_id) → customer_key. Rows here merge customers across ids and sources; an unmapped customer's key is source_system:id.",
});
declare({
  schema: "admin",
  name: "product_map",
  description: "Users' product identity: (source_system, source_product_code) → product_key. An unmapped product's key is source_system:code.",
});
