import type { OwnCode } from "../../analysis/own-frames.js";
import type { Frame, Group, Report } from "../../model/index.js";
import type { Reporter } from "../types.js";
import { recordIndex, type RecordIndex } from "../sites.js";
import { callersApart } from "../callers-apart.js";
import {
  cutFor,
  oversizeNotice,
  shortenedNotice,
  StackPlaces,
  type CaseBytes,
  type Cut,
} from "./budget.js";
import { caseName, groupCaseHead, memberLines, type Outcome, type TestCase } from "./cases.js";
import { reportSuites, type CaseRef, type Suite } from "./suites.js";
import { openTag, xmlText } from "./xml.js";

/**
 * JUnit XML for Jenkins, GitLab and other CI test reports. Each source gets a suite named by its
 * path (a PID in it written `%p`: see SuiteNames) holding one case for the log itself (an
 * `<error>` when the input was unusable, a `<failure>` when the log is incomplete) and the
 * findings without a PID; each process with findings gets a suite `path (command)`. A group is
 * one case per suite it has members in: error severity fails (`<failure>` with the stack),
 * warnings and notes pass with the stack in `<system-out>`, suppressed findings are skipped.
 * Past the report's first 20 MiB, cases are written without their stack (see budget.ts); a
 * report over GitLab's 30 MiB even so is said on stderr (oversizeNotice). Written a suite at a
 * time, each suite's cases made as it is written.
 */
export const junitReporter: Reporter = {
  description: "JUnit XML for Jenkins and GitLab test reports (a suite per log and process)",
  render: (report, context) => [...junitPieces(report, context)].join(""),
  renderPieces: junitPieces,
  sizeNotice: oversizeNotice,
};

function* junitPieces(report: Report, ownCode: OwnCode): Generator<string> {
  const suites = reportSuites(report);
  const cases = new GroupCases(report.groups, ownCode, recordIndex(report));
  const tallies = suites.map((suite) => counts(suite.cases, cases));
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const tally of tallies) for (const key of COUNTED) total[key] += tally[key];
  const cut = cutFor(SUITE_BYTES * suites.length, () => everyCase(suites, cases));
  const places = new StackPlaces(cut);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  // Jenkins' xUnit schema (junit-10.xsd) refuses `skipped` on <testsuites>; it is the suites'.
  const { tests, failures, errors } = total;
  yield `${openTag("testsuites", { name: "leaklog", tests, failures, errors, time: 0 })}\n`;
  for (const [i, suite] of suites.entries()) {
    const notice = i === 0 && cut.shortened > 0 ? { cut, tests } : undefined;
    yield `${suiteLines(suite, tallies[i] as Counts, { cases, places, notice }).join("\n")}\n`;
  }
  yield "</testsuites>\n";
}

/**
 * About the bytes of a suite's own lines (its tag, properties and end), and of a group case's
 * beside its head or sentence: its tags, and a line or two of where it was reported.
 */
const SUITE_BYTES = 300;
const CASE_BYTES = 100;
/** About the bytes of what a case without its stack says in its place (StackPlaces.stackNote). */
const NOTE_BYTES = 150;

/** Every case's bytes, about, in the order written (see cutFor). */
function* everyCase(suites: readonly Suite[], cases: GroupCases): Generator<CaseBytes> {
  for (const suite of suites) for (const ref of suite.cases) yield cases.bytesOf(ref);
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
      const open = testcaseTag(head.classname, name);
      const tag = outcomeTag(head);
      const sentence = xmlText(head.sentence);
      const text = xmlText(head.head);
      const tags = Buffer.byteLength(open) + Buffer.byteLength(tag) + CASE_BYTES;
      found = {
        group,
        outcome: head.outcome,
        open,
        outcomeTag: tag,
        sentence,
        head: text,
        bytes: {
          whole: tags + Buffer.byteLength(text),
          short: tags + Buffer.byteLength(sentence) + NOTE_BYTES,
        },
      };
      this.made[index] = found;
    }
    return found;
  }

  outcomeOf(ref: CaseRef): Outcome {
    return typeof ref === "number" ? this.of(ref).outcome : ref.outcome;
  }

  /** About the bytes of a case, with and without its stack (a case made already has none). */
  bytesOf(ref: CaseRef): CaseBytes {
    if (typeof ref === "number") return this.of(ref).bytes;
    const bytes = CASE_BYTES + ref.name.length + ref.message.length + ref.body.length;
    return { whole: bytes, short: bytes };
  }
}

/** A group's case as GroupCases keeps it: XML already escaped. */
interface GroupCaseXml {
  group: Group;
  outcome: Outcome;
  /** The `<testcase>` open tag, named by caseName. */
  open: string;
  outcomeTag: string;
  /** The head's first line (GroupCaseHead.sentence), escaped: a case without its stack has it. */
  sentence: string;
  /** The body's head (GroupCaseHead), escaped; the members' lines follow it. */
  head: string;
  /** About the bytes of one of its cases, with and without its stack. */
  bytes: CaseBytes;
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

/** What writing a suite takes beside the suite: see suiteLines. */
interface Writing {
  cases: GroupCases;
  places: StackPlaces;
  /** Set for the first suite when cases lost their stacks: it says how many. */
  notice: { cut: Cut; tests: number } | undefined;
}

function suiteLines(suite: Suite, tally: Counts, writing: Writing): string[] {
  const { cases, places, notice } = writing;
  const properties = suite.properties.filter(([, v]) => v !== undefined);
  if (notice !== undefined) properties.push(["stacksLeftOut", notice.cut.shortened]);
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
      if (typeof ref !== "number") {
        places.skip();
        return testCaseLines(ref);
      }
      const made = cases.of(ref);
      const members = made.group.members.filter(
        (m) => m.path === suite.path && m.pid === suite.pid && m.run === suite.run,
      );
      const head = places.keepsStack(made.bytes, ref, suite.name)
        ? made.head
        : `${made.sentence}\n${xmlText(places.stackNote(ref))}`;
      const body = `${head}\n${xmlText(memberLines(members, made.group).join("\n"))}`;
      return caseLines(made.outcome, made.open, made.outcomeTag, body);
    }),
    ...(notice !== undefined
      ? [`    <system-out>${xmlText(shortenedNotice(notice.cut, notice.tests))}</system-out>`]
      : []),
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
