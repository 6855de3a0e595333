import { LeakKind, type Source, type ToolSummary, type UsedSuppression } from "../model/index.js";
import { suppressedMore, type SuppressedMore } from "./baseline.js";
import { processId } from "./process-key.js";
import type { ValgrindSuppression } from "./suppressions/valgrind.js";

/**
 * The names `leaklog suppressions` gives its entries for leak groups (`leaklog-<kind>-<stack
 * fingerprint>`, then `-<record id>` for a second record of the group): Memcheck:Leak entries.
 */
const LEAKLOG_LEAK_NAME = new RegExp(
  `^leaklog-(?:${LeakKind.options.join("|")})-[0-9a-f]+(?:-\\S+)?$`,
);

/** The name `--gen-suppressions` gives every entry it writes, of any kind. */
const GENERATED_NAME = "<insert_a_suppression_name_here>";

/** A run's, or its baseline's, summaries and sources (with the suppressions they used). */
export interface RunRecords {
  summaries: readonly ToolSummary[];
  sources: readonly Source[];
}

/** What the suppressions a run says it used may have suppressed beyond its baseline's. */
export interface UsedMore {
  /** At most how many more errors. */
  errors: number;
  /** The entries that may match errors and matched more often: `name (file:line)`, +N. */
  entries: string[];
}

/**
 * The loss records the leak entries a run says it used may have suppressed beyond its
 * baseline's, where its summaries count no suppressed leak bytes (see leakRecordsSuppressedMore).
 */
export interface UsedLeaksMore {
  /** At most how many more loss records. */
  records: number;
  /** The entries that may match leaks and matched more often: `name (file:line)`, +N. */
  entries: string[];
}

/** The suppressions given to leaklog, by name and by place (file name and line). */
interface Given {
  byName: Map<string, ValgrindSuppression[]>;
  byPlace: Map<string, ValgrindSuppression>;
}

/**
 * What the checker suppressed in `run` beyond `baseline`: by their summaries, and by the
 * suppressions their processes say they used (see suppressedMore, errorsSuppressedMore).
 */
export function suppressedBeyond(
  run: RunRecords,
  baseline: Partial<RunRecords>,
  entries: readonly ValgrindSuppression[],
): SuppressedMore {
  const before = { summaries: baseline.summaries ?? [], sources: baseline.sources ?? [] };
  const used = errorsSuppressedMore(run, before, entries);
  const more = suppressedMore(run.summaries, before.summaries, used);
  const leaks = leakRecordsSuppressedMore(run, before, entries);
  if (leaks === undefined || leaks.records === 0) return more;
  return { ...more, leakRecords: leaks.records, usedLeakEntries: leaks.entries };
}

/** The tallies of a run and its baseline, when both say enough to compare their lists. */
function tallies(
  run: RunRecords,
  baseline: RunRecords,
  entries: readonly ValgrindSuppression[],
): { now: Tally; before: Tally } | undefined {
  const given = givenEntries(entries);
  const now = tally(run, given);
  if (now.listed === 0) return undefined;
  const before = tally(baseline, given);
  // Every XML baseline written before the lists were kept says neither (Valgrind 3.19's XML
  // has no counts): against it, every default.supp match of the run counted as more, and no
  // fix was ever called fixed (campaign v18a F2). Its summaries compare, as they did then.
  return before.unknown > 0 ? undefined : { now, before };
}

/** How much more often each of `used` matched than in the baseline's run, and the sum. */
function growth(
  used: Map<string, UsedSuppression>,
  before: Tally,
): { more: number; counted: string[] } {
  let more = 0;
  const counted: string[] = [];
  for (const entry of used.values()) {
    const extra = entry.count - countIn(before, entry);
    if (extra <= 0) continue;
    more += extra;
    counted.push(`${describe(entry)} +${extra}`);
  }
  return { more, counted };
}

/**
 * At most how many more errors Valgrind suppressed in `run` than in `baseline`, by the
 * suppressions its processes say they used (Source.usedSuppressions); undefined when no
 * process of the run lists them, or a process of the baseline says neither what it used nor
 * how much it suppressed. ERROR SUMMARY's `suppressed:` count cannot tell suppressed errors
 * from suppressed loss records, so a real fix was never called fixed when leaks were
 * suppressed too (campaign v16b Q2); the list can: an entry that matched only leaks (see
 * mayMatchErrors) suppressed no error. A process that lists nothing counts its whole ERROR
 * SUMMARY count, as before; in the baseline, that count less its suppressed leak blocks (each
 * suppressed loss record counted there holds one at least).
 */
export function errorsSuppressedMore(
  run: RunRecords,
  baseline: RunRecords,
  entries: readonly ValgrindSuppression[],
): UsedMore | undefined {
  const both = tallies(run, baseline, entries);
  if (both === undefined) return undefined;
  const { now, before } = both;
  const { more, counted } = growth(now.mayMatch, before);
  const unlisted = Math.max(0, before.unlistedErrors - before.unlistedLeakBlocks);
  const errors = Math.max(0, now.unlistedErrors + more - unlisted);
  return { errors, entries: counted };
}

/**
 * At most how many more loss records Valgrind suppressed in `run` than in `baseline`, by the
 * leak entries the run's processes whose summaries count no suppressed leak bytes say they
 * used: Valgrind 3.19's XML has no LEAK SUMMARY, and a leak a suppression added to the run hid
 * was called fixed, though its `<suppcounts>` named the entry (campaign bu F2). Each loss record
 * an entry suppressed counts one (m_errormgr.c's VG_(unique_error), in every leak check), so a
 * gone leak group of no more records may be among them. Undefined when errorsSuppressedMore's
 * is, for the same reasons; the processes of the baseline that do not list theirs suppressed
 * one record at least where they suppressed blocks, and no more is taken off for them.
 */
export function leakRecordsSuppressedMore(
  run: RunRecords,
  baseline: RunRecords,
  entries: readonly ValgrindSuppression[],
): UsedLeaksMore | undefined {
  const both = tallies(run, baseline, entries);
  if (both === undefined) return undefined;
  const { more, counted } = growth(both.now.mayMatchLeaks, both.before);
  return { records: Math.max(0, more - both.before.unlistedLeakRecords), entries: counted };
}

/**
 * Whether a used suppression may have matched an error, not only loss records. Names are no
 * identity (`--gen-suppressions` names every entry `<insert_a_suppression_name_here>`), and
 * an error entry that shared its name with a leak entry given to leaklog passed as that leak
 * entry: an error Valgrind only suppressed was called fixed (campaign v18a F1). So what the
 * line says decides: the leak bytes Memcheck prints for a leak entry that matched in the last
 * leak check, then its file and line, which name the entry (a leak entry that matched only in
 * an earlier check, VALGRIND_DO_LEAK_CHECK, prints no bytes: mid-s.log of the fixtures). The
 * name decides only where the line has no place (XML's `<suppcounts>`, Valgrind before 3.9):
 * a leak entry when the entries of that name given to leaklog are all Memcheck:Leak, or when
 * leaklog named it for a leak group, never the generated name.
 */
export function mayMatchErrors(used: UsedSuppression, given: Given): boolean {
  if (used.leak !== undefined) return false;
  if (used.file !== undefined && used.line !== undefined) {
    const entry = given.byPlace.get(placeKey(used.name, used.file, used.line));
    return entry === undefined || !entry.memcheck || entry.kind !== "Leak";
  }
  if (used.name === GENERATED_NAME) return true;
  // Valgrind's Memcheck skips other tools' entries: only its own can be the one it used.
  const memcheck = (given.byName.get(used.name) ?? []).filter((entry) => entry.memcheck);
  if (memcheck.length > 0) return memcheck.some((entry) => entry.kind !== "Leak");
  return !LEAKLOG_LEAK_NAME.test(used.name);
}

/**
 * Whether a used suppression may have matched loss records, by what it says as mayMatchErrors
 * does: the leak bytes Memcheck prints for a leak entry that matched in the last leak check; a
 * line with a place and no bytes matched none there (its groups are those of that check). Where
 * the line has no place (XML's `<suppcounts>`), the name: unless the entries of that name given
 * to leaklog are all Memcheck entries of other kinds, any entry may be a leak entry (Valgrind's
 * default ones, the generated name, a file leaklog was not given).
 */
function mayMatchLeaks(used: UsedSuppression, given: Given): boolean {
  if (used.leak !== undefined) return true;
  if (used.file !== undefined && used.line !== undefined) return false;
  if (used.name === GENERATED_NAME) return true;
  const memcheck = (given.byName.get(used.name) ?? []).filter((entry) => entry.memcheck);
  return memcheck.length === 0 || memcheck.some((entry) => entry.kind === "Leak");
}

function givenEntries(entries: readonly ValgrindSuppression[]): Given {
  const given: Given = { byName: new Map(), byPlace: new Map() };
  for (const entry of entries) {
    const same = given.byName.get(entry.name);
    if (same === undefined) given.byName.set(entry.name, [entry]);
    else same.push(entry);
    given.byPlace.set(placeKey(entry.name, entry.path, entry.line), entry);
  }
  return given;
}

/**
 * An entry's identity: its name, its file's name (Valgrind prints the path it was given, which
 * need not be the one leaklog was given) and line.
 */
function placeKey(name: string, file: string, line: number): string {
  return `${name}\u0000${file.slice(file.search(/[^/\\]*$/))}:${line}`;
}

/** How often the baseline's run used the entry: by place where both lines say it. */
function countIn(before: Tally, used: UsedSuppression): number {
  if (used.file === undefined || used.line === undefined) return before.byName.get(used.name) ?? 0;
  const placed = before.byPlace.get(placeKey(used.name, used.file, used.line));
  return placed ?? before.byNameOnly.get(used.name) ?? 0;
}

function describe(used: UsedSuppression): string {
  const place = used.file !== undefined ? ` (${used.file}:${used.line ?? "?"})` : "";
  return `"${used.name}"${place}`;
}

interface Tally {
  /** Processes that list their used suppressions. */
  listed: number;
  /** Processes that neither list them nor have an ERROR SUMMARY `suppressed:` count. */
  unknown: number;
  /** The entries that may match errors, by identity (placeKey, else name): counts summed. */
  mayMatch: Map<string, UsedSuppression>;
  /** How often each entry matched, by placeKey; by name those without a place, and all. */
  byPlace: Map<string, number>;
  byNameOnly: Map<string, number>;
  byName: Map<string, number>;
  /**
   * The entries that may match leaks, of the sources with a listing process whose summary
   * counts no suppressed leak bytes (XML), by identity: counts summed.
   */
  mayMatchLeaks: Map<string, UsedSuppression>;
  /** The ERROR SUMMARY `suppressed:` counts of the other processes. */
  unlistedErrors: number;
  /** The LEAK SUMMARY `suppressed:` blocks of the other processes. */
  unlistedLeakBlocks: number;
  /** The other processes that suppressed leak blocks: a loss record at least each. */
  unlistedLeakRecords: number;
}

function tally({ summaries, sources }: RunRecords, given: Given): Tally {
  const out: Tally = {
    listed: 0,
    unknown: 0,
    mayMatch: new Map(),
    byPlace: new Map(),
    byNameOnly: new Map(),
    byName: new Map(),
    mayMatchLeaks: new Map(),
    unlistedErrors: 0,
    unlistedLeakBlocks: 0,
    unlistedLeakRecords: 0,
  };
  const counted = new Set<string>();
  const leakBytesCounted = new Set<string>();
  for (const summary of summaries) {
    if (summary.errors?.suppressed !== undefined) counted.add(keyOf(summary.path, summary));
    if (summary.leak?.suppressed !== undefined) leakBytesCounted.add(keyOf(summary.path, summary));
  }
  const listed = new Set<string>();
  for (const source of sources) {
    let byRecords = false;
    for (const process of source.processes) {
      const key = keyOf(source.path, process);
      if (process.usedSuppressionsListed === true) listed.add(key);
      // A forked child that exec'd an untraced program ran nothing under Valgrind.
      else if (!counted.has(key) && process.preambleOnly !== true) out.unknown += 1;
      // Where the LEAK SUMMARY counts suppressed bytes, they are the room (text logs' as before).
      if (process.usedSuppressionsListed === true && !leakBytesCounted.has(key)) byRecords = true;
    }
    for (const used of source.usedSuppressions ?? []) add(out, used, given, byRecords);
  }
  out.listed = listed.size;
  for (const summary of summaries) {
    if (listed.has(keyOf(summary.path, summary))) continue;
    out.unlistedErrors += summary.errors?.suppressed ?? 0;
    const blocks = summary.leak?.suppressed?.blocks ?? 0;
    out.unlistedLeakBlocks += blocks;
    if (blocks > 0) out.unlistedLeakRecords += 1;
  }
  return out;
}

/** Counts a used entry; among those that may match leaks only for a source `byRecords`. */
function add(out: Tally, used: UsedSuppression, given: Given, byRecords: boolean): void {
  const bump = (map: Map<string, number>, key: string) =>
    map.set(key, (map.get(key) ?? 0) + used.count);
  bump(out.byName, used.name);
  const placed = used.file !== undefined && used.line !== undefined;
  const key = placed ? placeKey(used.name, used.file as string, used.line as number) : used.name;
  bump(placed ? out.byPlace : out.byNameOnly, key);
  if (mayMatchErrors(used, given)) sum(out.mayMatch, key, used);
  if (byRecords && mayMatchLeaks(used, given)) sum(out.mayMatchLeaks, key, used);
}

function sum(entries: Map<string, UsedSuppression>, key: string, used: UsedSuppression): void {
  const known = entries.get(key);
  if (known === undefined) entries.set(key, { ...used });
  else known.count += used.count;
}

function keyOf(
  path: string,
  process: { pid?: number | undefined; run?: number | undefined },
): string {
  return `${path}\u0000${processId(process)}`;
}
