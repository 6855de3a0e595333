import type { DiagnosticCodeInfo } from "./diagnostic-codes.js";

/**
 * The diagnostic codes of the input formats (see DIAGNOSTIC_CODES, which adds the engine's and
 * the cross-checks'; `summary-mismatch`, `incomplete` and `unrecognized-line` are there).
 */
export const FORMAT_DIAGNOSTIC_CODES = {
  // Valgrind (text and XML).
  "no-leak-check": {
    severities: ["warning", "info"],
    meaning:
      "Valgrind ran no leak check (`--leak-check=no`) while blocks were in use at exit (warning), or AddressSanitizer stopped the program at an error, before LeakSanitizer's check at exit (info).",
    action:
      "Rerun with `--leak-check=full` to see what leaked; for AddressSanitizer, fix the error, or build with `-fsanitize-recover=address` and run with `ASAN_OPTIONS=halt_on_error=0`.",
  },
  "error-counts-unknown": {
    severities: ["info"],
    meaning: "A text log without `-s` gives no per-context error counts: each error counts 1.",
    action: "Rerun Valgrind with `-s` (or `--xml=yes`) for per-context counts.",
  },
  "log-overwritten": {
    severities: ["warning"],
    meaning:
      "A traced child opened the same log file again and wrote over the log from its start (`--trace-children=yes` with one `--log-file` or `--xml-file`), and its parent may have written on past the file's new end (NUL bytes where a line should be); records are lost or cut, and in XML those after such a hole are read as the parent's, which the document before it names, or else left out.",
    action: "Give each process its own log (`--log-file=vg.%p.log`, `--xml-file=vg.%p.xml`).",
  },
  "xml-run-text-log": {
    severities: ["error", "warning"],
    meaning:
      "The text log of a Valgrind run with `--xml=yes`, which writes every record to the XML file: the log holds only Valgrind's own messages (-v), or the descriptors left open at exit without their stacks (`--track-fds=yes`, Valgrind before 3.23), or `--gen-suppressions`' `(No origin, error cannot be suppressed)` for errors with no stack, and is unusable (a warning where it shares a log with another tool's output).",
    action: "Give leaklog the XML file (`--xml-file`) instead.",
  },
  "xml-forked-child": {
    severities: ["warning"],
    meaning:
      "A forked child wrote on in its parent's XML document (Valgrind without `--child-silent-after-fork=yes`): the records after the first `</valgrindoutput>` are another process's, whose PID the XML does not name (read as the PID's next run), and records before it may be either's (their errors are counted by the PID's last `<errorcounts>` that names them, the parent's).",
    action:
      "Run Valgrind with `--child-silent-after-fork=yes`, or with `--trace-children=yes --xml-file=vg.%p.xml` for a document per process.",
  },
  "valgrind-failed": {
    severities: ["error", "warning"],
    meaning:
      "Valgrind itself failed (an assertion, \"the 'impossible' happened\", running out of memory) or gave up (a failed `new`, aligned or not, whose exception it cannot throw, a suppressions file it refused or could not open, debug info it could not read: \"I can't recover.  Giving up.\") and stopped the program, or did not start it (an unknown option, a missing program, `Fatal error at startup` for a function redirection it must set up in ld.so, a 32-bit program without its dynamic linker, an ELF file of another machine, which it then runs with /bin/sh, an executable its loader cannot map or read: `failed in UME` for one linked where Valgrind lives or with very large segments, an object file; under `--trace-children=yes` also a program a traced process exec'd, which is then never checked), or ran it with its findings sent nowhere (`==PID== Bad option: --xml=yes, but no XML destination specified`): what it would have done next is not checked (an error: nothing was, the log is unusable).",
    action:
      "Read Valgrind's message at that line; out of memory, lift the memory limit (`ulimit -v`, a container's); a refused suppressions file or option, mend it; a `Fatal error at startup` (a function redirection), install glibc's debug info (`libc6-dbg`, `glibc-debuginfo`); else rerun with a newer Valgrind or other options, and report the bug to Valgrind if it stays.",
  },
  "valgrind-warning": {
    severities: ["warning"],
    meaning:
      "Valgrind warned that findings may be missing, spurious or poorly located: a syscall or ioctl it does not handle, a switch of stacks, debug information it could not read (the first of each kind in a process), an instruction it did not recognise (it then raised SIGILL).",
    action:
      "Weigh the process's findings with the warning in mind; rebuild an object whose debug information Valgrind could not read, and raise `--max-stackframe` if the program switches no stacks.",
  },
  "error-markers": {
    severities: ["info"],
    meaning:
      "A line was taken for Valgrind's `--error-markers` (the user's line before or after each error) by where it stands, and left out of the records; later lines of the same text there are too.",
    action: "Nothing to do, if the line named is your marker.",
  },
  "clobbered-line": {
    severities: ["warning"],
    meaning: "Two processes wrote into one log line; the inner one was read.",
    action: "Give each process its own log (`--log-file=vg.%p.log`).",
  },
  "suppression-owner": {
    severities: ["info"],
    meaning:
      "A `--gen-suppressions` block could belong to several records, or names none; it went to the latest.",
    action: "Give each process its own log so that blocks follow their records.",
  },
  "xtree-leak-file": {
    severities: ["warning"],
    meaning:
      "`--xtree-leak=yes` wrote the loss records to another file, so the log lacks its leaks: a LEAK SUMMARY still counts them (text logs, the XML of Valgrind 3.26 and later), or, where none does (the XML of Valgrind before 3.26), a rule that names a leak kind fails, saying the log cannot tell.",
    action:
      "Read the file with `callgrind_annotate`, or rerun without `--xtree-leak` for loss records in the log.",
  },
  "error-counts-unchecked": {
    severities: ["info"],
    meaning: "`<errorcounts>` was not checked against the printed errors: too many error contexts.",
    action: "Nothing to do.",
  },
  "xml-errorcounts-not-applied": {
    severities: ["warning"],
    meaning:
      "Too many errors came before `<errorcounts>`: the oldest keep count 1 instead of their final count.",
    action: "Nothing to do; counts of the oldest errors are low.",
  },
  "xml-truncated-record": {
    severities: ["warning"],
    meaning:
      "An `<error>` was cut off by the end of its document: kept as read, without the element the log ends in (the cut left part of its text), or dropped when its `<kind>` is not whole or nothing whole tells a loss record's size.",
    action: "Let the run finish; keep the whole XML file.",
  },
  "xml-fds-in-text-log": {
    severities: ["warning"],
    meaning:
      "A `--track-fds=yes` run's XML of protocol 4 (Valgrind before 3.23), which has no record for a descriptor left open at exit: Valgrind listed them in its text log, and only their opening stacks came to the XML, outside any record. A baseline's open descriptors are not compared with this run, and a `--fail-on FdNotClosed` rule fails, saying the log cannot tell (as for a leak kind it cannot count).",
    action:
      "Read them in the run's text log by eye (leaklog refuses that log: `xml-run-text-log`), run Valgrind 3.23 or newer, whose XML holds them as `FdNotClosed` errors, or leave out `--xml=yes` for a text log that holds every record.",
  },
  "xml-unknown-protocol": {
    severities: ["info"],
    meaning: "The XML protocol version is newer than leaklog knows; it is read as the known one.",
    action: "Check the report; tell leaklog's maintainers about the new version.",
  },
  "xml-unexpected-element": {
    severities: ["info"],
    meaning:
      "A known element (`<stack>`, `<suppression>`, `<frame>`) stood where none was expected.",
    action: "Nothing to do; it is kept in the message as read.",
  },
  "xml-unknown-element": {
    severities: ["info"],
    meaning: "An element leaklog does not know; it is kept in the message as read.",
    action: "Nothing to do; report it if it should count.",
  },
  "xml-too-deep": {
    severities: ["warning"],
    meaning: "Elements nested deeper than leaklog's cap were skipped.",
    action: "Check that the file is Valgrind's XML.",
  },
  "xml-stray-end-tag": {
    severities: ["warning"],
    meaning: "An end tag closed no open element and was ignored.",
    action: "Check the XML for damage (two writers, a cut).",
  },
  "xml-missing-root": {
    severities: ["warning"],
    meaning:
      "Valgrind's records began with no `<valgrindoutput>` before them (its line damaged or lost); they were read as its document.",
    action: "Check the head of the XML file for damage (a NUL byte, an edit).",
  },
  "xml-doctype-ignored": {
    severities: ["warning"],
    meaning: "A DOCTYPE was skipped: no DTD is read and no declared entity expanded.",
    action: "Nothing to do; Valgrind writes none.",
  },
  "xml-unclosed-element": {
    severities: ["warning"],
    meaning: "An element was never closed; leaklog closed it.",
    action: "Check the XML for damage (two writers, a cut).",
  },
  "xml-record-too-large": {
    severities: ["warning"],
    meaning: "A record had more elements or text than leaklog keeps; the rest was cut.",
    action: "Check the record in the log.",
  },
  "valgrind-client-message": {
    severities: ["info"],
    meaning: "A client request's message (`VALGRIND_PRINTF` and the like).",
    action: "Nothing to do.",
  },
  "valgrind-user-comment": {
    severities: ["info"],
    meaning: "The `<usercomment>` given with `--xml-user-comment`.",
    action: "Nothing to do.",
  },
  "valgrind-suppressions-used": {
    severities: ["info"],
    meaning: "The suppressions Valgrind's XML says it used, with their counts.",
    action: "Nothing to do.",
  },

  // memleax (formats/memleax.md).
  "memleax-expired": {
    severities: ["info"],
    meaning: "A call stack's memory expired for the first time (shown live on a pipe).",
    action: "Nothing to do; the leak records at the end say what stayed.",
  },
  "memleax-stopped": {
    severities: ["info", "error"],
    meaning:
      "Why memleax stopped monitoring (Ctrl-C, the target's exit, its `-m` or `-c` limit); error when memleax itself failed.",
    action: "On an error, rerun memleax; after a limit, consider a bigger `-e`, `-m` or `-c`.",
  },
  "memleax-quiet-stack": {
    severities: ["info"],
    meaning:
      "A call stack had too many expired blocks freed later: memleax prints no more lines for it.",
    action: "Nothing to do; memleax keeps counting it.",
  },
  "memleax-warning": {
    severities: ["warning"],
    meaning: "memleax's own `Warning:` line (no symbol table, debug-file checks, memory maps).",
    action: "Build the target with debug information (`-g`) for named frames.",
  },
  "memleax-error": {
    severities: ["error"],
    meaning:
      "memleax's own error message: it did not monitor (the input is unusable when no run began: nothing was checked), or stopped.",
    action: "Fix what it says (process not found, no permission to attach: ptrace_scope).",
  },
  "memleax-no-run": {
    severities: ["error"],
    meaning:
      "The output holds no monitoring run (no `== Begin monitoring process` line): only memleax's help or version, or nothing of it; the input is unusable.",
    action: "Check the memleax command line; pass its output of a monitoring run.",
  },
  "memleax-usage": {
    severities: ["info"],
    meaning: "memleax printed its help or its version, not a monitoring run.",
    action: "Check the memleax command line.",
  },
  "memleax-no-expired": {
    severities: ["info"],
    meaning:
      "memleax saw no expired memory blocks, which it also says when it could not hook the allocator.",
    action:
      "Check that memleax can hook the target (stock 1.1.1 cannot on separate-code ELF) before calling it clean.",
  },
  "memleax-counter-wrapped": {
    severities: ["warning"],
    meaning: "Negative report counters, read as 32-bit values that wrapped past 2 GiB.",
    action: "Nothing to do; the counts are unwrapped.",
  },
  "memleax-summary-mismatch": {
    severities: ["warning"],
    meaning: "A call stack's may-leak is not its expired minus its freed-after-expiry blocks.",
    action: "Check the log for damage; the may-leak count is used.",
  },
  "memleax-bad-block": {
    severities: ["warning"],
    meaning: "A multi-line memleax record whose lines are not in the expected order.",
    action: "Keep the program's output out of memleax's (redirect one of them).",
  },

  // MEMWATCH (formats/memwatch.md).
  "session-without-banner": {
    severities: ["info"],
    meaning: "MEMWATCH output with no banner before it is counted as a session of its own.",
    action: "Nothing to do; keep the whole memwatch.log for the banner.",
  },
  trace: {
    severities: ["info"],
    meaning: "`TRACE()` output of the program (the first 50 per log).",
    action: "Nothing to do.",
  },
  "stderr-notice": {
    severities: ["info"],
    meaning: "A `MEMWATCH:` notice meant for stderr, in the log without `MW_STDIO`.",
    action: "Nothing to do.",
  },
  "repeated-footer": {
    severities: ["warning"],
    meaning: "A session has a second `Stopped at` footer.",
    action: "Check the log for two runs written into one file.",
  },
  "statistics-table": {
    severities: ["info"],
    meaning: "One module's row of the detailed statistics table (`mwStatistics`).",
    action: "Nothing to do.",
  },
  "unknown-unit": {
    severities: ["warning"],
    meaning: "A statistics line's unit is not understood; its value is read as bytes.",
    action: "Check the totals: a modified MEMWATCH copy may print other units.",
  },
  "heap-repair": {
    severities: ["warning"],
    meaning: "MEMWATCH repaired its own heap chain (`relink:`, or a restarted scan).",
    action: "Look for the heap corruption that damaged it, reported near this line.",
  },
  "memwatch-internal": {
    severities: ["warning"],
    meaning:
      "A MEMWATCH `internal:` message that is no finding (not initialised, memory low, grab list not empty).",
    action: "Read the message; check how MEMWATCH is started and stopped.",
  },
  "malformed-line": {
    severities: ["warning"],
    meaning: "A MEMWATCH trap or wild-pointer line without the fields it should have.",
    action: "Check the line in the log for damage.",
  },
  "memwatch-message": {
    severities: ["warning"],
    meaning: "A MEMWATCH message of a kind leaklog has no rule for.",
    action: "Report the line if it should be a finding.",
  },
  "trap-outcome": {
    severities: ["info"],
    meaning: "What became of a failed ASSERT or VERIFY (ignored, retried).",
    action: "Nothing to do; the trap itself is the finding.",
  },
  check: {
    severities: ["info"],
    meaning: "A `CHECK()` or autocheck progress line that found nothing.",
    action: "Nothing to do.",
  },
  mark: {
    severities: ["info"],
    meaning: "A `mark:` line that is no leftover mark (a NULL mark, an unknown unmark, a failure).",
    action: "Check the `MARK()/UNMARK()` call at the line named.",
  },
  limit: {
    severities: ["info"],
    meaning: "The program changed MEMWATCH's allocation limit.",
    action: "Nothing to do.",
  },
  grab: {
    severities: ["info"],
    meaning: "MEMWATCH grabbed or dropped memory (mwGrab, mwDrop, no-man's-land).",
    action: "Nothing to do.",
  },
  "statistics-mode": {
    severities: ["info"],
    meaning: "The program changed MEMWATCH's statistics level.",
    action: "Nothing to do.",
  },
  breakout: {
    severities: ["info"],
    meaning: "The program called `mwBreakOut()`.",
    action: "Nothing to do.",
  },
  logfile: {
    severities: ["warning"],
    meaning: "MEMWATCH could not open its log file.",
    action: "Check that the working directory is writable.",
  },

  // AddressSanitizer and LeakSanitizer (formats/sanitizers.md).
  "sanitizer-syntax": {
    severities: ["warning"],
    meaning: "Part of a sanitizer report is not in the expected shape.",
    action: "Keep the program's output out of the report (`log_path=...`), or report the lines.",
  },
  "sanitizer-failed": {
    severities: ["warning"],
    meaning:
      "The sanitizer's runtime failed (a fatal error, an internal CHECK, no memory, a library order it cannot start in) and stopped the program: what it would have reported, LeakSanitizer's leak check included, is missing.",
    action:
      "Read its message and HINTs: LeakSanitizer does not run under ptrace (strace, gdb, a container without SYS_PTRACE); link the sanitizer's runtime into the program; lift the memory limit (`ulimit -v`); run ThreadSanitizer with ASLR off (`setarch -R`) where it cannot map the address space.",
  },
  "sanitizer-warning": {
    severities: ["warning"],
    meaning:
      "AddressSanitizer warned that its reports may be false: the program switched stacks (makecontext/swapcontext, a noreturn call off the thread's stack); the first of each kind in a process.",
    action:
      "Check its reports by hand, or annotate the stack switches (`__sanitizer_start_switch_fiber`).",
  },
  "suppressions-used": {
    severities: ["info"],
    meaning:
      "The table of the suppressions a sanitizer used: LeakSanitizer's `Suppressions used:`, ThreadSanitizer's `Matched N suppressions` (print_suppressions=1).",
    action: "Nothing to do.",
  },
  "leaks-omitted": {
    severities: ["info"],
    meaning: "LeakSanitizer printed only some of its leak records (`max_leaks`).",
    action: "Rerun with `LSAN_OPTIONS=max_leaks=0` to see every record.",
  },
} as const satisfies Readonly<Record<string, DiagnosticCodeInfo>>;
