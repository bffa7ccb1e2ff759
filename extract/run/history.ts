/** `salesdw runs [--last N]`: recent runs from raw._runs, newest first, with what failed. */
import { info } from "../log.ts";
import { connect } from "../warehouse/warehouse.ts";
import { loadRunConfig } from "./config.ts";
import { formatCount, formatSeconds, formatTime, table } from "./format.ts";
import type { RunStep } from "./run.ts";

interface RunRow {
  run_id: string;
  status: string;
  started_at: Date;
  seconds: number | null;
  steps: RunStep[];
  failures: string[];
  warnings: string[];
}

export async function listRuns(url: string, last: number, configFile?: string): Promise<number> {
  const { timezone } = loadRunConfig(configFile);
  const client = await connect(url);
  try {
    const { rows: present } = await client.query("select to_regclass('raw._runs') is not null as present");
    const { rows } = !present[0].present ? { rows: [] as RunRow[] } : await client.query<RunRow>(
      `select run_id, status, started_at, steps, failures, warnings,
              extract(epoch from coalesce(finished_at, clock_timestamp()) - started_at)::float8 as seconds
       from raw._runs order by run_id desc limit $1`,
      [last],
    );
    if (!rows.length) {
      info("No salesdw run yet on this warehouse (npx salesdw run starts one).");
      return 0;
    }
    const lines = [["run", `started (${timezone})`, "took", "status", "new loads", "rows", "models", "assertions"]];
    for (const run of rows) lines.push(columns(run, timezone));
    for (const line of table(lines, "")) info(line);
    for (const run of rows) {
      for (const failure of run.failures) info(`run ${run.run_id}: ${failure}`);
      for (const warning of run.warnings) info(`run ${run.run_id}: warning: ${warning}`);
    }
    return 0;
  } finally {
    await client.end();
  }
}

function columns(run: RunRow, timezone: string): string[] {
  const extracts = run.steps.filter((s) => s.step === "extract");
  const models = run.steps.find((s) => s.step === "models");
  const checks = run.steps.find((s) => s.step === "checks");
  const sum = (key: "new_loads" | "rows_loaded") => extracts.reduce((n, s) => n + (s.step === "extract" ? s[key] : 0), 0);
  const modelsText = !models || models.step !== "models" ? "-" : models.status === "up_to_date" ? "up to date" : `${models.built ?? 0} built${models.failed.length ? `, ${models.failed.length} failed` : models.status === "failed" ? ", failed" : ""}`;
  const checksText = !checks || checks.step !== "checks" ? "-" : checks.status === "up_to_date" ? "unchanged" : checks.status === "not_run" ? "not run" : `${checks.passed ?? 0} passed${checks.failed.length ? `, ${checks.failed.length} failed` : checks.status === "failed" ? ", failed" : ""}`;
  return [
    String(run.run_id),
    formatTime(run.started_at, timezone),
    run.seconds === null ? "" : formatSeconds(run.seconds),
    run.status,
    extracts.length ? String(sum("new_loads")) : "-",
    extracts.length ? formatCount(sum("rows_loaded")) : "-",
    modelsText,
    checksText,
  ];
}
