/**
 * Seller money event files: CSV like any file source, plus the time zone their naive
 * timestamps are written in. The zone is chosen at extraction (`--timezone`, EVENTS_TIMEZONE,
 * UTC by default) and recorded in the load's ledger details, where the generated staging reads
 * it (`timezone: load` in contracts/events/seller_event.yaml): raw keeps the text as received.
 */
import { InvalidArgumentError } from "commander";
import { UserError } from "../../config.ts";
import type { Contract } from "../../contracts/contracts.ts";
import type { FileSourceOption } from "../registry.ts";
import type { SourceBatch } from "../source.ts";

export const DEFAULT_TIMEZONE = "UTC";

/** The zone's canonical IANA name, or undefined when Node's time-zone database does not know it. */
export function ianaZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone.trim() }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function zoneMessage(zone: string, where: string): string {
  return `${where} "${zone}" is not an IANA time zone; use a name such as UTC, Europe/Moscow or Asia/Tehran.`;
}

export const timezoneOption: FileSourceOption = {
  flags: "--timezone <zone>",
  description: "IANA time zone of timestamps written without an offset (also EVENTS_TIMEZONE)",
  env: "EVENTS_TIMEZONE",
  defaultValue: DEFAULT_TIMEZONE,
  parse: (value) => {
    const zone = ianaZone(value);
    if (!zone) throw new InvalidArgumentError(zoneMessage(value, "time zone"));
    return zone;
  },
};

export async function openSellerEventsFile(file: string, contract: Contract, options: Record<string, unknown> = {}): Promise<SourceBatch> {
  const requested = String(options.timezone ?? DEFAULT_TIMEZONE);
  // The option's parser checked --timezone; a value from EVENTS_TIMEZONE arrives unchecked.
  const timezone = ianaZone(requested);
  if (!timezone) throw new UserError(zoneMessage(requested, "--timezone (or EVENTS_TIMEZONE)"));
  // Imported here: the registry loads this module (for --timezone) at every start-up.
  const { openCsvFile } = await import("../csv-file.ts");
  const batch = await openCsvFile(file, contract);
  batch.details = { ...batch.details, timezone };
  return batch;
}
