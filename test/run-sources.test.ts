/**
 * `salesdw run` over API sources as the registry will hold them: a source that fails does not
 * stop the next one; a source runs only when its settings are in the environment and it is not
 * disabled; it gets its options from salesdw.yaml and a URL that tags its loads with the run id;
 * stale data raises one alert; secrets a source registered never reach the webhook. The sources
 * here are real PullSources landing through the real loader into a fresh database.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseContract } from "../extract/contracts/contracts.ts";
import { landBatch, type LoadResult } from "../extract/loader/loader.ts";
import { registerSecret } from "../extract/log.ts";
import { parseRunConfig, type RunConfig } from "../extract/run/config.ts";
import { runWarehouse } from "../extract/run/run.ts";
import { spoolRecords } from "../extract/sources/records.ts";
import { fileSources, type PullSource } from "../extract/sources/registry.ts";
import type { LandedRecord } from "../extract/sources/source.ts";
import { connect } from "../extract/warehouse/warehouse.ts";
import { writeSampleMonths } from "../extract/samples/months.ts";
import type { MonthTruth } from "../extract/samples/karamad.ts";
import { freshDatabase, queryRows } from "./support/warehouse.ts";

const FAKE_TOKEN = "tok-FAKE-9f8e7d6c5b";
registerSecret(FAKE_TOKEN); // as a source registers its API token

const contract = parseContract(
  `contract_version: 1
source: goodapi
entity: item
description: Items of a test API.
origin: { kind: http }
key: [id]
columns:
  - { name: id, headers: [Id], type: text, required: true, description: Item id. }
  - { name: amount, headers: [Amount], type: text, description: Amount. }
`,
  "test/goodapi.yaml",
);

let url: string;
let password: string;
let dir: string;
let months: MonthTruth[];
const calls: { source: string; url: string; options: Record<string, unknown> }[] = [];

/** Lands three records through the real loader, on the connection URL it was given. */
async function landItems(runUrl: string): Promise<LoadResult[]> {
  const client = await connect(runUrl);
  try {
    const batch = await spoolRecords({
      contract,
      origin: "goodapi:/items",
      records: (async function* (): AsyncGenerator<LandedRecord> {
        for (const id of ["1", "2", "3"]) yield { kind: "row", sourceRow: id, values: [id, `${id}0.5`], extra: null };
      })(),
    });
    try {
      return [await landBatch(client, batch)];
    } finally {
      await batch.dispose();
    }
  } finally {
    await client.end();
  }
}

const pullSource = (name: string, configured: (env: NodeJS.ProcessEnv) => boolean, run: PullSource["run"]): PullSource => ({
  kind: "http",
  description: `test source ${name}`,
  configured,
  register: () => undefined,
  run: async (runUrl, options) => {
    calls.push({ source: name, url: runUrl, options });
    return run(runUrl, options);
  },
});

const pullSources: Record<string, PullSource> = {
  brokenapi: pullSource("brokenapi", () => true, async () => {
    throw new Error(`brokenapi: login refused (HTTP 401) for token ${FAKE_TOKEN} while writing to ${url}\n    at login (brokenapi.ts:12)`);
  }),
  goodapi: pullSource("goodapi", (env) => Boolean(env.GOODAPI_TOKEN), landItems),
  offapi: pullSource("offapi", (env) => Boolean(env.OFFAPI_TOKEN), async () => []),
  quietapi: pullSource("quietapi", () => true, async () => []),
};
const sources = { fileSources, pullSources };

function configFrom(text: string): RunConfig {
  return { file: path.join(dir, "salesdw.yaml"), baseDir: dir, ...parseRunConfig(text, "salesdw.yaml", sources) };
}

async function withWebhook<T>(work: (webhook: string, bodies: string[]) => Promise<T>): Promise<T> {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      bodies.push(body);
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await work(`http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/run-sources`, bodies);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const env = (webhook?: string) => ({ GOODAPI_TOKEN: "set", ...(webhook ? { SALESDW_ALERT_WEBHOOK: webhook } : {}) });
const extractOnly = { skipModels: true, skipChecks: true };

beforeAll(async () => {
  url = await freshDatabase("runsrc");
  password = decodeURIComponent(new URL(url).password);
  dir = mkdtempSync(path.join(tmpdir(), "run-sources-"));
  months = await writeSampleMonths(path.join(dir, "inbox"), { months: 2, rowsPerMonth: 60 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("salesdw run when a model breaks", () => {
  it("fails the run, names the model and its error in the summary, the run log and one alert", async () => {
    const broken = await freshDatabase("runmodel");
    const config = configFrom("sources:\n  karamad: { files: 'inbox/*.csv' }\n");
    expect(await runWarehouse({ ...extractOnly, only: ["karamad"] }, { config, sources, env: {}, url: broken })).toBe(0);
    // The staging view reads this column as text: as an integer, the build fails at its first model.
    await queryRows(broken, "alter table raw.karamad__sales_line alter column invoice_number type integer using null::integer");
    const alert = await withWebhook(async (webhook, bodies) => {
      const code = await runWarehouse({ skipExtract: true }, { config, sources, env: { SALESDW_ALERT_WEBHOOK: webhook }, url: broken });
      return { code, bodies: [...bodies] };
    });
    expect(alert.code).toBe(1);
    const [run] = await queryRows<{ status: string; failures: string[]; steps: { step: string; status: string; failed: string[] }[] }>(
      broken,
      "select status, failures, steps from raw._runs order by run_id desc limit 1",
    );
    expect(run.status).toBe("failed");
    const models = run.steps.find((s) => s.step === "models")!;
    expect(models.status).toBe("failed");
    expect(models.failed).toContain("staging.stg_karamad__sales_line__typed");
    expect(run.steps.find((s) => s.step === "checks")!.status).toBe("not_run");
    expect(run.failures).toHaveLength(1);
    expect(run.failures).toContainEqual(expect.stringMatching(/^model staging\.stg_karamad__sales_line__typed: postgres error: .*\(integer\) does not exist/));
    expect(alert.bodies).toHaveLength(1);
    const { text } = JSON.parse(alert.bodies[0]) as { text: string };
    expect(text).toMatch(/• model staging\.stg_karamad__sales_line__typed: postgres error: .*does not exist\n {4}look further: `npx dataform run --track=false --actions staging\.stg_karamad__sales_line__typed`/);
  }, 600_000); // builds the models: slow on a busy 2-core machine
});

describe("salesdw run over the source registry", () => {
  it("runs every configured source even when one fails, with its options and the run id, and sends one alert without secrets", async () => {
    const config = configFrom(`timezone: Asia/Tehran
sources:
  karamad: { files: "inbox/*.csv" }
  brokenapi: { stale_after: 1d }
  goodapi: { page_size: 50, stale_after: 2d }
  quietapi: { enabled: false }
`);
    const code = await withWebhook(async (webhook, bodies) => {
      const result = await runWarehouse(extractOnly, { config, sources, env: env(webhook), url });
      expect(bodies).toHaveLength(1);
      const { text } = JSON.parse(bodies[0]) as { text: string };
      expect(text).toMatch(/FAILED/);
      expect(text).toMatch(/• source brokenapi: brokenapi: login refused \(HTTP 401\) for token \*\*\* while writing to postgres:\/\/\w+:\*\*\*@/);
      expect(text).toMatch(/• stale brokenapi: no successful load yet \(limit 1d\)/);
      expect(text).not.toMatch(/stale goodapi|stale karamad/);
      expect(text).not.toContain("at login"); // the first line only
      expect(text).not.toContain(FAKE_TOKEN);
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
      return result;
    });
    expect(code).toBe(1);

    // brokenapi came before goodapi and failed; goodapi still ran; offapi (no settings) and quietapi (disabled) did not.
    expect(calls.map((c) => c.source)).toEqual(["brokenapi", "goodapi"]);
    expect(calls[1].options).toEqual({ timezone: "Asia/Tehran", pageSize: 50 }); // as `salesdw extract --page-size` gives it
    const [run] = await queryRows<{ run_id: string; status: string; failures: string[] }>(url, "select run_id, status, failures from raw._runs order by run_id desc limit 1");
    expect(run.status).toBe("failed");
    expect(new URL(calls[1].url).searchParams.get("options")).toBe(`-c salesdw.run_id=${run.run_id}`);
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatch(/^source brokenapi: brokenapi: login refused .* token \*\*\* /);

    const loads = await queryRows<{ source: string; status: string; rows_loaded: string }>(
      url,
      "select source, status, rows_loaded from raw._loads where run_id = $1 order by load_id",
      [run.run_id],
    );
    expect(loads.map((l) => `${l.source}:${l.status}:${l.rows_loaded}`)).toEqual([
      ...months.map((m) => `karamad:loaded:${m.rawRows}`),
      "goodapi:loaded:3",
    ]);
    const [items] = await queryRows<{ n: string }>(url, "select count(*) as n from raw.goodapi__item i join raw._loads l on l.load_id = i._load_id where l.run_id = $1", [run.run_id]);
    expect(Number(items.n)).toBe(3);
  });

  it("runs only what --only names, and fails a named source whose settings are missing", async () => {
    const config = configFrom("sources:\n  karamad: { files: 'inbox/*.csv' }\n");
    calls.length = 0;
    expect(await runWarehouse({ ...extractOnly, only: ["goodapi"] }, { config, sources, env: env(), url })).toBe(0);
    expect(calls.map((c) => c.source)).toEqual(["goodapi"]);
    const [skipped] = await queryRows<{ steps: { name: string; new_loads: number; already_loaded: number }[] }>(url, "select steps from raw._runs order by run_id desc limit 1");
    expect(skipped.steps.map((s) => [s.name, s.new_loads, s.already_loaded])).toEqual([["goodapi", 0, 1]]);

    calls.length = 0;
    expect(await runWarehouse({ ...extractOnly, only: ["offapi"] }, { config, sources, env: env(), url })).toBe(1);
    expect(calls).toEqual([]);
    const [refused] = await queryRows<{ failures: string[] }>(url, "select failures from raw._runs order by run_id desc limit 1");
    expect(refused.failures).toEqual(["source offapi: its settings are not in the environment (see .env.example): nothing was fetched."]);

    await expect(runWarehouse({ ...extractOnly, only: ["nosuch"] }, { config, sources, env: env(), url })).rejects.toThrow(
      /^--only: unknown source nosuch; known sources: karamad, .*brokenapi, goodapi, offapi, quietapi\.$/,
    );
  });

  it("alerts even when the run stops before it starts (warehouse unreachable), without the password", async () => {
    const closed = new URL(url);
    closed.port = "1";
    const sent = await withWebhook(async (webhook, bodies) => {
      const run = runWarehouse(extractOnly, { config: configFrom("sources: {}\n"), sources, env: env(webhook), url: closed.toString() });
      await expect(run).rejects.toThrow(/^Cannot connect to the warehouse at 127\.0\.0\.1:1\//);
      return [...bodies];
    });
    expect(sent).toHaveLength(1);
    const { text } = JSON.parse(sent[0]) as { text: string };
    expect(text).toMatch(/^salesdw run FAILED on machine .+ \(.* UTC\)\n• run: Cannot connect to the warehouse at 127\.0\.0\.1:1\//);
    expect(text).not.toContain(password);
  });

  it("alerts once when a source's last successful load is older than its stale_after, and not before", async () => {
    // goodapi's only load finished three days ago.
    await queryRows(url, "update raw._loads set started_at = started_at - interval '3 days', finished_at = finished_at - interval '3 days' where source = 'goodapi'");
    const stale = await withWebhook(async (webhook, bodies) => {
      const code = await runWarehouse({ ...extractOnly, only: ["goodapi"] }, { config: configFrom("sources:\n  goodapi: { stale_after: 2d }\n"), sources, env: env(webhook), url });
      return { code, bodies: [...bodies] };
    });
    expect(stale.code).toBe(0); // stale data is a warning, not a failed run
    expect(stale.bodies).toHaveLength(1);
    const { text } = JSON.parse(stale.bodies[0]) as { text: string };
    expect(text).toMatch(/^salesdw run \d+ on 127\.0\.0\.1:\d+\/\w+ \(.* UTC\): data is stale\n• stale goodapi: last successful load 3 d ago \(limit 2d\)\n {4}look further: `select \* from mart\.data_freshness`/);
    const [run] = await queryRows<{ status: string; warnings: string[] }>(url, "select status, warnings from raw._runs order by run_id desc limit 1");
    expect(run).toEqual({ status: "succeeded", warnings: ["stale goodapi: last successful load 3 d ago (limit 2d)"] });

    const fresh = await withWebhook(async (webhook, bodies) => {
      const code = await runWarehouse({ ...extractOnly, only: ["goodapi"] }, { config: configFrom("sources:\n  goodapi: { stale_after: 4d }\n"), sources, env: env(webhook), url });
      return { code, bodies: [...bodies] };
    });
    expect(fresh).toEqual({ code: 0, bodies: [] });
  });
});
