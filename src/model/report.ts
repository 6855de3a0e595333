import { z } from "zod";
import { Diagnostic } from "./diagnostic.js";
import { ErrorRecord } from "./error.js";
import { Group } from "./group.js";
import { Amount } from "./summary.js";
import { LeakRecord } from "./leak.js";
import { Source } from "./source.js";
import { SummaryOnlyLeak, ToolSummary } from "./summary.js";

/** leaklog's totals over all sources, per kind. */
export const Totals = z.object({
  leaks: z.record(z.string(), Amount),
  /** Error occurrences per kind, suppressed ones included (see suppressedErrors). */
  errors: z.record(z.string(), z.number().int().nonnegative()),
  /**
   * Of `errors`, the occurrences per kind marked suppressed (by `--suppressions`, or by the
   * log); absent when there are none. A suppressed leak moves to the `suppressed` leak kind
   * instead, as Valgrind's LEAK SUMMARY counts it; an error keeps its kind.
   */
  suppressedErrors: z.record(z.string(), z.number().int().nonnegative()).optional(),
  /**
   * Of the `suppressed` leak amount, what `--suppressions` took, by the kind the tool gave it;
   * absent when it took none. Summed where the totals are, so that every reporter says one
   * amount: summed from listed records, it fell short past --max-records and counted forked
   * children's copies and superseded checks (campaign ch F1).
   */
  suppressedLeaks: z.record(z.string(), Amount).optional(),
  /**
   * Forked children's copies of their parents' loss records (LeakRecord's `inheritedFrom`), per
   * kind, listed or not (past `--max-records` a copy is not listed), in direct bytes as `leaks`
   * sums them: counted in no group, total or gate, where each child's LEAK SUMMARY counts them.
   * Absent when there are none.
   */
  inheritedLeaks: z.record(z.string(), Amount).optional(),
  /** Groups per severity. */
  groupsBySeverity: z.record(z.string(), z.number().int().nonnegative()),
});
export type Totals = z.infer<typeof Totals>;

/** The result of a gate (`--fail-on`, `--max-bytes`). */
export const GateResult = z.object({
  failed: z.boolean(),
  /** One plain sentence per rule that matched. */
  reasons: z.array(z.string()),
});
export type GateResult = z.infer<typeof GateResult>;

/** The JSON contract: everything `leaklog summarize --format json` writes. */
export const Report = z.object({
  /** Version of this contract; bumped only for breaking changes. */
  schemaVersion: z.literal(1),
  generator: z.object({ name: z.literal("leaklog"), version: z.string() }),
  sources: z.array(Source),
  leaks: z.array(LeakRecord),
  errors: z.array(ErrorRecord),
  groups: z.array(Group),
  summaries: z.array(ToolSummary),
  /**
   * Leaks the tools' summaries report without any loss record (see SummaryOnlyLeak); absent
   * when there are none. The gate counts them, and every report says so.
   */
  summaryOnlyLeaks: z.array(SummaryOnlyLeak).optional(),
  /**
   * Leak kinds that a leak check which listed records did not show (Valgrind's
   * `--show-leak-kinds`, by default definite and possible only), as its summary counts them;
   * absent when there are none. Only gate rules that name such a kind count them.
   */
  unshownLeaks: z.array(SummaryOnlyLeak).optional(),
  diagnostics: z.array(Diagnostic),
  totals: Totals,
  /**
   * Records counted in groups and totals but not listed in `leaks` / `errors`, because the run
   * capped the lists (`--max-records`) to keep memory bounded on huge logs.
   */
  recordsOmitted: z
    .object({ leaks: z.number().int().nonnegative(), errors: z.number().int().nonnegative() })
    .optional(),
  gate: GateResult.optional(),
});
export type Report = z.infer<typeof Report>;
