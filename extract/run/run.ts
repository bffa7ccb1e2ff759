/**
 * `salesdw run`: the whole warehouse in one command. Extract every configured source (each on
 * its own: one failing never stops the others), build the models with `dataform run`, run the
 * assertions, print a summary a person reads in seconds, alert on failure or stale data, and
 * exit non-zero when anything failed. One run id groups the run's loads (raw._loads.run_id),
 * its build and its checks (raw._runs, shown by mart.etl_run_log and `salesdw runs`). One run
 * at a time per warehouse (see lock.ts).
 */
import path from "node:path";
import { hostname } from "node:os";
import type pg from "pg";
import { UserError } from "../config.ts";
import { generatedContractsAreCurrent } from "../contracts/generate.ts";
import { ensureRawTables } from "../loader/raw-schema.ts";
import { info, warn } from "../log.ts";
import { connect, describeUrl, ensureWarehouse } from "../warehouse/warehouse.ts";
import { alertText, postAlert, registerWebhookSecret, staleFinding, staleSources, type Finding } from "./alerts.ts";
import { loadRunConfig, type RunConfig } from "./config.ts";
import { compileGraph, targetName } from "../dataform-graph.ts";
import { adminEditedSince, planBuild, relationExists, UNBUILT_LOADS, type BuildScope } from "./build-scope.ts";
import { actionsOf, buildAndCheck, buildModels, failureDetails, firstErrorLine, projectFingerprint, runAssertions, type AssertionsOutcome, type CompiledActions } from "./dataform-steps.ts";
import type { DataformOutcome } from "../dataform.ts";
import { formatCount, formatSeconds, formatTime, table } from "./format.ts";
import { acquireRunLock, RunRefused } from "./lock.ts";
import { withRunId } from "./runs-schema.ts";
import { extractSource, firstLine, ledgerSource, planSources, type SourceRegistry, type SourceStep } from "./sources.ts";

export interface RunOptions {
  /** Extract only these sources. */
  only?: string[];
  skipExtract?: boolean;
  skipModels?: boolean;
  skipChecks?: boolean;
  fullRefresh?: boolean;
  /** Wait for another run to finish (default); false refuses instead. */
  wait?: boolean;
  /** Path of the configuration file (default: salesdw.yaml). */
  config?: string;
}

/** What the models or checks step did: a step of the run log. */
export interface DataformStep {
  step: "models" | "checks";
  name: string;
  /** up_to_date: nothing changed since it last passed; not_run: the step before failed. */
  status: "ok" | "failed" | "up_to_date" | "not_run";
  started_at: string;
  finished_at: string;
  seconds: number;
  built?: number;
  /** Models not run because one they depend on failed. */
  not_run?: number;
  /** A build of only what these sources' new loads feed (absent: the whole project)… */
  sources?: string[];
  /** …and the models it built. */
  models?: string[];
  passed?: number;
  failed: string[];
  message?: string;
}

export type RunStep = SourceStep | DataformStep;

/** Exit codes: 0 all went well, 1 something failed, 3 another run holds the warehouse (--no-wait). */
export const EXIT_REFUSED = 3;

interface RunDeps {
  config?: RunConfig;
  sources?: SourceRegistry;
  env?: NodeJS.ProcessEnv;
  url?: string;
}

export async function runWarehouse(options: RunOptions, deps: RunDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const webhook = env.SALESDW_ALERT_WEBHOOK || undefined;
  if (webhook) registerWebhookSecret(webhook);
  try {
    return await startRun(options, deps, env, webhook);
  } catch (error) {
    // The run stopped before its summary (bad salesdw.yaml, warehouse unreachable…): still tell someone.
    if (webhook) {
      const line = firstLine(error instanceof Error ? error.message : String(error));
      const text = alertText({ where: `machine ${hostname()}`, failed: true, when: new Date().toISOString().slice(0, 19).replace("T", " ") + " UTC" }, [
        { subject: "run", line, look: "the output of npx salesdw run" },
      ]);
      await postAlert(webhook, text).catch((e: Error) => warn(`warning: the alert could not be sent: ${e.message}`));
    }
    throw error;
  }
}

async function startRun(options: RunOptions, deps: RunDeps, env: NodeJS.ProcessEnv, webhook: string | undefined): Promise<number> {
  if (options.only && options.skipExtract) throw new UserError("--only chooses sources to extract; it cannot go with --skip-extract.");
  const config = deps.config ?? loadRunConfig(options.config);
  const plan = options.skipExtract ? { run: [], notConfigured: [], disabled: [] } : planSources(config, options.only, env, deps.sources);

  const url = deps.url ?? (await ensureWarehouse(info));
  const where = describeUrl(url);
  const client = await connect(url);
  try {
    await ensureRawTables(client);
    try {
      await acquireRunLock(client, {
        wait: options.wait !== false,
        onWait: (holder) => info(`Another salesdw run is in progress on ${where} (${holder}); waiting for it to finish… (--no-wait refuses instead)`),
      });
    } catch (error) {
      if (!(error instanceof RunRefused)) throw error;
      warn(`error: another salesdw run is in progress on ${where} (${error.message}); not starting (--no-wait). Try again when it has finished.`);
      return EXIT_REFUSED;
    }
    return await runLocked(client, url, { options, config, plan, webhook, sources: deps.sources, env });
  } finally {
    // Ending the session releases the run lock.
    await client.end().catch(() => undefined);
  }
}

interface Context {
  options: RunOptions;
  config: RunConfig;
  plan: ReturnType<typeof planSources>;
  webhook?: string;
  sources?: SourceRegistry;
  env: NodeJS.ProcessEnv;
}

async function runLocked(client: pg.Client, url: string, { options, config, plan, webhook, sources, env }: Context): Promise<number> {
  const where = describeUrl(url);
  const tz = config.timezone;
  // We hold the lock, so a run still marked running ended without saying so (killed, connection lost).
  await client.query(
    `update raw._runs set status = 'interrupted', finished_at = coalesce(finished_at, clock_timestamp()),
       failures = failures || array['the run ended without finishing (killed, or its connection was lost)']
     where status = 'running'`,
  );
  const recorded = {
    only: options.only ?? null,
    skip_extract: Boolean(options.skipExtract),
    skip_models: Boolean(options.skipModels),
    skip_checks: Boolean(options.skipChecks),
    full_refresh: Boolean(options.fullRefresh),
    config: config.file ? path.basename(config.file) : (config.label ?? null),
    host: hostname(),
  };
  const { rows } = await client.query("insert into raw._runs (options) values ($1) returning run_id, started_at", [recorded]);
  const runId = Number(rows[0].run_id);
  const startedAt = rows[0].started_at as Date;
  const runUrl = withRunId(url, runId);
  const steps: RunStep[] = [];
  const findings: Finding[] = [];
  const save = (more: { fingerprint?: string; status?: "succeeded" | "failed"; warnings?: string[] } = {}) =>
    client.query<{ seconds: number }>(
      `update raw._runs set steps = $2, failures = $3,
         models_fingerprint = coalesce($4, models_fingerprint),
         status = coalesce($5, status), warnings = coalesce($6, warnings),
         finished_at = case when $5 is null then null else clock_timestamp() end
       where run_id = $1
       returning extract(epoch from coalesce(finished_at, clock_timestamp()) - started_at)::float8 as seconds`,
      [runId, JSON.stringify(steps), findings.map((f) => `${f.subject}: ${f.line}`), more.fingerprint ?? null, more.status ?? null, more.warnings ?? null],
    );

  try {
    return await runSteps();
  } catch (error) {
    await client
      .query("update raw._runs set status = 'failed', finished_at = clock_timestamp(), failures = failures || $2 where run_id = $1", [
        runId,
        [`run: ${firstLine(error instanceof Error ? error.message : String(error))}`],
      ])
      .catch(() => undefined);
    throw error;
  }

  async function runSteps(): Promise<number> {
    info(`salesdw run ${runId} on ${where}, ${formatTime(startedAt, tz)} ${tz}; ${config.file ? `configuration ${shownPath(config.file)}` : (config.label ?? "no salesdw.yaml (defaults)")}`);

    if (!options.skipExtract) {
      info("\n── Extract ──");
      if (!plan.run.length) info("No source to extract (see salesdw.example.yaml).");
      for (const planned of plan.run) {
        info(`${planned.name} (${planned.kind}):`);
        const step = await extractSource(planned, { url: runUrl, baseDir: config.baseDir, timezone: tz, sources, env });
        if (step.message && step.status === "ok") info(step.message);
        steps.push(step);
        for (const line of step.failures) {
          findings.push({ subject: `source ${planned.name}`, line, look: `select file_name, message from raw._loads where run_id = ${runId} and status = 'failed'` });
        }
        await save();
      }
    }

    if (!options.skipModels || !options.skipChecks) {
      const outcome = await dataformSteps(client, url, options, findings);
      steps.push(...outcome.steps);
      await save({ fingerprint: outcome.fingerprint });
    }

    const stale = config.alerts.onStale ? await staleSources(client, staleLimits(config, plan.run.map((p) => p.name), sources)) : [];
    const failed = findings.length > 0;
    const warnings = stale.map((s) => staleFinding(s)).map((f) => `${f.subject}: ${f.line}`);
    const { rows: finished } = await save({ status: failed ? "failed" : "succeeded", warnings });

    printSummary({ runId, steps, findings, warnings, plan, seconds: Number(finished[0].seconds), failed });

    const alertFindings = [...(failed && config.alerts.onFailure ? findings : []), ...stale.map(staleFinding)];
    if (alertFindings.length && webhook) {
      const text = alertText({ runId, where, failed, when: `${formatTime(startedAt, tz)} ${tz}` }, alertFindings);
      try {
        await postAlert(webhook, text);
        info("Alert sent to the webhook (SALESDW_ALERT_WEBHOOK).");
      } catch (error) {
        warn(`warning: the alert could not be sent: ${(error as Error).message}`);
      }
    }
    return failed ? 1 : 0;
  }
}

/** The model build and the assertions, or neither when nothing changed since they last passed. */
async function dataformSteps(
  client: pg.Client,
  url: string,
  options: RunOptions,
  findings: Finding[],
): Promise<{ steps: DataformStep[]; fingerprint?: string }> {
  const steps: DataformStep[] = [];
  const started = new Date();
  const step = (kind: DataformStep["step"], status: DataformStep["status"], from: Date, rest: Partial<DataformStep> = {}): DataformStep => {
    const now = new Date();
    return {
      step: kind,
      name: kind === "models" ? "dataform run" : "assertions",
      status,
      started_at: from.toISOString(),
      finished_at: now.toISOString(),
      seconds: (now.getTime() - from.getTime()) / 1000,
      failed: [],
      ...rest,
    };
  };
  const fingerprint = projectFingerprint();

  if (!options.skipModels && !options.fullRefresh) {
    const current = await upToDate(client, fingerprint);
    if (current) {
      info(`\n── Models ──\nUp to date: no new load and no model changed since run ${current.builtIn}; not rebuilt (--full-refresh rebuilds).`);
      steps.push(step("models", "up_to_date", started, { message: `unchanged since run ${current.builtIn}` }));
      if (!options.skipChecks) steps.push(step("checks", "up_to_date", started, { passed: current.passed, message: `passed in run ${current.checkedIn}; nothing changed since` }));
      return { steps };
    }
  }

  info("\n── Models ──");
  let actions: CompiledActions;
  let scope: BuildScope = { kind: "full", reason: "" };
  /** The relations the models make (tables, views, operations with an output). */
  let relations: string[] = [];
  try {
    if (!generatedContractsAreCurrent()) throw new UserError("includes/contracts.js is stale: run `npm run contracts:generate` and commit it.");
    const graph = await compileGraph("Fix it and run again (npx dataform compile --track=false shows every problem).");
    actions = actionsOf(graph);
    relations = [...graph.tables, ...graph.operations.filter((o) => o.hasOutput)].filter((a) => !a.disabled).map((a) => targetName(a.target));
    if (!options.skipModels) scope = await planBuild(client, graph, fingerprint, Boolean(options.fullRefresh));
  } catch (error) {
    const line = firstLine((error as Error).message);
    warn(`error: ${line}`);
    findings.push({ subject: "models", line, look: "npx dataform compile --track=false" });
    if (!options.skipModels) steps.push(step("models", "failed", started, { message: line }));
    if (!options.skipChecks) steps.push(step("checks", "not_run", started, { message: "not run: the project does not compile" }));
    return { steps };
  }

  let builtAt: string | undefined;
  let buildFailed = false;
  /** The assertions this run checks: those over what a scoped build changed, or all. */
  const assertions = scope.kind === "scoped" && scope.assertions ? scope.assertions : actions.assertions;
  /** The checks' outcome when they ran in the same `dataform run` as the models. */
  let checkedWithBuild: { checks: AssertionsOutcome; from: Date } | undefined;
  if (options.skipModels) {
    info("Not rebuilt (--skip-models).");
  } else {
    const models = scope.kind === "scoped" ? scope.actions : actions.models;
    info(
      scope.kind === "scoped"
        ? `dataform run: ${models.length} of ${actions.models.length} models, what the new loads of ${scope.sources.join(", ")} feed…`
        : `dataform run: ${models.length} models (${scope.reason})…`,
    );
    const from = new Date();
    let build: DataformOutcome;
    let errors: Map<string, string>;
    let ok: boolean;
    let modelsDoneAt: Date;
    if (options.skipChecks) {
      build = await buildModels(url, models, Boolean(options.fullRefresh));
      errors = failureDetails(build.output);
      ok = build.code === 0 && !errors.size;
      modelsDoneAt = new Date();
    } else {
      const both = await buildAndCheck(url, models, assertions, Boolean(options.fullRefresh));
      ({ build, modelErrors: errors, modelsOk: ok, modelsDoneAt } = both);
      checkedWithBuild = { checks: both.checks, from: modelsDoneAt };
    }
    if (scope.kind === "scoped" && ok && (await rebuildMissing(client, url, relations, build))) {
      // Views built again after the assertions ran: their outcome stands, and the checks run again.
      const assertionSet = new Set(actions.assertions);
      errors = new Map([...failureDetails(build.output)].filter(([name]) => !assertionSet.has(name)));
      ok = build.code === 0 && !errors.size;
      modelsDoneAt = new Date();
      checkedWithBuild = undefined;
    }
    for (const [name, line] of errors) {
      warn(`error: model ${name}: ${line}`);
      findings.push({ subject: `model ${name}`, line, look: `npx dataform run --track=false --actions ${name}` });
    }
    let message: string | undefined;
    if (!ok && !errors.size) {
      message = firstLine(firstErrorLine(build.output) ?? `dataform run exited with code ${build.code}`);
      warn(`error: dataform run: ${message}`);
      findings.push({ subject: "models", line: message, look: "npx dataform run --track=false" });
    }
    const modelSet = new Set(models);
    const created = build.created.filter((name) => modelSet.has(name) || relations.includes(name));
    const notRun = Math.max(models.length - created.length - errors.size, 0);
    info(`${created.length} built${errors.size ? `, ${errors.size} failed` : ""}${notRun ? `, ${notRun} not run` : ""}.`);
    steps.push(
      step("models", ok ? "ok" : "failed", from, {
        finished_at: modelsDoneAt.toISOString(),
        seconds: (modelsDoneAt.getTime() - from.getTime()) / 1000,
        built: created.length,
        not_run: notRun,
        failed: [...errors.keys()],
        message: message ?? [...errors.values()][0],
        ...(scope.kind === "scoped" ? { sources: scope.sources, models: created } : {}),
      }),
    );
    builtAt = fingerprint;
    buildFailed = !ok;
  }

  if (!options.skipChecks && buildFailed) {
    // Assertions over a half-built warehouse would bury the model's error under their own.
    info("\n── Checks ──\nNot run: the model build failed.");
    steps.push(step("checks", "not_run", new Date(), { message: "not run: the model build failed" }));
  } else if (!options.skipChecks) {
    const over = assertions.length < actions.assertions.length ? ` of ${actions.assertions.length}, those over the models rebuilt` : "";
    info(`\n── Checks ──\n${assertions.length} assertions${over}…`);
    const from = checkedWithBuild?.from ?? new Date();
    const checks = checkedWithBuild?.checks ?? (await runAssertions(url, assertions));
    const details = failureDetails(checks.outcome.output);
    for (const name of checks.failed) {
      const detail = firstLine(details.get(name) ?? "the assertion found rows");
      warn(`error: assertion ${name}: ${detail}`);
      findings.push({ subject: `assertion ${name}`, line: detail, look: `select * from ${name}` });
    }
    let message: string | undefined;
    if (!checks.ok && !checks.failed.length) {
      message = firstLine(firstErrorLine(checks.outcome.output) ?? `${checks.missing} assertions did not run`);
      warn(`error: assertions: ${message}`);
      findings.push({ subject: "assertions", line: message, look: "npx salesdw check" });
    }
    info(`${checks.passed.length} passed, ${checks.failed.length} failed${checks.missing ? `, ${checks.missing} did not run` : ""}.`);
    steps.push(step("checks", checks.ok ? "ok" : "failed", from, { passed: checks.passed.length, failed: checks.failed, message: message ?? (checks.failed.length ? `${checks.failed.length} failed` : undefined) }));
  }
  return { steps, fingerprint: builtAt };
}

/**
 * After a scoped build, every model of the project must still exist: a view that reads a rebuilt
 * table without declaring it (no ref()) would have been dropped by the table's DROP … CASCADE.
 * Those are built again, and their outcome added to `build`'s (true when there were any).
 */
async function rebuildMissing(client: pg.Client, url: string, models: string[], build: DataformOutcome): Promise<boolean> {
  const exists = relationExists(client);
  const missing: string[] = [];
  for (const name of models) if (!(await exists(name))) missing.push(name);
  if (!missing.length) return false;
  info(`${missing.length} models dropped along the way (${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""}); building them again…`);
  const again = await buildModels(url, missing, false);
  build.code = again.code;
  build.output += again.output;
  build.created.push(...again.created);
  build.failedActions.push(...again.failedActions);
  return true;
}

/**
 * Nothing to rebuild when the last build passed with the same project files, the assertions
 * passed after it, every load has reached dq.run_stats (the last model of the graph), and nobody
 * edited customers or products in the admin since.
 */
async function upToDate(client: pg.Client, fingerprint: string): Promise<{ builtIn: number; checkedIn: number; passed?: number } | undefined> {
  const { rows } = await client.query<{ run_id: string; steps: RunStep[]; models_fingerprint: string | null }>(
    "select run_id, steps, models_fingerprint from raw._runs where status <> 'running' order by run_id desc limit 500",
  );
  const ran = (row: (typeof rows)[number], kind: "models" | "checks") =>
    row.steps.find((s): s is DataformStep => s.step === kind && (s.status === "ok" || s.status === "failed"));
  const build = rows.find((r) => ran(r, "models"));
  const check = rows.find((r) => ran(r, "checks"));
  if (!build || !check || Number(check.run_id) < Number(build.run_id)) return undefined;
  if (ran(build, "models")!.status !== "ok" || build.models_fingerprint !== fingerprint || ran(check, "checks")!.status !== "ok") return undefined;
  if (await adminEditedSince(client, ran(build, "models")!.started_at)) return undefined;
  const modelled = await client
    .query(`select not exists (${UNBUILT_LOADS}) as done`)
    .then((r) => Boolean(r.rows[0].done))
    .catch(() => false); // no dq.run_stats yet, or a role that may not read it: rebuild
  if (!modelled) return undefined;
  return { builtIn: Number(build.run_id), checkedIn: Number(check.run_id), passed: ran(check, "checks")!.passed };
}

function staleLimits(config: RunConfig, names: string[], sources?: SourceRegistry) {
  return names.flatMap((name) => {
    const settings = config.sources[name];
    return settings?.staleAfterMs === undefined ? [] : [{ name, source: ledgerSource(name, sources), limit: settings.staleAfter!, limitMs: settings.staleAfterMs }];
  });
}

function printSummary(run: {
  runId: number;
  steps: RunStep[];
  findings: Finding[];
  warnings: string[];
  plan: ReturnType<typeof planSources>;
  seconds: number;
  failed: boolean;
}): void {
  info(`\n── Run ${run.runId} ──`);
  const extracts = run.steps.filter((s): s is SourceStep => s.step === "extract");
  if (extracts.length) {
    const rows = [["source", "new loads", "already loaded", "failed", "rows", "rejected", "time"]];
    for (const s of extracts) {
      rows.push([s.name, String(s.new_loads), String(s.already_loaded), String(s.failures.length), formatCount(s.rows_loaded), formatCount(s.rows_rejected), formatSeconds(s.seconds)]);
    }
    for (const line of table(rows)) info(line);
  }
  const left = [
    ...(run.plan.notConfigured.length ? [`not configured: ${run.plan.notConfigured.join(", ")}`] : []),
    ...(run.plan.disabled.length ? [`disabled: ${run.plan.disabled.join(", ")}`] : []),
  ];
  if (left.length) info(`  (${left.join("; ")})`);
  for (const s of run.steps.filter((s): s is DataformStep => s.step !== "extract")) {
    const failed = s.failed.length ? `, ${s.failed.length} failed (${few(s.failed)})` : s.status === "failed" ? `, failed: ${s.message}` : "";
    if (s.status === "not_run") info(`${s.step === "models" ? "Models     " : "Assertions "} ${s.message}`);
    else if (s.status === "up_to_date") info(`${s.step === "models" ? "Models      up to date, not rebuilt" : `Assertions  ${s.passed ?? "all"} passed`} (${s.message})`);
    else if (s.step === "models") info(`Models      ${s.built ?? 0} built${s.sources ? ` for ${s.sources.join(", ")}` : ""}${failed}${s.not_run ? `, ${s.not_run} not run` : ""} (${formatSeconds(s.seconds)})`);
    else info(`Assertions  ${s.passed ?? 0} passed${failed} (${formatSeconds(s.seconds)})`);
  }
  for (const line of run.warnings) warn(`warning: ${line}`);
  if (run.failed) {
    warn("Failures:");
    for (const f of run.findings.slice(0, SHOWN_FAILURES)) warn(`  ${f.subject}: ${f.line}`);
    if (run.findings.length > SHOWN_FAILURES) warn(`  … and ${run.findings.length - SHOWN_FAILURES} more (all in npx salesdw runs --last 1)`);
    warn(`Run ${run.runId} FAILED in ${formatSeconds(run.seconds)}. Look further: npx salesdw runs --last 1`);
  } else {
    info(`Run ${run.runId} succeeded in ${formatSeconds(run.seconds)}.`);
  }
}

/** A path relative to the current folder when it is inside it, else absolute. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}

/** The summary and alerts list this many failures; the run log keeps them all. */
export const SHOWN_FAILURES = 10;

/** "a, b, c and 4 more". */
function few(names: string[], shown = 3): string {
  return names.length <= shown ? names.join(", ") : `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}
