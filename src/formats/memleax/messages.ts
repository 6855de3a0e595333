import type { DiagnosticCode } from "../../model/index.js";

/** Diagnostic codes the memleax format emits (besides the engine's `incomplete`, `unrecognized-line`). */
export const DIAG = {
  /** info: a call stack expired for the first time (live use: one per new stack, at once). */
  expired: "memleax-expired",
  /** info: why monitoring ended (Ctrl-C, target exit, -m/-c limits); error for internal failures. */
  stopped: "memleax-stopped",
  /** info: a stack hit "too many expired-free"; its lines stop, its counters go on. */
  quietStack: "memleax-quiet-stack",
  /** warning: memleax's own `Warning:` lines (no symbol table, debug-file checks, maps). */
  toolWarning: "memleax-warning",
  /** error: memleax's own error messages; no monitoring happened or it ended. */
  toolError: "memleax-error",
  /** error: the output holds no monitoring run at all (only errors, help or version). */
  noRun: "memleax-no-run",
  /** info: help or version output. */
  notARun: "memleax-usage",
  /** info: "No expired memory blocks" with no stack seen: maybe nothing was hooked. */
  noExpired: "memleax-no-expired",
  /** warning: report counters that are negative (wrapped) or disagree with each other. */
  counterWrapped: "memleax-counter-wrapped",
  /** warning: a stack's may-leak is not its expired minus its freed-after-expiry blocks. */
  summaryMismatch: "memleax-summary-mismatch",
  /** warning: a multi-line record whose lines are not in the grammar's order. */
  badBlock: "memleax-bad-block",
} as const satisfies Readonly<Record<string, DiagnosticCode>>;

type Severity = "error" | "warning" | "info";

/** How each stop reason (formats/memleax.md §2.5) is told; `$1`, `$2` are the line's numbers. */
export const STOP_REASONS: Readonly<Record<string, { severity: Severity; text: string }>> = {
  terminate: {
    severity: "info",
    text: "memleax was stopped (SIGINT, SIGTERM or SIGHUP, e.g. Ctrl-C)",
  },
  "target-exit": { severity: "info", text: "the target process exited" },
  "memblock-limit": {
    severity: "info",
    text: "memleax stopped at its -m limit: $1 memory blocks expired at one call stack",
  },
  "callstack-limit": {
    severity: "info",
    text: "memleax stopped at its -c limit of $1 call stacks (one more was printed; consider a bigger -e)",
  },
  "out-of-memory": { severity: "error", text: "memleax ran out of memory" },
  "waitpid-error": { severity: "error", text: "memleax lost the target: waitpid() failed: $1" },
  "unknown-breakpoint": {
    severity: "error",
    text: "memleax hit an unknown breakpoint at 0x$1 and stopped monitoring",
  },
};

/** Fills `$1`.. in a template with captured groups. */
export function fill(template: string, groups: readonly string[]): string {
  return template.replace(/\$(\d)/g, (_, i: string) => groups[Number(i) - 1] ?? "?");
}
