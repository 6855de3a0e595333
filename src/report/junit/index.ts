import type { OwnCode } from "../../analysis/own-frames.js";
import type { Frame, Group, Report } from "../../model/index.js";
import type { Reporter } from "../types.js";
import { recordIndex, type RecordIndex } from "../sites.js";
import { callersApart } from "../callers-apart.js";
import { caseName, groupCaseHead, memberLines, type Outcome, type TestCase } from "./cases.js";
import { reportSuites, type CaseRef, type Suite } from "./suites.js";
import { openTag, xmlText } from "./xml.js";

/**
 * JUnit XML for Jenkins, GitLab and other CI test reports. Each source gets a suite named by its
 * path (a PID in it written `%p`: see SuiteNames) holding one case for the log itself (an
 * `<error>` when the input was unusable, a `<failure>` when the log is incomplete) and the
 * findings without a PID; each process with findings gets a suite `path (command)`. A group is one case per suite it has members in: error
 * severity fails (`<failure>` with the stack), warnings and notes pass with the stack in
 * `<system-out>`, suppressed findings are skipped. Written a suite at a time, each suite's cases
 * made as it is written.
 */
export const junitReporter: Reporter = {
  description: "JUnit XML for Jenkins and GitLab test reports (a suite per log and process)",
  render: (report, context) => [...junitPieces(report, context)].join(""),
  renderPieces: junitPieces,
};

function* junitPieces(report: Report, ownCode: OwnCode): Generator<string> {
  const suites = reportSuites(report);
  const cases = new GroupCases(report.groups, ownCode, recordIndex(report));
  const tallies = suites.map((suite) => counts(suite.cases, cases));
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const tally of tallies) for (const key of COUNTED) total[key] += tally[key];
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  // Jenkins' xUnit schema (junit-10.xsd) refuses `skipped` on <testsuites>; it is the suites'.
  const { tests, failures, errors } = total;
  yield `${openTag("testsuites", { name: "leaklog", tests, failures, errors, time: 0 })}\n`;
  for (const [i, suite] of suites.entries()) {
    yield `${suiteLines(suite, tallies[i] as Counts, cases).join("\n")}\n`;
  }
  yield "</testsuites>\n";
}

/**
 * Each group's case, but for its members' lines, made once however many suites it has a case
 * in: its name and `<testcase>` tag, the XML of its outcome's tag and of its body's head.
 */
class GroupCases {
  private readonly made: (GroupCaseXml | undefined)[] = [];
  private readonly callers: Map<Group, Frame>;

  constructor(
    private readonly groups: readonly Group[],
    private readonly ownCode: OwnCode,
    private readonly records: RecordIndex,
  ) {
    this.callers = callersApart(groups, ownCode);
  }

  of(index: number): GroupCaseXml {
    let found = this.made[index];
    if (found === undefined) {
      const group = this.groups[index] as Group;
      const head = groupCaseHead(group, this.records, this.callers.get(group));
      const name = caseName(group, this.ownCode);
      found = {
        group,
        outcome: head.outcome,
        open: testcaseTag(head.classname, name),
        outcomeTag: outcomeTag(head),
        head: xmlText(head.head),
      };
      this.made[index] = found;
    }
    return found;
  }

  outcomeOf(ref: CaseRef): Outcome {
    return typeof ref === "number" ? this.of(ref).outcome : ref.outcome;
  }
}

/** A group's case as GroupCases keeps it: XML already escaped. */
interface GroupCaseXml {
  group: Group;
  outcome: Outcome;
  /** The `<testcase>` open tag, named by caseName. */
  open: string;
  outcomeTag: string;
  /** The body's head (GroupCaseHead), escaped; the members' lines follow it. */
  head: string;
}

/** A suite's, or all suites', `tests`, `failures`, `errors` and `skipped` attributes. */
type Counts = Record<(typeof COUNTED)[number], number>;
const COUNTED = ["tests", "failures", "errors", "skipped"] as const;

function counts(refs: readonly CaseRef[], cases: GroupCases): Counts {
  const tally = { failure: 0, error: 0, pass: 0, skipped: 0 };
  for (const ref of refs) tally[cases.outcomeOf(ref)] += 1;
  return {
    tests: refs.length,
    failures: tally.failure,
    errors: tally.error,
    skipped: tally.skipped,
  };
}

function suiteLines(suite: Suite, tally: Counts, cases: GroupCases): string[] {
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
    ...suite.cases.flatMap((ref) => {
      if (typeof ref !== "number") return testCaseLines(ref);
      const made = cases.of(ref);
      const members = made.group.members.filter(
        (m) => m.path === suite.path && m.pid === suite.pid && m.run === suite.run,
      );
      const body = `${made.head}\n${xmlText(memberLines(members).join("\n"))}`;
      return caseLines(made.outcome, made.open, made.outcomeTag, body);
    }),
    "  </testsuite>",
  ];
}

function testCaseLines(c: TestCase): string[] {
  const open = testcaseTag(c.classname, c.name);
  return caseLines(c.outcome, open, outcomeTag(c), xmlText(c.body));
}

function testcaseTag(classname: string, name: string): string {
  return `    ${openTag("testcase", { classname, name, time: 0 })}`;
}

/** `<failure ...>` or `<error ...>` before the body, a whole `<skipped .../>`; none for a pass. */
function outcomeTag(c: Pick<TestCase, "classname" | "outcome" | "message">): string {
  switch (c.outcome) {
    case "failure":
    case "error":
      return openTag(c.outcome, { message: c.message, type: c.classname });
    case "skipped":
      return openTag("skipped", { message: c.message }, true);
    default:
      return "";
  }
}

/** A case's lines from its parts, its body escaped already. */
function caseLines(outcome: Outcome, open: string, tag: string, body: string): string[] {
  switch (outcome) {
    case "failure":
    case "error":
      return [open, `      ${tag}${body}</${outcome}>`, "    </testcase>"];
    case "skipped":
      return [open, `      ${tag}`, "    </testcase>"];
    default:
      return body === ""
        ? [`${open.slice(0, -1)}/>`]
        : [open, `      <system-out>${body}</system-out>`, "    </testcase>"];
  }
}
