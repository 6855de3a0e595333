import { pushTo } from "../lists.js";
import { dirname } from "node:path";
import type { ProcessInfo, Source } from "../model/index.js";
import { mayHaveForked } from "./forked-children.js";
import { processKey } from "./process-key.js";

/** One process of one input: its log, PID and run (see ProcessInfo.run). */
export interface ProcessRef {
  path: string;
  pid: number;
  run?: number | undefined;
}

/**
 * How a child's loss record must compare with its parent's record of the same kind and stack
 * to be a copy of it: with no more blocks, bytes and direct bytes (`no-more`), or, where the
 * log cannot say which of the two processes is the parent, with the same (`equal`).
 */
export type Likeness = "no-more" | "equal";

/** A process whose heap a forked child's started as, and how their records compare. */
export interface ParentProcess extends ProcessRef {
  likeness: Likeness;
  /**
   * Child and parent share one log, where the child's record must come first: the parent was
   * still running when the child checked its heap (see sharedLogParents).
   */
  childFirst: boolean;
}

const VALGRIND_FORMATS: ReadonlySet<string> = new Set(["valgrind", "valgrind-xml"]);
/**
 * The inputs whose processes can be a forked child's or its parent's: Valgrind's logs, and
 * leaklog's reports of them, which keep each process's `ppid` and command. A report compared
 * its own processes' records already (its copies are listed with `inheritedFrom`), so its
 * processes are matched only with other inputs', as `%p` logs are (see ownLogParents):
 * shards of one run's logs, summarized apart and merged, counted a child's copies again
 * (campaign camp2 F2).
 */
const FAMILY_FORMATS: ReadonlySet<string> = new Set([...VALGRIND_FORMATS, "leaklog-json"]);

/** A process of an input, as the inputs' processes are looked up by PID. */
interface Located {
  path: string;
  process: ProcessInfo;
}

/**
 * The processes of the inputs whose parent the inputs surely hold, by processKey, for the
 * processes `wanted` names (those with records to settle): the forked children that wrote into
 * their parent's text log, the processes of a shared XML file, and the children that wrote logs
 * of their own (`%p`), or whose reports name a parent in another input. Nothing for a `-q` log,
 * which names no parent and prints no preamble to tell a child by. The inputs' processes are
 * indexed once: a fork-heavy run has tens of thousands, each a child to look up.
 */
export function lossRecordParents(
  sources: readonly Source[],
  wanted: (child: ProcessRef) => boolean,
): Map<string, ParentProcess[]> {
  const parents = new Map<string, ParentProcess[]>();
  const add = (child: ProcessRef, found: readonly ParentProcess[]): void => {
    if (found.length === 0) return;
    const key = processKey(child);
    for (const parent of found) pushTo(parents, key, parent);
  };
  const byPid = processesByPid(sources);
  for (const source of sources) {
    if (!FAMILY_FORMATS.has(source.format)) continue;
    const path = source.path;
    if (source.format === "valgrind-xml") {
      for (const [child, parent] of xmlFileFamilies(source)) add({ path, ...child }, [parent]);
    }
    const listed = source.format === "valgrind-xml" ? listedAt(source) : undefined;
    for (const [at, child, before] of withPreamblesBefore(source)) {
      if (!wanted({ path, ...child })) continue;
      if (child.ppid !== undefined) {
        add({ path, ...child }, ownLogParents(byPid, path, child));
        if (listed !== undefined) add({ path, ...child }, xmlDocumentParent(source, listed, at));
      } else if (source.format === "valgrind") {
        add({ path, ...child }, sharedLogParents(path, before, child));
      }
    }
  }
  return parents;
}

/** Every process of the Valgrind inputs and reports, by PID: the PID's first entry in each. */
function processesByPid(sources: readonly Source[]): Map<number, Located[]> {
  const byPid = new Map<number, Located[]>();
  for (const source of sources) {
    if (!FAMILY_FORMATS.has(source.format)) continue;
    const seen = new Set<number>();
    for (const process of source.processes) {
      if (seen.has(process.pid)) continue;
      seen.add(process.pid);
      pushTo(byPid, process.pid, { path: source.path, process });
    }
  }
  return byPid;
}

/** The processes of a log that printed a preamble before a process's first line. */
interface PreamblesBefore {
  first: ProcessInfo | undefined;
  count: number;
  /** How many of them each PID printed (its exec'd runs). */
  byPid: Map<number, number>;
}

/**
 * Each process of a source, where it is listed, with the processes listed before it that
 * printed a preamble (one object, updated as the processes go by). A source lists its
 * processes as their first lines come (see SourceBuilder.process), and Valgrind prints a
 * process's preamble as it starts, before the program runs: a forked child's parent printed
 * its preamble before any line of the child's.
 */
function* withPreamblesBefore(
  source: Source,
): Generator<[at: number, process: ProcessInfo, before: Readonly<PreamblesBefore>]> {
  const before: PreamblesBefore = { first: undefined, count: 0, byPid: new Map() };
  for (const [at, process] of source.processes.entries()) {
    yield [at, process, before];
    if (process.command === undefined) continue;
    before.first ??= process;
    before.count += 1;
    before.byPid.set(process.pid, (before.byPid.get(process.pid) ?? 0) + 1);
  }
}

/**
 * For a process of a text log with no preamble, the log's one process that printed a preamble
 * before the child's first line: a forked child writes into its parent's log and prints no
 * preamble (test/fixtures/valgrind/fork). A preamble printed after it is no parent's: that of
 * a program a traced shell or an exec started later, such as `system()` after the child ended
 * under `--trace-children=yes` with `2> vg.log`, which counted the child's copies again
 * (campaign camp2 F1; fork-leaks/forksys-after.txt), or a full run's after a `-q` run's
 * (quiet-mixed/q-then-full-s-*.txt), whose records were taken for copies. Two before it (an
 * exec before the fork, runs appended to one job log) leave no one parent to name (see
 * unnamedParentChildren); and a `-q` run appended after the parent's prints none either, which
 * is why the child's record must come before the parent's (ParentProcess.childFirst): the
 * parent checks its heap as it ends, after its children died (a gtest death test waits for its
 * child), and a process that starts after it ended is none of its children.
 */
function sharedLogParents(
  path: string,
  before: Readonly<PreamblesBefore>,
  child: ProcessInfo,
): ParentProcess[] {
  const parent = before.first;
  if (!mayBeForkedInto(child) || before.count !== 1 || parent === undefined) return [];
  if (parent.preambleOnly === true || parent.pid === child.pid) return [];
  const { pid, run } = parent;
  return [{ path, pid, run, likeness: "no-more", childFirst: true }];
}

/** Whether a process of a text log may be a forked child writing into its parent's log. */
function mayBeForkedInto(process: ProcessInfo): boolean {
  return process.command === undefined && process.preambleOnly !== true;
}

/**
 * The processes `wanted` names of the text logs that may be forked children (no preamble) but
 * follow the preambles of more than one process, of which sharedLogParents names none: the log
 * does not say which one forked them, and their copies of its loss records count again (see
 * unnamedParentDiagnostics). Not one whose PID printed them all: a later run of that PID, as
 * containers run each program as PID 1 (sanitizer/runs/valgrind-and-asan.txt); nor one of a
 * `-q` log, with no preamble at all, where nothing is matched.
 */
export function unnamedParentChildren(
  sources: readonly Source[],
  wanted: (child: ProcessRef) => boolean,
): ProcessRef[] {
  const found: ProcessRef[] = [];
  for (const source of sources) {
    if (source.format !== "valgrind") continue;
    const path = source.path;
    for (const [, child, before] of withPreamblesBefore(source)) {
      if (before.count < 2 || !mayBeForkedInto(child)) continue;
      if (before.byPid.get(child.pid) === before.count) continue;
      const { pid, run } = child;
      if (wanted({ path, pid, run })) found.push({ path, pid, run });
    }
  }
  return found;
}

/**
 * The runs of a PID in an XML file whose later runs name no parent, each with the PID's last
 * run. A forked child writes on in its parent's XML document, and the file names no PID for it:
 * the records after the first `</valgrindoutput>` are read as the PID's next run, and those
 * before it may be either process's (xml-forked-child; an exec'd program's document names its
 * parent). The file ends with the process that ended last, the parent where it waits for its
 * children (a gtest death test does), but not always: which runs are whose the file does not
 * say, so only records alike in every amount are copies, a child's record with no more blocks
 * than its parent's being one whichever of the two is the parent.
 */
function xmlFileFamilies(source: Source): [child: ProcessInfo, parent: ParentProcess][] {
  const byPid = new Map<number, ProcessInfo[]>();
  for (const process of source.processes) {
    const runs = byPid.get(process.pid);
    if (runs === undefined) byPid.set(process.pid, [process]);
    else runs.push(process);
  }
  const families: [ProcessInfo, ParentProcess][] = [];
  for (const runs of byPid.values()) {
    const last = runs[runs.length - 1];
    if (last === undefined || runs.length < 2 || runs.slice(1).some((r) => r.ppid !== undefined))
      continue;
    const { pid, run } = last;
    const parent = { path: source.path, pid, run, likeness: "equal" as const, childFirst: false };
    for (const child of runs.slice(0, -1)) families.push([child, parent]);
  }
  return families;
}

/**
 * For a process whose preamble names its parent (`Parent PID: P`, `<ppid>`): process P of
 * another input, with the same command where both are known, as a forked child that wrote a log
 * of its own (`--log-file=vg.%p.log`) names it (see mayHaveForked; parentInputs finds it so for
 * error contexts). One that exec'd itself with the same arguments cannot be told from a forked
 * child. P in the child's own input is xmlDocumentParent's to find.
 */
function ownLogParents(
  byPid: ReadonlyMap<number, readonly Located[]>,
  path: string,
  child: ProcessInfo,
): ParentProcess[] {
  const found: ParentProcess[] = [];
  const candidates = byPid.get(child.ppid ?? -1) ?? [];
  // A report holding the parent compared the child with it when it was written.
  if (candidates.some((c) => c.path === path)) return found;
  // Logs of separate containers repeat PIDs (PID 1) and run the same programs: a parent beside
  // the child's log is its parent, one in another folder only where none is beside it. Two
  // containers' `vg.%p.log` folders, summarized together, took a child's own leak for a copy of
  // the other container's PID 1's record of that stack (test/fixtures/valgrind/fork-leaks/pid1).
  const folder = dirname(path);
  const beside = candidates.filter((c) => dirname(c.path) === folder);
  for (const { path: parentLog, process } of beside.length > 0 ? beside : candidates) {
    if (!mayHaveForked(process, child)) continue;
    const { pid, run } = process;
    found.push({ path: parentLog, pid, run, likeness: "no-more", childFirst: false });
  }
  return found;
}

/** Where each PID's runs are in a source's processes, in order. */
function listedAt(source: Source): Map<number, number[]> {
  const at = new Map<number, number[]>();
  for (const [i, { pid }] of source.processes.entries()) {
    const runs = at.get(pid);
    if (runs === undefined) at.set(pid, [i]);
    else runs.push(i);
  }
  return at;
}

/**
 * For the process at `at` of an XML file whose `<ppid>` names a process of the same file, with
 * the same command where both are known: that process, its run listed last before the child
 * (else its first run after it; `listed`: see listedAt). With `--xml-file=vg.%p.xml` and
 * `--log-file` both given, Valgrind writes a forked child's whole document into its parent's
 * file, nested between two of the parent's records, and writes no file of the child's own
 * (test/fixtures/valgrind-xml/nested; CTest's XML setup, campaign cg F1): the child's copies of
 * the parent's loss records counted twice where the text log of the same run counts them once.
 * Its document names its parent, as one in a file of its own does, so its records compare as a
 * `%p` child's do. A parent's document may follow its children's preambles too (public log 21),
 * and so may documents of `%p` files put in one. In a text log no forked child prints a
 * preamble into its parent's log (its lines go on without one, see sharedLogParents): one that
 * names a parent there is an exec'd program's, whose heap starts afresh.
 */
function xmlDocumentParent(
  source: Source,
  listed: ReadonlyMap<number, readonly number[]>,
  at: number,
): ParentProcess[] {
  const child = source.processes[at];
  const runs = child?.ppid === undefined ? undefined : listed.get(child.ppid);
  if (child === undefined || runs === undefined) return [];
  const before = runs.filter((i) => i < at);
  const parent = source.processes[before.at(-1) ?? (runs[0] as number)];
  if (parent === undefined || !mayHaveForked(parent, child)) return [];
  const { pid, run } = parent;
  return [{ path: source.path, pid, run, likeness: "no-more", childFirst: false }];
}
