/*
 * The bare lines of Valgrind's own failure report (m_libcassert.c): an assertion of the core or
 * the tool, or a panic, then Valgrind's own stack and the client threads' stacks, each after a
 * header line, all but the stacks' frames without the `==PID==` prefix:
 *
 *   Memcheck: mc_errors.c:923 (vgMemCheck_record_user_error): Assertion 'MC_(clo_mc_level) >= 2' failed.
 *   host stacktrace:
 *   ==6530==    at 0x580429AA: ??? (in /usr/libexec/valgrind/memcheck-amd64-linux)
 *   sched status:
 *     running_tid=1
 *   Thread 1: status = VgTs_Runnable (lwpid 6530)
 *   ==6530==    at 0x10953D: main (client_requests.c:23)
 *
 * Valgrind's allocator running out of memory (m_mallocfree.c) prints Valgrind's stack and the
 * threads' first, then its headline and advice with the prefix, and exits:
 *
 *   host stacktrace:
 *   ==32724==    at 0x580429AA: ??? (in /usr/libexec/valgrind/memcheck-amd64-linux)
 *   ...
 *   ==32724==     Valgrind's memory management: out of memory:
 *   ==32724==        newSuperblock's request for 4194304 bytes failed.
 *
 * Syntax only (src/formats/valgrind/valgrind-failure.ts gives it meaning).
 */
const ASSERTION = /^[A-Za-z][\w-]{0,30}: \S+:\d+ \(.{1,200}\): Assertion '.*' failed\.$/;
const IMPOSSIBLE = /^[A-Za-z][\w-]{0,30}: the 'impossible' happened:?$/;
const HOST_STACK = "host stacktrace:";
const THREAD_STACK = /^Thread \d+: status = .*$/;
const OUT_OF_MEMORY = /^\s*Valgrind's memory management: out of memory:\s*$/;
/** Longer lines are no headline of Valgrind's (capped before any regular expression runs). */
const MAX_HEADLINE = 400;

/** Whether a bare line is the headline of Valgrind's failure: an assertion, or a panic. */
export function isFailureHeadline(text: string): boolean {
  return text.length <= MAX_HEADLINE && (ASSERTION.test(text) || IMPOSSIBLE.test(text));
}

/** Whether a bare line heads a stack of the failure report: Valgrind's own, or a thread's. */
export function isFailureStackHeader(text: string): boolean {
  return isHostStackHeader(text) || (text.length <= MAX_HEADLINE && THREAD_STACK.test(text));
}

/** Whether a bare line heads Valgrind's own stack, which only its failure reports print. */
export function isHostStackHeader(text: string): boolean {
  return text === HOST_STACK;
}

/** Whether a prefixed line's body is the headline of Valgrind's running out of memory. */
export function isOutOfMemoryHeadline(body: string): boolean {
  return body.length <= MAX_HEADLINE && OUT_OF_MEMORY.test(body);
}

/**
 * The first line of the client message that vg_replace_malloc.c prints when `new` or `new[]`
 * fails (in the text log after `**PID**`, in XML a `<clientmsg>`'s text); it then ends the
 * program with exit code 1, where the program would have caught `std::bad_alloc`:
 *
 *   **2275** new/new[] failed and should throw an exception, but Valgrind
 *   **2275**    cannot throw exceptions and so is aborting instead.  Sorry.
 *
 * The over-aligned `new` (C++17 `std::align_val_t`) says `aligned failed` instead, also in 3.22+
 * for an invalid alignment such as `align_val_t(3)` (campaign bw F6, 3.19 to 3.27.1):
 *
 *   **726** new/new[] aligned failed and should throw an exception, but Valgrind
 */
const CANNOT_THROW = /^new\/new\[\] (aligned )?failed and should throw an exception/;

/** Whether a client message is Valgrind's failed `new` it cannot throw for, and if aligned. */
export function cannotThrowMessage(text: string): { aligned: boolean } | undefined {
  const match = CANNOT_THROW.exec(text);
  return match ? { aligned: match[1] !== undefined } : undefined;
}

/**
 * Valgrind refusing a suppressions file (m_errormgr.c), then exiting before the program runs,
 * with the reason and `exiting now.` on the next lines:
 *
 *   ==6478== FATAL: in suppressions file "bad.supp" near line 4:
 *   ==6478==    unexpected end-of-file (when reading stack trace)
 *   ==6478== exiting now.
 */
export const SUPPRESSIONS_FATAL = /^FATAL: in suppressions file "(.{1,300})" near line (\d+):$/;

/**
 * Valgrind unable to open a suppressions file (a typo, a path relative to another working
 * directory): it exits before the program runs, after this one line.
 *
 *   ==13794== FATAL: can't open suppressions file "does-not-exist.supp"
 */
export const SUPPRESSIONS_CANNOT_OPEN = /^FATAL: can't open suppressions file "(.{1,300})"$/;

/**
 * An option combination Valgrind refuses with the `==PID==` prefix (m_main.c), then lines that
 * explain it, the last of them `Use --help ...`. Valgrind 3.19 goes on with the program, but
 * writes its findings nowhere (`--xml=yes` with no XML destination):
 *
 *   ==13533== Bad option: --xml=yes, but no XML destination specified
 *   ==13533== --xml=yes has been specified, but there is no XML output
 *   ...
 *   ==13533== Use --help for more information or consult the user manual.
 */
export const PREFIXED_BAD_OPTION = /^Bad option: (.{1,300})$/;
export const BAD_OPTION_END = "Use --help for more information or consult the user manual.";

/**
 * Valgrind giving up on what it cannot read (the debug info of a clang 14 `-g -O2` binary, DWARF
 * 5), after lines that say why, each `Valgrind: ` and the reason's details indented:
 *
 *   ==16823== Valgrind: debuginfo reader: Possibly corrupted debuginfo file.
 *   ==16823== Valgrind: I can't recover.  Giving up.  Sorry.
 */
export const GIVING_UP = "Valgrind: I can't recover.  Giving up.  Sorry.";
/** A `Valgrind: ` line that says why, not one of its indented details. */
export const VALGRIND_REASON = /^Valgrind: (?! )(.{1,300})$/;

/**
 * The launcher refusing to start (coregrind/launcher-linux.c, m_main.c's option checks), bare
 * lines before any `==PID==` one; the program is not run:
 *
 *   valgrind: Unknown option: --leak-chek=full
 *   valgrind: Bad option: --num-callers=abc
 *   valgrind: ./no-such-test: No such file or directory
 *   valgrind: ./prog: Permission denied
 *   valgrind: ./script.sh: bad interpreter: No such file or directory
 *   valgrind: failed to start tool 'nosuch' for platform 'amd64-linux': No such file or directory
 *   valgrind: no program specified
 *
 * An ELF file Valgrind cannot load (m_ume_elf.c: another machine, class or byte order) is said
 * before the preamble; Valgrind then runs it with /bin/sh, so the findings are the shell's, or
 * says it `cannot execute binary file` (NOT_LOADED) and exits:
 *
 *   valgrind: executable is not for this architecture
 *   valgrind: wrong ELF executable class (eg. 32-bit instead of 64-bit)
 *   valgrind: executable has wrong endian-ness
 *
 * (`valgrind: Cannot create log file '...'` is no such line: Valgrind goes on, to stderr.)
 */
const NOT_STARTED =
  /^valgrind: (?:(?:Unknown|Bad) option: .+|(?!Cannot create )[^:]+: (?:bad interpreter: )?(?:No such file or directory|Permission denied)|failed to start tool .+|no program specified|executable is not for this architecture|wrong ELF executable class .+|executable has wrong endian-ness)$/;

/**
 * The tool stopping at start-up, before the program runs, with bare lines (the preamble, if
 * any, printed before): a function redirection it must set up (m_redir.c; ld.so without its
 * debug info, a slim CI image without libc6-dbg), two spaces after `valgrind:` and its reason
 * on the next bare lines; a 32-bit program whose dynamic linker is not installed (m_ume.c); a
 * stack it cannot map (m_initimg):
 *
 *   valgrind:  Fatal error at startup: a function redirection
 *   valgrind:  which is mandatory for this platform-tool combination
 *   ...
 *   valgrind:  Cannot continue -- exiting now.  Sorry.
 *
 *   valgrind: m_ume.c: can't open interpreter
 *   valgrind: I failed to allocate space for the application's stack.
 */
const STOPPED_AT_STARTUP =
  /^valgrind: (?: ?Fatal error at startup: .+|m_ume\.c: can't (?:open|read) interpreter|I failed to allocate space for the application's stack\.)$/;

/**
 * The tool's loader (m_ume) refusing the executable it was to run, bare lines printed before the
 * program starts and before Valgrind opens its log (so to stderr, whatever `--log-file` says).
 * Given at the top level, the file is named before any preamble; exec'd by a process traced
 * with `--trace-children=yes`, the exec'd program's Valgrind prints them and exits 1, and the
 * program is never checked (campaign bv F3: `execv("/proc/self/exe")`, a program linked at
 * Valgrind's own address 0x58000000, a very large text, data or bss segment):
 *
 *   valgrind: mmap(0x58000000, 4096) failed in UME with error 22 (Invalid argument).
 *   valgrind: this can be caused by executables with very large text, data or bss segments.
 *
 * An ELF file it cannot load (an object file, damaged program headers) is named on a second
 * line, which a file that is no ELF nor script prints alone; a directory, a program not on PATH:
 *
 *   valgrind: this is not an executable
 *   valgrind: sizeof ELF Phdr wrong
 *   valgrind: can't read phdr: VG_(strerror): unknown error
 *   valgrind: ./leak.o: cannot execute binary file
 *   valgrind: ./adir: is a directory
 *   valgrind: nosuchcmd: command not found
 *
 * (The advice line after the mmap one is Valgrind's too, but says nothing new.)
 */
const NOT_LOADED =
  /^valgrind: (?:mmap\(0x[0-9a-f]+, \d+\) failed in UME with error \d+ \(.+\)\.|this is not an executable|sizeof ELF Phdr wrong|can't read phdr: .+|[^:]+: (?:cannot execute binary file|is a directory|command not found))$/;

/**
 * Whether a bare line says Valgrind did not run the program (NOT_STARTED, STOPPED_AT_STARTUP,
 * NOT_LOADED).
 */
export function isNotStartedLine(text: string): boolean {
  return (
    text.length <= MAX_HEADLINE &&
    text.startsWith("valgrind: ") &&
    (NOT_STARTED.test(text) || STOPPED_AT_STARTUP.test(text) || NOT_LOADED.test(text))
  );
}

/** Whether a bare line says Valgrind's loader refused the program it was to run (NOT_LOADED). */
export function isNotLoadedLine(text: string): boolean {
  return text.length <= MAX_HEADLINE && NOT_LOADED.test(text);
}

/**
 * Whether a bare line says the tool stopped at start-up (STOPPED_AT_STARTUP): its process may
 * have printed its preamble, and nothing after it.
 */
export function isStoppedAtStartupLine(text: string): boolean {
  return text.length <= MAX_HEADLINE && STOPPED_AT_STARTUP.test(text);
}
