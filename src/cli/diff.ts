import { countBaseline } from "../analysis/baseline.js";
import { describeFrame, ownFrames } from "../analysis/own-frames.js";
import type { BaselineStatus, Frame, Group, Report } from "../model/index.js";
import { bytesSplit, fixedAmounts, formatNumber } from "../report/describe.js";
import { growth, grownGroups } from "../report/growth.js";
import { errorHead } from "../report/heads.js";
import { recordIndex, type RecordIndex } from "../report/sites.js";
import { apartInComparison } from "../report/text/library-paths.js";
import { clean } from "../report/text/style.js";
import { collect } from "./collect.js";
import { loadBaseline } from "./load.js";
import { loadSuppressions } from "./load-suppressions.js";
import { checkOutputPath } from "./path-checks.js";
import { DEFAULT_MAX_RECORDS, type DiffOptions } from "./options.js";
import type { CliIO } from "./run.js";
import { hasSuppressions } from "../analysis/suppressions/suppressor.js";
import { writeOutput } from "./write-output.js";

/**
 * `leaklog diff OLD NEW...`: the comparison `summarize --baseline` makes, printed on its own —
 * new and fixed groups listed, unchanged ones counted, and listed too where they grew. Exit 0,
 * or 1 when a `--fail-on` rule (typically `new`) matches, or 2 when an input is unusable.
 */
export async function diffCommand(options: DiffOptions, io: CliIO): Promise<number> {
  await checkOutputPath(options.output, [options.baseline, ...options.inputs], io.cwd);
  const baseline = await loadBaseline(
    options.baseline,
    io,
    options.fingerprint,
    options.allowEmpty,
  );
  const suppressions = await loadSuppressions(options.suppressions, io);
  const collected = await collect(
    {
      inputs: options.inputs,
      notInputs: [options.output, options.baseline],
      inputFormat: options.inputFormat,
      allowEmpty: options.allowEmpty,
      fingerprint: options.fingerprint,
      suppressionFiles: options.suppressions,
      summarize: {
        baseline,
        ...(hasSuppressions(suppressions) ? { suppressions } : {}),
        ...(options.failOn.length > 0 ? { gate: { failOn: options.failOn, maxBytes: {} } } : {}),
        // It prints no record, but lists summarize's default, so that it counts as summarize
        // does: listing none once counted forked children's copies of their parents' loss
        // records again (they are told past the cap too now, see InheritedLossRecords), as
        // leaks that grew against a baseline summarize wrote, and a death test's crash is still
        // told by its listed records (see markDeathTests).
        maxRecords: DEFAULT_MAX_RECORDS,
      },
    },
    io,
  );
  if (collected.unusable === collected.inputs) return 2;
  const report = collected.report;
  const text =
    options.format === "json"
      ? `${JSON.stringify(diffJson(options, report), null, 2)}\n`
      : diffText(options, report);
  if (options.output !== undefined) await writeOutput(options.output, io.cwd, [text]);
  else io.stdout.write(text);
  if (collected.unusable + collected.unusableInReports > 0) return 2;
  return report.gate?.failed === true ? 1 : 0;
}

const byStatus = (report: Report, status: BaselineStatus): Group[] =>
  report.groups.filter((g) => g.baseline === status);

/** The JSON form: counts, then the groups of each status (the Group schema, with `baseline`). */
function diffJson(options: DiffOptions, report: Report): Record<string, unknown> {
  return {
    baseline: options.baseline,
    inputs: report.sources.map((s) => s.path),
    counts: countBaseline(report.groups),
    new: byStatus(report, "new"),
    fixed: byStatus(report, "fixed"),
    unchanged: byStatus(report, "unchanged"),
    ...(report.gate !== undefined ? { gate: report.gate } : {}),
    warnings: warningsOf(report),
  };
}

/**
 * The report's warnings and errors: what makes the comparison doubtful (a baseline from a log
 * cut short, kinds one side did not list, an input that could not be read).
 */
const warningsOf = (report: Report) =>
  report.diagnostics.filter((d) => d.severity === "warning" || d.severity === "error");

function diffText(options: DiffOptions, report: Report): string {
  const counts = countBaseline(report.groups);
  const inputs = report.sources.map((s) => clean(s.path)).join(", ");
  // Unchanged groups are counted, but those that grew are listed too: a leak that went from 32
  // bytes in 1 block to 96 in 3 passed `--fail-on new` unmentioned (campaign bn Q3).
  const grown = grownGroups(report.groups);
  const grew = grown.length > 0 ? ` (${grown.length} grew)` : "";
  const out = [
    `Baseline ${clean(options.baseline)} -> ${inputs}`,
    `${counts.new} new, ${counts.fixed} fixed, ${counts.unchanged} unchanged${grew}`,
  ];
  const sections = [
    { heading: (n: number) => `New (${n})`, groups: byStatus(report, "new") },
    { heading: () => fixedHeading(byStatus(report, "fixed")), groups: byStatus(report, "fixed") },
    { heading: (n: number) => `Grew (${n})`, groups: grown },
  ];
  // What tells apart groups whose lines read alike, as the text summary says it: a renamed
  // caller below the shown frames made a new group and a fixed one that printed the same, and
  // nothing said what was new (campaign ba). Told from unchanged groups too, which diff does not
  // list: a fixed leak read as gone while its look-alike was still there (campaign bqa F4).
  const apart = apartInComparison(
    sections.flatMap((section) => section.groups),
    report,
    shownFrames,
    {},
  );
  const records = recordIndex(report);
  for (const { heading, groups } of sections) {
    if (groups.length === 0) continue;
    out.push("", heading(groups.length));
    for (const group of groups) out.push(groupLine(group, apart.get(group), records));
  }
  const warnings = warningsOf(report);
  if (warnings.length > 0) {
    out.push("", `Warnings (${warnings.length})`);
    for (const d of warnings) out.push(clean(`  ${d.path}: ${d.message} [${d.code}]`));
  }
  if (report.gate !== undefined) {
    out.push("", report.gate.failed ? "Result: FAILED" : "Result: passed");
    out.push(...report.gate.reasons.map((r) => `  ${r}`));
  }
  return `${out.join("\n")}\n`;
}

/** `Fixed (5): 7 leaks of 624 bytes in 12 blocks, 2 errors` (see fixedAmounts). */
function fixedHeading(groups: readonly Group[]): string {
  const amounts = fixedAmounts(groups);
  return `Fixed (${groups.length})${amounts !== undefined ? `: ${amounts}` : ""}`;
}

/**
 * `  definitely-lost  40 bytes in 1 blocks  at definitely (leak.c:22)`; a fixed group shows
 * the baseline's amounts (its own are zeroed, see compareWithBaseline), an unchanged one that
 * grew its own, and how it grew under its frames (`grew: 32 -> 96 bytes, 1 -> 3 blocks`).
 */
function groupLine(group: Group, apart: string | undefined, records: RecordIndex): string {
  const amounts = group.baseline === "fixed" ? group.baselineAmounts : group;
  const times =
    amounts !== undefined && amounts.occurrences !== 1
      ? ` (${formatNumber(amounts.occurrences)} times)`
      : "";
  const what =
    group.type === "error"
      ? `${errorHead(group, records)}${group.baseline === "fixed" ? times : ""}`
      : amounts === undefined
        ? "leak group of the baseline"
        : // Split as the text summary says it: the heading sums direct bytes, as totals do, and
          // `1 leak of 32 bytes` stood above `96 bytes in 1 blocks` (campaign bu).
          `${formatNumber(amounts.bytes)}${bytesSplit(amounts)} bytes in ${formatNumber(amounts.blocks)} blocks`;
  const [frame, ...callers] = shownFrames(group);
  const at = frame !== undefined ? `  at ${describeFrame(frame)}` : "";
  const grew = growth(group);
  return [
    clean(`  ${group.kind.padEnd(16)} ${what}${at}`),
    ...callers.map((f) => clean(`      by ${describeFrame(f)}`)),
    ...(apart !== undefined ? [clean(`      ${apart}`)] : []),
    ...(grew !== undefined ? [`      grew: ${grew}`] : []),
  ].join("\n");
}

function shownFrames(group: Group): Frame[] {
  return ownFrames(group.stack).slice(0, FRAMES_SHOWN);
}

/**
 * Own frames shown per group, as the text summary's first lines: with one, three leaks through
 * a shared helper all read `64 bytes at xalloc (prog.c:2)`, and which path was fixed was in the
 * JSON only.
 */
const FRAMES_SHOWN = 4;
