import { shownSummaryOnly } from "../../analysis/summary-only.js";
import { MAX_SUM } from "../../analysis/saturated-sums.js";
import { describeFrame, ownFrames, type OwnCode } from "../../analysis/own-frames.js";
import { sitesShown, type OtherSite } from "../sites.js";
import type { Frame, Group, Report, Severity } from "../../model/index.js";
import {
  bytesSplit,
  formatNumber,
  moreLogs,
  nothingFoundSentence,
  outsideSuppressions,
  plural,
  occurrencesText,
  processCount,
  someProcesses,
  sourceState,
  sourceTool,
  unusablePaths,
} from "../describe.js";
import { growth } from "../growth.js";
import { cell, code, html, tidy } from "./escape.js";

/** Own frames listed under a group's heading; the whole stack is in <details>. */
const FRAMES_SHOWN = 5;
/** Frames per stack inside <details>: Valgrind allows --num-callers=500. */
const FRAMES_IN_DETAILS = 50;
/** Characters of escaped stack text per group (a few deep stacks fit in one comment). */
const DETAILS_BUDGET = 6_000;

/** Sources and table rows listed: a glob over a thousand logs must not fill the comment. */
const SOURCES_SHOWN = 20;
const KINDS_SHOWN = 50;
/**
 * Processes named per source: a log of 6,000 forked processes made a 72,000-character line, over
 * GitHub's 65,536-character comment limit, and left no room for a single group.
 */
const PROCESSES_SHOWN = 10;

const SEVERITY_ORDER: readonly Severity[] = ["error", "warning", "note", "none"];

/**
 * `3 error-severity groups, 1 warning-severity group`: it counts groups, each of which may hold
 * many occurrences, so it must not read as a number of errors.
 */
export function headline(report: Report): string {
  const parts = SEVERITY_ORDER.flatMap((severity) => {
    const n = report.groups.filter((g) => g.severity === severity).length;
    return n > 0 && severity !== "none" ? [plural(n, `${severity}-severity group`)] : [];
  });
  // Leaks only a summary reports have no group: the headline must not say there are none.
  if (shownSummaryOnly(report.summaryOnlyLeaks).length > 0)
    parts.push("leaks without loss records");
  // Never a plain "none" while a log is known to lack findings (cut short, --xtree-leak=yes).
  const outside = outsideSuppressions(report);
  const none = nothingFoundSentence(report, { found: "", outside }).replace(/^No/, "no");
  const found = parts.length > 0 ? parts.join(", ") : none;
  return `## leaklog: ${found}`;
}

/** One bullet per source: path, tool, processes, and whether the log is complete. */
export function sourceLines(report: Report): string[] {
  const sources = report.sources;
  const unusable = unusablePaths(report);
  const lines = sources.slice(0, SOURCES_SHOWN).map((source) => {
    const tool = sourceTool(source);
    const pids = someProcesses(source.processes, PROCESSES_SHOWN);
    const state = sourceState(source, unusable);
    const said =
      state === undefined
        ? ""
        : state === "unusable"
          ? " — **unusable**: not read as a log (see Diagnostics)"
          : " — **incomplete**: some findings are missing";
    return `- ${code(source.path)} (${tool}${pids !== "" ? `, ${pids}` : ""})${said}`;
  });
  if (sources.length > SOURCES_SHOWN)
    lines.push(`- ... and ${moreLogs(sources.slice(SOURCES_SHOWN)).text}`);
  return lines;
}

/** Per kind: worst severity, groups, occurrences, direct bytes and blocks (leaks). */
export function totalsTable(groups: readonly Group[]): string[] {
  const rows = new Map<
    string,
    { group: Group; groups: number; occ: number; bytes: number; blocks: number; atLeast: boolean }
  >();
  for (const group of groups) {
    // A baseline's fixed group is gone from the logs: the baseline line says what it counted.
    if (group.baseline === "fixed") continue;
    // A row per kind and severity: descriptors a process was given (note) and ones it opened
    // (warning) were one row labelled with the first group's severity (campaign ab).
    const key = `${group.kind}\u0000${group.severity}`;
    const row = rows.get(key) ?? { group, groups: 0, occ: 0, bytes: 0, blocks: 0, atLeast: false };
    row.groups += 1;
    row.occ += group.occurrences;
    // A lower bound, as the group's heading says it (see lowerBoundKinds).
    if (group.countsUnknown === true) row.atLeast = true;
    // Direct bytes, as the report's totals and Valgrind's LEAK SUMMARY count them: a definite
    // record's indirect bytes are the indirectly-lost row's.
    // Held at MAX_SUM as the totals are (hostile counts): past it a double is no exact number.
    row.bytes = Math.min(MAX_SUM, row.bytes + group.directBytes);
    row.blocks = Math.min(MAX_SUM, row.blocks + group.blocks);
    rows.set(key, row);
  }
  if (rows.size === 0) return [];
  return [
    "| Kind | Severity | Groups | Occurrences | Bytes | Blocks |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...[...rows.values()].slice(0, KINDS_SHOWN).map((r) => {
      const leak = r.group.type === "leak";
      return `| ${cell(code(r.group.kind))} | ${r.group.severity} | ${formatNumber(r.groups)} | ${r.atLeast ? `at least ${formatNumber(r.occ)}` : formatNumber(r.occ)} | ${leak ? formatNumber(r.bytes) : "–"} | ${leak ? formatNumber(r.blocks) : "–"} |`;
    }),
    ...(rows.size > KINDS_SHOWN ? [`| ... ${rows.size - KINDS_SHOWN} more kinds | | | | | |`] : []),
  ];
}

/**
 * `168 (24 direct, 144 indirect) bytes in 1 block`, as the text summary and Valgrind say it: the
 * totals table sums direct bytes, and a heading of 168 bytes over a row of 56 did not add up.
 */
function leakAmount(group: Group): string {
  const split = bytesSplit(group);
  const bytes =
    split === "" ? plural(group.bytes, "byte") : `${formatNumber(group.bytes)}${split} bytes`;
  return `${bytes} in ${plural(group.blocks, "block")}`;
}

/** A group: heading, its own-code frames, and every stack in <details>. */
export function groupBlock(
  group: Group,
  index: number,
  ownCode: OwnCode = {},
  { elsewhere = [], more, message = group.message }: GroupExtras = {},
): string {
  const what = group.type === "leak" ? leakAmount(group) : code(message);
  // Numbers and fixed words only (see growth): nothing from the log to escape.
  const grew = growth(group);
  const status = grew !== undefined ? `unchanged, grew: ${grew}` : group.baseline;
  const times = [occurrencesText(group), processCount(group), status]
    .filter((part) => part !== undefined)
    .join(", ");
  const frames = ownFrames(group.stack, ownCode).slice(0, FRAMES_SHOWN);
  return [
    `### ${index}. ${group.severity.toUpperCase()} ${code(group.kind)}: ${what} (${times})`,
    "",
    ...frames.map((frame, i) => `- ${i === 0 ? "at" : "by"} ${frameMarkdown(frame)}`),
    ...alsoAt(elsewhere, more),
    ...(frames.length > 0 ? [""] : []),
    detailsBlock(group),
  ].join("\n");
}

/** What a group block says beyond the group itself, from the report's listed records. */
export interface GroupExtras {
  /** The group's other places (see otherSites). */
  elsewhere?: readonly OtherSite[];
  /** What the places' lines leave unsaid (see moreSites). */
  more?: string | undefined;
  /** The head's words for an error group, when its records say more than its message. */
  message?: string;
}

/**
 * `- also at \`main\` in \`use_after_free.c:26\``: the group's findings made elsewhere, each
 * with its own aux line where it differs from the group's (see OtherSite.described); `more`
 * says what the lines leave unsaid (see moreSites).
 */
function alsoAt(elsewhere: readonly OtherSite[], more: string | undefined): string[] {
  const times = (n: number) => (n > 1 ? ` (${plural(n, "occurrence")})` : "");
  const described = (site: OtherSite) =>
    site.described !== undefined ? `: ${code(site.described)}` : "";
  return [
    ...sitesShown(elsewhere).shown.map(
      (site) =>
        `- also at ${frameMarkdown(site.frame)}${times(site.occurrences)}${described(site)}`,
    ),
    ...(more !== undefined ? [`- ${more}`] : []),
  ];
}

function frameMarkdown(frame: Frame): string {
  const fn = code(frame.function ?? "???");
  if (frame.file !== undefined)
    return `${fn} in ${code(`${frame.file}${frame.line !== undefined ? `:${frame.line}` : ""}`)}`;
  return frame.object !== undefined ? `${fn} in ${code(frame.object)}` : fn;
}

/** The whole stack and the aux stacks, in a <pre> (HTML-escaped; Markdown is off inside). */
function detailsBlock(group: Group): string {
  const stacks = [
    { title: group.type === "leak" ? "Allocated at" : group.message, stack: group.stack },
    ...(group.aux ?? []).map((a) => ({ title: a.message, stack: a.stack ?? [] })),
  ];
  const lines = stacks.flatMap(({ title, stack }) => [tidy(title), ...stackText(stack)]);
  const frames = stacks.reduce((n, s) => n + s.stack.length, 0);
  return [
    `<details><summary>Full stack${stacks.length > 1 ? "s" : ""} (${plural(frames, "frame")})</summary>`,
    "",
    `<pre>${boundedHtml(lines)}</pre>`,
    "",
    "</details>",
  ].join("\n");
}

/** Escaped lines up to DETAILS_BUDGET characters, so one hostile stack cannot fill the page. */
function boundedHtml(lines: readonly string[]): string {
  const out: string[] = [];
  let size = 0;
  for (const [i, line] of lines.entries()) {
    const escaped = html(line);
    if (size + escaped.length > DETAILS_BUDGET) {
      out.push(`... ${lines.length - i} more lines`);
      break;
    }
    out.push(escaped);
    size += escaped.length + 1;
  }
  return out.join("\n");
}

function stackText(stack: readonly Frame[]): string[] {
  const shown = stack
    .slice(0, FRAMES_IN_DETAILS)
    .map((f, i) => `  ${i === 0 ? "at" : "by"} ${tidy(describeFrame(f))}`);
  if (stack.length > shown.length) shown.push(`  ... ${stack.length - shown.length} more frames`);
  return shown;
}
