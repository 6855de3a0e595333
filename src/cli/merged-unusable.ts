import { FATAL_CODES, type DiagnosticCode, type Report } from "../model/index.js";

/**
 * Codes of an input that could not be used, as a leaklog JSON report carries them from the run
 * that wrote it, and of a damaged report (`bad-report`, among them). The run that wrote it
 * exited 2 for them; a merge of shard reports is the gate of their CI (each shard job keeps its
 * report with `|| true`), so a log lost in one shard (empty after a crash, binary, not a log) or
 * a report cut in transfer must fail the merge too, not pass with a diagnostic nobody reads.
 */
const UNUSABLE: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(FATAL_CODES);

/**
 * The error diagnostics of merged leaklog reports that say an input was unusable: one stderr
 * line each, as for the run's own inputs. Only the error severity: `--allow-empty` made an empty
 * log an info, and another tool's process in a Memcheck log is a warning.
 */
export function mergedUnusable(report: Report): { path: string; message: string }[] {
  const merged = new Set(
    report.sources.filter((s) => s.format === "leaklog-json").map((s) => s.path),
  );
  return report.diagnostics
    .filter(
      (d) => d.severity === "error" && merged.has(d.path) && UNUSABLE.has(d.code as DiagnosticCode),
    )
    .map((d) => ({ path: d.path, message: d.message }));
}
