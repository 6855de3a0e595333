import { pushTo } from "../lists.js";
import type { RegisteredDiagnostic, Source } from "../model/index.js";
import {
  lossRecordParents,
  unnamedParentChildren,
  type ProcessRef,
} from "./loss-record-parents.js";
import { processKey } from "./process-key.js";

/**
 * The PIDs whose preambles each input showed so far, as its events come (see
 * InheritedLossRecords.preamble): one family's, or more. Past --max-records only the loss
 * records of an input of one family are kept for comparing (see manyProgramInputs).
 */
export class PreambledPids {
  private readonly families = new Map<string, Set<number>>();
  private readonly many = new Set<string>();

  /**
   * Notes a preamble of `pid` in the input at `path`, naming its parent `ppid` (an XML
   * document's; see the `preamble` event); true when the input is no longer one family's.
   */
  add(path: string, pid: number, ppid?: number): boolean {
    if (this.many.has(path)) return false;
    const family = this.families.get(path);
    if (family === undefined) {
      this.families.set(path, new Set([pid]));
      return false;
    }
    if (joinsFamily(family, pid, ppid)) return false;
    this.families.delete(path);
    this.many.add(path);
    return true;
  }

  /** Whether the input at `path` showed the preambles of more than one family. */
  manyIn(path: string): boolean {
    return this.many.has(path);
  }
}

/**
 * Whether a preamble of `pid` keeps an input one family's, adding it: the same PID (an exec'd
 * program), or an XML document whose `<ppid>` names a PID of the input: with --xml-file and
 * --log-file, a forked child's whole document nests in its parent's XML file, where
 * xmlDocumentParent compares them (campaign cg F1). A text log's preamble names no parent here:
 * one naming a process of the log is an exec'd program's, and the bench's log of 21,000
 * processes is such a chain.
 */
function joinsFamily(family: Set<number>, pid: number, ppid: number | undefined): boolean {
  if (family.has(pid)) return true;
  if (ppid === undefined || !family.has(ppid)) return false;
  family.add(pid);
  return true;
}

/**
 * The inputs that show the preambles of more than one family (see joinsFamily), whose loss
 * records past --max-records are not compared with forked children's or parents': a job log of
 * many programs, the bench's 1 GB log of 21,000 processes, holds a million loss records, and
 * keeping what comparing each takes (see CountedLeak) grew memory with the log. Every match
 * lossRecordParents makes but two is in an input of one family: a text log's forked children
 * have a parent only where one process printed a preamble before them (sharedLogParents; one
 * printed after them, such as a shell's `system()` started, makes the log many programs'), an XML file's
 * runs of a PID are one PID's (xmlFileFamilies), a child's document nested in its parent's XML
 * file names the parent in its header (xmlDocumentParent), and each `%p` log is one process's,
 * its exec'd runs and children without a preamble included (ownLogParents). What is lost is a
 * family one of whose logs holds other programs, or a text log's forked children after a later
 * program's preamble: uncomparedDiagnostics says so. The preambles
 * are taken as the stream tells them (SourceBuilder.preambleRead): an XML document's once its
 * `<ppid>` is read, a text log's with no parent.
 */
export function manyProgramInputs(sources: readonly Source[]): Set<string> {
  const many = new Set<string>();
  for (const source of sources) {
    const xml = source.format === "valgrind-xml";
    let family: Set<number> | undefined;
    for (const { pid, ppid, command } of source.processes) {
      if (command === undefined || (xml && ppid === undefined)) continue;
      if (family === undefined) family = new Set([pid]);
      else if (!joinsFamily(family, pid, xml ? ppid : undefined)) {
        many.add(source.path);
        break;
      }
    }
  }
  return many;
}

/**
 * An `inherited-loss-records-uncompared` warning per input of `many` (see manyProgramInputs)
 * that holds a forked child, or its parent, of a child the inputs hold the parent of: past
 * --max-records their loss records were not compared, and the child's copies of its parent's
 * records may count again. `holding`: whether a process of another input had records kept.
 */
export function uncomparedDiagnostics(
  sources: readonly Source[],
  many: ReadonlySet<string>,
  holding: (process: ProcessRef) => boolean,
): RegisteredDiagnostic[] {
  if (many.size === 0) return [];
  const children = new Map<string, ProcessRef>();
  const parents = lossRecordParents(sources, (child) => {
    const wanted = many.has(child.path) || holding(child);
    if (wanted) children.set(processKey(child), { path: child.path, pid: child.pid });
    return wanted;
  });
  const byInput = new Map<string, ProcessRef[]>();
  for (const [key, list] of parents) {
    const child = children.get(key);
    if (child === undefined) continue;
    const input = many.has(child.path) ? child.path : list.find((p) => many.has(p.path))?.path;
    if (input === undefined) continue;
    pushTo(byInput, input, child);
  }
  return [...byInput].map(([path, family]) => uncompared(path, family));
}

function uncompared(path: string, children: readonly ProcessRef[]): RegisteredDiagnostic {
  const [one] = children;
  const who =
    children.length === 1 && one !== undefined
      ? `PID ${one.pid} of ${one.path}`
      : `${children.length} forked children`;
  const message = `past --max-records, the loss records of a log that shows the preambles of more than one PID are not kept to compare: ${who}, whose family this log holds, may count copies of a parent's loss records again; --max-records 0 compares them`;
  return uncomparedWarning(path, children, message);
}

/** The warning for `children`, naming the PID of one of them that is of the log at `path`. */
function uncomparedWarning(
  path: string,
  children: readonly ProcessRef[],
  message: string,
): RegisteredDiagnostic {
  const [one] = children;
  return {
    severity: "warning",
    code: "inherited-loss-records-uncompared",
    message,
    path,
    ...(children.length === 1 && one?.path === path ? { pid: one.pid } : {}),
  };
}

/**
 * An `inherited-loss-records-uncompared` warning for a merged report whose unlisted records
 * gave the comparison up (see InheritedLossRecords.stop), when the inputs hold a forked child
 * and its parent at all: which of those records were copies no record shows.
 */
export function stoppedDiagnostic(
  sources: readonly Source[],
  path: string,
): RegisteredDiagnostic | undefined {
  if (lossRecordParents(sources, () => true).size === 0) return undefined;
  return {
    severity: "warning",
    code: "inherited-loss-records-uncompared",
    message:
      "a merged report that counts loss records it does not list (written with --max-records) is among the inputs: forked children's copies of their parents' loss records were not compared past the cap and may count again; merge reports written with --max-records 0",
    path,
  };
}

/**
 * An `inherited-loss-records-uncompared` warning per text log holding processes `wanted` names
 * that may be forked children but follow the preambles of more than one process (see
 * unnamedParentChildren): their copies of their parent's loss records count again, which a log
 * per process (`%p`, whose preamble names the parent) would have counted once. Past
 * --max-records `wanted` is what uncomparedDiagnostics takes.
 */
export function unnamedParentDiagnostics(
  sources: readonly Source[],
  wanted: (process: ProcessRef) => boolean,
): RegisteredDiagnostic[] {
  const byInput = new Map<string, ProcessRef[]>();
  for (const child of unnamedParentChildren(sources, wanted)) pushTo(byInput, child.path, child);
  return [...byInput].map(([path, children]) => {
    const [one] = children;
    const who =
      children.length === 1 && one !== undefined
        ? `PID ${one.pid} prints no preamble (a forked child writing into its parent's log) and follows`
        : `${children.length} processes print no preamble (forked children writing into their parents' log) and follow`;
    const message = `${who} the preambles of more than one process (an exec or a traced shell before the fork, runs appended to one log): which is the parent the log does not say, so no parent's loss records were compared, and copies of the parent's records inherited at the fork may count again; --log-file=vg.%p.log gives each process a log that names its parent`;
    return uncomparedWarning(path, children, message);
  });
}
