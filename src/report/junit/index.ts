import type { OwnCode } from "../../analysis/own-frames.js";
import type {
  Diagnostic,
  Group,
  GroupMember,
  Report,
  Source,
  SummaryOnlyLeak,
} from "../../model/index.js";
import { cleanText } from "../describe.js";
import { selectDiagnostics, selectionLines } from "../diagnostic-selection.js";
import type { Reporter } from "../types.js";
import {
  caseName,
  groupCase,
  groupOutcome,
  summaryOnlyCase,
  type Outcome,
  type TestCase,
} from "./cases.js";
import { openTag, xmlText } from "./xml.js";

/**
 * One `<testsuite>`: a source's own checks, or one process of a source. Its group cases wait as
 * references (see CaseRef) until the suite is written.
 */
interface Suite {
  name: string;
  properties: [string, string | number | undefined][];
  cases: CaseRef[];
}

/**
 * A test case: made already (the log's own, a summary's: one per suite at most), or a group's
 * members in the suite, whose text is made when the suite is written. A large run has a case
 * per group per process (the 300 MB text bench log: 522,000 cases, 365 MB of JUnit); made all
 * at once, they took 1.7 GB.
 */
type CaseRef = TestCase | { group: Group; members: readonly GroupMember[] };

/** The members of a group's case in a process past the group's listed members. */
const NO_MEMBERS: readonly GroupMember[] = [];

/** Diagnostics listed in a log's test case; the rest are counted by code (see selectDiagnostics). */
const DIAGNOSTICS_SHOWN = 50;

/**
 * JUnit XML for Jenkins, GitLab and other CI test reports. Each source gets a suite named by its
 * path holding one case for the log itself (an `<error>` when the input was unusable) and the
 * findings without a PID; each process with findings gets a suite `path (PID n)`. A group is one
 * case per suite it has members in: error severity fails (`<failure>` with the stack), warnings
 * and notes pass with the stack in `<system-out>`, suppressed findings are skipped. Written a
 * suite at a time, each suite's cases made as it is written.
 */
export const junitReporter: Reporter = {
  description: "JUnit XML for Jenkins and GitLab test reports (a suite per log and process)",
  render: (report, context) => [...junitPieces(report, context)].join(""),
  renderPieces: junitPieces,
};

function* junitPieces(report: Report, ownCode: OwnCode): Generator<string> {
  const inputs = byInput(report);
  const suites = report.sources.flatMap((source) =>
    sourceSuites(source, inputs.get(source.path) ?? emptyInput()),
  );
  const names = new CaseNames(ownCode);
  const tallies = suites.map((suite) => counts(suite.cases));
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const tally of tallies) for (const key of COUNTED) total[key] += tally[key];
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `${openTag("testsuites", { name: "leaklog", ...total, time: 0 })}\n`;
  for (const [i, suite] of suites.entries()) {
    yield `${suiteLines(suite, tallies[i] as Counts, names).join("\n")}\n`;
  }
  yield "</testsuites>\n";
}

/** Each group's case name, made once however many suites it has a case in. */
class CaseNames {
  private readonly names = new Map<Group, string>();
  constructor(private readonly ownCode: OwnCode) {}

  of(ref: CaseRef): string {
    if (!("group" in ref)) return ref.name;
    let name = this.names.get(ref.group);
    if (name === undefined) {
      name = caseName(ref.group, this.ownCode);
      this.names.set(ref.group, name);
    }
    return name;
  }
}

function sourceSuites(source: Source, input: InputContent): Suite[] {
  const byPid = new Map<number | undefined, CaseRef[]>([
    [undefined, [logCase(source, input.diagnostics)]],
  ]);
  for (const process of source.processes) byPid.set(process.pid, []);
  for (const { group, members: listed, pids } of input.groups) {
    const members = partition(listed);
    // Members stop at 20 per group: a process past them has a case too, from the group's sites.
    for (const pid of pids) if (!members.has(pid)) members.set(pid, NO_MEMBERS);
    for (const [pid, ofPid] of members) {
      const cases = byPid.get(pid) ?? [];
      cases.push({ group, members: ofPid });
      byPid.set(pid, cases);
    }
  }
  for (const entry of input.summaryOnly) {
    const cases = byPid.get(entry.pid) ?? [];
    cases.push(summaryOnlyCase(entry));
    byPid.set(entry.pid, cases);
  }
  // A map, not a search of the list per suite: a --trace-children log has thousands.
  const processes = new Map(source.processes.map((p) => [p.pid, p] as const));
  const suites: Suite[] = [];
  for (const [pid, cases] of byPid) {
    if (pid !== undefined && cases.length === 0) continue;
    const process = pid !== undefined ? processes.get(pid) : undefined;
    suites.push({
      name: pid === undefined ? source.path : `${source.path} (PID ${pid})`,
      properties:
        pid === undefined
          ? [
              ["format", source.format],
              ["toolVersion", source.toolVersion],
            ]
          : [
              ["pid", pid],
              ["ppid", process?.ppid],
              ["command", process?.command],
            ],
      cases,
    });
  }
  return suites;
}

/** What the report holds of one input, for its suites. */
interface InputContent {
  /** The groups with members or sites in the input, in the report's order. */
  groups: InputGroup[];
  summaryOnly: SummaryOnlyLeak[];
  /** Its warnings and errors. */
  diagnostics: Diagnostic[];
}

/** A group's members in one input, and the PIDs (undefined: none) of its sites there. */
interface InputGroup {
  group: Group;
  members: GroupMember[];
  pids: (number | undefined)[];
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
  for (const group of report.groups) {
    const here = new Map<string, InputGroup>();
    const entry = (path: string): InputGroup => {
      let found = here.get(path);
      if (found === undefined) {
        found = { group, members: [], pids: [] };
        here.set(path, found);
        of(path).groups.push(found);
      }
      return found;
    };
    for (const member of group.members) entry(member.path).members.push(member);
    for (const { path, pid } of group.sites ?? []) entry(path).pids.push(pid);
  }
  for (const leak of report.summaryOnlyLeaks ?? []) of(leak.path).summaryOnly.push(leak);
  for (const d of report.diagnostics) if (d.severity !== "info") of(d.path).diagnostics.push(d);
  return inputs;
}

/** Members by PID, in order of first appearance. */
function partition(
  members: readonly GroupMember[],
): Map<number | undefined, readonly GroupMember[]> {
  const parts = new Map<number | undefined, GroupMember[]>();
  for (const member of members) {
    const part = parts.get(member.pid);
    if (part === undefined) parts.set(member.pid, [member]);
    else part.push(member);
  }
  return parts;
}

/** The log itself: unusable input is a JUnit `<error>`; other diagnostics are listed. */
function logCase(source: Source, diagnostics: readonly Diagnostic[]): TestCase {
  const fatal = diagnostics.find((d) => d.severity === "error");
  const lines = selectionLines(selectDiagnostics(diagnostics, DIAGNOSTICS_SHOWN), {
    diagnostic: (d) => {
      const at = d.line !== undefined ? ` at line ${d.line}` : "";
      return `${d.severity}${at}: ${cleanText(d.message)} [${d.code}]`;
    },
    more: (hidden, code) => `... ${hidden} more [${code}] (see --format json)`,
    others: (text) => `... ${text} (see --format json)`,
  });
  if (!source.complete) lines.unshift("The log is incomplete: some findings are missing.");
  return {
    classname: "leaklog.log",
    name: `${cleanText(source.path)} is readable and complete`,
    outcome: fatal !== undefined ? "error" : "pass",
    message: fatal !== undefined ? cleanText(fatal.message) : "",
    body: lines.join("\n"),
  };
}

/**
 * The cases' names. Two groups can share a first frame and kind: tell them apart by their stack
 * fingerprints (stable across runs, unlike a counter that depends on the order of groups).
 */
function uniqueNames(cases: readonly CaseRef[], names: CaseNames): string[] {
  const given = cases.map((c) => names.of(c));
  const seen = new Map<string, number>();
  for (const name of given) seen.set(name, (seen.get(name) ?? 0) + 1);
  return cases.map((c, i) => {
    const name = given[i] as string;
    const fingerprint = "group" in c ? c.group.fingerprint : c.fingerprint;
    return (seen.get(name) ?? 0) > 1 && fingerprint !== undefined
      ? `${name} [${fingerprint.slice(0, 8)}]`
      : name;
  });
}

function outcomeOf(c: CaseRef): Outcome {
  return "group" in c ? groupOutcome(c.group) : c.outcome;
}

/** A suite's, or all suites', `tests`, `failures`, `errors` and `skipped` attributes. */
type Counts = Record<(typeof COUNTED)[number], number>;
const COUNTED = ["tests", "failures", "errors", "skipped"] as const;

function counts(cases: readonly CaseRef[]): Counts {
  const tally = { failure: 0, error: 0, pass: 0, skipped: 0 };
  for (const c of cases) tally[outcomeOf(c)] += 1;
  return {
    tests: cases.length,
    failures: tally.failure,
    errors: tally.error,
    skipped: tally.skipped,
  };
}

function suiteLines(suite: Suite, tally: Counts, names: CaseNames): string[] {
  const unique = uniqueNames(suite.cases, names);
  const made = suite.cases.map((c, i): TestCase => {
    const name = unique[i] as string;
    return "group" in c ? groupCase(c.group, c.members, name) : { ...c, name };
  });
  const properties = suite.properties.filter(([, v]) => v !== undefined);
  return [
    `  ${openTag("testsuite", { name: suite.name, ...tally, time: 0 })}`,
    ...(properties.length > 0
      ? [
          "    <properties>",
          ...properties.map(
            ([name, value]) => `      ${openTag("property", { name, value }, true)}`,
          ),
          "    </properties>",
        ]
      : []),
    ...made.flatMap(caseLines),
    "  </testsuite>",
  ];
}

function caseLines(c: TestCase): string[] {
  const open = `    ${openTag("testcase", { classname: c.classname, name: c.name, time: 0 })}`;
  const body = xmlText(c.body);
  switch (c.outcome) {
    case "failure":
    case "error":
      return [
        open,
        `      ${openTag(c.outcome, { message: c.message, type: c.classname })}${body}</${c.outcome}>`,
        "    </testcase>",
      ];
    case "skipped":
      return [open, `      ${openTag("skipped", { message: c.message }, true)}`, "    </testcase>"];
    default:
      return body === ""
        ? [`${open.slice(0, -1)}/>`]
        : [open, `      <system-out>${body}</system-out>`, "    </testcase>"];
  }
}
