import { MEMCHECK_DEFAULT_KINDS, RECORD_LEAK_KINDS } from "../../analysis/memcheck-kinds.js";
import type { LeakKind } from "../../model/index.js";
import type { XNode } from "./tree.js";

/** What Valgrind's own options (`<args><vargv>`) say about where the leak report went. */
export interface XtreeLeak {
  /** The `--xtree-leak-file` template as given, or Valgrind's default `xtleak.kcg.%p`. */
  file: string;
  /** 1-based line of the `<arg>` that turned --xtree-leak on. */
  line: number;
}

/** `valgrind --help` (3.19): `--xtree-leak-file=<file>  xtree leak report file [xtleak.kcg.%p]`. */
const DEFAULT_XTREE_LEAK_FILE = "xtleak.kcg.%p";

/** Memcheck's options also come as `--memcheck:name=value` (the form .valgrindrc files use). */
function optionOf(arg: string): string {
  return arg.startsWith("--memcheck:") ? `--${arg.slice("--memcheck:".length)}` : arg;
}

/**
 * --xtree-leak=yes, read as Valgrind reads it: only `=yes` / `=no` (3.19 rejects `--xtree-leak
 * yes` and `=true`), the last occurrence wins. With it Memcheck writes its loss records to a
 * callgrind-format file and none to the XML, which before protocol 6 (3.26) has no LEAK SUMMARY
 * either: a log that would otherwise read as leak-free.
 */
export function xtreeLeak(vargv: XNode): XtreeLeak | undefined {
  let on: number | undefined;
  let file = DEFAULT_XTREE_LEAK_FILE;
  for (const node of vargv.children) {
    if (node.name !== "arg") continue;
    const option = optionOf(node.text.trim());
    if (option === "--xtree-leak=yes") on = node.line;
    else if (option === "--xtree-leak=no") on = undefined;
    else if (option.startsWith("--xtree-leak-file=")) file = option.slice(18);
  }
  return on !== undefined ? { file, line: on } : undefined;
}

/** Where `sharedXmlFile` found Valgrind's --xml-file option. */
export interface SharedXmlFile {
  /** The file name as given. */
  file: string;
  /** 1-based line of its `<arg>`. */
  line: number;
}

/**
 * `--trace-children=yes` with an `--xml-file` that every process opens alike (no `%p`, no
 * `%q{VAR}`): each exec'd child's Valgrind then opens the file again and writes its document
 * from the file's start, over its parent's (log-file-shared in test/fixtures/valgrind). The last
 * occurrence of each option wins, as Valgrind reads them.
 */
export function sharedXmlFile(vargv: XNode): SharedXmlFile | undefined {
  let tracing = false;
  let file: SharedXmlFile | undefined;
  for (const node of vargv.children) {
    if (node.name !== "arg") continue;
    const option = node.text.trim();
    if (option === "--trace-children=yes") tracing = true;
    else if (option === "--trace-children=no") tracing = false;
    else if (option.startsWith("--xml-file=")) file = { file: option.slice(11), line: node.line };
  }
  if (!tracing || file === undefined || /%[pq]/.test(file.file)) return undefined;
  return file;
}

/**
 * Whether the XML went to a descriptor (`--xml-fd`; the last of it, `--xml-file` and
 * `--xml-socket` wins, as Valgrind reads them): a stream that the program's own output may
 * share (`--xml-fd=2`, its stderr), NUL bytes and all, where a file holds Valgrind's alone.
 */
export function xmlToDescriptor(vargv: XNode): boolean {
  let fd = false;
  for (const node of vargv.children) {
    if (node.name !== "arg") continue;
    const option = node.text.trim();
    if (option.startsWith("--xml-fd=")) fd = true;
    else if (option.startsWith("--xml-file=") || option.startsWith("--xml-socket=")) fd = false;
  }
  return fd;
}

/**
 * Whether every program a process of the run execs writes its own document over the process's
 * file: `--trace-children=yes` (the last occurrence wins) with no `--trace-children-skip` or
 * `--trace-children-skip-by-arg` (a program they match runs unchecked), and an absolute `--xml-file` named
 * by `%p` (exec keeps the PID, so the exec'd program's Valgrind opens the file its process's fork
 * wrote a preamble to, and writes from its start; a `%q{VAR}` in the name may name another file).
 * Not with `--log-file` too: a forked child then writes its preamble into its parent's file
 * (system.22077.xml in test/fixtures/valgrind-xml/nested), and its exec'd program another.
 */
export function tracesEveryExec(vargv: XNode): boolean {
  let tracing = false;
  let skipping = false;
  let file: string | undefined;
  let logFile = false;
  for (const node of vargv.children) {
    if (node.name !== "arg") continue;
    const option = node.text.trim();
    if (option === "--trace-children=yes") tracing = true;
    else if (option === "--trace-children=no") tracing = false;
    else if (option.startsWith("--trace-children-skip")) skipping = true;
    else if (option.startsWith("--xml-file=")) file = option.slice(11);
    else if (option.startsWith("--log-file")) logFile = true;
  }
  // A relative name is the exec'd program's own directory's: a test harness's child that
  // chdir'd before exec'ing wrote its document elsewhere, and a whole run read as incomplete
  // (campaign v22 F5).
  const ownFile =
    file?.startsWith("/") === true && file.includes("%p") && !file.includes("%q") && !logFile;
  return tracing && !skipping && ownFile;
}

/**
 * The 1-based line of the `<arg>` that turned `--track-fds` on (`=yes` or `=all`; the last
 * occurrence wins, as Valgrind reads them), or undefined when it is off. `=bad` (3.24 on) is
 * off here: it "only reports on file descriptor usage errors and doesn't list open file
 * descriptors at exit" (valgrind --help).
 */
export function trackFdsLine(vargv: XNode): number | undefined {
  let on: number | undefined;
  for (const node of vargv.children) {
    if (node.name !== "arg") continue;
    const option = node.text.trim();
    if (option === "--track-fds=yes" || option === "--track-fds=all") on = node.line;
    else if (option === "--track-fds=no" || option === "--track-fds=bad") on = undefined;
  }
  return on;
}

/** The kinds of `--show-leak-kinds=`'s list (mc_main.c's Reachedness names). */
const SHOWN_KIND: Readonly<Record<string, LeakKind>> = {
  definite: "definitely-lost",
  indirect: "indirectly-lost",
  possible: "possibly-lost",
  reachable: "still-reachable",
};

/**
 * The leak kinds the run's options keep out of its loss records, as mc_main.c reads them in
 * order: `--show-leak-kinds=all|none|LIST`, `--show-reachable=yes` (all) or `=no` (definite and
 * possible), `--show-possibly-lost=yes|no`. An XML log has no LEAK SUMMARY in protocols 4 and
 * 5 to say which kinds it counted but did not list, so a baseline's indirect leaks read
 * "fixed" against a run with the default kinds. An option that does not parse leaves the set.
 */
export function hiddenLeakKinds(vargv: XNode): LeakKind[] {
  let shown = new Set<LeakKind>(MEMCHECK_DEFAULT_KINDS);
  for (const node of vargv.children) {
    if (node.name !== "arg") continue;
    const option = optionOf(node.text.trim());
    if (option.startsWith("--show-leak-kinds=")) {
      const value = option.slice("--show-leak-kinds=".length);
      const kinds = value === "all" ? RECORD_LEAK_KINDS : value === "none" ? [] : listed(value);
      if (kinds !== undefined) shown = new Set(kinds);
    } else if (option === "--show-reachable=yes") shown = new Set(RECORD_LEAK_KINDS);
    else if (option === "--show-reachable=no") shown = new Set(MEMCHECK_DEFAULT_KINDS);
    else if (option === "--show-possibly-lost=yes") shown.add("possibly-lost");
    else if (option === "--show-possibly-lost=no") shown.delete("possibly-lost");
  }
  return RECORD_LEAK_KINDS.filter((kind) => !shown.has(kind));
}

function listed(value: string): LeakKind[] | undefined {
  const kinds = value.split(",").map((name) => SHOWN_KIND[name]);
  return kinds.every((kind) => kind !== undefined) ? (kinds as LeakKind[]) : undefined;
}
