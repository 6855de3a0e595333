import { z } from "zod";
import { Pid, ThreadNumber } from "./numbers.js";
import { Details, LogLocation, Severity, Tool } from "./common.js";
import { Stack } from "./frame.js";

/**
 * Memory-error kinds. Valgrind's XML kind names are the vocabulary; other tools map onto them
 * where the meaning is the same and keep their own names otherwise. The set is open: a kind
 * leaklog does not know is kept as-is (never dropped), and "Unknown" marks text with no kind.
 */
export const ErrorKind = z.string().min(1);
export type ErrorKind = z.infer<typeof ErrorKind>;

/**
 * Kinds leaklog knows by name, from every tool it reads: what `--fail-on` accepts besides leak
 * kinds, severities, `any` and `new` (a typo there must not turn a CI gate off silently). A test
 * holds every kind of the golden files to this list.
 */
export const KNOWN_ERROR_KINDS = [
  // Memcheck (memcheck/mc_errors.c, the XML <kind> names; the text headlines map onto them).
  "InvalidRead",
  "InvalidWrite",
  "InvalidFree",
  "MismatchedFree",
  "InvalidJump",
  "Overlap",
  "InvalidMemPool",
  "UninitCondition",
  "UninitValue",
  "SyscallParam",
  "ClientCheck",
  "FishyValue",
  "ReallocSizeZero",
  "InvalidAlignment",
  "InvalidSizeAndAlignment",
  "InvalidSize",
  "MismatchedAllocateDeallocateSize",
  "MismatchedAllocateDeallocateAlignment",
  "CoreMemError",
  "FdBadClose",
  "FdNotClosed",
  "FdBadUse",
  "FatalSignal",
  "Unknown",
  // Helgrind and DRD XML logs (hg_errors.c, drd_error.c), read as they are.
  "Race",
  "UnlockUnlocked",
  "UnlockForeign",
  "UnlockBogus",
  "PthAPIerror",
  "LockOrder",
  "Misc",
  "Dubious",
  "ConflictingAccess",
  "MutexErr",
  "CondErr",
  "CondDestrErr",
  "CondRaceErr",
  "CondWaitErr",
  "SemaphoreErr",
  "BarrierErr",
  "RwlockErr",
  "HoldtimeErr",
  "GenericErr",
  "InvalidThreadId",
  "UnimpHgClReq",
  "UnimpDrdClReq",
  // MEMWATCH (src/formats/memwatch/events.ts) and memleax.
  "DoubleFree",
  "WildFree",
  "NullFree",
  "Overflow",
  "Underflow",
  "ReallocOfFreed",
  "ReallocOfWild",
  "StrdupNull",
  "LimitFail",
  "AllocFail",
  "AssertTrap",
  "VerifyTrap",
  "HeapCorruption",
  "NoMansLandHit",
  "GrabbedMemoryHit",
  "UnreleasedMark",
  "TraceOverflow",
  "AllocReturnsNull",
  // AddressSanitizer's SUMMARY names (compiler-rt asan_errors.cpp) and its deadly signals.
  "heap-buffer-overflow",
  "heap-use-after-free",
  "stack-buffer-overflow",
  "stack-buffer-underflow",
  "stack-use-after-return",
  "stack-use-after-scope",
  "dynamic-stack-buffer-overflow",
  "global-buffer-overflow",
  "intra-object-overflow",
  "container-overflow",
  "use-after-poison",
  "initialization-order-fiasco",
  "unknown-crash",
  "wild-addr",
  "wild-addr-read",
  "wild-addr-write",
  "wild-jump",
  "double-free",
  "bad-free",
  "alloc-dealloc-mismatch",
  "new-delete-type-mismatch",
  "bad-malloc_usable_size",
  "bad-__sanitizer_get_allocated_size",
  "bad-__sanitizer_annotate_contiguous_container",
  "bad-__sanitizer_annotate_double_ended_contiguous_container",
  "calloc-overflow",
  "reallocarray-overflow",
  "pvalloc-overflow",
  "invalid-allocation-alignment",
  "invalid-aligned-alloc-alignment",
  "invalid-posix-memalign-alignment",
  "allocation-size-too-big",
  "rss-limit-exceeded",
  "out-of-memory",
  "memcpy-param-overlap",
  "strcpy-param-overlap",
  "strncpy-param-overlap",
  "strcat-param-overlap",
  "strncat-param-overlap",
  "negative-size-param",
  "odr-violation",
  "invalid-pointer-pair",
  "stack-overflow",
  "SEGV",
  "BUS",
  "FPE",
  "ILL",
  "ABRT",
  "TRAP",
  // UndefinedBehaviorSanitizer's error types (compiler-rt ubsan_checks.inc), told from its
  // runtime errors' messages (src/formats/sanitizer/runtime-errors.ts).
  "signed-integer-overflow",
  "unsigned-integer-overflow",
  "integer-divide-by-zero",
  "invalid-shift-exponent",
  "invalid-shift-base",
  "out-of-bounds-index",
  "null-pointer-use",
  "misaligned-pointer-use",
  "insufficient-object-size",
  "pointer-overflow",
  "float-cast-overflow",
  "invalid-bool-load",
  "invalid-enum-load",
  "non-positive-vla-index",
  "unreachable-call",
  "missing-return",
  "invalid-null-argument",
  "invalid-null-return",
  "dynamic-type-mismatch",
  "function-type-mismatch",
  "invalid-builtin-use",
  "undefined-behavior",
  // ThreadSanitizer's report types (compiler-rt tsan_report.cpp) as src/formats/sanitizer/
  // tsan-reports.ts names them; its `heap-use-after-free` is ASan's, above.
  "data-race",
  "data-race-on-vptr",
  "race-on-external-object",
  "thread-leak",
  "destroy-of-locked-mutex",
  "double-lock-of-mutex",
  "use-of-invalid-mutex",
  "unlock-of-unlocked-mutex",
  "read-lock-of-write-locked-mutex",
  "read-unlock-of-write-locked-mutex",
  "signal-unsafe-call-inside-of-signal",
  "signal-handler-spoils-errno",
  "lock-order-inversion",
  "mutex-held-in-wrong-context",
] as const;

/** A secondary description with its own optional stack ("Block was alloc'd at"). */
export const AuxEntry = z.object({
  message: z.string(),
  stack: Stack.optional(),
});
export type AuxEntry = z.infer<typeof AuxEntry>;

/** A memory error other than a leak: invalid access, bad free, uninitialised use, open fd... */
export const ErrorRecord = z.object({
  type: z.literal("error"),
  id: z.string(),
  tool: Tool,
  kind: ErrorKind,
  /** The tool's headline as printed. */
  message: z.string(),
  severity: Severity,
  pid: Pid.optional(),
  /** The PID's run in the log, from its second on (see ProcessInfo.run). */
  run: z.number().int().min(2).optional(),
  thread: ThreadNumber.optional(),
  stack: Stack,
  aux: z.array(AuxEntry),
  /** How often the tool saw this error (Valgrind `<errorcounts>` / `-s`), at least 1. */
  count: z.number().int().positive(),
  /** True when a suppression matched (in the log or applied by leaklog). */
  suppressed: z.boolean().optional(),
  fingerprint: z.string(),
  location: LogLocation,
  suppression: z.string().optional(),
  details: Details.optional(),
  /**
   * A Valgrind text `-s` recap context that the process never printed, and no other process of
   * the log held: a forked child inherits its parent's error list, so its recap lists the
   * parent's contexts from before the fork, which only the parent prints (in its own log, or
   * in this one before it ended). Its count may also hold the child's own repeats of the
   * context, which no log prints apart. Or the log lost the context's block: a fresh process
   * names the shell as its parent, so a summary whose inputs show no parent parentPid names
   * warns (`summary-mismatch`, campaign bqb Q4).
   */
  inheritedFrom: z
    .object({
      /**
       * The PID the process's preamble names as its parent (`Parent PID:`), when the log does
       * not hold it: a child that wrote a log of its own (`--log-file=vg.%p.log`). Absent when
       * nothing names the parent: `-q` prints no preamble, and a child writing into its
       * parent's log prints none either.
       */
      parentPid: Pid.optional(),
      /**
       * Set by a summary of the inputs when the input at this path holds the context, printed
       * by the parent that parentPid names or, when none does or no input holds it, by the
       * process `printedBy`: the record is then a copy of one counted there, and joins no
       * group and no totals (see README, Cross-checks).
       */
      parentLog: z.string().optional(),
      /** The process that printed the context, when parentPid did not lead to it. */
      printedBy: Pid.optional(),
    })
    .optional(),
});
export type ErrorRecord = z.infer<typeof ErrorRecord>;
