// The raw layer is written by the extractors only; Dataform reads it through these declarations,
// one per data contract (see includes/contracts.js, generated from contracts/*.yaml).
Object.values(contracts).forEach((contract) => {
  declare({
    schema: "raw",
    name: contract.raw_table,
    description: `Raw ${contract.source} ${contract.entity}: values exactly as received, one text column per contract column, plus _extra, _load_id, _source_row, _loaded_at.`,
  });
});

declare({ schema: "raw", name: "_loads", description: "One row per load attempt (ledger written by the extractors)." });
declare({ schema: "raw", name: "_rejects", description: "Records a load could not use, verbatim, with line numbers." });
declare({ schema: "raw", name: "_row_notes", description: "Rows that landed with a remark (short_row: padded with empty trailing fields)." });
declare({ schema: "raw", name: "_sync_state", description: "Incremental cursors of API and database sources." });
