import {
  Report,
  type Details,
  type Finding,
  type LogLocation,
  type Severity,
  type Source,
} from "../../model/index.js";
import { isIncompleteReason, type IncompleteCode } from "../../analysis/input-states.js";
import { descriptorsListedByAll } from "../../analysis/listed-descriptors.js";
import type { ParseSink } from "../types.js";
import { isReportHead } from "./head.js";
import { isNdjson, reportOfNdjson } from "./ndjson.js";
import { holdsId, idNeedles, withoutBadEntries } from "./salvage.js";
import {
  unlistedInheritedLeaks,
  unlistedParts,
  unlistedSuppressedErrors,
  unlistedSuppressedLeaks,
} from "./unlisted.js";

/** Parses a buffered report and replays its sources, records, summaries and diagnostics. */
export function replayReport(lines: readonly string[], sink: ParseSink): void {
  const json = isNdjson(lines) ? reportOfNdjson(lines, sink) : documentOf(lines, sink);
  if (json === undefined) return;
  const newer = newerSchemaVersion(json);
  if (newer !== undefined) {
    badReport(
      sink,
      lines,
      `written by a newer leaklog (schema version ${newer}; this one reads ${SCHEMA_VERSION})`,
    );
    return;
  }
  let parsed = Report.safeParse(json);
  // Invalid records are left out, each said; the report's other records still count.
  if (!parsed.success) parsed = Report.safeParse(withoutBadEntries(json, lines, sink));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue !== undefined && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    badReport(sink, lines, `not a leaklog report${where}: ${issue?.message ?? "invalid"}`);
    return;
  }
  replaySources(parsed.data, sink);
  replayFindings(parsed.data, lines, sink);
  replayDiagnostics(parsed.data, sink);
  recordsOmitted(parsed.data, sink);
  const { summaries, summaryOnlyLeaks = [], unshownLeaks = [] } = parsed.data;
  // The engine sets `path` (the JSON file), as for the records' locations; the log's `line`
  // goes with the log's path: kept, it put GitHub annotations and Code Quality issues on an
  // unrelated line of the JSON file (campaign bj).
  const where = ["path", "line"] as const;
  sink.reportPart({
    summaries: summaries.map((summary) => omit(summary, where)),
    summaryOnlyLeaks: summaryOnlyLeaks.map((entry) => omit(entry, where)),
    unshownLeaks: unshownLeaks.map((entry) => omit(entry, where)),
    ...unlistedParts(parsed.data),
    unlistedSuppressedErrors: unlistedSuppressedErrors(parsed.data),
    unlistedSuppressedLeaks: unlistedSuppressedLeaks(parsed.data),
    unlistedInheritedLeaks: unlistedInheritedLeaks(parsed.data),
    recordsOmitted: parsed.data.recordsOmitted ?? { leaks: 0, errors: 0 },
  });
}

/** The schema version this leaklog writes and reads. */
const SCHEMA_VERSION = Report.shape.schemaVersion.value;

/**
 * The schema version of a report newer than this leaklog reads, if it is one: its first field
 * that did not match was reported ("not a leaklog report at schemaVersion"), which did not say
 * that a newer leaklog wrote it (campaign camp2 Q9).
 */
function newerSchemaVersion(json: unknown): number | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  return typeof version === "number" && version > SCHEMA_VERSION ? version : undefined;
}

/** The JSON document of a report's lines; undefined, said, when it is damaged. */
function documentOf(lines: readonly string[], sink: ParseSink): unknown {
  const text = lines.join("\n");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const line = lineOfPosition(text, message);
    badReport(sink, lines, `damaged JSON: ${message}`, line);
    return undefined;
  }
}

/**
 * The report's diagnostics, its cross-checks included: the merge does not check its summaries
 * again (see ReportPart), so the verdicts of the run that saw every record stand.
 */
function replayDiagnostics(report: Report, sink: ParseSink): void {
  const read = readSources(report);
  for (const d of report.diagnostics) {
    const where = d.line !== undefined ? `${d.path}:${d.line}` : d.path;
    // Its source is incomplete in the merge too (replaySources leaves that to this line), for
    // whichever reason: a `log-overwritten` one, replayed as any warning, left the merge to add
    // "was incomplete in the merged report" of its log alone (campaign camp-ctest Q7).
    if (isIncompleteReason(d)) {
      sink.incomplete(`${where}: ${d.message}`, undefined, d.code as IncompleteCode, d.pid);
      continue;
    }
    sink.replayed({
      severity: d.severity,
      code: d.code,
      message: `${where}: ${d.message}`,
      ...(d.pid !== undefined ? { pid: d.pid } : {}),
      ...(readInPart(d, read) ? { readInPart: true } : {}),
    });
  }
}

/** The paths of a report's sources of which something was read. */
function readSources(report: Report): Set<string> {
  const read = report.sources.filter((s) => s.processes.length > 0 || s.counters.records > 0);
  return new Set(read.map((s) => s.path));
}

/**
 * Whether a diagnostic left out only part of its input (see Diagnostic.readInPart). A report
 * written before the field says so by its `bad-report` error's line, which a report of which
 * nothing was read did not have then, and does not get a source that was read.
 */
function readInPart(d: Report["diagnostics"][number], read: ReadonlySet<string>): boolean {
  if (d.readInPart === true) return true;
  return d.code === "bad-report" && d.line !== undefined && read.has(d.path);
}

/**
 * A report written with `--max-records` (10,000 of each by default) lists only some of its
 * records. The others still count, in its groups (see unlistedParts) and totals, so the merge
 * is whole; only the records are not there to list or to match this run's suppressions.
 */
function recordsOmitted(report: Report, sink: ParseSink): void {
  const omitted = report.recordsOmitted;
  if (omitted === undefined || omitted.leaks + omitted.errors === 0) return;
  const message = `the report lists ${report.leaks.length + report.errors.length} of its records and leaves out ${omitted.leaks + omitted.errors} (it was written with --max-records): they count in the merged groups and totals from the report's groups, but are not listed; write reports to merge with --max-records 0 to list them`;
  sink.diagnostic({ severity: "info", code: RECORDS_OMITTED, message });
}

/** The diagnostic code of a report that lists only some of its records. */
const RECORDS_OMITTED = "report-records-omitted";

/**
 * A report of which nothing could be read is an unusable input, as a missing file is: the
 * engine makes it the input's fatal problem (an error diagnostic, exit 2). It was an error and
 * an `incomplete` warning, and the text, Markdown and HTML reports said "passed" (or "Not gated
 * (exit 0)") on a merge that exits 2 (campaign bqa F2). Lines that are no report at all (a log
 * forced with `--input-format leaklog-json`) are said as before: the engine calls the input
 * `wrong-format`, which tells the user what went wrong, as for any forced format.
 */
function badReport(
  sink: ParseSink,
  lines: readonly string[],
  message: string,
  line?: number,
): void {
  if (isReportHead(lines)) {
    // The line goes with the diagnostic, not into its message: there it left GitHub and Code
    // Quality annotations on line 1 and read "(line 140) (line 1 of ...)" (campaign v16b F5).
    sink.unusable(message, "bad-report", line);
    return;
  }
  sink.diagnostic({
    severity: "error",
    code: "bad-report",
    message,
    ...(line !== undefined ? { line } : {}),
  });
  sink.incomplete("the JSON report could not be read: it contributes no findings");
}

/** V8's "... in JSON at position N": the 1-based line of N. */
function lineOfPosition(text: string, message: string): number | undefined {
  const m = /at position (\d+)/.exec(message);
  if (m === null) return undefined;
  const upTo = text.slice(0, Number(m[1]));
  return upTo.split("\n").length;
}

function replaySources(report: Report, sink: ParseSink): void {
  for (const source of report.sources) {
    for (const proc of source.processes) sink.process(proc);
    if (source.usedSuppressions !== undefined) sink.usedSuppressions(source.usedSuppressions);
    if (source.toolVersion !== undefined) sink.toolVersion(source.toolVersion);
    if (source.tool !== undefined) sink.tool(source.tool);
    if (!source.complete) incompleteBeyondSaid(report, source, sink);
  }
  // Listed by the report only if by each of its logs: a merge of shards with and without
  // --track-fds would otherwise make "fixed" of the descriptors of the ones without.
  if (descriptorsListedByAll(report.sources)) sink.descriptorsListed();
  const policy = policyOfAll(report.sources);
  if (Object.keys(policy).length > 0) sink.writtenPolicy(policy);
}

/**
 * The severities that every log of a report was read with, by kind: the read-back source
 * records them (Source.severityPolicy), as the gate and the death tests ask it. A kind the
 * logs' policies disagree on, or that one log left to its default, is left out, as its records
 * and leaks without records carry each their own log's severity.
 */
function policyOfAll(sources: readonly Source[]): Record<string, Severity> {
  const [first, ...others] = sources.map((s) => s.severityPolicy ?? {});
  return Object.fromEntries(
    Object.entries(first ?? {}).filter(([kind, severity]) =>
      others.every((policy) => policy[kind] === severity),
    ),
  );
}

/**
 * What the source's replayed `incomplete` diagnostics (see replayDiagnostics) do not say of it,
 * said: that it was incomplete, or which of its processes were (ProcessInfo.incomplete), whose
 * diagnostics a capped list may have left out. The diagnostics are replayed with their PIDs, so
 * the merge marks the processes the report marked: read back without them, a merge of shards
 * said every process of a cut log had lost its missing loss records with the log (campaign v20
 * F2), where the shard had called a whole process's missing, or hidden by
 * --show-leak-kinds.
 */
function incompleteBeyondSaid(report: Report, source: Source, sink: ParseSink): void {
  const said = report.diagnostics.filter((d) => isIncompleteReason(d) && d.path === source.path);
  const cut = source.processes.filter((p) => p.incomplete === true);
  if (cut.length === 0) {
    if (!said.some((d) => d.pid === undefined))
      sink.incomplete(`${source.path} was incomplete in the merged report`);
    return;
  }
  const saidPids = new Set(said.map((d) => d.pid));
  for (const { pid } of cut) {
    if (!saidPids.has(pid))
      sink.incomplete(
        `${source.path}: PID ${pid} was incomplete in the merged report`,
        undefined,
        undefined,
        pid,
      );
  }
}

const DROPPED = ["id", "fingerprint", "location"] as const;

function replayFindings(report: Report, lines: readonly string[], sink: ParseSink): void {
  const lineOf = locateIds(
    lines,
    [...report.leaks, ...report.errors].map((f) => f.id),
  );
  let index = 0;
  // The engine recomputes id, fingerprint and location (the origin goes to details); it keeps
  // the severity, which the report's run gave with its logs' severityPolicy (see severityOf).
  const place = (f: Finding) => ({
    line: lineOf[index++] ?? 1,
    details: withOrigin(f.details, f.location, f.id),
  });
  for (const leak of report.leaks) sink.finding({ ...omit(leak, DROPPED), ...place(leak) });
  for (const error of report.errors) sink.finding({ ...omit(error, DROPPED), ...place(error) });
}

function omit<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  for (const key of keys) delete copy[key];
  return copy as Omit<T, K>;
}

/** The original log's place, unless the record already came through a merge. */
function withOrigin(details: Details | undefined, location: LogLocation, id: string): Details {
  if (details?.["origin.path"] !== undefined) return details;
  return {
    ...details,
    "origin.path": location.path,
    "origin.line": location.line,
    "origin.id": id,
  };
}

/**
 * The line of each record in the JSON text: `"id": "0:3"` lines, found in order (leaks, then
 * errors, come before the groups, whose members repeat the ids). Records of a minified report
 * all sit on line 1; NDJSON has a line per record.
 */
function locateIds(lines: readonly string[], ids: readonly string[]): number[] {
  const found: number[] = [];
  let at = 0;
  for (const id of ids) {
    const needles = idNeedles(id);
    let i = at;
    while (i < lines.length && !holdsId(lines[i] as string, needles)) i += 1;
    if (i === lines.length) break;
    found.push(i + 1);
    at = i + 1;
  }
  return found;
}
