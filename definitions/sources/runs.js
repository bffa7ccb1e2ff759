// The run log written by `salesdw run` (see extract/run/runs-schema.ts): one row per run, its steps as jsonb.
declare({
  schema: "raw",
  name: "_runs",
  description: "One row per salesdw run: status, timings, options, each step (a source, the model build, the assertions) and the first line of each failure.",
});
