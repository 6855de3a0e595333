import type { ErrorRecord } from "../model/index.js";

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
