import { shownSummaryOnly } from "../../analysis/summary-only.js";
import type {
  Diagnostic,
  GroupMember,
  Report,
  Source,
  SummaryOnlyLeak,
} from "../../model/index.js";
import { pidAndRun, processId, type ProcessId } from "../../analysis/process-key.js";
import { isIncompleteReason } from "../../analysis/input-states.js";
import { cleanText } from "../describe.js";
import {
  omittedDiagnostics,
  selectDiagnostics,
  selectionLines,
  whereTheRestAre,
} from "../diagnostic-selection.js";
import { incompleteLogs, incompleteMessage, incompleteSentence } from "../incomplete-logs.js";
import { summaryOnlyCase, type TestCase } from "./cases.js";
import { SuiteNames } from "./suite-names.js";

/**
 * One `<testsuite>`: a source's own checks (`pid` undefined), or one process of a source. Its
 * group cases wait as references (see CaseRef) until the suite is written.
 */
export interface Suite {
  name: string;
  path: string;
  pid: number | undefined;
  /** The PID's run in its log, from its second on (see ProcessInfo.run). */
  run: number | undefined;
  properties: [string, string | number | undefined][];
  cases: CaseRef[];
}

/**
 * A test case: made already (the log's own, a summary's: one per suite at most), or the index
 * in the report's groups of a group with findings in the suite's process, whose case is made
 * when the suite is written. A large run has a case per group per process (the 1 GB text bench
 * log: 1.8 million); an object for each held them at 48 bytes, a number takes 8.
 */
export type CaseRef = TestCase | number;

/** Diagnostics listed in a log's test case; the rest are counted by code (see selectDiagnostics). */
const DIAGNOSTICS_SHOWN = 50;

/** Every source's suites, in the report's order: the log's own first, then its processes. */
export function reportSuites(report: Report): Suite[] {
  const inputs = byInput(report);
  const names = new SuiteNames();
  return report.sources.flatMap((source) =>
    sourceSuites(source, inputs.get(source.path) ?? emptyInput(), names),
  );
}

function sourceSuites(source: Source, input: InputContent, names: SuiteNames): Suite[] {
  const logName = cleanText(names.log(source));
  const byProcess = new Map<ProcessId, CaseRef[]>([[undefined, [logCase(source, input, logName)]]]);
  for (const process of source.processes) byProcess.set(processId(process), []);
  for (const { index, members, sites } of input.groups) {
    for (const id of caseProcesses(members, sites)) {
      const cases = byProcess.get(id) ?? [];
      cases.push(index);
      byProcess.set(id, cases);
    }
  }
  for (const entry of input.summaryOnly) {
    const id = processId(entry);
    const cases = byProcess.get(id) ?? [];
    cases.push(summaryOnlyCase(entry));
    byProcess.set(id, cases);
  }
  // A map, not a search of the list per suite: a --trace-children log has thousands.
  const processes = new Map(source.processes.map((p) => [processId(p), p] as const));
  const suites: Suite[] = [];
  const suiteName = names.processes(source);
  for (const [id, cases] of byProcess) {
    if (id !== undefined && cases.length === 0) continue;
    const process = id !== undefined ? processes.get(id) : undefined;
    const { pid, run } = id === undefined ? { pid: undefined, run: undefined } : pidAndRun(id);
    suites.push({
      name: pid === undefined ? logName : cleanText(suiteName(id, pid, run)),
      path: source.path,
      pid,
      run,
      properties:
        pid === undefined
          ? [
              // The file the suite's name stands for, which the user looks for.
              ["path", cleanText(source.path)],
              ["format", source.format],
              ["toolVersion", source.toolVersion],
            ]
          : [
              ["pid", pid],
              ...(run !== undefined ? [["run", run] as [string, number]] : []),
              ["ppid", process?.ppid],
              ["command", process?.command],
            ],
      cases,
    });
  }
  return suites;
}

/**
 * The processes (undefined: findings without one) a group has a case in, in one input: its
 * members' in the order they come, then, as members stop at 20 per group, its sites' others.
 */
function caseProcesses(
  members: readonly GroupMember[],
  sites: readonly ProcessId[],
): Set<ProcessId> {
  const ids = new Set<ProcessId>();
  for (const member of members) ids.add(processId(member));
  for (const id of sites) ids.add(id);
  return ids;
}

/** What the report holds of one input, for its suites. */
interface InputContent {
  /** The groups with members or sites in the input, in the report's order. */
  groups: InputGroup[];
  summaryOnly: SummaryOnlyLeak[];
  /** Its warnings and errors. */
  diagnostics: Diagnostic[];
  /** What the log cannot tell, if it is complete but cannot tell whether its run leaked. */
  cannotTell?: string;
}

/** A group (its index in the report) with its members in one input and its sites' PIDs there. */
interface InputGroup {
  index: number;
  members: GroupMember[];
  sites: ProcessId[];
}

const emptyInput = (): InputContent => ({ groups: [], summaryOnly: [], diagnostics: [] });

/**
 * The report's groups, summary-only leaks and diagnostics by input, in one pass: looking
 * through all of them for each input made JUnit quadratic in the inputs (2,090 logs of one run:
 * 15 s against 4 s for JSON). Sites are listed when the summary was asked for them.
 */
function byInput(report: Report): Map<string, InputContent> {
  const inputs = new Map<string, InputContent>();
  const of = (path: string): InputContent => {
    let input = inputs.get(path);
    if (input === undefined) {
      input = emptyInput();
      inputs.set(path, input);
    }
    return input;
  };
  report.groups.forEach((group, index) => {
    const here = new Map<string, InputGroup>();
    const entry = (path: string): InputGroup => {
      let found = here.get(path);
      if (found === undefined) {
        found = { index, members: [], sites: [] };
        here.set(path, found);
        of(path).groups.push(found);
      }
      return found;
    };
    for (const member of group.members) entry(member.path).members.push(member);
    for (const site of group.sites ?? []) entry(site.path).sites.push(processId(site));
  });
  for (const leak of shownSummaryOnly(report.summaryOnlyLeaks))
    of(leak.path).summaryOnly.push(leak);
  for (const d of report.diagnostics) if (d.severity !== "info") of(d.path).diagnostics.push(d);
  for (const log of incompleteLogs(report))
    if (log.cannotTell !== undefined) of(log.source.path).cannotTell = log.cannotTell;
  return inputs;
}

/**
 * The log itself: an unusable input is a JUnit `<error>`, an incomplete log a `<failure>` whose
 * message says why (a run CI killed before Valgrind's leak check passed as "readable and
 * complete", its reason hidden in `<system-out>`: campaign bz F1), and so is a log that cannot
 * tell whether its run leaked (see incompleteLogs); diagnostics are listed. Named as its suite
 * (`name`, see SuiteNames.log), its message starts with the log's own path.
 */
function logCase(source: Source, input: InputContent, name: string): TestCase {
  const { diagnostics, cannotTell } = input;
  const fatal = diagnostics.find((d) => d.severity === "error");
  // An unusable input's error says why it was not read: no findings are "missing" from it.
  const incomplete = (!source.complete || cannotTell !== undefined) && fatal === undefined;
  // Counting those the source counted past its cap on a code, listed nowhere: "50 more" of 359
  // left out (campaign ch F9).
  const omitted = omittedDiagnostics({ sources: [source] });
  const selection = selectDiagnostics(diagnostics, DIAGNOSTICS_SHOWN, omitted);
  const lines = selectionLines(selection, {
    diagnostic: (d) => {
      const at = d.line !== undefined ? ` at line ${d.line}` : "";
      return `${d.severity}${at}: ${cleanText(d.message)} [${d.code}]`;
    },
    more: (hidden, code, counted) =>
      `... ${hidden} more [${code}] (${whereTheRestAre(hidden, counted)})`,
    others: (text, hidden, counted) => `... ${text} (${whereTheRestAre(hidden, counted)})`,
  });
  const log = { reason: diagnostics.find(isIncompleteReason), cannotTell };
  if (incomplete) lines.unshift(incompleteSentence(log));
  const why = incomplete ? incompleteMessage(log) : "";
  return {
    classname: "leaklog.log",
    name: `${name} is readable and complete`,
    outcome: fatal !== undefined ? "error" : incomplete ? "failure" : "pass",
    message: cleanText(`${source.path}: ${fatal?.message ?? why}`),
    body: lines.join("\n"),
  };
}
