import type { Diagnostic, ErrorRecord, Source } from "../model/index.js";
import { commandOf } from "./input-processes.js";

/**
 * Error records that a process can have made before it forked. A fatal signal is a notice
 * outside Valgrind's error list, and descriptor notices are printed at exit, after any fork.
 */
const NOT_INHERITABLE: ReadonlySet<string> = new Set([
  "FatalSignal",
  "FdBadClose",
  "FdNotClosed",
  "FdBadUse",
]);

/** One process's error contexts, as PrintedContexts keeps them. */
interface ProcessContexts {
  count: number;
  /**
   * Their stack fingerprints, as numbers (see PrintedContexts.ids): enough to tell a forked
   * child's copy of a context from the parent's (see InheritedCopies), as the copy comes from
   * the parent's own error list. Undefined past the cap. An array, not a Set: it is looked up
   * only for a forked child's copies, and PrintedContexts held 4.7 MB of the live heap after
   * the 1 GB text bench log with a Set per process, 3.0 MB with arrays (and 8 MB more with a
   * Map of kinds per fingerprint).
   */
  fingerprints: number[] | undefined;
}

// Fingerprints remembered over all processes: every process of a log may be a parent whose
// child's log comes later, so without a cap this grows with the log's processes (the 1 GB bench
// log's 20,900 processes peaked at 231 MiB against 195 MiB). Past it, a later process's copies
// are not recognised: a forked child's inherited context then counts twice, never lost.
const MAX_REMEMBERED = 100_000;

/**
 * The error contexts each process of each input printed, as the findings go by: a forked
 * child's log (`--log-file=vg.%p.log`) counts its parent's contexts from before the fork in its
 * ERROR SUMMARY, and only the parent's log prints them. Counted before suppressions, since
 * Valgrind counted them too; per process a number and (up to a cap) the distinct stacks, each
 * fingerprint string kept once however many processes share it.
 */
export class PrintedContexts {
  /**
   * By input, then by PID: a `processKey` string per error and per process (a concatenation,
   * hashed on every lookup) was a twentieth of the live heap after the 1 GB text bench log.
   */
  private readonly byPath = new Map<string, Map<number, ProcessContexts>>();
  /** A number for each distinct fingerprint. */
  private readonly ids = new Map<string, number>();
  /**
   * By fingerprint number, the first process that printed it itself: not a forked child's copy
   * (ErrorRecord's `inheritedFrom`), so that two children's copies never stand for each other.
   */
  private readonly printers = new Map<number, { path: string; pid: number }>();
  private remembered = 0;

  constructor(private readonly cap = MAX_REMEMBERED) {}

  add(error: ErrorRecord): void {
    if (error.pid === undefined || NOT_INHERITABLE.has(error.kind)) return;
    const path = error.location.path;
    let processes = this.byPath.get(path);
    if (processes === undefined) {
      processes = new Map();
      this.byPath.set(path, processes);
    }
    let process = processes.get(error.pid);
    if (process === undefined) {
      process = {
        count: 0,
        fingerprints: this.remembered < this.cap ? [] : undefined,
      };
      processes.set(error.pid, process);
    }
    process.count += 1;
    const fingerprints = process.fingerprints;
    if (fingerprints === undefined || this.remembered >= this.cap) return;
    // Each context of a process is printed once; one stack printed with two kinds is kept twice.
    const id = this.idOf(error.fingerprint);
    fingerprints.push(id);
    this.remembered += 1;
    if (error.inheritedFrom === undefined && !this.printers.has(id)) {
      this.printers.set(id, { path, pid: error.pid });
    }
  }

  /** The first process, of any input, that printed an error with this stack itself. */
  printerOf(fingerprint: string): { path: string; pid: number } | undefined {
    const id = this.ids.get(fingerprint);
    return id === undefined ? undefined : this.printers.get(id);
  }

  private idOf(fingerprint: string): number {
    let id = this.ids.get(fingerprint);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(fingerprint, id);
    }
    return id;
  }

  of(path: string, pid: number): number {
    return this.byPath.get(path)?.get(pid)?.count ?? 0;
  }

  /** Whether process `pid` of the input at `path` had an error with this stack. */
  has(path: string, pid: number, fingerprint: string): boolean {
    const id = this.ids.get(fingerprint);
    if (id === undefined) return false;
    return this.byPath.get(path)?.get(pid)?.fingerprints?.includes(id) ?? false;
  }
}

/**
 * Downgrades to info the `summary-mismatch` warnings of forked children that wrote logs of
 * their own, where another input is the parent's log and explains the difference: a process
 * with the child's parent PID and the same command, whose printed error contexts (plus any it
 * inherited itself, as its own `maybeInherited` says) are at least the contexts the child's
 * log lacks (vg.9357.log and vg.9358.log in test/fixtures/valgrind/fork). Which of the
 * parent's contexts came before the fork no log tells, so all of them bound what the child can
 * have inherited: more missing than that is damage, and stays a warning. A child whose
 * parent's log is not among the inputs keeps its warning, as a single log cannot know.
 */
export function explainInheritedContexts(
  diagnostics: Diagnostic[],
  sources: readonly Source[],
  printed: PrintedContexts,
): void {
  for (const [i, d] of diagnostics.entries()) {
    const inherited = d.maybeInherited;
    if (d.code !== "summary-mismatch" || d.severity !== "warning" || inherited === undefined) {
      continue;
    }
    const parent = parentLog(d, inherited.parentPid, sources, diagnostics, printed);
    if (parent === undefined || parent.contexts < inherited.contexts) continue;
    diagnostics[i] = {
      ...d,
      severity: "info",
      message: `${d.message}; PID ${inherited.parentPid} printed ${parent.contexts} error contexts in ${parent.path} that it can have made before it forked this process, whose ERROR SUMMARY then counts them too`,
    };
  }
}

/**
 * Among the other inputs, the log of the child's parent that can explain the most contexts,
 * and how many.
 */
function parentLog(
  child: Diagnostic,
  parentPid: number,
  sources: readonly Source[],
  diagnostics: readonly Diagnostic[],
  printed: PrintedContexts,
): { path: string; contexts: number } | undefined {
  let best: { path: string; contexts: number } | undefined;
  for (const path of parentInputs(sources, child.path, child.pid, parentPid)) {
    // A parent that is itself a child of another log's process passes its inheritance on.
    const own = diagnostics.find(
      (d) => d.path === path && d.pid === parentPid && d.maybeInherited !== undefined,
    );
    const contexts = printed.of(path, parentPid) + (own?.maybeInherited?.contexts ?? 0);
    if (best === undefined || contexts > best.contexts) best = { path, contexts };
  }
  return best;
}

/**
 * Whether the inputs show the parent that a forked child's preamble names, as a process of
 * that PID with the child's command (fork keeps the command line) in any input, or through a
 * sibling: another child of it, with its command, whose log holds the context `fingerprint`
 * too. Only then can a `-s` recap context the child never printed be the parent's: every
 * Valgrind log names a parent, the shell's for a fresh process, so with neither the context
 * was lost from the child's log (a block deleted from a real -s log, campaign bqb Q4), or the
 * parent's log was not given; the summary cannot tell which (see InheritedCopies).
 */
export function parentSeen(
  sources: readonly Source[],
  child: { path: string; pid: number | undefined; parentPid: number; fingerprint: string },
  printed: PrintedContexts,
): boolean {
  const command = commandOf(sources, child.path, child.pid);
  const sameCommand = (other: string | undefined): boolean =>
    command === undefined || other === undefined || other === command;
  return sources.some((source) =>
    source.processes.some((p) => {
      if (!sameCommand(p.command)) return false;
      if (p.pid === child.parentPid) return true;
      const self = source.path === child.path && p.pid === child.pid;
      return (
        !self && p.ppid === child.parentPid && printed.has(source.path, p.pid, child.fingerprint)
      );
    }),
  );
}

/**
 * The other inputs that hold the parent of process `pid` of the input at `path`: a process
 * with the parent's PID whose command is the child's where both are known (fork keeps the
 * command line).
 */
export function parentInputs(
  sources: readonly Source[],
  path: string,
  pid: number | undefined,
  parentPid: number,
): string[] {
  const command = commandOf(sources, path, pid);
  const paths: string[] = [];
  for (const source of sources) {
    if (source.path === path) continue;
    const process = source.processes.find((p) => p.pid === parentPid);
    if (process === undefined) continue;
    if (command !== undefined && process.command !== undefined && process.command !== command) {
      continue;
    }
    paths.push(source.path);
  }
  return paths;
}
