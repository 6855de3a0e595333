import { z } from "zod";

/**
 * Something leaklog noticed about the input rather than about the program: a line it did not
 * understand, a repair it made, totals that disagree. Bad input is data, never an exception.
 */
export const Diagnostic = z.object({
  severity: z.enum(["error", "warning", "info"]),
  /** Stable machine-readable code, e.g. `unrecognized-line`, `summary-mismatch`. */
  code: z.string(),
  message: z.string(),
  path: z.string(),
  /** 1-based line in the log, when the diagnostic is about one line. */
  line: z.number().int().positive().optional(),
  pid: z.number().int().optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;
