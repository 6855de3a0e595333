import type { RegisteredDiagnostic, ErrorRecord, Finding, Source } from "../model/index.js";
import { parentInputs, parentSeen } from "./forked-children.js";
import type { PrintedContexts } from "./printed-contexts.js";
import { processKey, splitProcessKey } from "./input-processes.js";

/** A held record, and its index in the report's errors (undefined: --max-records left it out). */
interface Held {
  error: ErrorRecord;
  listed: number | undefined;
}

/** What settling does with a held record, in the summarizer that holds the lists. */
export interface CopyPlacement {
  /** Groups and totals the record: it is the child's finding. */
  count(error: ErrorRecord): void;
  /** Puts the settled copy in the report's errors, at `listed` or, left out before, at the end. */
  list(copy: ErrorRecord, listed: number | undefined): void;
}

/** Per child process: what its held records turned out to be. */
interface Outcome {
  /** Undefined when nothing named the parent (see ErrorRecord's `inheritedFrom`). */
  parentPid: number | undefined;
  copies: number;
  /** The log that holds the first copy's context, and who printed it there. */
  parentLog: string | undefined;
  printedBy: number | undefined;
  kept: number;
  /** Of the kept, those whose named parent no input shows (see parentSeen): lost, or not given. */
  lost: number;
  /** The 1-based line of the first lost one's recap context. */
  lostLine: number | undefined;
}

/** Where a held record's context was printed, if an input holds it. */
interface Printing {
  parentLog: string;
  /** Set when no parentPid named the process that printed it. */
  printedBy?: number;
}

/**
 * The `-s` recap contexts that a forked child's own log never printed (ErrorRecord's
 * `inheritedFrom`), held until every input is in. Valgrind copies its error list on fork, so
 * the child's recap lists its parent's contexts from before the fork, which the parent's log
 * prints: `leaklog summarize vg.*.log` counted each of them twice (fork-s in
 * test/fixtures/valgrind/fork-own: an uninitialised jump and an invalid read, in both logs).
 * Which input holds the parent is known only at the end; such contexts are few (at most the
 * parent's), so holding them costs little.
 */
export class InheritedCopies {
  private readonly held: Held[] = [];

  /** Whether a finding is such a record, not yet settled against its parent's log. */
  static undecided(finding: Finding): finding is ErrorRecord {
    if (finding.type !== "error" || finding.inheritedFrom === undefined) return false;
    return finding.inheritedFrom.parentLog === undefined;
  }

  hold(error: ErrorRecord, listed: number | undefined): void {
    this.held.push({ error, listed });
  }

  /**
   * Settles the held records once every input is in. One whose parent's log (another input
   * holding the parent, see parentInputs) had an error with the same stack is a copy: it
   * stays listed, marked with that log, and counts nowhere, as the parent's record counts it.
   * A grandchild's copy is matched against the child's own copy, which is in turn matched
   * against the parent's. Any other is the child's finding: its parent's log is not among the
   * inputs, or lacks the context. Each child gets an info saying which, or a `summary-mismatch`
   * warning when no input shows the parent its preamble names (see parentSeen).
   */
  settle(
    sources: readonly Source[],
    printed: PrintedContexts,
    place: CopyPlacement,
  ): RegisteredDiagnostic[] {
    const outcomes = new Map<string, Outcome>();
    for (const { error, listed } of this.held.splice(0)) {
      const parentPid = error.inheritedFrom?.parentPid;
      const key = processKey(error.location.path, error.pid ?? 0);
      let outcome = outcomes.get(key);
      if (outcome === undefined) {
        outcome = emptyOutcome(parentPid);
        outcomes.set(key, outcome);
      }
      const printing = printingOf(error, sources, printed);
      if (printing === undefined) {
        if (parentPid !== undefined && !parentSeen(sources, childOf(error, parentPid), printed)) {
          outcome.lost += 1;
          outcome.lostLine ??= error.location.line;
        } else outcome.kept += 1;
        place.count(error);
        continue;
      }
      outcome.copies += 1;
      if (outcome.parentLog === undefined) {
        outcome.parentLog = printing.parentLog;
        outcome.printedBy = printing.printedBy;
      }
      const inheritedFrom = parentPid !== undefined ? { parentPid, ...printing } : printing;
      place.list({ ...error, inheritedFrom }, listed);
    }
    return diagnosticsOf(outcomes);
  }

  /**
   * For a partial report (a worker's, see Summarizer.finishPartial): the held records that
   * --max-records left out, in their order, for the summary of all inputs to hold after the
   * report's listed ones, which stay undecided in it (see PartialFacts). Counted as the child's
   * here instead, a copy counted twice on workers (campaign cb1 F6).
   */
  unlisted(): ErrorRecord[] {
    const unlisted: ErrorRecord[] = [];
    for (const { error, listed } of this.held.splice(0))
      if (listed === undefined) unlisted.push(error);
    return unlisted;
  }
}

function emptyOutcome(parentPid: number | undefined): Outcome {
  const none = { parentLog: undefined, printedBy: undefined, lostLine: undefined };
  return { parentPid, copies: 0, kept: 0, lost: 0, ...none };
}

function childOf(error: ErrorRecord, parentPid: number) {
  const { pid, fingerprint } = error;
  return { path: error.location.path, pid, parentPid, fingerprint };
}

/**
 * The input that printed a held record's context: the log of the parent that the child's
 * preamble names, or, when nothing names it or no input holds the named parent (the middle log
 * of a fork chain is missing), of the first process that printed the context itself
 * (PrintedContexts.printerOf), in any input, this one included (a parent that ended before its
 * child in one log). No other process holds a context that a child never printed: Valgrind
 * prints each one at its first occurrence, so the process that printed it made it, and a copy
 * of it is one of its forked descendants'. Which one is the parent no log says, but the context
 * counts once either way.
 */
function printingOf(
  error: ErrorRecord,
  sources: readonly Source[],
  printed: PrintedContexts,
): Printing | undefined {
  const path = error.location.path;
  const parentPid = error.inheritedFrom?.parentPid;
  if (parentPid !== undefined) {
    const inputs = parentInputs(sources, path, error.pid, parentPid);
    if (inputs.length > 0) {
      const parentLog = inputs.find((p) => printed.has(p, parentPid, error.fingerprint));
      return parentLog === undefined ? undefined : { parentLog };
    }
  }
  const printer = printed.printerOf(error.fingerprint);
  if (printer === undefined || (printer.path === path && printer.pid === error.pid)) {
    return undefined;
  }
  return { parentLog: printer.path, printedBy: printer.pid };
}

/** The children of one log whose logs name no parent, and what their held records were. */
interface UnnamedGroup {
  path: string;
  copyPids: number[];
  copies: number;
  /** Where the first copy's context was printed, and by whom. */
  parentLog: string | undefined;
  printedBy: number | undefined;
  keptPids: number[];
  kept: number;
}

/**
 * Infos on the settled records: one per child whose preamble names its parent (it wrote a log
 * of its own), and one per log for the children whose logs name none, which can be every
 * process of a long `-q` log (20,000 infos for a log of 20,000 such processes otherwise).
 */
function diagnosticsOf(outcomes: ReadonlyMap<string, Outcome>): RegisteredDiagnostic[] {
  const parts: (RegisteredDiagnostic[] | UnnamedGroup)[] = [];
  const groups = new Map<string, UnnamedGroup>();
  for (const [key, outcome] of outcomes) {
    const { path, pid } = splitProcessKey(key);
    if (outcome.parentPid !== undefined) {
      parts.push(namedParentDiagnostics(path, pid, outcome, outcome.parentPid));
      continue;
    }
    let group = groups.get(path);
    if (group === undefined) {
      group = unnamedGroup(path);
      groups.set(path, group);
      parts.push(group);
    }
    if (outcome.copies > 0) {
      group.copyPids.push(pid);
      group.copies += outcome.copies;
      group.parentLog ??= outcome.parentLog;
      group.printedBy ??= outcome.printedBy;
    }
    if (outcome.kept > 0) {
      group.keptPids.push(pid);
      group.kept += outcome.kept;
    }
  }
  return parts.flatMap((part) => (Array.isArray(part) ? part : unnamedParentDiagnostics(part)));
}

function unnamedGroup(path: string): UnnamedGroup {
  return {
    path,
    copyPids: [],
    copies: 0,
    parentLog: undefined,
    printedBy: undefined,
    keptPids: [],
    kept: 0,
  };
}

const contexts = (n: number): string =>
  n === 1 ? "1 error context" : `${n.toLocaleString("en-US")} error contexts`;

function namedParentDiagnostics(
  path: string,
  pid: number,
  outcome: Outcome,
  parentPid: number,
): RegisteredDiagnostic[] {
  const at = (message: string): RegisteredDiagnostic => ({
    severity: "info",
    code: "inherited-contexts",
    message: `PID ${pid}: its -s recap lists ${message}`,
    path,
    pid,
  });
  const { printedBy, parentLog } = outcome;
  const diagnostics: RegisteredDiagnostic[] = [];
  if (outcome.copies > 0 && printedBy === undefined) {
    diagnostics.push(
      at(
        `${contexts(outcome.copies)} that ${path} never printed and ${parentLog ?? ""}, the log of its parent PID ${parentPid}, holds: a forked child's copy of its parent's errors from before the fork (Valgrind copies its error list on fork), counted once, there`,
      ),
    );
  } else if (outcome.copies > 0) {
    diagnostics.push(
      at(
        `${contexts(outcome.copies)} that it never printed and PID ${printedBy} printed in ${parentLog ?? ""}: a forked child's copy of errors made before the fork (Valgrind copies its error list on fork; the log of its parent PID ${parentPid} is not among the inputs), counted once, there`,
      ),
    );
  }
  if (outcome.kept > 0) {
    diagnostics.push(
      at(
        `${contexts(outcome.kept)} that ${path} never printed: errors its parent PID ${parentPid} may have made before the fork (Valgrind copies its error list on fork), which no input holds in that PID's log; they count as PID ${pid}'s`,
      ),
    );
  }
  if (outcome.lost > 0) diagnostics.push(lostDiagnostic(path, pid, outcome, parentPid));
  return diagnostics;
}

/**
 * A named parent that no input shows (see parentSeen): the recap's contexts were lost from the
 * child's log, or are the parent's and its log was not given. A fresh process names the shell,
 * so a block deleted from a -s log was called the shell's inheritance, with only an info
 * (campaign bqb Q4): a warning, as ERROR SUMMARY's check gives a child's log read alone without
 * -s. They count as the child's (the recap counted them), and the log stays complete.
 */
function lostDiagnostic(
  path: string,
  pid: number,
  outcome: Outcome,
  parentPid: number,
): RegisteredDiagnostic {
  const [they, count] = outcome.lost === 1 ? ["it was", "it counts"] : ["they were", "they count"];
  return {
    severity: "warning",
    code: "summary-mismatch",
    message: `PID ${pid}: its -s recap lists ${contexts(outcome.lost)} that ${path} never printed (error blocks are missing or damaged in the log, unless ${they} inherited from PID ${parentPid}, its parent, whose log is not among the inputs); ${count} as PID ${pid}'s`,
    path,
    ...(outcome.lostLine !== undefined ? { line: outcome.lostLine } : {}),
    pid,
  };
}

/** The infos of one log's children that name no parent: one for copies, one for the rest. */
function unnamedParentDiagnostics(group: UnnamedGroup): RegisteredDiagnostic[] {
  const diagnostics: RegisteredDiagnostic[] = [];
  const at = (pids: number[], one: string, many: string): RegisteredDiagnostic => {
    const only = pids.length === 1 ? pids[0] : undefined;
    return {
      severity: "info",
      code: "inherited-contexts",
      message: only !== undefined ? `PID ${only}: ${one}` : `${pidList(pids)}: ${many}`,
      path: group.path,
      ...(only !== undefined ? { pid: only } : {}),
    };
  };
  if (group.copies > 0) {
    const where = `PID ${group.printedBy ?? "?"} printed in ${group.parentLog ?? ""}`;
    const why = "(Valgrind copies its error list on fork; nothing in its log names its parent)";
    diagnostics.push(
      at(
        group.copyPids,
        `its -s recap lists ${contexts(group.copies)} that it never printed and ${where}: a forked child's copy of errors made before the fork ${why}, counted once, there`,
        `their -s recaps list ${contexts(group.copies)} that they never printed and other processes did (the first: ${where}): forked children's copies of errors made before a fork ${why}, counted once, there`,
      ),
    );
  }
  if (group.kept > 0) {
    const why = "(Valgrind copies its error list on fork)";
    diagnostics.push(
      at(
        group.keptPids,
        `its -s recap lists ${contexts(group.kept)} that it never printed and no input prints: errors of the process that forked it ${why}, whose log is not among the inputs, or errors printed before the log's first line; they count as its own`,
        `their -s recaps list ${contexts(group.kept)} that they never printed and no input prints: errors of the processes that forked them ${why}, whose logs are not among the inputs, or errors printed before the log's first line; they count as their own`,
      ),
    );
  }
  return diagnostics;
}

/** `PIDs 11301, 11302`, or `PIDs 100000, 100001, 100002 and 19,997 more`. */
function pidList(pids: readonly number[]): string {
  const shown = pids.slice(0, 3).join(", ");
  const more = pids.length - 3;
  return more > 0 ? `PIDs ${shown} and ${more.toLocaleString("en-US")} more` : `PIDs ${shown}`;
}
