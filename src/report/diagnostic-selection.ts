import type { Diagnostic, Report } from "../model/index.js";
import { formatNumber } from "./describe.js";

/** The diagnostics of one code that a summary shows, and how many more of that code it leaves out. */
export interface DiagnosticRun {
  code: string;
  shown: Diagnostic[];
  hidden: number;
  /** Of `hidden`, those past a source's cap: counted by the JSON report, not listed. */
  counted: number;
}

/**
 * The warnings and errors a human-facing summary lists, at most `budget` of them, by code: a
 * log that repeats one problem (a MEMWATCH log of a forking server had 100 sessions without a
 * footer, a damaged log as many unrecognised lines) filled the whole list with it, and the
 * other codes, the summary's cross-checks among them (they come last), were left to the count
 * of those not shown. Each code gets a share in turn, as long as it has diagnostics left and
 * the budget lasts; codes with an error come first, the rest in the order they first appear.
 * Info diagnostics are never listed. Every diagnostic is either shown or counted in `hidden`.
 */
export function selectDiagnostics(
  diagnostics: readonly Diagnostic[],
  budget: number,
  omitted: ReadonlyMap<string, number> = new Map(),
): DiagnosticRun[] {
  const byCode = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    if (d.severity === "info") continue;
    const same = byCode.get(d.code);
    if (same === undefined) byCode.set(d.code, [d]);
    else same.push(d);
  }
  const lists = [...byCode.values()];
  const hasError = (list: readonly Diagnostic[]) => list.some((d) => d.severity === "error");
  // Codes with an error first, otherwise in the order of their first appearance.
  const all = [...lists.filter(hasError), ...lists.filter((list) => !hasError(list))];
  const counts = all.map(() => 0);
  let left = budget;
  for (let round = 0; left > 0; round += 1) {
    let gave = false;
    for (const [i, list] of all.entries()) {
      if (left === 0 || list.length <= round) continue;
      counts[i] = round + 1;
      left -= 1;
      gave = true;
    }
    if (!gave) break;
  }
  return all.map((list, i) => {
    const code = (list[0] as Diagnostic).code;
    const shown = counts[i] as number;
    const counted = omitted.get(code) ?? 0;
    return { code, shown: list.slice(0, shown), hidden: list.length - shown + counted, counted };
  });
}

/**
 * selectDiagnostics of a whole report, counting among those not shown the diagnostics its
 * sources counted past the cap on a code (see Counters.diagnosticsOmitted).
 */
export function selectReportDiagnostics(
  report: Pick<Report, "diagnostics" | "sources">,
  budget: number,
): DiagnosticRun[] {
  return selectDiagnostics(report.diagnostics, budget, omittedDiagnostics(report));
}

/** The diagnostics the report's sources counted past the cap on a code, by code. */
export function omittedDiagnostics(report: Pick<Report, "sources">): Map<string, number> {
  const omitted = new Map<string, number>();
  for (const source of report.sources) {
    for (const [code, count] of Object.entries(source.counters.diagnosticsOmitted ?? {}))
      omitted.set(code, (omitted.get(code) ?? 0) + count);
  }
  return omitted;
}

/** Codes othersText names; a report of many codes names the first few. */
const CODES_NAMED = 5;

/** `12 more of 3 other codes ([a], [b], [c])`: the runs a summary had no room to show at all. */
function othersText(runs: readonly DiagnosticRun[]): string {
  const count = runs.reduce((sum, run) => sum + run.hidden, 0);
  const named = runs.slice(0, CODES_NAMED).map((run) => `[${run.code}]`);
  if (runs.length > CODES_NAMED) named.push("...");
  const codes = runs.length === 1 ? "another code" : `${runs.length} other codes`;
  return `${formatNumber(count)} more of ${codes} (${named.join(", ")})`;
}

/** How one report format writes a selection's lines (see selectionLines). */
export interface SelectionWriter {
  diagnostic(d: Diagnostic): string;
  /** The count of a code's diagnostics left out, `counted` of them listed nowhere. */
  more(hidden: number, code: string, counted: number): string;
  /** The codes none of whose diagnostics was shown (see othersText): `hidden`, `counted` as in more. */
  others(text: string, hidden: number, counted: number): string;
}

/**
 * Where the diagnostics a summary left out are (`hidden`, `counted` of them past a source's
 * cap): `see --format json` promised them all, where the JSON listed 100 of a code and counted
 * the rest (campaign bs Q3: "130 more [unrecognized-line]" of which it listed 80).
 */
export function whereTheRestAre(hidden: number, counted: number): string {
  if (counted === 0) return "see --format json";
  // SARIF lists all the JSON does: "lists 0 of them" read as if something were lost.
  if (counted === hidden) return "--format json counts them in counters.diagnosticsOmitted";
  return `--format json lists ${formatNumber(hidden - counted)} of them and counts the other ${formatNumber(counted)} in counters.diagnosticsOmitted`;
}

/** A selection's lines: each code's shown diagnostics and count left out, then the codes not shown. */
export function selectionLines(runs: readonly DiagnosticRun[], write: SelectionWriter): string[] {
  const lines: string[] = [];
  for (const { code, shown, hidden, counted } of runs) {
    if (shown.length === 0) continue;
    for (const d of shown) lines.push(write.diagnostic(d));
    if (hidden > 0) lines.push(write.more(hidden, code, counted));
  }
  const unlisted = runs.filter((run) => run.shown.length === 0);
  if (unlisted.length > 0) {
    const hidden = unlisted.reduce((sum, run) => sum + run.hidden, 0);
    const counted = unlisted.reduce((sum, run) => sum + run.counted, 0);
    lines.push(write.others(othersText(unlisted), hidden, counted));
  }
  return lines;
}

/** How many warnings and errors a selection holds, shown or not. */
export function selectionSize(runs: readonly DiagnosticRun[]): number {
  return runs.reduce((sum, run) => sum + run.shown.length + run.hidden, 0);
}
