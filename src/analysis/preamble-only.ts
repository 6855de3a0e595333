import { pushTo } from "../lists.js";
import { dirname } from "node:path";
import type { Diagnostic, ProcessInfo, Source } from "../model/index.js";

/** The formats whose processes may be marked preambleOnly by their parsers. */
const VALGRIND_FORMATS: ReadonlySet<string> = new Set(["valgrind", "valgrind-xml"]);

/**
 * Settles the processes whose logs hold only Valgrind's preamble (ProcessInfo.preambleOnly),
 * which a single log cannot: a process whose parent is a Memcheck process of the inputs, with
 * its command (fork keeps the command line), is a forked child that exec'd a program Valgrind
 * does not trace (`system()` under `--log-file=vg.%p.log`), and gets a `preamble-only` info,
 * unless others wrote over its log (`log-overwritten`); any other may be a run killed at its
 * start (a program traced after an exec, whose parent of another command is an input, was, or
 * its log was cut), and makes its source incomplete. A report read back (leaklog-json) was
 * settled when it was written. Replaces the sources it marks.
 */
export function settlePreambleOnly(sources: Source[], diagnostics: Diagnostic[]): void {
  if (!sources.some((s) => VALGRIND_FORMATS.has(s.format) && s.processes.some(isPreambleOnly)))
    return;
  const byPid = processesByPid(sources);
  const preambleOnly = new Set(
    sources.flatMap((s) => s.processes.filter(isPreambleOnly).map((p) => p.pid)),
  );
  for (const [i, source] of sources.entries()) {
    if (!VALGRIND_FORMATS.has(source.format)) continue;
    const overwritten = diagnostics.some(
      (d) => d.code === "log-overwritten" && d.path === source.path,
    );
    const cut = new Set<ProcessInfo>();
    for (const child of source.processes) {
      if (!isPreambleOnly(child)) continue;
      // Where others wrote over the log, a traced program's findings after its preamble are
      // gone: its parent's lines in the log do not make it a forked child that checked nothing
      // (MemoryChecker.10.log in test/fixtures/valgrind/log-file-shared/ctest-system).
      const parents = overwritten ? undefined : parentsOf(child, byPid);
      const forker = parents?.find(({ process }) => sameCommand(child, process));
      diagnostics.push(
        forker !== undefined
          ? forkedChild(source.path, child, forker.path)
          : overwritten
            ? writtenOver(source.path, child)
            : cutAtStart(source.path, child, {
                preambleOnly,
                forked: forkedInto(source),
                // Of its own folder: shard logs of separate containers repeat PIDs (PID 1).
                execedBy: parents?.find((p) => dirname(p.path) === dirname(source.path)),
              }),
      );
      if (forker === undefined) cut.add(child);
    }
    if (cut.size > 0) sources[i] = withCut(source, cut);
  }
}

/**
 * The source, incomplete for the `cut` processes: marked as such where it was complete or
 * incomplete for marked processes alone (see ProcessInfo.incomplete), else left whole.
 */
function withCut(source: Source, cut: ReadonlySet<ProcessInfo>): Source {
  const byProcess = source.complete || source.processes.some((p) => p.incomplete === true);
  if (!byProcess) return { ...source, complete: false };
  const processes = source.processes.map((p) =>
    cut.has(p) ? { ...p, incomplete: true as const } : p,
  );
  return { ...source, complete: false, processes };
}

function isPreambleOnly(p: ProcessInfo): boolean {
  return p.preambleOnly === true;
}

interface Located {
  path: string;
  process: ProcessInfo;
}

function processesByPid(sources: readonly Source[]): Map<number, Located[]> {
  const byPid = new Map<number, Located[]>();
  for (const source of sources) {
    if (!VALGRIND_FORMATS.has(source.format)) continue;
    for (const process of source.processes) {
      if (isPreambleOnly(process)) continue;
      pushTo(byPid, process.pid, { path: source.path, process });
    }
  }
  return byPid;
}

/** The logs of processes with the child's parent PID. */
function parentsOf(child: ProcessInfo, byPid: Map<number, Located[]>): Located[] | undefined {
  return child.ppid === undefined ? undefined : byPid.get(child.ppid);
}

/** Whether a parent may have forked the child without an exec: fork keeps the command line. */
function sameCommand(child: ProcessInfo, parent: ProcessInfo): boolean {
  return (
    child.command === undefined || parent.command === undefined || parent.command === child.command
  );
}

function forkedChild(path: string, child: ProcessInfo, parentPath: string): Diagnostic {
  const where = parentPath === path ? "this log" : parentPath;
  return {
    severity: "info",
    code: "preamble-only",
    message: `PID ${child.pid} printed only Valgrind's preamble: a forked child of PID ${child.ppid} (in ${where}) that exec'd a program Valgrind does not trace (system(), popen(); --trace-children=no or a --trace-children-skip match), or whose output went to a log of its own, so Valgrind checked nothing of it; a forked child killed before it printed anything looks the same (under -v its log goes on past the preamble)`,
    path,
    pid: child.pid,
  };
}

/** A process whose log other processes wrote over (`log-overwritten`): no parent's log helps. */
function writtenOver(path: string, child: ProcessInfo): Diagnostic {
  return {
    severity: "warning",
    code: "incomplete",
    message: `PID ${child.pid} printed only Valgrind's preamble and no summary: other processes wrote over the rest of its log (see log-overwritten), so nothing of it is checked`,
    path,
    pid: child.pid,
  };
}

/**
 * The processes of a log that printed no preamble of their own (`Command:`): forked children,
 * which write to their parent's log; none where the log holds more than one preamble, whose
 * children they could be.
 */
function forkedInto(source: Source): number[] {
  if (source.processes.filter((p) => p.command !== undefined).length !== 1) return [];
  return source.processes
    .filter((p) => p.command === undefined && !isPreambleOnly(p))
    .map((p) => p.pid);
}

/** At most this many of a log's forked children are named in a message. */
const NAMED_CHILDREN = 3;

/** What the inputs tell of a preamble-only process that no parent's log shows was forked. */
interface CutContext {
  /** The PIDs of the inputs' processes that printed only their preamble. */
  preambleOnly: ReadonlySet<number>;
  /** The processes of its log that printed no preamble of their own (see forkedInto). */
  forked: readonly number[];
  /** A log of its parent PID, with another command: the child is a program it exec'd. */
  execedBy: Located | undefined;
}

function cutAtStart(path: string, child: ProcessInfo, context: CutContext): Diagnostic {
  const { preambleOnly, forked, execedBy } = context;
  if (child.command !== undefined && forked.length > 0) return execedUntraced(path, child, forked);
  if (execedBy !== undefined) return killedAtStart(path, child, execedBy);
  // The parent may be no Memcheck process (ctest, timeout): the advice holds either way.
  const parent =
    child.ppid === undefined
      ? "its log names no parent"
      : preambleOnly.has(child.ppid)
        ? `its parent, PID ${child.ppid}, printed only its preamble too`
        : `no input of its folder holds its parent, PID ${child.ppid} (if PID ${child.ppid} ran under Valgrind, give its log too)`;
  return {
    severity: "warning",
    code: "incomplete",
    message: `PID ${child.pid} printed only Valgrind's preamble and no summary: the run was killed or its log cut at its start, or it is a forked child that exec'd a program Valgrind does not trace, but ${parent}`,
    path,
    pid: child.pid,
  };
}

/**
 * A process whose parent's log, among the inputs, shows another command: a program Valgrind
 * traced after an exec (`--trace-children=yes`), which prints a summary unless it dies first.
 * `timeout -s KILL 3 t_timeout` in a shell's test suite under `--log-file=vg.%p.log`: the
 * warning said no input held the shell, whose log was the first input (campaign camp-ctest F1).
 */
function killedAtStart(path: string, child: ProcessInfo, parent: Located): Diagnostic {
  const where = parent.path === path ? "this log" : parent.path;
  return {
    severity: "warning",
    code: "incomplete",
    message: `PID ${child.pid} (${child.command}) printed only Valgrind's preamble and no summary: its parent, PID ${parent.process.pid} (in ${where}), has another command, so it is a program Valgrind traced after an exec, and the run was killed or its log cut at its start (or it exec'd in turn a program Valgrind does not trace); nothing of it is checked`,
    path,
    pid: child.pid,
  };
}

/**
 * A process with a preamble whose log's forked children printed their summaries, while it
 * printed none: it ran, and most likely exec'd a program Valgrind does not trace. That is what
 * `LOG_COMPILER=valgrind` under automake does to a libtool wrapper script (`./test-reader`
 * forks its subshells, then execs the real program from .libs/): every fault of the tested
 * program went unchecked, and the warning named only a kill or a cut (campaign by Q1).
 */
function execedUntraced(path: string, child: ProcessInfo, forked: readonly number[]): Diagnostic {
  const named = forked.slice(0, NAMED_CHILDREN).map((pid) => `PID ${pid}`);
  const more = forked.length > NAMED_CHILDREN ? `, ${forked.length - NAMED_CHILDREN} more` : "";
  return {
    severity: "warning",
    code: "incomplete",
    message: `PID ${child.pid} (${child.command}) printed only Valgrind's preamble and no summary, while processes it forked (${named.join(", ")}${more}: no preamble of their own) printed theirs to its log: it ran, and then most likely exec'd a program Valgrind does not trace (a wrapper script, such as libtool's for a program in .libs/: rerun with --trace-children=yes, or with libtool --mode=execute valgrind ...), or was killed; nothing of what it ran last is checked`,
    path,
    pid: child.pid,
  };
}
