import { shownSummaryOnly } from "../../analysis/summary-only.js";
import type { Diagnostic, Report } from "../../model/index.js";
import { heldOutMarker, withHeldOutArray } from "../json/pieces.js";
import { incompleteProcessesOf, jsonText } from "../describe.js";
import type { Reporter, ReportContext } from "../types.js";
import { incompleteLogs } from "../incomplete-logs.js";
import { incompleteResults, INCOMPLETE_RULE } from "./incomplete.js";
import { inputErrorResults, INPUT_ERROR_RULE } from "./input-errors.js";
import { directoryUri, messageText, SRCROOT, WORKDIR } from "./locations.js";
import { recordIndex } from "../sites.js";
import { omittedDiagnostics, whereTheRestAre } from "../diagnostic-selection.js";
import { callersApart } from "../callers-apart.js";
import { boundCodeFlows, RESULTS_TEXT_BUDGET, type FlowCut } from "./flow-budget.js";
import { withLineHashes } from "./line-hash.js";
import { resultFor, type SarifResult } from "./results.js";
import { rulesFor } from "./rules.js";
import { summaryOnlyResults } from "./summary-only.js";

// The OASIS schema location GitHub's own examples use (GH1011 accepts it as the final schema).
const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

// GitHub code scanning keeps at most 25,000 results per run and 5,000 per upload are shown; past
// the first limit the upload is rejected, so the least severe groups (last) are left out.
const MAX_RESULTS = 25_000;
// Bounded for the same reason; unrecognized-line diagnostics are already capped by the parsers.
const MAX_NOTIFICATIONS = 1_000;

const NOTIFICATION_LEVELS = { error: "error", warning: "warning", info: "note" } as const;

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one rule per kind, one result per
 * group at its first frame in the program's own code (not the fixed or suppressed ones, of
 * severity none), the stacks as code flows, paths relative to `%WORKDIR%` (the working
 * directory: the repository root, in CI) when they lie under it and to `%SRCROOT%` (the source
 * root) otherwise, or when the two are one directory; leaklog's diagnostics as tool execution
 * notifications, and an incomplete log and an input leaklog could not use as results too (see
 * incompleteResults, inputErrorResults: GitHub reads no notification).
 */
export const sarifReporter: Reporter = {
  description: "SARIF 2.1.0 for GitHub code scanning (paths relative to the working directory)",
  relativePaths: true,
  render: (report, context) => [...sarifPieces(report, context)].join(""),
  renderPieces: sarifPieces,
};

/** The log's text, its results written a batch at a time (see withHeldOutArray). */
function* sarifPieces(report: Report, context: ReportContext): Generator<string> {
  const log = sarifLog(report, context);
  const run = (log["runs"] as Record<string, unknown>[])[0] as Record<string, unknown>;
  const results = run["results"] as unknown[];
  const marker = heldOutMarker();
  run["results"] = marker;
  // Compact: 25,000 results 24 frames deep were 540 MB pretty-printed, past the one string
  // GitHub's upload-sarif reads a file into (see RESULTS_TEXT_BUDGET), and are 163 MB compact;
  // the action parses the file and writes it again compact to upload it: nothing is lost.
  yield* withHeldOutArray(jsonText(log), marker, results, (r) => jsonText(r), "compact");
  yield "\n";
}

/**
 * The SARIF log object (exported for tests that inspect it without parsing JSON, and that give
 * the results' text a smaller budget than RESULTS_TEXT_BUDGET).
 */
export function sarifLog(
  report: Report,
  context: ReportContext,
  textBudget: number = RESULTS_TEXT_BUDGET,
): Record<string, unknown> {
  // A group a baseline had and the logs no longer have is no result: GitHub ignores
  // baselineState "absent" and closes an alert only once its result stops coming, so a fixed
  // leak stayed an open alert at a line that no longer leaks. The other CI formats leave it out too.
  // Nor is a suppressed group (severity none, as a fixed one): GitHub ignores `suppressions`
  // too, which its SARIF support page does not list (codeql-action issue #1230), so adding a
  // suppression closed the leak's alert and opened a `suppressed` one at its line (campaign cf
  // F2); Code Quality and the annotations leave such groups out.
  const current = report.groups.filter((g) => g.baseline !== "fixed" && g.severity !== "none");
  const groups = current.slice(0, MAX_RESULTS);
  const summaryOnly = shownSummaryOnly(report.summaryOnlyLeaks);
  const unlisted = summaryOnlyResults(summaryOnly, context, incompleteProcessesOf(report));
  const records = recordIndex(report);
  const callers = callersApart(groups, context);
  const incomplete = incompleteLogs(report);
  const inputErrors = inputErrorResults(report.diagnostics, context);
  const { results, cut } = boundCodeFlows(
    withLineHashes([
      ...groups.map((group) => resultFor(group, context, records, callers.get(group))),
      ...unlisted,
      ...incompleteResults(incomplete, context),
      ...inputErrors,
    ]),
    textBudget,
  );
  const unlocated = results.filter((r) => r.locations[0]?.physicalLocation === undefined).length;
  const left = { results: current.length - groups.length, unlocated, cut };
  return {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.generator.name,
            version: report.generator.version,
            semanticVersion: report.generator.version,
            rules: [
              ...rulesFor(groups, summaryOnly),
              ...(incomplete.length > 0 ? [INCOMPLETE_RULE] : []),
              ...(inputErrors.length > 0 ? [INPUT_ERROR_RULE] : []),
            ],
          },
        },
        invocations: [invocation(report, left)],
        originalUriBaseIds: baseIds(context, results),
        results,
        properties: {
          sources: report.sources.map((s) => ({
            path: s.path,
            format: s.format,
            complete: s.complete,
          })),
        },
      },
    ],
  };
}

/** `%SRCROOT%`, and `%WORKDIR%` when a location is relative to the working directory. */
function baseIds(context: ReportContext, results: readonly SarifResult[]): Record<string, unknown> {
  const ids: Record<string, unknown> = {
    [SRCROOT]:
      context.sourceRoot !== undefined
        ? { uri: directoryUri(context.sourceRoot) }
        : { description: { text: "The program's source root." } },
  };
  if (context.workingDirectory === undefined) return ids;
  // Made whether used or not: a relative one is refused either way (see directoryUri).
  const workdir = { uri: directoryUri(context.workingDirectory) };
  if (results.some(usesWorkdir)) ids[WORKDIR] = workdir;
  return ids;
}

/** True when any location of the result (its own, related ones, code flows) is under %WORKDIR%. */
function usesWorkdir(result: SarifResult): boolean {
  const locations = [
    ...result.locations,
    ...(result.relatedLocations ?? []),
    ...(result.codeFlows ?? []).flatMap((flow) =>
      flow.threadFlows.flatMap((thread) => thread.locations.map((step) => step.location)),
    ),
  ];
  return locations.some((l) => l.physicalLocation?.artifactLocation.uriBaseId === WORKDIR);
}

/** What the results leave out or lack: groups past the limit, file locations, frames. */
interface LeftOut {
  results: number;
  unlocated: number;
  cut: FlowCut | undefined;
}

/**
 * Fatal problems (unusable inputs) make the execution unsuccessful; all diagnostics are listed.
 * An incomplete log does not: leaklog read it to its end, and SARIF's `executionSuccessful` is
 * about the tool (§3.20.14); its result says what the run lacks.
 */
function invocation(report: Report, left: LeftOut): Record<string, unknown> {
  const { results: resultsLeftOut, unlocated, cut } = left;
  const diagnostics = report.diagnostics.slice(0, MAX_NOTIFICATIONS);
  const notes = diagnostics.map(notification);
  // Those the sources counted past their cap on a code are left out too: 100 notifications of
  // 409 warnings said nothing of the other 309 (campaign ch F9).
  const counted = [...omittedDiagnostics(report).values()].reduce((a, b) => a + b, 0);
  const leftOut = report.diagnostics.length - diagnostics.length + counted;
  if (leftOut > 0)
    notes.push(
      note(
        "diagnostics-left-out",
        `${leftOut} more diagnostics (${whereTheRestAre(leftOut, counted)}).`,
      ),
    );
  if (resultsLeftOut > 0)
    notes.push(
      note(
        "results-left-out",
        `${resultsLeftOut} less severe groups were left out (GitHub's limit of ${MAX_RESULTS} results per run).`,
      ),
    );
  if (cut !== undefined)
    notes.push(
      note(
        "code-flows-cut",
        `${cut.flows} code flows were cut to their innermost ${cut.frames} frames, to keep the file within what GitHub's upload-sarif can read (see --format json for the whole stacks).`,
      ),
    );
  // GitHub code scanning rejects a whole upload over one result without a file location
  // ("locationFromSarifResult: expected artifact location"): say why and what to do.
  if (unlocated > 0)
    notes.push({
      ...note(
        "results-without-location",
        `${unlocated} ${unlocated === 1 ? "result has" : "results have"} no file location: the log that reported ${unlocated === 1 ? "it" : "them"} was read from standard input or lies outside the working directory. GitHub code scanning rejects a SARIF file with such results; write the log to a file in the checkout and pass its path.`,
      ),
      level: "warning",
    });
  return {
    executionSuccessful: !report.diagnostics.some((d) => d.severity === "error"),
    ...(notes.length > 0 ? { toolExecutionNotifications: notes } : {}),
  };
}

function notification(diagnostic: Diagnostic): Record<string, unknown> {
  const where =
    diagnostic.line !== undefined ? `${diagnostic.path}:${diagnostic.line}` : diagnostic.path;
  return {
    level: NOTIFICATION_LEVELS[diagnostic.severity],
    message: { text: messageText(`${where}: ${diagnostic.message}`) },
    descriptor: { id: diagnostic.code },
    ...(diagnostic.pid !== undefined ? { properties: { pid: diagnostic.pid } } : {}),
  };
}

function note(id: string, text: string): Record<string, unknown> {
  return { level: "note", message: { text }, descriptor: { id } };
}
