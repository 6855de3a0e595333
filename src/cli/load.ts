import { resolve } from "node:path";
import type { FingerprintOptions } from "../analysis/fingerprint.js";
import { parseChunks, parseFile, unreadable, type ParseResult } from "../api/parse.js";
import { summarize } from "../api/summarize.js";
import type {
  Diagnostic,
  FormatId,
  Group,
  GroupMember,
  Report,
  Source,
  ToolSummary,
} from "../model/index.js";
import { placeOf, problemLine, UsageError } from "./errors.js";
import { expandInputs } from "./inputs.js";
import { mergedUnusable } from "./merged-unusable.js";
import { standardInput } from "./read-input.js";
import type { CliIO } from "./run.js";

/**
 * Parses every input (files, globs, `-`), reporting unusable ones on stderr. Record ids get the
 * input's index as prefix so that they stay unique across inputs.
 */
export async function loadInputs(
  inputs: readonly string[],
  inputFormat: FormatId | "auto",
  io: CliIO,
  allowEmpty = false,
  notInputs: readonly (string | undefined)[] = [],
): Promise<ParseResult[]> {
  const { paths, problems } = await expandInputs(inputs, io.cwd, notInputs);
  const results: ParseResult[] = [];
  for (const { path, fatal } of problems) {
    io.stderr.write(problemLine(path, fatal.message, fatal.line));
    results.push(unreadable(path, fatal));
  }
  for (const [index, path] of paths.entries()) {
    const parseOptions = { inputFormat, idPrefix: `${index}:`, allowEmpty };
    const result =
      path === "-"
        ? await parseChunks(standardInput(io), { ...parseOptions, path: "-" })
        : await parseFile(resolve(io.cwd, path), { ...parseOptions, path });
    const { fatal } = result;
    if (fatal !== undefined) io.stderr.write(problemLine(path, fatal.message, fatal.line));
    results.push(result);
  }
  return results;
}

/**
 * The baseline's groups: a previous `--format json` report (or any log leaklog reads), parsed
 * and grouped like the current inputs (its stacks fingerprinted again, with the run's
 * `fingerprint` options, whatever the options of the run that wrote it). A report written with
 * --max-records is whole: its groups count the records it does not list (see unlistedParts).
 * An unusable or damaged baseline is misuse: comparing against nothing would call every finding
 * new.
 */
export async function loadBaseline(
  path: string,
  io: CliIO,
  fingerprint?: FingerprintOptions,
  allowEmpty = false,
): Promise<{
  groups: Group[];
  diagnostics: Diagnostic[];
  path: string;
  summaries: ToolSummary[];
  sources: Source[];
}> {
  // --allow-empty holds for the baseline too: its empty-input message advises it.
  const result = await parseFile(resolve(io.cwd, path), {
    path,
    idPrefix: "baseline:",
    allowEmpty,
    ...(fingerprint !== undefined ? { fingerprint } : {}),
  });
  const bad = result.fatal ?? result.diagnostics.find((d) => d.code === "bad-report");
  if (bad !== undefined) {
    throw new UsageError("bad-option", `baseline ${placeOf(path, bad.line)}: ${bad.message}`);
  }
  const report = summarize([result]);
  // A report of a run that could not use an input (its log missing) compares with nothing of
  // that input: every finding of it would be new, and the gate fail for the baseline's fault.
  const lost = mergedUnusable(report)[0];
  if (lost !== undefined) {
    throw new UsageError(
      "bad-option",
      `baseline ${path} is the report of a run with an unusable input, nothing to compare with (write it again from usable logs, with --allow-empty for empty ones): ${lost.message}`,
    );
  }
  // What makes the comparison doubtful (a baseline from a log cut short, regrouped records of a
  // --max-records report) is said in this run's report; its notes are the baseline run's own.
  const diagnostics = report.diagnostics
    .filter((d) => d.severity === "warning" || d.severity === "error")
    .map((d) => (d.path === path ? d : { ...d, message: `baseline ${path}: ${d.message}` }));
  const { summaries, sources } = report;
  return { groups: atTheirLogs(report), diagnostics, path, summaries, sources };
}

/**
 * The report's groups, each member at the log its record came from: a JSON report's records are
 * replayed at their lines in it, their logs kept in `details["origin.path"]`. A process that
 * died of a fatal signal in one log of this run leaves the baseline groups of another log
 * compared, and only their logs tell which (see FatalStops).
 */
function atTheirLogs(report: Report): Group[] {
  const origins = new Map<string, { path: string; line: number }>();
  for (const record of [...report.leaks, ...report.errors]) {
    const path = record.details?.["origin.path"];
    const line = record.details?.["origin.line"];
    if (typeof path === "string" && typeof line === "number")
      origins.set(record.id, { path, line });
  }
  if (origins.size === 0) return report.groups;
  const atOrigin = (member: GroupMember) => {
    const origin = origins.get(member.id);
    return origin !== undefined ? { ...member, ...origin } : member;
  };
  return report.groups.map((group) => ({ ...group, members: group.members.map(atOrigin) }));
}
