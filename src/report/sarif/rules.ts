import type { Group, Severity, SummaryOnlyLeak } from "../../model/index.js";
import { summaryOnlySeverity } from "../../analysis/severity.js";
import { levelOf, type SarifLevel } from "./level.js";

/** What a rule says about one kind: a one-line summary and the advice that follows it. */
interface KindText {
  short: string;
  full: string;
}

// Wording after the Valgrind manual's "Explanation of error messages from Memcheck" and
// "Memory leak detection" sections; the sanitizers' kinds are mapped onto the same names.
const KINDS: Readonly<Record<string, KindText>> = {
  "definitely-lost": {
    short: "Memory definitely lost",
    full: "No pointer to the block was found at exit: the program leaked it.",
  },
  "indirectly-lost": {
    short: "Memory indirectly lost",
    full: "The block is only reachable through blocks that are themselves lost; fixing the leak of its owner usually fixes it.",
  },
  "possibly-lost": {
    short: "Memory possibly lost",
    full: "Only a pointer into the middle of the block was found at exit: probably a leak, unless the program keeps interior pointers on purpose.",
  },
  "still-reachable": {
    short: "Memory still reachable at exit",
    full: "A pointer to the block was still held at exit: not freed, but not lost either.",
  },
  suppressed: {
    short: "Suppressed leak",
    full: "A leak that a suppression file matched.",
  },
  InvalidRead: {
    short: "Invalid read",
    full: "The program read memory it may not read: freed, outside a heap block, or unmapped.",
  },
  InvalidWrite: {
    short: "Invalid write",
    full: "The program wrote memory it may not write: freed, outside a heap block, or unmapped.",
  },
  InvalidFree: {
    short: "Invalid free",
    full: "A block was freed twice, or the pointer freed did not come from an allocator.",
  },
  DoubleFree: { short: "Double free", full: "A block was freed twice." },
  WildFree: {
    short: "Free of a wild pointer",
    full: "The pointer freed did not come from an allocator.",
  },
  MismatchedFree: {
    short: "Mismatched allocation and deallocation",
    full: "A block was released with a function that does not match its allocation (malloc/delete, new/free, new[]/delete).",
  },
  InvalidJump: {
    short: "Jump to an invalid address",
    full: "The program jumped to an address that holds no code: a corrupt function pointer or return address.",
  },
  Overlap: {
    short: "Overlapping source and destination",
    full: "A copy function (memcpy, strcpy, ...) was given overlapping source and destination blocks.",
  },
  UninitCondition: {
    short: "Conditional on uninitialised value",
    full: "A conditional jump or move depends on memory that was never initialised.",
  },
  UninitValue: {
    short: "Use of uninitialised value",
    full: "An uninitialised value was used in a way that affects the program's behaviour.",
  },
  SyscallParam: {
    short: "Bad system call parameter",
    full: "A system call was passed uninitialised or unaddressable memory.",
  },
  ClientCheck: {
    short: "Client check failed",
    full: "A check the program requested (VALGRIND_CHECK_MEM_IS_DEFINED, ...) failed.",
  },
  FishyValue: {
    short: "Suspicious argument value",
    full: "An allocation function got a size that is almost certainly wrong (negative as a signed number).",
  },
  FdNotClosed: {
    short: "File descriptor left open",
    full: "A file descriptor was still open when the program exited.",
  },
  FdBadClose: {
    short: "Bad close of a file descriptor",
    full: "A file descriptor was closed twice or was never open.",
  },
  FatalSignal: {
    short: "Fatal signal",
    full: "The program was killed by a signal (segmentation fault, abort, ...).",
  },
  Overflow: { short: "Buffer overflow", full: "The program wrote past the end of a block." },
  Underflow: { short: "Buffer underflow", full: "The program wrote before the start of a block." },
};

const HELP =
  "Open the code flow to see the whole stack, innermost frame last. leaklog groups findings with the same kind and stack across processes, files and runs; `leaklog summarize --format json` lists every member.";

/** A SARIF reportingDescriptor (rule) for one kind. */
export interface SarifRule {
  id: string;
  name?: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[] };
}

/**
 * One rule per kind present in the groups, in order of first appearance, then the leak kinds
 * only the tools' summaries report (SummaryOnlyLeak), each at its worst severity.
 */
export function rulesFor(
  groups: readonly Group[],
  summaryOnly: readonly SummaryOnlyLeak[] = [],
): SarifRule[] {
  const worst = new Map<string, { type: Group["type"]; severity: Severity }>();
  const see = (kind: string, type: Group["type"], severity: Severity): void => {
    const seen = worst.get(kind);
    if (seen === undefined || rank(severity) < rank(seen.severity))
      worst.set(kind, { type, severity });
  };
  for (const group of groups) see(group.kind, group.type, group.severity);
  for (const entry of summaryOnly)
    for (const kind of Object.keys(entry.leak)) see(kind, "leak", summaryOnlySeverity(entry, kind));
  return [...worst].map(([kind, { type, severity }]) => ruleFor(kind, type, severity));
}

function ruleFor(kind: string, type: Group["type"], severity: Severity): SarifRule {
  const text = KINDS[kind] ?? {
    short: `${type === "leak" ? "Leak" : "Memory error"} of kind '${kind}'`,
    full: `The memory checker reported a finding of kind '${kind}', which leaklog keeps as printed.`,
  };
  const name = pascalCase(kind);
  return {
    id: kind,
    // SARIF1001: a name identical to the id must be left out, and the Multitool compares them
    // ignoring case (`suppressed` and `Suppressed`).
    ...(name.toLowerCase() !== kind.toLowerCase() && name !== "" ? { name } : {}),
    shortDescription: { text: `${text.short}.` },
    fullDescription: { text: text.full },
    help: { text: `${text.full} ${HELP}` },
    defaultConfiguration: { level: levelOf(severity) },
    properties: { tags: ["memory", type === "leak" ? "leak" : "memory-error"] },
  };
}

const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, note: 2, none: 3 };

function rank(severity: Severity): number {
  return RANK[severity];
}

/** `definitely-lost` -> `DefinitelyLost`; other characters dropped (SARIF2012 wants Pascal case). */
function pascalCase(kind: string): string {
  return kind
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => `${part[0]?.toUpperCase() ?? ""}${part.slice(1)}`)
    .join("");
}
