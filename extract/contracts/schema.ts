/** The shape of a data contract (contracts/<source>/<entity>.yaml), validated with zod. */
import { z } from "zod";

/** Names that become SQL identifiers: lower case, start with a letter, fit PostgreSQL's 63 bytes. */
export const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, "must be lower case letters, digits and _, starting with a letter (at most 63)");

export const COLUMN_TYPES = ["text", "persian_text", "integer", "decimal", "jalali_date", "date", "timestamp"] as const;

export const columnSchema = z
  .object({
    name: identifier,
    headers: z.array(z.string().trim().min(1, "a header cannot be empty")).min(1, "list at least one source header"),
    type: z.enum(COLUMN_TYPES),
    required: z.boolean().default(false),
    description: z.string().min(1),
    /** Source value → warehouse code, matched after folding (e.g. فروش → SALE). */
    allowed_values: z.record(z.string().min(1), z.string().min(1)).optional(),
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
    columns: z.array(columnSchema).min(1),
  })
  .strict();

export type ContractColumn = z.infer<typeof columnSchema>;
export type ContractDocument = z.infer<typeof contractSchema>;
