/**
 * Every diagnostic code leaklog emits itself, with the severities it is emitted with, what it
 * means and what a user can do about it. CI scripts filter on these codes, so they are part of
 * the JSON contract: the emitters are typed with DiagnosticCode (an unregistered code does not
 * compile), the README's "Diagnostic codes" table is checked against this object both ways, and
 * a test checks every diagnostic the samples and fixtures give. A report read back (leaklog-json)
 * keeps the codes of the version that wrote it, which may be others: Diagnostic.code stays a
 * string. Plain data: this folder imports nothing else of leaklog's.
 */

import { FORMAT_DIAGNOSTIC_CODES } from "./format-diagnostic-codes.js";

type Severity = "error" | "warning" | "info";

/** One code: how it is emitted, what it means, what to do about it (one sentence each). */
export interface DiagnosticCodeInfo {
  /** Every severity the code is emitted with. */
  severities: readonly Severity[];
  meaning: string;
  action: string;
}

/** The codes of the engine, the cross-checks, suppressions and merging (formats: see below). */
const GENERAL_DIAGNOSTIC_CODES = {
  // Inputs leaklog cannot use (exit 2), and what the engine says about any input.
  "empty-input": {
    severities: ["error", "info"],
    meaning:
      "The input holds no log lines; info instead of error when `--allow-empty` reads it as a clean run.",
    action:
      "Check that the tool wrote its log there (valgrind `-q` writes nothing for a clean run, nor for leaks without `--leak-check=full`; `--xml=yes` only the XML file), or pass `--allow-empty` (for `-q` runs with `--leak-check=full`).",
  },
  "binary-input": {
    severities: ["error"],
    meaning: "The input is binary data, not a text log.",
    action: "Pass the log itself, not the program, a core file or a compressed log.",
  },
  "gzip-trailing-garbage": {
    severities: ["warning"],
    meaning:
      "A gzip input goes on after its compressed data with bytes that are not gzip data (a line appended to a `.log.gz`, a `cat` of a `.gz` and a plain file): they are ignored, as `gzip -d` ignores them, and the log the gzip data holds is read whole.",
    action:
      "Nothing to do, unless the bytes after it were meant to be read: give them as an input of their own.",
  },
  "unknown-format": {
    severities: ["error"],
    meaning: "No input format recognises the input, read to its end.",
    action:
      "Check that it is a Valgrind, memleax, MEMWATCH or sanitizer log; force its format with `--input-format` if its start is cut.",
  },
  "wrong-format": {
    severities: ["error"],
    meaning: "The format forced with `--input-format` read nothing of its own in the input.",
    action: "Drop `--input-format` to detect the format, or name the right one.",
  },
  "unreadable-input": {
    severities: ["error"],
    meaning:
      "The input could not be read: missing, a directory, no permission, or a reader failed.",
    action: "Fix the path or the permissions; an internal error is a bug to report.",
  },
  "no-match": {
    severities: ["error"],
    meaning:
      "A glob on the command line matched no file: the logs it stands for are missing, and a run without them is no clean run.",
    action:
      "Check the pattern and that the tool wrote its logs there (a build that failed before its tests leaves none).",
  },
  "other-tool": {
    severities: ["error", "warning"],
    meaning:
      "A Valgrind tool other than Memcheck wrote the log (error), or one of its processes (warning: that process's lines are skipped), as its banner says or, in a `-q` log without one, as Helgrind's or DRD's own lines show (`---Thread-Announcement---`, `Conflicting load by thread`, frames in their `vgpreload_` objects).",
    action:
      "Run the program under Memcheck (`--tool=memcheck`, the default) for leaklog to read; give Helgrind's and DRD's logs as XML (`--xml=yes --xml-file=FILE`).",
  },
  "valgrind-forms-mixed": {
    severities: ["warning"],
    meaning:
      "A Valgrind XML document starts inside a text log, or a text log inside an XML document: each input is read in one form, so the other log's records are missing (the source is incomplete).",
    action: "Give each log as an input of its own (split the file where the other one starts).",
  },
  "line-too-long": {
    severities: ["warning"],
    meaning: "A line longer than the line cap (1 MiB by default) was cut before parsing.",
    action: "Raise the library's `maxLineLength` if the cut part mattered.",
  },
  "block-too-long": {
    severities: ["warning"],
    meaning:
      "A record's block (a Valgrind text block between empty lines, a sanitizer report, or one leak record of a LeakSanitizer report) had more lines than the tool prints (over 16,384; a whole LeakSanitizer leak report, whose records are capped one by one, over 1,048,576): the lines after that are dropped until the block ends (a sanitizer report keeps its SUMMARY), and the log is incomplete.",
    action: "Look for damage in the log around the line given.",
  },
  "stack-too-long": {
    severities: ["warning"],
    meaning:
      "A stack had more frame lines than any memory checker prints (over 4,096; Valgrind prints at most 500, sanitizers 255, memleax 50), or frame lines of more than 16 MiB in all (16,777,216 characters: names no compiler makes): its record keeps the frames before the cap.",
    action: "Look for damage in the log around the line given.",
  },
  "unrecognized-line": {
    severities: ["warning"],
    meaning: "A line the format did not understand; it is counted and left out of the records.",
    action:
      "Keep the program's output out of the tool's log (Valgrind `--log-file`), or report the line if the tool wrote it.",
  },
  incomplete: {
    severities: ["warning"],
    meaning:
      "The log is known to lack findings (cut short, error limit, a process without its summary, a parser failure); the message says why.",
    action: "Let the run finish and keep the whole log; the source is marked `complete: false`.",
  },

  // Cross-checks and the summary of all inputs.
  "summary-mismatch": {
    severities: ["warning", "info"],
    meaning:
      "The tool's own totals disagree with the records read; info when an expected cause explains it (see Cross-checks).",
    action:
      "Look for missing or damaged records in the log (interleaved processes, a cut file); give a forked child's parent log too.",
  },
  "preamble-only": {
    severities: ["info"],
    meaning:
      "A process's log holds only Valgrind's preamble, and its parent's log is among the inputs: a forked child that exec'd a program Valgrind does not trace (`system()`, `popen()` under `--log-file=vg.%p.log` without `--trace-children`, or a `--trace-children-skip` match), so Valgrind checked nothing of it; a forked child killed before it printed anything looks the same, except under `-v`.",
    action:
      "Nothing to do; without its parent's log among the inputs the same process makes its log incomplete (`incomplete`), as it may be a run killed at its start.",
  },
  "inherited-contexts": {
    severities: ["info"],
    meaning:
      "A forked child's `-s` recap lists error contexts its log never printed: copies of its parent's, from before the fork.",
    action: "Nothing to do; give the parent's log too to count them once, there.",
  },
  "inherited-loss-records": {
    severities: ["info"],
    meaning:
      "A forked child's loss records repeat its parent's (same kind and allocation stack, no more blocks or bytes): blocks it inherited at the fork, listed but counted once, in the parent's records.",
    action:
      "Nothing to do; give the parent's log too (`%p` logs) to count them once. A record with more blocks than the parent's counts as the child's.",
  },
  "inherited-loss-records-uncompared": {
    severities: ["warning"],
    meaning:
      "A forked child's loss records were not compared with its parent's, so the child's copies of its parent's records may count again: in a text log it shares, the child follows the preambles of more than one process (a `system()` or an exec before the fork, runs appended to one log), which do not say which is its parent; or, past `--max-records`, one of their logs shows the preambles of more than one PID, or a merged report counts records it does not list.",
    action:
      "Give each process a log of its own (`--log-file=vg.%p.log`, whose preamble names the parent); past the cap, use `--max-records 0` or merge reports written with `--max-records 0`.",
  },
  "repeated-process": {
    severities: ["warning"],
    meaning: "One process with the same findings is in two inputs, so its findings count twice.",
    action:
      "Drop the input that repeats the other (automake's `test-suite.log` repeats the tests' logs).",
  },
  "duplicate-path": {
    severities: ["warning"],
    meaning:
      "Two sources given to one summary have the same path (a library caller's parseStream default `-`), so their processes are cross-checked as one log's.",
    action:
      "Give each parse its own `path` option (`summarize()` renames repeated paths itself, as `<text> (2)`).",
  },
  "sum-too-large": {
    severities: ["warning"],
    meaning:
      "A total or a group's sum of bytes, blocks or occurrences passed 9,007,199,254,740,991 (2^53 - 1), past which a JSON number is inexact and the schema's integers end: it is written as that number, below the true sum (each count read is at most that, but their sum need not be).",
    action:
      "Look for damaged or edited counts in the logs (no real run leaks petabytes); a `--max-bytes` gate still fails on the held sum.",
  },
  "unnamed-frames": {
    severities: ["info"],
    meaning:
      "A record's stack names no function, source file or offset in the frames it is grouped by: such records are told apart by their objects' names alone; or some of those frames are addresses alone (`???`: a library dlclose'd before the leak check), so records that differ only there are one group (each told once per input, at the first; not of a record the log ends in, whose stack stops where the log does).",
    action:
      "Build with debug information (`-g`) and do not strip, for a group per place; for unloaded code, rerun Valgrind with `--keep-debuginfo=yes`.",
  },
  "library-stack": {
    severities: ["info"],
    meaning:
      "A sanitizer leak's stack stops inside the C library with no frame of the program, at a frame named or not (`__GI___getdelim`, glibc's hidden `__alloc_dir`, or `(libc.so.6+0xcfda4)` without glibc's debug info): the default fast unwinder follows frame pointers, which glibc is built without, or `malloc_context_size` was set that small; such leaks are one group per library function, whoever called it (told once per input, at the first; not of a record the log ends in).",
    action:
      "Rerun with `ASAN_OPTIONS=fast_unwind_on_malloc=0` (`LSAN_OPTIONS` for LeakSanitizer alone), and no smaller `malloc_context_size`, for whole stacks.",
  },
  "stackless-leaks": {
    severities: ["warning"],
    meaning:
      "A leak's loss record has no allocation stack (Valgrind's `at 0x0: ???` alone: `--keep-stacktraces=none` or `=free` kept none), so Valgrind put all the leaks of a kind of a process in one loss record, and leaklog can neither tell them apart (one group per kind) nor compare them with a baseline's (see `baseline-stackless-leaks`; told once per input, at the first).",
    action:
      "Rerun Valgrind without `--keep-stacktraces` (its default `alloc-and-free`, or `alloc`, keeps allocation stacks).",
  },
  "ambiguous-source-file": {
    severities: ["warning"],
    meaning: "A frame's relative source path names several files under `--source-root`.",
    action:
      "Build with full paths (or `-fdebug-prefix-map`), or point `--source-root` at a subtree.",
  },
  "unused-suppression": {
    severities: ["info"],
    meaning:
      "A `--suppressions` entry matched no finding, or only findings that another entry matched too and was credited with.",
    action: "Remove the entry if the problem it hid is gone.",
  },
  "bad-suppression": {
    severities: ["error", "warning"],
    meaning:
      "A suppression file entry is malformed (the CLI refuses the file, exit 2); a warning for a malformed location line past the 12th, which Valgrind skips unread with its default `--num-callers`.",
    action: "Fix the entry at the line named.",
  },
  "suppression-matches-all": {
    severities: ["warning"],
    meaning:
      "A sanitizer suppression has an empty pattern, which suppresses everything of its type.",
    action: "Give the entry a pattern, or remove it.",
  },
  "suppression-leading-space": {
    severities: ["warning"],
    meaning: "A sanitizer suppression pattern starts with a blank, which the sanitizer keeps.",
    action: "Write `type:PATTERN` with no blank after the colon.",
  },

  // Reading leaklog's own JSON reports back (merging).
  "bad-report": {
    severities: ["error"],
    meaning:
      "A leaklog JSON or NDJSON report, or some of its entries, is not valid and was left out: a report of which nothing could be read is an unusable input, as a missing file is.",
    action: "Merge reports as leaklog wrote them; regenerate a damaged one.",
  },
  "report-records-omitted": {
    severities: ["info"],
    meaning:
      "A merged report lists only some of its records (`--max-records`); the others count in groups and totals.",
    action: "Write reports to merge with `--max-records 0` to list every record.",
  },
  "unlisted-regrouped": {
    severities: ["warning"],
    meaning:
      "A merged report's unlisted records were fingerprinted with other options than this run's.",
    action: "Write and merge reports with the same `--fingerprint-*` options.",
  },
  "unlisted-unsuppressed": {
    severities: ["warning"],
    meaning:
      "`--suppressions` could not be matched against the records a merged report counts but does not list, or against a Valgrind log's leak kinds its `--show-leak-kinds` left unlisted.",
    action:
      "Write reports to merge with `--max-records 0`, or suppress when writing them; rerun Valgrind with `--show-leak-kinds=all`.",
  },
  "baseline-kinds-unlisted": {
    severities: ["warning"],
    meaning:
      "Baseline groups of a leak kind this run counted but did not list, or its options hid, or of any leak kind when a log of the run checked no leaks, or of descriptors left open when its XML cannot hold them (`xml-fds-in-text-log`) or a log of the run did not track them (Valgrind without `--track-fds=yes`: no `FILE DESCRIPTORS` section in a text log, no `--track-fds=yes` or `=all` in an XML log's `<vargv>`), are neither found again nor marked fixed.",
    action:
      "Run the checker with the same `--show-leak-kinds` (and a leak check, and `--track-fds`) as the baseline's run.",
  },
  "baseline-run-incomplete": {
    severities: ["warning"],
    meaning:
      "Baseline groups not found in a run with an incomplete log are not marked fixed: the part of the run the log lacks may hold them; groups of records the log was cut in before a frame of the program's are neither new nor unchanged.",
    action: "Compare a complete run; `--fail-on incomplete` fails a run whose log is not.",
  },
  "baseline-stackless-leaks": {
    severities: ["warning"],
    meaning:
      "Leak groups of a kind whose loss records have no allocation stack (`stackless-leaks`) in the run or in the baseline, where the other side has leaks of that kind too, are not compared: the run's are neither new nor unchanged, and the baseline's not found in the run are not marked fixed (a stackless group may hold any leak of its kind).",
    action: "Compare runs made with Valgrind's default `--keep-stacktraces`.",
  },
  "baseline-run-suppressed": {
    severities: ["warning"],
    meaning:
      "Baseline groups not found in a run whose checker suppressed more leak bytes, loss records or errors than the baseline's run (its summaries' `suppressed:` counts, or the suppressions that may match errors among those Valgrind says it used, or that may match leaks where its log counts no suppressed leak bytes, as Valgrind 3.19's XML), each small enough to be among them, are not marked fixed.",
    action:
      "Run the checker without the suppression file and pass it to leaklog's `--suppressions`, which compares a suppressed leak as unchanged.",
  },
  "baseline-process-died": {
    severities: ["warning"],
    meaning:
      "Baseline groups not found in a run where a process died of a fatal signal (a `FatalSignal` record: a crash, a stack overflow, a kill), or a sanitizer stopped it at an error (`ABORTING`: a group with `aborted: true`), are not marked fixed when it may have been theirs: it never ran what came after that point. A forked child whose parent ran on (a GoogleTest death test's) stopped no other process. The warning names the process, the signal (or the error's kind) and where it was raised.",
    action:
      "Fix the crash or the error and compare again (or, with AddressSanitizer, build with `-fsanitize-recover=address` and run with `ASAN_OPTIONS=halt_on_error=0`); a process of the baseline's run that died the same way, at the same place down to `main`, is compared.",
  },
  "baseline-inherited-descriptors": {
    severities: ["info"],
    meaning:
      "Descriptors left open that a process inherited (`<inherited from parent>`), found in the run or in the baseline only, are neither new nor fixed: they are the launcher's (the CI runner's, a shell's, Valgrind's own `--log-file`), not the program's, and Valgrind versions and `--track-fds` settings list different ones; such groups are never compared.",
    action:
      "Nothing to do; to have the program's own descriptors compared, they are (those with the stack that opened them).",
  },
} as const satisfies Readonly<Record<string, DiagnosticCodeInfo>>;

/** The registry of every code leaklog emits, in the README table's order. */
export const DIAGNOSTIC_CODES = {
  ...GENERAL_DIAGNOSTIC_CODES,
  ...FORMAT_DIAGNOSTIC_CODES,
} as const;

/** A diagnostic code leaklog emits; typing an emitter with it makes a new code a compile error. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

// A code in both parts would silently take the second's entry: this does not compile then.
const disjoint: [
  keyof typeof GENERAL_DIAGNOSTIC_CODES & keyof typeof FORMAT_DIAGNOSTIC_CODES,
] extends [never]
  ? true
  : never = true;
void disjoint;

/**
 * The codes of a source that gave nothing usable, each a registered diagnostic code: the fatal
 * problem becomes an error diagnostic. Exactly the codes the CLI exits 2 for, an input's own or
 * one a merged leaklog report carries (a test holds the CLI to it): `bad-report` was missing,
 * so a library user gating on this list passed a merge with a damaged shard (campaign bqa F2).
 */
export const FATAL_CODES = [
  "empty-input",
  "binary-input",
  "unknown-format",
  "wrong-format",
  "unreadable-input",
  "no-match",
  "other-tool",
  "xml-run-text-log",
  "valgrind-failed",
  "memleax-error",
  "memleax-no-run",
  "bad-report",
] as const satisfies readonly DiagnosticCode[];
