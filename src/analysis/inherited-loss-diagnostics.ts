import type { RegisteredDiagnostic } from "../model/index.js";
import type { CountedLeak } from "./counted-leaks.js";
import type { ParentProcess, ProcessRef } from "./loss-record-parents.js";
import { processKey } from "./process-key.js";

/** What one forked child's held loss records turned out to be, against its parent's. */
export interface ChildOutcome {
  child: ProcessRef;
  /** The parent its first record of a parent's kind and stack was compared with. */
  parent: ParentProcess;
  /** Its copies of the parent's records, counted nowhere. */
  copies: CountedLeak[];
  /** Its records of a parent's kind and stack that are no copy (see Likeness): its own. */
  unlike: CountedLeak[];
}

/** The children of one parent in one log, and what their records were. */
interface Family {
  path: string;
  parent: ParentProcess;
  children: ProcessRef[];
  copies: CountedLeak[];
  unlike: CountedLeak[];
}

/**
 * One `inherited-loss-records` info per log and parent, for all the children that wrote into
 * that log: a forking server's log can hold thousands, and each would have its own otherwise.
 */
export function lossRecordDiagnostics(outcomes: Iterable<ChildOutcome>): RegisteredDiagnostic[] {
  const families = new Map<string, Family>();
  for (const { child, parent, copies, unlike } of outcomes) {
    const key = `${processKey(parent)}\u0000${child.path}`;
    let family = families.get(key);
    if (family === undefined) {
      family = { path: child.path, parent, children: [], copies: [], unlike: [] };
      families.set(key, family);
    }
    family.children.push(child);
    family.copies.push(...copies);
    family.unlike.push(...unlike);
  }
  return [...families.values()].map(diagnosticOf);
}

function diagnosticOf(family: Family): RegisteredDiagnostic {
  const { children, copies, unlike, parent, path } = family;
  const one = children.length === 1 ? children[0] : undefined;
  const its = one !== undefined ? "its" : "their";
  const parts: string[] = [];
  if (copies.length > 0) parts.push(copiesSentence(family, its));
  if (unlike.length > 0) parts.push(unlikeSentence(unlike, parent, its));
  const first = copies[0] ?? unlike[0];
  return {
    severity: "info",
    code: "inherited-loss-records",
    message: `${one !== undefined ? label(one) : pidList(children)}: ${parts.join("; ")}`,
    path,
    ...(first !== undefined ? { line: first.line } : {}),
    ...(one !== undefined ? { pid: one.pid } : {}),
  };
}

/** What the copies were, and why they count once. */
function copiesSentence({ copies, parent, path }: Family, its: string): string {
  const verb = copies.length === 1 ? "repeats one" : "repeat ones";
  if (parent.likeness === "equal") {
    return `${records(copies)} ${verb} of ${label(parent)}'s, the process that ended this file, in kind, allocation stack, blocks and bytes: forked processes wrote on in one XML document (see xml-forked-child), and a child's heap starts as its parent's, so one of each pair is the other's copy (which, the file does not say), listed but counted once`;
  }
  const where = parent.path === path ? "in this log" : `in ${parent.path}`;
  const [copy, record] = copies.length === 1 ? ["a copy", "record"] : ["copies", "records"];
  return `${records(copies)} ${verb} of ${label(parent)}'s, ${its} parent's ${where}, with the same kind and allocation stack and no more blocks or bytes: ${copy} of what the parent held when it forked (a forked child's heap starts as its parent's, and Valgrind checks each process at its exit), listed but counted once, in the parent's ${record}`;
}

/** The records of a parent's kind and stack that count as the child's all the same. */
function unlikeSentence(unlike: CountedLeak[], parent: ParentProcess, its: string): string {
  const have = unlike.length === 1 ? "has" : "have";
  const count = unlike.length === 1 ? "counts" : "count";
  if (parent.likeness === "equal") {
    return `${records(unlike)} of the kind and allocation stack of one of ${label(parent)}'s, the process that ended this file, ${have} other blocks or bytes, and ${count} as ${its} own: an XML file that forked processes share does not say which is the parent, so only records alike in every amount count once (with --xml-file=vg.%p.xml each process writes a document that names its parent)`;
  }
  return `${records(unlike)} of the kind and allocation stack of one of ${label(parent)}'s ${have} more blocks or bytes than ${its} parent's, and ${count} as ${its} own (leaked there again after the fork, or lost more of what was inherited)`;
}

/** `2 loss records (295 (39 direct, 256 indirect) bytes in 5 blocks)`. */
function records(leaks: readonly CountedLeak[]): string {
  let bytes = 0;
  let direct = 0;
  let blocks = 0;
  for (const leak of leaks) {
    bytes += leak.bytes;
    direct += leak.directBytes;
    blocks += leak.blocks;
  }
  const split =
    direct < bytes ? ` (${number(direct)} direct, ${number(bytes - direct)} indirect)` : "";
  const amount = `${number(bytes)}${split} bytes in ${number(blocks)} ${blocks === 1 ? "block" : "blocks"}`;
  const n = leaks.length;
  return `${number(n)} loss ${n === 1 ? "record" : "records"} (${amount})`;
}

const number = (n: number): string => n.toLocaleString("en-US");

/** `PID 1`, or `PID 1 (run 2)` for a PID's later run in its log. */
function label({ pid, run }: ProcessRef): string {
  return run === undefined ? `PID ${pid}` : `PID ${pid} (run ${run})`;
}

/** `PIDs 11301, 11302`, or `PIDs 100000, 100001, 100002 and 19,997 more`. */
function pidList(children: readonly ProcessRef[]): string {
  const shown = children
    .slice(0, 3)
    .map((c) => (c.run === undefined ? `${c.pid}` : `${c.pid} (run ${c.run})`))
    .join(", ");
  const more = children.length - 3;
  return more > 0 ? `PIDs ${shown} and ${number(more)} more` : `PIDs ${shown}`;
}
