import { INPUT_FORMATS } from "../formats/index.js";
import { REPORTERS } from "../report/index.js";

/** `leaklog --help`, built from the registries so that it never lists a format that is not there. */
export function helpText(): string {
  const inputs = INPUT_FORMATS.map((f) => `  ${f.id.padEnd(14)} ${f.description}`).join("\n");
  const outputs = Object.entries(REPORTERS)
    .map(([id, r]) => `  ${id.padEnd(14)} ${r.description}`)
    .join("\n");
  return `Usage: leaklog summarize [options] <file|glob|->...
       leaklog diff [options] <old.json> <new report or logs>...
       leaklog suppressions [--for valgrind|lsan] [-o file] <file|glob|->...

Reads memory-checker logs and reports what leaked and what went wrong.

Options:
  -f, --format <id>        output format (default: text)
  -o, --output <file>      write the report to a file instead of standard output (- for it)
      --input-format <id>  auto (default) or one of the input formats below
      --fail-on <list>     exit 1 when a finding matches: leak kinds (definitely-lost, ...),
                           error kinds (InvalidRead, ...), severities (error, warning, note), any,
                           new; or incomplete: a log known to lack records (unknown values are
                           refused; the README lists the kinds)
      --max-bytes KIND=N   exit 1 when a leak kind's total direct bytes exceed N (an indirect
                           loss is its own kind)
      --top <n>            groups shown in the text summary (default: 20)
      --source-root <dir>  the program's own sources: decides which frames are its own
      --path-map FROM=TO   rewrite a build machine's path prefix in frames (repeatable)
      --alloc-fn <name>    the program's own allocation wrapper (xmalloc; * and ? match any):
                           leaks show and point where it was called (repeatable)
      --baseline <file>    a previous --format json report: mark groups new, unchanged or
                           fixed (--fail-on new then fails only on new groups)
      --suppressions <f>   apply a Valgrind, LeakSanitizer or ThreadSanitizer suppression file
                           (repeatable)
      --max-records <n>    records listed per type (default 10000, 0 = all); all are counted
      --fingerprint-lines  group stacks by line too, not only by function and file (two bugs
                           in one function stay apart; to a baseline, an edit above a bug then
                           makes it a fixed and a new group)
      --fingerprint-frames <n>
                           frames a group's stack is compared on (default 8), allocators
                           skipped, the runtime's above the program's not counted
      --allow-empty        an empty log is a clean run (valgrind -q, ctest -T memcheck), not
                           unusable input
      --job-name <name>    the CI job the logs come from ("$CI_JOB_NAME"): Code Quality keeps
                           parallel jobs' issues at logs of one path apart
      --for <tool>         suppressions only: write for valgrind (default) or lsan
  -h, --help               this text
  -V, --version            leaklog's version

diff: the comparison --baseline makes, new and fixed groups listed, and unchanged ones that
      grew (-f text|json, -o, --fail-on new, --input-format, --suppressions, --fingerprint-*,
      --allow-empty). Exit 0, or 1 when --fail-on matches.
suppressions: one suppression per group for Valgrind (--suppressions=FILE; the log's own
      --gen-suppressions blocks are reused) or, with --for lsan, LeakSanitizer leak: lines.

Input formats (detected automatically; leaklog-json merges reports):
${inputs}

Output formats:
${outputs}

Exit codes: 0 done, 1 a --fail-on or --max-bytes rule matched, 2 bad usage or unusable input.
`;
}
