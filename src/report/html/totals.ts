import { shownSummaryOnly } from "../../analysis/summary-only.js";
import { LeakKind, type Diagnostic, type Report, type ToolSummary } from "../../model/index.js";
import { barChart, type Bar, type Tone } from "./chart.js";
import {
  bytesInBlocks,
  formatNumber,
  nothingFoundSentence,
  summaryCoverage,
  incompleteProcessesOf,
  summaryOnlySentence,
  isNothing,
  lowerBoundKinds,
  occurrencesText,
} from "../describe.js";
import {
  inheritedCopiesNote,
  inheritedLeakAmounts,
  knownToolLeaks,
  summedToolLeaks,
  unprintedEitherKind,
  unprintedOfEitherKind,
  UNPRINTED_WORDS,
} from "../tool-leaks.js";
import { EITHER_KIND } from "../../analysis/uncounted-kinds.js";
import { escapeHtml as esc } from "./escape.js";
import { unlistedWords } from "../unlisted-words.js";
import { suppressedWords, type SuppressedWords } from "../suppressed-words.js";
import { inheritedDescriptorsNote } from "../inherited-descriptors-note.js";

const LEAK_KINDS: readonly string[] = LeakKind.options;
// The default severities (README, "How severity is decided"), used only to colour the bars.
const LEAK_TONES: Readonly<Record<string, Tone>> = {
  "definitely-lost": "error",
  "possibly-lost": "error",
  "indirectly-lost": "warning",
  "still-reachable": "note",
};

/**
 * The totals section: a chart of leaklog's own totals, a table that puts them beside the tools'
 * own summaries, and every disagreement between the two (`summary-mismatch` diagnostics).
 */
export function totalsSection(report: Report): string {
  const leakKinds = orderedKinds(Object.keys(report.totals.leaks));
  const leakBars: Bar[] = leakKinds.flatMap((kind) => {
    const amount = report.totals.leaks[kind];
    if (amount === undefined) return [];
    return [
      { label: kind, value: amount.bytes, text: bytesInBlocks(amount), tone: leakTone(kind) },
    ];
  });
  const suppressed = suppressedWords(report);
  const inheritedNote = inheritedDescriptorsNote(report);
  // Occurrences --suppressions took all of are no error-coloured bar (campaign ch F2).
  const errorBars: Bar[] = Object.entries(report.totals.errors)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => ({
      label: kind,
      value: count,
      text: `${formatNumber(count)}${suppressed.errorNote(kind, count)}${inheritedNote(kind, count)}`,
      tone: suppressed.allSuppressed(kind, count) ? "none" : "error",
    }));
  const chart = barChart("Totals: leaked bytes per kind and error occurrences per kind", [
    { name: "Leaks (bytes)", bars: leakBars },
    { name: "Errors (occurrences)", bars: errorBars },
  ]);
  return `<section id="totals" aria-labelledby="totals-h"><h2 id="totals-h">Totals</h2>
<div class="totals">${chart !== "" ? `<figure>${chart}</figure>${summaryOnlyNote(report, "Also leaks") ?? ""}` : emptyNote(report)}
<div>${totalsTable(report, suppressed, inheritedNote)}${mismatchList(report.diagnostics)}</div></div>
${summariesTable(report.summaries)}</section>`;
}

/** What an empty chart means: nothing found, or leaks that only a tool's summary reports. */
function emptyNote(report: Report): string {
  return (
    summaryOnlyNote(report, "Leaks") ?? `<p class="empty">${esc(nothingFoundSentence(report))}.</p>`
  );
}

/**
 * Leaks that only the tools' summaries report, and how to list them, as the text summary says
 * them: beside other findings too, where the page had only a "not listed" row for them, no
 * advice and no bar (campaign ch F3). Undefined when there are none.
 */
function summaryOnlyNote(report: Report, head: "Leaks" | "Also leaks"): string | undefined {
  const unlisted = shownSummaryOnly(report.summaryOnlyLeaks);
  if (unlisted.length === 0) return undefined;
  return `<div class="callout" role="note"><strong>${head} without loss records.</strong> ${esc(summaryOnlySentence(unlisted, incompleteProcessesOf(report)))}.</div>`;
}

function leakTone(kind: string): Tone {
  return LEAK_TONES[kind] ?? "none";
}

function orderedKinds(kinds: readonly string[]): string[] {
  const known = LEAK_KINDS.filter((k) => kinds.includes(k));
  return [...known, ...kinds.filter((k) => !LEAK_KINDS.includes(k)).sort()];
}

function totalsTable(
  report: Report,
  suppressed: SuppressedWords,
  inheritedNote: (kind: string, count: number) => string,
): string {
  const printed = summedToolLeaks(report.summaries);
  const either = unprintedOfEitherKind(report.summaries);
  const inherited = inheritedLeakAmounts(report);
  // What leaklog's --suppressions took, in the text's words: the page said "not listed" beside
  // the tool's amount of what they moved to `suppressed` (campaign ch F2).
  // Why a kind is not listed, and how to list it, as the text summary says (campaign bf).
  const words = unlistedWords(report);
  const hidden = LEAK_KINDS.filter((kind) => words.hiddenUncounted(kind));
  const kinds = orderedKinds([...Object.keys(report.totals.leaks), ...printed.keys(), ...hidden]);
  const rows = [...new Set(kinds)].map((kind) => {
    const ours = report.totals.leaks[kind];
    const theirs = printed.get(kind);
    // Nothing of a kind on either side is none, not something left unlisted; so is a kind the
    // run hid where its own summary counts nothing of it, which the text summary leaves out as
    // it leaves out every kind of nothing: 3.24's XML read "not shown (rerun with
    // --show-leak-kinds=all)" beside its summary's "0 bytes in 0 blocks" (campaign ch Q6).
    const none =
      ours === undefined &&
      (theirs === undefined
        ? !words.hiddenUncounted(kind)
        : isNothing(theirs) && !words.untold(kind));
    const left =
      ours !== undefined
        ? `${bytesInBlocks(ours)}${esc(words.alsoUnshown(kind))}`
        : `<span class="muted">${none ? "none" : esc(suppressed.noneLeft(kind) ?? words.unlisted(kind))}</span>`;
    // A forked child's LEAK SUMMARY counts what it inherited; leaklog counts it once.
    const copies = inherited.get(kind);
    const notes = [
      suppressed.toolShare(kind, ours !== undefined),
      copies !== undefined ? inheritedCopiesNote(copies) : undefined,
    ].filter((note) => note !== undefined);
    // Words of our own, with numbers: nothing to escape (the copies' note went in as it is).
    const share = notes.length > 0 ? ` <span class="muted">(${notes.join("; ")})</span>` : "";
    // Some of the unprinted leaks of either kind may be definite: the least there are.
    const least = kind === "definitely-lost" && either !== undefined ? "at least " : "";
    return `<tr><th scope="row">${esc(kind)}</th><td>${left}</td><td>${theirs !== undefined ? `${least}${bytesInBlocks(theirs)}${share}` : '<span class="muted">—</span>'}</td></tr>`;
  });
  if (either !== undefined) {
    rows.push(
      `<tr><th scope="row">${EITHER_KIND}</th><td><span class="muted">${esc(UNPRINTED_WORDS)}</span></td><td>${bytesInBlocks(either)}</td></tr>`,
    );
  }
  // A kind with a countsUnknown group sums the fewest there were, as text's Totals say.
  const atLeast = lowerBoundKinds(report.groups);
  for (const [kind, count] of Object.entries(report.totals.errors).sort()) {
    const times = occurrencesText({ occurrences: count, countsUnknown: atLeast.has(kind) });
    const notes = `${suppressed.errorNote(kind, count)}${inheritedNote(kind, count)}`;
    rows.push(`<tr><th scope="row">${esc(kind)}</th><td>${times}${esc(notes)}</td><td></td></tr>`);
  }
  if (rows.length === 0) return "";
  return `<table class="compact"><caption>leaklog's totals beside the tools' own</caption><thead><tr><th scope="col">kind</th><th scope="col">leaklog</th><th scope="col">tool's summary${esc(summaryCoverage(report))}</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function mismatchList(diagnostics: readonly Diagnostic[]): string {
  const mismatches = diagnostics.filter((d) => d.code === "summary-mismatch");
  if (mismatches.length === 0) return "";
  const items = mismatches.map(
    (d) =>
      `<li>${esc(d.line !== undefined ? `${d.path}:${d.line}` : d.path)}: ${esc(d.message)}</li>`,
  );
  return `<div class="callout" role="note"><strong>The records do not add up to the tool's own summary</strong><ul>${items.join("")}</ul></div>`;
}

function summariesTable(summaries: readonly ToolSummary[]): string {
  if (summaries.length === 0) return "";
  const rows = summaries.map((s) => {
    // What max_leaks left unprinted of either kind is no definite leak (see summedToolLeaks).
    const either = unprintedEitherKind(s);
    const leak = [
      ...knownToolLeaks(s).map(
        ({ kind, amount, least }) =>
          `${esc(kind)}: ${least ? "at least " : ""}${bytesInBlocks(amount)}`,
      ),
      ...(either !== undefined ? [`${EITHER_KIND}, not printed: ${bytesInBlocks(either)}`] : []),
    ].join("<br>");
    const heap =
      s.heap !== undefined
        ? `${formatNumber(s.heap.inUseBytes)} bytes in ${formatNumber(s.heap.inUseBlocks)} blocks in use`
        : "";
    const errors =
      s.errors !== undefined
        ? `${formatNumber(s.errors.errors)} errors from ${formatNumber(s.errors.contexts)} contexts`
        : "";
    const where = `${s.path}${s.line !== undefined ? `:${s.line}` : ""}`;
    return `<tr><td>${esc(where)}</td><td>${s.pid ?? ""}</td><td>${s.leakCheck ?? ""}</td><td>${leak}</td><td>${heap}</td><td>${errors}</td></tr>`;
  });
  const open = summaries.length <= 10 ? " open" : "";
  return `<details class="summaries"${open}><summary>The tools' own summaries (${summaries.length})</summary><table class="compact"><thead><tr><th scope="col">log</th><th scope="col">PID</th><th scope="col">leak check</th><th scope="col">leaks</th><th scope="col">heap</th><th scope="col">errors</th></tr></thead><tbody>${rows.join("")}</tbody></table></details>`;
}
