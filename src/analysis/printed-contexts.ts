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
   * the parent's own error list. Undefined past the cap (see InputContexts). An array, not a
   * Set: it is looked up only for a forked child's copies, and PrintedContexts held 4.7 MB of
   * the live heap after the 1 GB text bench log with a Set per process, 3.0 MB with arrays (and
   * 8 MB more with a Map of kinds per fingerprint).
   */
  fingerprints: number[] | undefined;
}

/** One input's processes, as PrintedContexts keeps them. */
interface InputContexts {
  processes: Map<number, ProcessContexts>;
  /** How many more of its contexts' stacks it remembers (see inputOf). */
  room: number;
}

/**
 * A PrintedContexts as plain data, for a summary of other inputs to merge (a worker thread's
 * summary hands it to the run's: see PartialFacts).
 */
export interface PrintedContextsData {
  /** The stacks' fingerprints, each once: a process's `ids` index this list. */
  fingerprints: string[];
  /** By input, in the order first met, its processes: PID, contexts, stacks remembered. */
  inputs: { path: string; processes: { pid: number; count: number; ids?: number[] }[] }[];
  /** Each stack's first printer (see printerOf), as triples: its `ids` number, input, PID. */
  printers: number[];
}

// Fingerprints remembered per input, and of no more inputs once that many are: every process of
// a log may be a parent whose child's log comes later, so without a cap this grows with the
// log's processes (the 1 GB bench log's 20,900 processes peaked at 231 MiB against 195 MiB).
// Past it, a later process's copies are not recognised: a forked child's inherited context then
// counts twice, never lost. Per input, so that a worker's summary of one input remembers what
// one summary of all remembers of it (see merge): at most twice the cap in all.
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
  private readonly byPath = new Map<string, InputContexts>();
  /** A number for each distinct fingerprint, in the order first met. */
  private readonly ids = new Map<string, number>();
  /**
   * By fingerprint number, the first process that printed it itself: not a forked child's copy
   * (ErrorRecord's `inheritedFrom`), so that two children's copies never stand for each other.
   */
  private readonly printers = new Map<number, { path: string; pid: number }>();
  /** Stacks remembered over every input. */
  private remembered = 0;

  constructor(private readonly cap = MAX_REMEMBERED) {}

  add(error: ErrorRecord): void {
    if (error.pid === undefined || NOT_INHERITABLE.has(error.kind)) return;
    const path = error.location.path;
    const input = this.inputOf(path);
    const process = processOf(input, error.pid);
    process.count += 1;
    const fingerprints = process.fingerprints;
    if (fingerprints === undefined || input.room === 0) return;
    // Each context of a process is printed once; one stack printed with two kinds is kept twice.
    const id = this.idOf(error.fingerprint);
    fingerprints.push(id);
    input.room -= 1;
    this.remembered += 1;
    if (error.inheritedFrom === undefined && !this.printers.has(id)) {
      this.printers.set(id, { path, pid: error.pid });
    }
  }

  /** What this holds, as plain data for another summary's `merge`. */
  data(): PrintedContextsData {
    const index = new Map<string, number>();
    const inputs: PrintedContextsData["inputs"] = [];
    for (const [path, input] of this.byPath) {
      index.set(path, inputs.length);
      const processes = [...input.processes].map(([pid, { count, fingerprints: ids }]) =>
        ids === undefined ? { pid, count } : { pid, count, ids },
      );
      inputs.push({ path, processes });
    }
    const printers: number[] = [];
    for (const [id, { path, pid }] of this.printers) printers.push(id, index.get(path) ?? 0, pid);
    return { fingerprints: [...this.ids.keys()], inputs, printers };
  }

  /**
   * Adds another summary's contexts (a worker's, see data), of inputs that come after those
   * here, as if they had been added here: an input new here remembers what the other summary
   * remembered of it, as both gave it room for the cap (see inputOf), unless this one has no
   * room left for it. An input met here already (two inputs of one path) takes stacks while it
   * has room, and its stacks' printers only if it took them all.
   */
  merge(data: PrintedContextsData): void {
    const whole: boolean[] = [];
    for (const { path, processes } of data.inputs) {
      const input = this.inputOf(path);
      let all = input.room > 0;
      for (const { pid, count, ids } of processes) {
        const process = processOf(input, pid);
        process.count += count;
        if (ids === undefined || process.fingerprints === undefined) continue;
        const taken = Math.min(ids.length, input.room);
        for (const local of ids.slice(0, taken))
          process.fingerprints.push(this.idOf(data.fingerprints[local] as string));
        input.room -= taken;
        this.remembered += taken;
        all &&= taken === ids.length;
      }
      whole.push(all);
    }
    const printers = data.printers;
    for (let i = 0; i + 2 < printers.length; i += 3) {
      const [local, at, pid] = [printers[i] ?? 0, printers[i + 1] ?? 0, printers[i + 2] ?? 0];
      const path = data.inputs[at]?.path;
      if (path === undefined || whole[at] !== true) continue;
      const id = this.idOf(data.fingerprints[local] as string);
      if (!this.printers.has(id)) this.printers.set(id, { path, pid });
    }
  }

  /** The first process, of any input, that printed an error with this stack itself. */
  printerOf(fingerprint: string): { path: string; pid: number } | undefined {
    const id = this.ids.get(fingerprint);
    return id === undefined ? undefined : this.printers.get(id);
  }

  /**
   * The contexts of the input at `path`. A new one has room for the cap while fewer were
   * remembered over the inputs before it, and none after: the same room whichever summary met
   * it first, a worker's of that input alone or the run's (see merge).
   */
  private inputOf(path: string): InputContexts {
    let input = this.byPath.get(path);
    if (input === undefined) {
      input = { processes: new Map(), room: this.remembered < this.cap ? this.cap : 0 };
      this.byPath.set(path, input);
    }
    return input;
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
    return this.byPath.get(path)?.processes.get(pid)?.count ?? 0;
  }

  /** Whether process `pid` of the input at `path` had an error with this stack. */
  has(path: string, pid: number, fingerprint: string): boolean {
    const id = this.ids.get(fingerprint);
    if (id === undefined) return false;
    return this.byPath.get(path)?.processes.get(pid)?.fingerprints?.includes(id) ?? false;
  }
}

/** A process of an input; one met when the input has no room left remembers no stack. */
function processOf(input: InputContexts, pid: number): ProcessContexts {
  let process = input.processes.get(pid);
  if (process === undefined) {
    process = { count: 0, fingerprints: input.room > 0 ? [] : undefined };
    input.processes.set(pid, process);
  }
  return process;
}
