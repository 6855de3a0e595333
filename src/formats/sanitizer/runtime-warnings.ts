import type { BlockLine } from "../../../grammars/sanitizer/parser.js";
import * as T from "../../../grammars/sanitizer/tokens.js";
import type { ParseSink } from "../types.js";

/**
 * AddressSanitizer's own warnings that its reports may be false (asan_interceptors.cpp,
 * asan_rtl.cpp): `continues` are the unprefixed lines the runtime prints after the warning, in
 * order, which are its and not the program's. Real ones: test/fixtures/sanitizer/warnings.
 */
const WARNINGS: readonly { kind: string; pattern: RegExp; meaning: string; continues: RegExp[] }[] =
  [
    {
      kind: "swapcontext",
      pattern: /^WARNING: ASan doesn't fully support makecontext\/swapcontext functions/,
      meaning:
        "AddressSanitizer does not fully support makecontext/swapcontext, which the program called: its reports may include false positives",
      continues: [],
    },
    {
      kind: "no_return",
      pattern: /^WARNING: ASan is ignoring requested __asan_handle_no_return: /,
      meaning:
        "AddressSanitizer could not tell the bounds of a stack the program switched to and left by a noreturn call (__asan_handle_no_return ignored): false positive reports may follow",
      continues: [/^False positive error reports may follow$/, /^For details see https:\/\/\S+$/],
    },
  ];

/**
 * The sanitizer warnings of WARNINGS between reports (`sanitizer-warning`): the first of each
 * kind in each process is told at its line; every one is the runtime's, not program output.
 */
export class RuntimeWarnings {
  /** `PID kind` of the warnings already told. */
  private readonly told = new Set<string>();
  /** The lines still expected after the last warning. */
  private continues: readonly RegExp[] = [];

  constructor(private readonly sink: ParseSink) {}

  /** Whether a line between reports is a runtime warning of WARNINGS, or one's next line. */
  takes(line: BlockLine): boolean {
    const expected = this.continues[0];
    if (expected?.test(line.body) === true) {
      this.continues = this.continues.slice(1);
      return true;
    }
    this.continues = [];
    if (line.type !== T.PidMessage) return false;
    const warning = WARNINGS.find((w) => w.pattern.test(line.body));
    if (warning === undefined) return false;
    this.continues = warning.continues;
    const pid = line.pid ?? 0;
    const key = `${pid} ${warning.kind}`;
    if (this.told.has(key)) return true;
    this.told.add(key);
    this.sink.diagnostic({
      severity: "warning",
      code: "sanitizer-warning",
      message: `process ${pid}: ${warning.meaning}`,
      line: line.lineNo,
      pid,
    });
    return true;
  }
}
