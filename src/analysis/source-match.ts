import { posix } from "node:path";
import type { Frame } from "../model/index.js";
import { unversioned } from "./allocator-frames.js";
import { lastIdentifier, qualifiedName } from "./cpp-demangled.js";
import { baseName, framePath } from "./frame-paths.js";
import type { LineSpan } from "./c-definitions.js";
import { isCLibraryFunctionFrame, isRuntimeFrame } from "./runtime-frames.js";

/*
 * A frame's relative path names a file somewhere under the source root, not necessarily at its
 * top: Valgrind's text log prints `util.c` for src/a/util.c, `--fullpath-after=/build/` prints
 * `src/a/util.c` for a root that is src/, and a sanitizer prints `../src/a/util.c` when the
 * compiler ran in build/. The file is the one under the root that shares the longest tail of
 * whole path segments with what the log gives; two at that length cannot be told apart.
 *
 * A name is not a file, though: glibc's sources are named like a project's (gnulib's and
 * compat/ copies of opendir.c, vasprintf.c, regcomp.c, glob.c), and with glibc's debug info
 * Valgrind's text log prints `__alloc_dir (opendir.c:115)`, a sanitizer `__alloc_dir
 * ../sysdeps/unix/sysv/linux/opendir.c:115`. Taken for the project's one-line src/lib/opendir.c,
 * glibc's frames were the program's own and leaks were placed there instead of at main.c:7
 * (campaign bz F2). So a file under the root is only that frame's when what the log and the file
 * say agree: the directories the frame names, and, where the file was read (SourceFileFacts), its
 * length and the frame's function's name.
 */

/**
 * The base names of the files under the source root, so that a frame whose file is a relative
 * name (Valgrind's text log prints `dl-tls.c`, no directory) can be checked against the tree
 * without touching the file system here. The CLI walks the root once per run (see
 * src/cli/source-names.ts); library users may fill it themselves.
 */
export interface SourceNames {
  names: ReadonlySet<string>;
  /**
   * The files under the root by base name, as POSIX paths relative to the root: where a frame
   * that names `util.c` or `a/util.c` is (see matchSourceFile). Without it, a relative path is
   * taken as relative to the root.
   */
  paths?: ReadonlyMap<string, readonly string[]>;
  /**
   * What some of those files hold, by their path relative to the root (the CLI reads the files
   * named like a frame of the C or C++ runtime's: see needsSourceFacts). A file without an entry
   * may hold any frame of its name.
   */
  files?: ReadonlyMap<string, SourceFileFacts>;
  /** False when the walk stopped at its bound: a name it did not reach may still be there. */
  complete: boolean;
}

/** What a file under the source root holds, for telling its frames from a namesake's. */
export interface SourceFileFacts {
  /** How many lines it has: a frame at a 1-based line past them is in another file. */
  lines: number;
  /** The identifiers it spells anywhere (code or comments). */
  words: ReadonlySet<string>;
  /**
   * The functions it defines, by name, with each definition's lines (see functionDefinitions):
   * without them, a frame named like a C library function is the C library's here as anywhere.
   */
  definitions?: ReadonlyMap<string, readonly LineSpan[]>;
}

/** What a frame's relative path names under the source root. */
export type SourceMatch =
  /** One file: its POSIX path relative to the source root. */
  | { kind: "found"; path: string }
  /** Several files, equally good (paths relative to the source root, sorted). */
  | { kind: "ambiguous"; candidates: string[] }
  /** No file of that name, or no list of the root's files to look in. */
  | { kind: "unknown" };

/** Matches a relative path (as a frame names it) against the files under the source root. */
export function matchSourceFile(path: string, sourceNames: SourceNames | undefined): SourceMatch {
  return bestMatch(path, sourceNames?.paths?.get(baseName(path)) ?? []);
}

/**
 * The file under the source root that a frame with a relative path is in (matchSourceFile),
 * leaving out the files that were read and cannot hold it: the frame's line is past their end,
 * or its function's name looks like the runtime's (isRuntimeFrame: `__alloc_dir`, `std::...`)
 * and they never spell it. A program's own reserved names (a static `__table_insert`) are in
 * its files; glibc's internals are not in a project's namesake of their file. Other names are
 * not looked up: a macro's function (googletest's `TEST(A, B)` defines `A_B_Test::TestBody`)
 * is in a file that never spells it.
 */
export function matchFrameFile(frame: Frame, sourceNames: SourceNames | undefined): SourceMatch {
  const path = framePath(frame);
  const files = sourceNames?.paths?.get(baseName(path)) ?? [];
  const facts = sourceNames?.files;
  if (facts === undefined) return bestMatch(path, files);
  const name = isRuntimeFrame(frame) ? definedName(frame) : undefined;
  return bestMatch(
    path,
    files.filter((file) => couldHold(facts.get(file), frame.line, name)),
  );
}

/**
 * Whether the file whose facts are given (none: not read) may be where a function named `name`
 * (undefined: any name) has a frame at `line`.
 */
function couldHold(facts: SourceFileFacts | undefined, line?: number, name?: string): boolean {
  if (facts === undefined) return true;
  if (line !== undefined && line > facts.lines) return false;
  return name === undefined || facts.words.has(name);
}

/**
 * Whether every file under the root that the frame's path may name was read and none spells
 * its function's name: a frame beside glibc's in a stack, named like no function of the
 * project's file (glibc's static `opendir_tail` under `__alloc_dir`), is glibc's too.
 */
export function neverNamedInFile(frame: Frame, sourceNames: SourceNames | undefined): boolean {
  const name = definedName(frame);
  const facts = sourceNames?.files;
  if (name === undefined || facts === undefined) return false;
  const match = matchSourceFile(framePath(frame), sourceNames);
  const files = candidateFiles(match);
  return files.length > 0 && files.every((file) => facts.get(file)?.words.has(name) === false);
}

/*
 * A program may name its own functions like the C library's (a static `dup` in leak.c, a static
 * `read` and `open` in util.c: test/fixtures/libc-namesakes/program), and Valgrind's text log
 * prints its `dup (leak.c:3)` as it prints glibc's `dup (syscall-template.S:120)` or `write
 * (write.c:26)`, with no object; the XML says `<obj>` and `<dir>`. Taken for glibc's, the own
 * function's leaks and errors were placed at its caller in the text log and in it in the XML
 * (campaign cf Q7). glibc's frame names glibc's source file, which the program's file of that
 * base name (its own write.c) only shares by name, and which defines the function where glibc's
 * frame is only if it is glibc's own code laid out alike. So a file under the root that defines
 * the function at the frame's line (read: SourceFileFacts.definitions) holds the program's own.
 * Except where it is named after the function (`strdup.c`, `open64.c`, `memstream.c` for
 * `open_memstream`): that is how gnulib's and compat/ replacements are named, alike with glibc's
 * file, and not compiled where glibc has the function (campaign bz F2); there, as when the file
 * was not read, the name decides as before.
 */

/**
 * Whether a frame named like a C library function (isCLibraryFunctionFrame) is the program's own
 * function of that name: every file under the root that its path may name defines a function of
 * that name whose lines hold the frame's line, and its file is not named after the function.
 */
export function definesNamesake(frame: Frame, sourceNames: SourceNames | undefined): boolean {
  const { function: fn, line } = frame;
  const facts = sourceNames?.files;
  if (fn === undefined || line === undefined || facts === undefined) return false;
  if (!isCLibraryFunctionFrame(frame) || isNamedAfter(baseName(framePath(frame)), fn)) return false;
  const match = matchFrameFile(frame, sourceNames);
  const files = candidateFiles(match);
  const defines = (file: string): boolean =>
    facts
      .get(file)
      ?.definitions?.get(fn)
      ?.some((span) => span.first <= line && line <= span.last) === true;
  return files.length > 0 && files.every(defines);
}

/**
 * Whether a file's base name is named after the function `fn`, as the C library's and its
 * replacements' files are: its stem (up to the first dot) holds the name (`strdup.c`,
 * `open64.c`, `iofopen.c`) or, from three characters on, the name holds the stem (`memstream.c`
 * for `open_memstream`, `setenv.c` for `unsetenv`, `getc.c` for `fgetc`). Leading underscores
 * and case do not count.
 */
function isNamedAfter(base: string, fn: string): boolean {
  const dot = base.indexOf(".");
  const stem = (dot === -1 ? base : base.slice(0, dot)).toLowerCase();
  const name = fn.replace(/^_+/, "").toLowerCase();
  return stem.includes(name) || (stem.length >= 3 && name.includes(stem));
}

/**
 * The identifier that a function's definition spells: a C name without its ELF version or a
 * compiler's clone suffix (`realpath@@GLIBC_2.3`, `allocate_stack.isra.0`), a demangled C++
 * name's last component (`alloc` of `_impl::alloc()`). None for operators and for mangled names
 * (--demangle=no), whose parts a file spells apart: those are not looked up.
 */
function definedName(frame: Frame): string | undefined {
  const fn = frame.function;
  if (fn === undefined || fn.startsWith("_Z")) return undefined;
  return lastIdentifier(qualifiedName(unversioned(fn).replace(/\.[\w.]*$/, "")));
}

/** The one file of `files` (same base name) that `path` names best, as matchSourceFile says. */
function bestMatch(path: string, files: readonly string[]): SourceMatch {
  if (files.length === 0) return { kind: "unknown" };
  // `..` and `.` say where the compiler ran, not where the file is: only the tail counts.
  const wanted = posix
    .normalize(path)
    .split("/")
    .filter((s) => s !== ".." && s !== ".");
  let best: string[] = [];
  let bestLength = 0;
  for (const file of files) {
    const segments = file.split("/");
    const length = sharedTail(wanted, segments);
    // A directory the log names that is not the file's (glibc's `libio/vasprintf.c` against a
    // project's src/lib/vasprintf.c) makes it another file; a shorter path, either way, does not.
    if (length < Math.min(wanted.length, segments.length)) continue;
    if (length > bestLength) [best, bestLength] = [[file], length];
    else if (length === bestLength) best.push(file);
  }
  const [only] = best;
  if (best.length === 0) return { kind: "unknown" };
  if (best.length === 1 && only !== undefined) return { kind: "found", path: only };
  return { kind: "ambiguous", candidates: [...best].sort() };
}

/** How many trailing segments two paths share. */
function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n += 1;
  return n;
}

/** The files under the root a match may be: the one found, the candidates, or none. */
function candidateFiles(match: SourceMatch): readonly string[] {
  return match.kind === "found" ? [match.path] : match.kind === "ambiguous" ? match.candidates : [];
}
