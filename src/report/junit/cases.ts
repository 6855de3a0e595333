import { describeFrame, ownFrames, type OwnCode } from "../../analysis/own-frames.js";
import { MAX_GROUP_MEMBERS } from "../../analysis/group.js";
import { summaryOnlySeverity, severityRank } from "../../analysis/severity.js";
import type { Frame, Group, GroupMember, Severity, SummaryOnlyLeak } from "../../model/index.js";
import { cleanText, groupSentence, summaryOnlySentence } from "../describe.js";
import { groupHead } from "../heads.js";
import { via } from "../callers-apart.js";
import type { RecordIndex } from "../sites.js";
import { baselineStatusClause } from "../baseline-status.js";

/**
 * What a test case says: failure (error severity, an incomplete log), error (unusable input),
 * pass or skipped.
 */
export type Outcome = "failure" | "error" | "pass" | "skipped";

/** One `<testcase>` before it is written (a group's is made from its GroupCaseHead). */
export interface TestCase {
  classname: string;
  name: string;
  outcome: Outcome;
  /** One line, for the `message` attribute. */
  message: string;
  /** The body: `<failure>`/`<error>` text, or `<system-out>` for passing cases. */
  body: string;
}

// How each severity shows in CI: only errors fail the build's test report; warnings and notes
// pass but carry their stack in <system-out>, and suppressed findings are skipped.
const OUTCOMES = { error: "failure", warning: "pass", note: "pass", none: "skipped" } as const;

/**
 * The parts of a group's test case that are the same in every suite it has a case in: a run of
 * thousands of processes has a case per group per process (1.8 million for the 1 GB text bench
 * log), and making each one's stack text again took most of the report's time.
 */
export interface GroupCaseHead {
  classname: string;
  outcome: Outcome;
  /** One line, for the `message` attribute. */
  message: string;
  /** What the group is, in one line: the message without its severity, the head's first line. */
  sentence: string;
  /** The body before the members' lines: the sentence, the stack and the aux stacks. */
  head: string;
}

export function groupCaseHead(group: Group, records?: RecordIndex, caller?: Frame): GroupCaseHead {
  const head = records !== undefined ? groupHead(group, records) : undefined;
  // The caller that tells it from groups at the same place goes in the message, not the name
  // (see callersApart): a name must stay when such a group comes or goes (campaign bb). So does
  // how it compares with a baseline, which the name must not hold either: a case's history
  // goes on when its group is no longer new.
  const status = baselineStatusClause(group);
  const sentence = cleanText(`${groupSentence(group, head)}${via(caller)}${status}`);
  return {
    classname: group.kind,
    outcome: groupOutcome(group),
    message: `${group.severity}: ${sentence}`,
    sentence,
    head: [sentence, ...stackLines(group.stack), ...auxLines(group)].join("\n"),
  };
}

/** What a group's case says: its severity's outcome. */
export function groupOutcome(group: Group): Outcome {
  return OUTCOMES[group.severity];
}

/**
 * The leaks of one process that only the tool's summary reports: a case that fails as a group
 * of its worst kind would (definitely or possibly lost is an error), so that a run without loss
 * records does not pass as clean. Its name is fixed: one such case per process, and one for
 * what its loss records lack (recordsMissing), which a process can have beside hidden kinds.
 */
export function summaryOnlyCase(entry: SummaryOnlyLeak): TestCase {
  const severity = Object.keys(entry.leak)
    .map((kind) => summaryOnlySeverity(entry, kind))
    .reduce<Severity>((a, b) => (severityRank(b) > severityRank(a) ? b : a), "none");
  const sentence = cleanText(summaryOnlySentence([entry]));
  // The summary's line is where the summary starts, where SARIF and Code Quality point too: in
  // a text log its HEAP SUMMARY, a few lines above the LEAK SUMMARY that this line was said to
  // be (campaign cf Q8).
  const where =
    entry.line !== undefined
      ? [`The summary that counts them starts at line ${entry.line} of the log`]
      : [];
  return {
    classname: "leaklog.summary",
    name:
      entry.recordsMissing === true
        ? "leaks whose loss records are missing"
        : "leaks without loss records",
    outcome: OUTCOMES[severity],
    message: `${severity}: ${sentence}`,
    body: [sentence, ...where].join("\n"),
  };
}

/**
 * A readable name that stays the same from run to run: the kind and the first own frame's
 * function and file name, without line numbers (they move whenever code above them changes),
 * and the start of its stack fingerprint, so that Jenkins and GitLab can follow a finding's history.
 */
export function caseName(group: Group, ownCode: OwnCode = {}): string {
  // The stack fingerprint's start on every case: added only where two cases of a suite shared
  // a name, a case was renamed when the other group came or went, and Jenkins and GitLab lost
  // its history (campaign bb).
  const id = ` [${group.fingerprint.slice(0, 8)}]`;
  const frame = ownFrames(group.stack, ownCode)[0];
  if (frame === undefined) return `${group.kind} (no stack)${id}`;
  const fn = frame.function ?? "???";
  const file = frame.file ?? (frame.object !== undefined ? `in ${frame.object}` : undefined);
  const where = file !== undefined ? ` (${file.slice(file.lastIndexOf("/") + 1)})` : "";
  return cleanText(`${group.kind} in ${fn}${where}${id}`);
}

function stackLines(stack: readonly Frame[]): string[] {
  return stack.map((frame, i) => `  ${i === 0 ? "at" : "by"} ${cleanText(describeFrame(frame))}`);
}

function auxLines(group: Group): string[] {
  return (group.aux ?? []).flatMap((aux) => [
    cleanText(aux.message),
    ...stackLines(aux.stack ?? []),
  ]);
}

/**
 * Where a group's case in one suite was reported: its members there, one line each. A case with
 * none in a group of fewer than the cap is of records a report read back does not list.
 */
export function memberLines(members: readonly GroupMember[], group: Group): string[] {
  if (members.length === 0 && group.members.length < MAX_GROUP_MEMBERS)
    return ["reported here in records the report read back does not list (--max-records)"];
  if (members.length === 0) {
    return [`reported here past the first ${MAX_GROUP_MEMBERS} records the group lists`];
  }
  return members.map((m) => {
    const run = m.run !== undefined ? `, run ${m.run}` : "";
    const pid = m.pid !== undefined ? ` (PID ${m.pid}${run})` : "";
    return `reported at ${cleanText(m.path)}:${m.line}${pid}`;
  });
}
