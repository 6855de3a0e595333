import type { ParseSink } from "../types.js";

/** Where each NDJSON record goes in the JSON report (see the ndjson reporter). */
const LISTS: Readonly<Record<string, string>> = {
  source: "sources",
  leak: "leaks",
  error: "errors",
  group: "groups",
  summary: "summaries",
  "summary-only": "summaryOnlyLeaks",
  unshown: "unshownLeaks",
  diagnostic: "diagnostics",
};

/** Every record the ndjson reporter writes but `live`, which only a live pipe adds. */
const KNOWN: ReadonlySet<string> = new Set([...Object.keys(LISTS), "header", "end"]);

/** Whether a report's first line is an NDJSON record (`--format ndjson`), not a JSON document. */
export function isNdjson(lines: readonly string[]): boolean {
  return /^\s*\{"record":"/.test(lines[0] ?? "");
}

/**
 * The JSON report that `--format ndjson` wrote line by line, put back together, so that the
 * NDJSON of sharded jobs merges as their JSON does. Before, it was read as one damaged JSON
 * document and gave nothing. A line that is not a record is said, with its line, and left out;
 * a live pipe's `live` lines, which the report repeats, are skipped. A stream
 * without its `end` line was cut short: what came before it still counts, and the source is
 * incomplete. The report's lists start empty, so a cut stream still has every list the
 * `Report` schema asks for.
 */
export function reportOfNdjson(lines: readonly string[], sink: ParseSink): unknown {
  const report: Record<string, unknown> = {};
  for (const list of Object.values(LISTS)) report[list] = [];
  let ended = false;
  let damaged = 0;
  for (const [index, text] of lines.entries()) {
    if (text.trim() === "") continue;
    const entry = recordOf(text);
    // A live pipe's lines come before its report's, which repeats their records.
    if (entry?.record === "live") continue;
    if (entry === undefined || !KNOWN.has(entry.record)) {
      damaged += 1;
      const message =
        entry === undefined
          ? "not a whole NDJSON record (cut short or damaged): left out"
          : `${JSON.stringify(entry.record)} is not one of the records leaklog's NDJSON holds: left out`;
      // The report's other lines are read (see Diagnostic.readInPart).
      sink.diagnostic({
        severity: "error",
        code: "bad-report",
        message,
        line: index + 1,
        readInPart: true,
      });
      continue;
    }
    const { record, ...value } = entry;
    const list = LISTS[record];
    if (list !== undefined) (report[list] as unknown[]).push(value);
    else Object.assign(report, value);
    ended ||= record === "end";
  }
  if (!ended) {
    report["totals"] ??= { leaks: {}, errors: {}, groupsBySeverity: {} };
    sink.incomplete("the NDJSON report has no end line: it was cut short");
  } else if (damaged > 0) {
    sink.incomplete(
      `the NDJSON report has ${damaged} damaged ${damaged === 1 ? "line" : "lines"}, left out (see bad-report)`,
    );
  }
  return report;
}

/** A line's record: an object whose `record` is a string; undefined for anything else. */
function recordOf(text: string): ({ record: string } & Record<string, unknown>) | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = (value as { record?: unknown }).record;
  return typeof record === "string" ? (value as { record: string }) : undefined;
}
