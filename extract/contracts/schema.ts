/** The shape of a data contract (contracts/<source>/<entity>.yaml), validated with zod. */
import { z } from "zod";

/** Names that become SQL identifiers: lower case, start with a letter, fit PostgreSQL's 63 bytes. */
export const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, "must be lower case letters, digits and _, starting with a letter (at most 63)");

/** Each type has one parsing rule in staging (includes/staging.js); the raw text is kept beside it as `<column>_text`. */
export const COLUMN_TYPES = [
  "text",
  "persian_text",
  "integer",
  "decimal",
  "jalali_date",
  "date",
  "timestamp",
  "boolean",
  "dotnet_date",
  "uuid",
] as const;

export const columnSchema = z
  .object({
    name: identifier,
    /** Source headers (or API field paths) the column may arrive under. A derived column (sum_of) may have none. */
    headers: z.array(z.string().trim().min(1, "a header cannot be empty")).default([]),
    type: z.enum(COLUMN_TYPES),
    /** The header must be present in every file, and an empty value is a missing_required_value finding. */
    required: z.boolean().default(false),
    description: z.string().min(1),
    /** Source value → warehouse code, matched after folding (e.g. فروش → SALE). */
    allowed_values: z.record(z.string().min(1), z.string().min(1)).optional(),
    /** Source values CONTAINING a text → code, tried after allowed_values (e.g. any type naming برگشت → RETURN). */
    contains_values: z.record(z.string().min(1), z.string().min(1)).optional(),
    /** One warehouse value made of several raw columns (volume + cash discount): their sum when the column itself is empty. */
    sum_of: z.array(identifier).min(2, "sum_of needs at least two columns").optional(),
    /** For timestamp columns: the IANA zone of values without an offset; `load` = the zone recorded by the extraction (raw._loads.details.timezone, default UTC). */
    timezone: z.string().min(1).optional(),
    /** For timestamp columns: a raw column holding each row's IANA zone (e.g. the server's). */
    timezone_column: identifier.optional(),
  })
  .strict();

/** How a source says what is a return and when a line happened: declared per source, applied by the canonical model. */
export const rulesSchema = z
  .object({
    /** RETURN when `column`'s code is one of `return_codes`, or when any of `negative_columns` is below zero; SALE otherwise. */
    event_type: z
      .object({
        column: identifier,
        return_codes: z.array(z.string().min(1)).min(1),
        negative_columns: z.array(identifier).default([]),
        /** Columns whose signs must agree (e.g. quantity and payable); a disagreement is a sign_mismatch finding. */
        same_sign_columns: z.array(identifier).default([]),
      })
      .strict(),
    /** Per event type, the date columns to try in order; using any but the first is a fallback_event_date finding. */
    event_date: z.record(z.enum(["SALE", "RETURN"]), z.array(identifier).min(1)),
  })
  .strict();

export const contractSchema = z
  .object({
    contract_version: z.literal(1),
    source: identifier,
    entity: identifier,
    description: z.string().min(1),
    owner: z.string().min(1).optional(),
    origin: z
      .object({
        kind: z.enum(["file", "http", "mssql"]),
        format: z.enum(["csv"]).optional(),
      })
      .strict(),
    /** Columns that identify one record of this entity in the source. */
    key: z.array(identifier).min(1),
    /** When the source has no line number: `column` is numbered by position among the rows of the same `position_within` group in one load. */
    line_identity: z.object({ column: identifier, position_within: z.array(identifier).min(1) }).strict().optional(),
    rules: rulesSchema.optional(),
    columns: z.array(columnSchema).min(1),
  })
  .strict();

export type ContractColumn = z.infer<typeof columnSchema>;
export type ContractDocument = z.infer<typeof contractSchema>;
