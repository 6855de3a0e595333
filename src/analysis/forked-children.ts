import type { Diagnostic, Source } from "../model/index.js";
import { commandOf } from "./input-processes.js";
import type { PrintedContexts } from "./printed-contexts.js";

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
  const child = { command: commandOf(sources, path, pid) };
  const paths: string[] = [];
  for (const source of sources) {
    // A parent in the child's own log is its parser's to tell (see README, Cross-checks).
    if (source.path === path) continue;
    const process = source.processes.find((p) => p.pid === parentPid);
    if (process === undefined) continue;
    if (mayHaveForked(process, child)) {
      paths.push(source.path);
    }
  }
  return paths;
}

/**
 * Whether a process with a child's parent PID may be its parent: a forked child keeps its
 * parent's command line, where both logs print one. An exec'd program names its parent too, but
 * runs another command.
 */
export function mayHaveForked(
  parent: { command?: string | undefined },
  child: { command?: string | undefined },
): boolean {
  return (
    child.command === undefined || parent.command === undefined || parent.command === child.command
  );
}
