import type { OwnCode } from "../../analysis/own-frames.js";
import type { Group, GroupMember, Report, Source } from "../../model/index.js";
import { cleanText } from "../describe.js";
import { selectDiagnostics, selectionLines } from "../diagnostic-selection.js";
import type { Reporter } from "../types.js";
import { groupCase, summaryOnlyCase, type TestCase } from "./cases.js";
import { openTag, xmlText } from "./xml.js";

/** One `<testsuite>`: a source's own checks, or one process of a source. */
interface Suite {
  name: string;
  properties: [string, string | number | undefined][];
  cases: TestCase[];
}

/** Diagnostics listed in a log's test case; the rest are counted by code (see selectDiagnostics). */
const DIAGNOSTICS_SHOWN = 50;

/**
 * JUnit XML for Jenkins, GitLab and other CI test reports. Each source gets a suite named by its
 * path holding one case for the log itself (an `<error>` when the input was unusable) and the
 * findings without a PID; each process with findings gets a suite `path (PID n)`. A group is one
 * case per suite it has members in: error severity fails (`<failure>` with the stack), warnings
 * and notes pass with the stack in `<system-out>`, suppressed findings are skipped.
 */
export const junitReporter: Reporter = {
  description: "JUnit XML for Jenkins and GitLab test reports (a suite per log and process)",
  render(report, context) {
    const sites = sitesByInput(report.groups);
    const suites = report.sources.flatMap((source) =>
      sourceSuites(source, report, sites.get(source.path), context),
    );
    const all = suites.flatMap((s) => s.cases);
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      openTag("testsuites", { name: "leaklog", ...counts(all), time: 0 }),
      ...suites.flatMap(suiteLines),
      "</testsuites>",
    ];
    return `${lines.join("\n")}\n`;
  },
};

function sourceSuites(
  source: Source,
  report: Report,
  sites: GroupPids | undefined,
  ownCode: OwnCode,
): Suite[] {
  const byPid = new Map<number | undefined, TestCase[]>([[undefined, [logCase(source, report)]]]);
  for (const process of source.processes) byPid.set(process.pid, []);
  for (const group of report.groups) {
    const members = partition(group.members.filter((m) => m.path === source.path));
    // Members stop at 20 per group: a process past them has a case too, from the group's sites.
    for (const pid of sites?.get(group) ?? []) if (!members.has(pid)) members.set(pid, []);
    for (const [pid, ofPid] of members) {
      const cases = byPid.get(pid) ?? [];
      cases.push(groupCase(group, ofPid, ownCode));
      byPid.set(pid, cases);
    }
  }
  for (const entry of report.summaryOnlyLeaks ?? []) {
    if (entry.path !== source.path) continue;
    const cases = byPid.get(entry.pid) ?? [];
    cases.push(summaryOnlyCase(entry));
    byPid.set(entry.pid, cases);
  }
  const suites: Suite[] = [];
  for (const [pid, cases] of byPid) {
    if (pid !== undefined && cases.length === 0) continue;
    const process = source.processes.find((p) => p.pid === pid);
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
      cases: uniqueNames(cases),
    });
  }
  return suites;
}

/** Per group, the PIDs (undefined: findings without one) it has findings in. */
type GroupPids = Map<Group, (number | undefined)[]>;

/** The groups' sites (listed when the summary was asked for them), by input. */
function sitesByInput(groups: readonly Group[]): Map<string, GroupPids> {
  const byInput = new Map<string, GroupPids>();
  for (const group of groups) {
    for (const { path, pid } of group.sites ?? []) {
      let ofInput = byInput.get(path);
      if (ofInput === undefined) {
        ofInput = new Map();
        byInput.set(path, ofInput);
      }
      const pids = ofInput.get(group);
      if (pids === undefined) ofInput.set(group, [pid]);
      else pids.push(pid);
    }
  }
  return byInput;
}

/** Members by PID, in order of first appearance. */
function partition(members: readonly GroupMember[]): Map<number | undefined, GroupMember[]> {
  const parts = new Map<number | undefined, GroupMember[]>();
  for (const member of members) {
    const part = parts.get(member.pid) ?? [];
    part.push(member);
    parts.set(member.pid, part);
  }
  return parts;
}

/** The log itself: unusable input is a JUnit `<error>`; other diagnostics are listed. */
function logCase(source: Source, report: Report): TestCase {
  const diagnostics = report.diagnostics.filter(
    (d) => d.path === source.path && d.severity !== "info",
  );
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
 * Two groups can share a first frame and kind: tell them apart by their stack fingerprints
 * (stable across runs, unlike a counter that depends on the order of groups).
 */
function uniqueNames(cases: TestCase[]): TestCase[] {
  const seen = new Map<string, number>();
  for (const c of cases) seen.set(c.name, (seen.get(c.name) ?? 0) + 1);
  return cases.map((c) =>
    (seen.get(c.name) ?? 0) > 1 && c.fingerprint !== undefined
      ? { ...c, name: `${c.name} [${c.fingerprint.slice(0, 8)}]` }
      : c,
  );
}

function counts(cases: readonly TestCase[]): Record<string, number> {
  const count = (outcome: TestCase["outcome"]) => cases.filter((c) => c.outcome === outcome).length;
  return {
    tests: cases.length,
    failures: count("failure"),
    errors: count("error"),
    skipped: count("skipped"),
  };
}

function suiteLines(suite: Suite): string[] {
  const properties = suite.properties.filter(([, v]) => v !== undefined);
  return [
    `  ${openTag("testsuite", { name: suite.name, ...counts(suite.cases), time: 0 })}`,
    ...(properties.length > 0
      ? [
          "    <properties>",
          ...properties.map(
            ([name, value]) => `      ${openTag("property", { name, value }, true)}`,
          ),
          "    </properties>",
        ]
      : []),
    ...suite.cases.flatMap(caseLines),
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
