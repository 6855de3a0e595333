import { ErrorRecord, LeakRecord, ToolSummary, type Totals } from "../../model/index.js";
import type { ParseSink } from "../types.js";

/** The lists whose entries are checked one by one, with the schema of an entry. */
const CHECKED = { leaks: LeakRecord, errors: ErrorRecord, summaries: ToolSummary } as const;

/**
 * A salvaged report's groups and totals are dropped: they may hold the invalid records, or be
 * invalid themselves. Its listed records are regrouped on replay; records it left out under
 * --max-records (counted only in its groups, see unlisted.ts) are then lost, and the source is
 * incomplete anyway.
 */
const RECOMPUTED: { groups: []; totals: Totals } = {
  groups: [],
  totals: { leaks: {}, errors: {}, groupsBySeverity: {} },
};

/**
 * A report that fails the `Report` schema only in some records (a count written as `null`: a
 * report written before counts past 2^53 were refused, which read them as Infinity, or an
 * edited file) still gives the rest: each invalid record, error or summary is said, with its
 * line, and left out, and the source is marked incomplete. Before, one such record lost every record of the
 * report. Returns the report without them, for the `Report` schema to check again; undefined
 * when there is nothing to salvage (not an object with those lists).
 */
export function withoutBadEntries(
  json: unknown,
  lines: readonly string[],
  sink: ParseSink,
): unknown {
  if (typeof json !== "object" || json === null) return undefined;
  const report: Record<string, unknown> = { ...(json as Record<string, unknown>), ...RECOMPUTED };
  let dropped = 0;
  for (const [list, schema] of Object.entries(CHECKED)) {
    const entries = report[list];
    if (!Array.isArray(entries)) return undefined;
    report[list] = entries.filter((entry: unknown, index) => {
      const checked = schema.safeParse(entry);
      if (checked.success) return true;
      const issue = checked.error.issues[0];
      const at = issue !== undefined && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
      const line = lineOfId(lines, entry);
      sink.diagnostic({
        severity: "error",
        code: "bad-report",
        message: `${list}.${index} is not a valid record${at}: ${issue?.message ?? "invalid"}; left out`,
        ...(line !== undefined ? { line } : {}),
        readInPart: true,
      });
      dropped += 1;
      return false;
    });
  }
  if (dropped > 0) {
    sink.incomplete(`the JSON report has ${dropped} invalid entries, left out (see bad-report)`);
  }
  return report;
}

/** The 1-based line of an entry's `"id"` in the report's text (summaries have none). */
function lineOfId(lines: readonly string[], entry: unknown): number | undefined {
  const id = (entry as { id?: unknown } | null)?.id;
  if (typeof id !== "string") return undefined;
  const needles = idNeedles(id);
  const index = lines.findIndex((line) => holdsId(line, needles));
  return index === -1 ? undefined : index + 1;
}

/** A record's `"id"` as a report's line holds it: pretty-printed JSON, or NDJSON's compact. */
export function idNeedles(id: string): readonly [string, string] {
  const value = JSON.stringify(id);
  return [`"id": ${value}`, `"id":${value}`];
}

/** Whether a line of a report holds a record's `"id"` (see idNeedles, made once per id). */
export function holdsId(line: string, [pretty, compact]: readonly [string, string]): boolean {
  return line.includes(pretty) || line.includes(compact);
}
