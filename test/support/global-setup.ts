/**
 * One embedded PostgreSQL for the whole test run, in a temporary folder on a free port;
 * each test file makes its own database on it (see warehouse.ts), so files never collide.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbedded, stopEmbedded } from "../../extract/warehouse/embedded.ts";
import { freePort } from "./net.ts";

declare module "vitest" {
  export interface ProvidedContext {
    warehouseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "salesdw-test-"));
  const settings = { dir, port: await freePort() };
  const url = await startEmbedded(settings, () => {});
  project.provide("warehouseUrl", url);
  return async () => {
    await stopEmbedded(settings);
    rmSync(dir, { recursive: true, force: true });
  };
}
