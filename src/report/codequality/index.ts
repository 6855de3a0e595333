import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { OwnCode } from "../../analysis/own-frames.js";
import { summaryOnlySeverity } from "../../analysis/severity.js";
import type {
  Amount,
  Diagnostic,
  Frame,
  Group,
  LeakKind,
  Report,
  SummaryOnlyLeak,
} from "../../model/index.js";
import {
  cleanText,
  groupSentence,
  jsonText,
  primaryLocation,
  summaryOnlySentence,
} from "../describe.js";
import { locateLogLine, unlocatedClause, type LogBases, type LogLine } from "../log-location.js";
import { groupHead } from "../heads.js";
import { incompleteLogs, incompleteMessage, type IncompleteLog } from "../incomplete-logs.js";
import { alsoAtLines, recordIndex, shownPlace, type RecordIndex } from "../sites.js";
import { callersApart, via } from "../callers-apart.js";
import { baselineStatusClause } from "../baseline-status.js";
import { Ordinals, stableLogPath } from "../stable-log.js";
import type { ReportContext, Reporter } from "../types.js";

/** GitLab's Code Quality severities, mildest first. */
export type CodeQualitySeverity = "info" | "minor" | "major" | "critical" | "blocker";

/** One entry of GitLab's Code Quality report (a subset of the Code Climate issue format). */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
}

/**
 * The mapping, documented in the README: a memory error (invalid access, bad free, ...) can
 * corrupt data or crash, so it ranks above a leak of the same severity. `blocker` is left for
 * the user's own policy; suppressed findings (severity none) are not issues and are left out.
 */
export function codeQualitySeverity(
  group: Pick<Group, "severity" | "type">,
): CodeQualitySeverity | undefined {
  switch (group.severity) {
    case "error":
      return group.type === "error" ? "critical" : "major";
    case "warning":
      return "minor";
    case "note":
      return "info";
    default:
      return undefined;
  }
}

/**
 * GitLab Code Quality JSON (`artifacts: reports: codequality:`): one issue per group at its first
 * frame in the program's own code, path relative to the working directory (the repository root,
 * where CI runs: GitLab wants repository paths), or to the source root for a file outside it. A
 * group with no such frame points at the log line that reported it.
 */
export const codeQualityReporter: Reporter = {
  description: "GitLab Code Quality JSON (paths relative to the working directory)",
  relativePaths: true,
  render: (report, context) => [...codeQualityPieces(report, context)].join(""),
  renderPieces: codeQualityPieces,
};

/**
 * The issues' JSON array, an issue at a time (the CLI joins pieces into writes: see
 * write-text.ts): held whole, a run of 200,000 groups peaked at 711 MiB against JSON's 471
 * (campaign bm Q3). Byte for byte `jsonText(issues, 2)`.
 */
function* codeQualityPieces(report: Report, context: ReportContext): Generator<string> {
  let first = true;
  for (const issue of codeQualityIssues(report, context)) {
    yield `${first ? "[\n" : ",\n"}${elementText(issue)}`;
    first = false;
  }
  yield first ? "[]\n" : "\n]\n";
}

/** `jsonText([issue], 2)` without its brackets: the issue indented two spaces. */
function elementText(issue: CodeQualityIssue): string {
  const text = jsonText([issue], 2);
  return text.slice("[\n".length, text.length - "\n]".length);
}

function* codeQualityIssues(report: Report, context: ReportContext): Generator<CodeQualityIssue> {
  const records = recordIndex(report);
  const callers = callersApart(report.groups, context);
  for (const group of report.groups) {
    const issue = issueFor(group, context, records, callers.get(group));
    if (issue !== undefined) yield issue;
  }
  const logs: LogIssues = { bases: context, seen: new Ordinals(), job: jobOf(context.jobName) };
  for (const entry of report.summaryOnlyLeaks ?? []) yield* summaryOnlyIssues(entry, logs);
  for (const diagnostic of report.diagnostics)
    if (diagnostic.severity === "error") yield unusableIssue(diagnostic, logs);
  for (const log of incompleteLogs(report)) yield incompleteIssue(log, logs);
}

/** What the issues at a log (not at a finding's code) are made with. */
interface LogIssues {
  bases: LogBases;
  /** Counts the issues of each key, so that two alike get fingerprints of their own. */
  seen: Ordinals;
  job: JobPart;
}

/** What the CI job's name (`--job-name`) adds to an issue at a log: see jobOf. */
interface JobPart {
  /** Parts of the fingerprint: none without a name, so that fingerprints stay as they were. */
  parts: string[];
  /** The description's last clause (empty without a name). */
  clause: string;
}

/**
 * An issue at a log belongs to the job that wrote the log, where an issue at the program's code
 * is the program's, whichever job found it (GitLab then keeps it once). GitLab merges the Code
 * Quality reports of a pipeline's jobs and keeps one issue per fingerprint: the jobs of a
 * `parallel:` or `parallel: matrix:` keyword each write their `valgrind.log`, and two of them
 * cut short or with leaks only a summary counts made one issue, by the log's path. The job's
 * name (`$CI_JOB_NAME`: `memcheck 2/4`, the same in every pipeline) tells them apart.
 */
function jobOf(name: string | undefined): JobPart {
  return name === undefined
    ? { parts: [], clause: "" }
    : { parts: [name], clause: ` (CI job ${name})` };
}

function issueFor(
  group: Group,
  ownCode: OwnCode & LogBases,
  records: RecordIndex,
  caller: Frame | undefined,
): CodeQualityIssue | undefined {
  const severity = codeQualitySeverity(group);
  if (severity === undefined) return undefined;
  const location = locationOf(group, ownCode, records);
  const at = location.own
    ? ""
    : ` (no frame with a source line in the program's own code: see the log${location.note !== "" ? `, ${location.note}` : ""})`;
  // The group's other lines (see github's groupAnnotation): one issue, one line in the widget.
  const elsewhere = alsoAtLines(group, records, ownCode).map((line) => `; ${line}`);
  // How it compares with a baseline goes in the description, never the fingerprint, which must
  // stay the same when a group is no longer new (see baselineStatusText).
  const status = baselineStatusClause(group);
  return {
    description: cleanText(
      `${group.kind}: ${groupSentence(group, groupHead(group, records))}${via(caller)}${status}${at}${elsewhere.join("")}`,
    ),
    check_name: `leaklog/${group.kind}`,
    // GitLab tells issues apart (and new from fixed) by this hash, so it must be unique per
    // entry and stable across runs: the type, kind and stack fingerprint, which are one group's
    // alone, as a baseline pairs groups. Not where the issue points: a line moved by an edit
    // above it made every such leak "new and resolved" in the merge request (campaign ca F1),
    // and a log line (vg.%p.log, moved by the program's output) did on every run (campaign bb).
    fingerprint: issueFingerprint(group.type, group.kind, group.fingerprint),
    severity,
    location: { path: location.path, lines: { begin: location.line } },
  };
}

interface IssueLocation {
  path: string;
  line: number;
  /** At a frame of the program's own code, not at a log line. */
  own: boolean;
  /** Where the log line really is, when `path` cannot say it (empty otherwise). */
  note: string;
}

function locationOf(
  group: Group,
  ownCode: OwnCode & LogBases,
  records: RecordIndex,
): IssueLocation {
  const own = primaryLocation(group.stack, ownCode);
  if (own !== undefined) return { path: own.path, line: own.line ?? 1, own: true, note: "" };
  const place = shownPlace(group, records);
  if (place === undefined) return { path: "<no log>", line: 1, own: false, note: "" };
  return { ...logIssueLocation(locateLogLine(place.path, place.line, ownCode)), own: false };
}

/**
 * GitLab requires a path and a line on every issue. A log that is no file in the checkout
 * (standard input, a log elsewhere) gets a stand-in that no repository file is named like
 * (`<stdin>`, `<valgrind.log>`: stable from run to run, unlike a temporary directory, for the
 * fingerprint uses it) and a note that says where the line is.
 */
function logIssueLocation(log: LogLine): Omit<IssueLocation, "own"> {
  if (log.located) return { path: log.path, line: log.line, note: "" };
  const name = log.log === "-" ? "stdin" : posix.basename(log.log);
  return { path: `<${name}>`, line: log.line, note: `${unlocatedClause(log)}` };
}

/** Where an issue at a log points, and the clause its description ends with (see atLogLine). */
interface LogIssuePlace {
  path: string;
  line: number;
  at: string;
}

/**
 * An issue's place at a log's line (its first when none is known), and the clause its
 * description ends with where that place cannot say it (see logIssueLocation).
 */
function atLogLine(log: string, line: number | undefined, bases: LogBases): LogIssuePlace {
  const place = logIssueLocation(locateLogLine(log, line ?? 1, bases));
  return { path: place.path, line: place.line, at: place.note !== "" ? ` (${place.note})` : "" };
}

/**
 * Leaks that only a tool's summary reports, one issue per kind at the summary's line in the
 * log: the merge-request widget must not show a clean run. The fingerprint leaves out the PID,
 * which changes from run to run.
 */
function summaryOnlyIssues(entry: SummaryOnlyLeak, logs: LogIssues): CodeQualityIssue[] {
  const place = atLogLine(entry.path, entry.line, logs.bases);
  const log = stableLogPath(place.path, entry.pid);
  return (Object.entries(entry.leak) as [LeakKind, Amount][]).flatMap(([kind, amount]) => {
    const severity = codeQualitySeverity({
      severity: summaryOnlySeverity(entry, kind),
      type: "leak",
    });
    if (severity === undefined) return [];
    const sentence = summaryOnlySentence([{ ...entry, leak: { [kind]: amount } }]);
    // Not the summary's line, which the program's output moves; the log's path as the issue
    // gives it (a stand-in stays when a temporary directory does not), and where two logs give
    // one (`<vg.log>` outside the checkout), its turn (campaign bb).
    return [
      logIssue(logs, place, kind, `${kind}: ${sentence}`, severity, ["summary-only", kind, log]),
    ];
  });
}

/**
 * An input leaklog could not use (an error diagnostic: missing, empty, not a log) is an issue at
 * the log, so that the merge-request widget does not show a run that checked nothing as clean
 * (an empty list did). `major`, as a definite leak: what the log would have said is unknown.
 * One log can have two of a code (memleax's error, then that it monitored nothing): its turn
 * tells them apart.
 */
function unusableIssue(diagnostic: Diagnostic, logs: LogIssues): CodeQualityIssue {
  const { code, message } = diagnostic;
  const place = atLogLine(diagnostic.path, diagnostic.line, logs.bases);
  return logIssue(logs, place, code, `${code}: ${message}`, "major", [
    "unusable",
    code,
    place.path,
  ]);
}

/**
 * A log known to lack findings is an issue at the log too: a run that CI killed before
 * Valgrind's leak check, a log of its preamble, gave `[]`, a clean run (campaign bz F1).
 * `major`, as an unusable input: what the part of the run the log lacks would have said is
 * unknown. One issue per log, however many warnings say why (past Valgrind's error limit, one
 * per process), at the first one's line; fingerprinted by the log's path as it stays from run to
 * run, not by that line, which moves with where the run was cut.
 */
function incompleteIssue(log: IncompleteLog, logs: LogIssues): CodeQualityIssue {
  const place = atLogLine(log.source.path, log.reason?.line, logs.bases);
  // With `--log-file=vg.%p.log` the log's name holds its first process's PID.
  const stable = stableLogPath(place.path, log.source.processes[0]?.pid);
  const description = `incomplete: ${incompleteMessage(log)}`;
  return logIssue(logs, place, "incomplete", description, "major", ["incomplete", stable]);
}

/**
 * An issue at a log's line, fingerprinted by `identity` (what stays from run to run: never the
 * line), its turn among the issues of that identity (two alike stay two) and the CI job's name.
 */
function logIssue(
  logs: LogIssues,
  place: LogIssuePlace,
  check: string,
  description: string,
  severity: CodeQualitySeverity,
  identity: readonly string[],
): CodeQualityIssue {
  const { seen, job } = logs;
  const turn = seen.next(identity.join("\u0000"));
  return {
    description: cleanText(`${description}${place.at}${job.clause}`),
    check_name: `leaklog/${check}`,
    fingerprint: issueFingerprint(...identity, turn, ...job.parts),
    severity,
    location: { path: place.path, lines: { begin: place.line } },
  };
}

/** 32 hex digits of SHA-256 over the parts: what tells one issue from another (see issueFor). */
function issueFingerprint(...parts: readonly (string | number)[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}
