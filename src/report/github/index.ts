import { describeFrame, ownFrames, type OwnCode } from "../../analysis/own-frames.js";
import { summaryOnlySeverity } from "../../analysis/severity.js";
import type {
  Amount,
  Diagnostic,
  Group,
  LeakKind,
  Severity,
  SummaryOnlyLeak,
} from "../../model/index.js";
import { cleanText, groupSentence, primaryLocation, summaryOnlySentence } from "../describe.js";
import { selectReportDiagnostics } from "../diagnostic-selection.js";
import { locateLogLine, unlocatedClause, type LogBases } from "../log-location.js";
import { groupHead } from "../heads.js";
import { alsoAtLines, recordIndex, shownPlace, type RecordIndex } from "../sites.js";
import type { Reporter } from "../types.js";
import { baselineStatusClause } from "../baseline-status.js";
import { workflowCommand, type Level, type Place } from "./command.js";

/** Annotation levels by severity; suppressed and fixed groups (severity none) are none. */
const LEVELS: Partial<Record<Severity, Level>> = {
  error: "error",
  warning: "warning",
  note: "notice",
};
/** Frames named in an annotation: the program's own first, as the text summary lists them. */
const FRAMES_SHOWN = 5;
/** Annotations of each level GitHub shows for a step (errors, warnings, notices). */
const ANNOTATIONS_SHOWN = 10;
/**
 * Diagnostics annotated. GitHub shows ten warnings and ten errors of a step: a log with
 * hundreds of unknown lines must not push the findings out of view.
 */
const DIAGNOSTICS_SHOWN = 5;

/**
 * GitHub Actions workflow commands (`::error file=src/x.c,line=12,title=…::…`), written to
 * standard output by a step: each group becomes an annotation on the pull request's diff at its
 * first frame in the program's own code (paths relative to the working directory, the checkout),
 * or, with no such frame, at the log line that reported it. Unlike SARIF it needs no code
 * scanning upload. Warnings about the logs themselves (incomplete, not understood) and a failed
 * gate are annotations too.
 */
export const githubReporter: Reporter = {
  description: "GitHub Actions annotations (workflow commands; paths relative to the checkout)",
  relativePaths: true,
  render(report, context) {
    // What failed the job and which logs could not be read come first: GitHub shows the first
    // ten annotations of each level of a step, and a leaky program's groups filled those ten,
    // leaving a missing log and the failed gate unseen.
    const lines: [Level, string][] = [];
    if (report.gate?.failed === true) {
      lines.push([
        "error",
        workflowCommand("error", { title: "leaklog gate" }, report.gate.reasons),
      ]);
    }
    let hidden = 0;
    for (const run of selectReportDiagnostics(report, DIAGNOSTICS_SHOWN)) {
      for (const d of run.shown) lines.push(diagnosticAnnotation(d, context));
      hidden += run.hidden;
    }
    if (hidden > 0) {
      const message = `${hidden} more warnings about the logs are not annotated: see leaklog's text or JSON report`;
      lines.push(notice(message));
    }
    const findings: [Level, string][] = [];
    const records = recordIndex(report);
    for (const group of report.groups) {
      const level = LEVELS[group.severity];
      if (level !== undefined)
        findings.push([level, groupAnnotation(group, level, context, records)]);
    }
    for (const entry of report.summaryOnlyLeaks ?? [])
      findings.push(...summaryOnly(entry, context));
    const unseen = unshown([...lines, notice(""), ...findings]);
    if (unseen > 0) {
      const message = `GitHub shows ${ANNOTATIONS_SHOWN} annotations of each level per step: ${unseen} of the ${findings.length} findings below are in the step's log only (see leaklog's text or JSON report)`;
      lines.push(notice(message));
    }
    return [...lines, ...findings].map(([, line]) => `${line}\n`).join("");
  },
};

function notice(message: string): [Level, string] {
  return ["notice", workflowCommand("notice", { title: "leaklog" }, message)];
}

/** How many of `annotations` GitHub does not show: those past the first few of their level. */
function unshown(annotations: readonly (readonly [Level, string])[]): number {
  const seen = new Map<Level, number>();
  let count = 0;
  for (const [level] of annotations) {
    const nth = (seen.get(level) ?? 0) + 1;
    seen.set(level, nth);
    if (nth > ANNOTATIONS_SHOWN) count += 1;
  }
  return count;
}

function groupAnnotation(
  group: Group,
  level: Level,
  context: OwnCode & LogBases,
  records: RecordIndex,
): string {
  const own = primaryLocation(group.stack, context);
  const frames = ownFrames(group.stack, context);
  const shown = (frames.length > 0 ? frames : group.stack).slice(0, FRAMES_SHOWN);
  const message = [
    groupSentence(group, groupHead(group, records)),
    ...shown.map((f, i) => `${i === 0 ? "at" : "by"} ${describeFrame(f)}`),
    // The group's other lines, as the text summary and SARIF name them: the annotation sits on
    // the first one with all the group's bytes, and a second leak in the function was nowhere
    // on the diff (campaign bb).
    ...alsoAtLines(group, records, context),
  ];
  // The title says how it compares with a baseline: the step's list shows titles, and the new
  // group that failed `--fail-on new` read like the old ones (see baselineStatusText).
  const title = `leaklog: ${group.kind}${baselineStatusClause(group)}`;
  if (own !== undefined) {
    return workflowCommand(level, { file: own.path, line: own.line ?? 1, title }, message);
  }
  const logged = shownPlace(group, records);
  const place = logged !== undefined ? logPlace(logged.path, logged.line, context) : {};
  if (place.unlocated !== undefined) message.push(`(reported at ${place.unlocated})`);
  return workflowCommand(level, { ...place.at, title }, message);
}

/**
 * Leaks that only a tool's summary reports, one annotation per kind at its severity (as Code
 * Quality has them): the pull request must not look clean.
 */
function summaryOnly(entry: SummaryOnlyLeak, context: LogBases): [Level, string][] {
  const place = logPlace(entry.path, entry.line ?? 1, context);
  return (Object.entries(entry.leak) as [LeakKind, Amount][]).flatMap(([kind, amount]) => {
    const level = LEVELS[summaryOnlySeverity(entry, kind)];
    if (level === undefined) return [];
    const message = [summaryOnlySentence([{ ...entry, leak: { [kind]: amount } }])];
    if (place.unlocated !== undefined) message.push(`(reported at ${place.unlocated})`);
    return [[level, workflowCommand(level, { ...place.at, title: `leaklog: ${kind}` }, message)]];
  });
}

function diagnosticAnnotation(d: Diagnostic, context: LogBases): [Level, string] {
  const level: Level = d.severity === "error" ? "error" : "warning";
  const place = d.path !== undefined ? logPlace(d.path, d.line ?? 1, context) : {};
  const message = [d.message];
  if (place.unlocated !== undefined) message.push(`(at ${place.unlocated})`);
  return [level, workflowCommand(level, { ...place.at, title: `leaklog ${d.code}` }, message)];
}

/** A log line as an annotation's place, when the log is a file of the checkout. */
function logPlace(path: string, line: number, bases: LogBases): { at?: Place; unlocated?: string } {
  const log = locateLogLine(path, line, bases);
  if (log.located) return { at: { file: log.path, line: log.line } };
  return { unlocated: cleanText(unlocatedClause(log)) };
}
