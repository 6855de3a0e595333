import type { TokenType } from "chevrotain";
import { safeInteger } from "../numbers.js";
import * as T from "./tokens.js";

/** One log line, classified: its token type and the pieces its pattern captured. */
export interface ClassifiedLine {
  type: TokenType;
  /** The line without ANSI codes and without its `==PID==` prefix. */
  body: string;
  /** Regex captures of the pattern that matched (index 0 is the first group). */
  groups: readonly string[];
  /** The PID of a `==PID==` line. */
  pid?: number;
  /** A `==PID==` line whole (`body` is what follows its prefix), for program output. */
  whole?: string;
  /**
   * Program text glued in front of a separator, TSan's total or a UBSan runtime error
   * (`stderr: about to overflow=====`).
   */
  glued?: string;
}

// Colour mode (`color=always`) wraps words in SGR codes and often puts the reset at the start of
// the next line (sanitizers.md §8), so codes are removed before any pattern runs.
const ANSI = /\x1b\[[0-9;]*m/g;

/** The line without ANSI SGR colour codes. */
export function stripAnsi(text: string): string {
  return text.includes("\x1b") ? text.replace(ANSI, "") : text;
}

const SEPARATOR = "=".repeat(65);
/** ThreadSanitizer's separator: exactly 18 `=` (a longer run is no separator of its). */
const TSAN_SEPARATOR_LENGTH = 18;
const TSAN_SEPARATOR = "=".repeat(TSAN_SEPARATOR_LENGTH);
/**
 * `==PID==`, or `==NAME==PID==` under `log_exe_name=1` (sanitizer_printf.cpp puts the program's
 * base name first): read as `==PID==` only, its reports were program output and a crashing,
 * leaking program passed.
 */
const PID_PREFIX = /^==(?:[^=]{1,255}==)?(\d+)==/;
/**
 * `==PID==ERROR: <tool>: ...`: ASan's and LSan's reports, and the deadly signals that
 * ThreadSanitizer and UBSan report the same way (`ERROR: ThreadSanitizer: SEGV on unknown address`).
 */
const REPORT_HEADER =
  /^ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer|UndefinedBehaviorSanitizer): (.*)$/;

interface Pattern {
  type: TokenType;
  /** Characters the line can start with; the lookup only tries patterns whose set has it. */
  starts: string;
  re: RegExp;
}

// Ordered: LeakSummary before ErrorSummary, StackHeader after the more specific shapes.
const PATTERNS: readonly Pattern[] = [
  // Under a UBSan note: the bytes the pointer points at (each byte after one space, two at an
  // 8-byte boundary: ubsan_diag.cpp, PrintMemorySnippet), a caret line, and a vptr check's label
  // under the caret (`vptr for 'C'`, `invalid vptr`, `vptr for 'B' base class of 'C'`). Before
  // the suppression table's row, which a line of hex pairs would otherwise be; a real row ends in
  // its template (`leak:worker`), never in a hex pair.
  { type: T.RuntimeNote, starts: " ", re: /^ {1,2}[0-9a-f]{2}(?: {1,2}[0-9a-f]{2})* *$/ },
  { type: T.RuntimeNote, starts: " ", re: /^ +\^[ ~]*$/ },
  { type: T.RuntimeNote, starts: " ", re: /^ +(?:invalid vptr|vptr for '.*')$/ },
  { type: T.Frame, starts: " ", re: /^ +#(\d+) (0x[0-9a-fA-F]+)/ },
  // ThreadSanitizer's frames print no PC: `#0 work /tmp/race.c:4 (race+0x11d7)`, `#6 <null>
  // <null> (libstdc++.so.6+0xd44a2)`; each ends in its module, which a program line rarely does,
  // and in clang's a build id after it (`(race+0xd0114) (BuildId: f509cf76…)`).
  {
    type: T.Frame,
    starts: " ",
    re: /^ {4}#(\d+) (?!0x)\S.* \((?:[^()]*\+0x[0-9a-fA-F]+|<unknown module>)\)(?: \(BuildId: [0-9a-fA-F]+\))?$/,
  },
  {
    type: T.LeakHeader,
    starts: "DI",
    re: /^(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object\(s\) allocated from:$/,
  },
  { type: T.TopLeaks, starts: "T", re: /^The (\d+) top leak\(s\):$/ },
  { type: T.ObjectsHeader, starts: "O", re: /^Objects leaked above:$/ },
  { type: T.ObjectLine, starts: "0", re: /^(0x[0-9a-fA-F]+) \((\d+) bytes\)$/ },
  { type: T.SuppressionRule, starts: "-", re: /^-{20,}$/ },
  { type: T.SuppressionsUsed, starts: "S", re: /^Suppressions used:$/ },
  { type: T.SuppressionColumns, starts: " ", re: /^ +count +bytes +template$/ },
  { type: T.SuppressionRow, starts: " ", re: /^ *(\d+) +(\d+) (.*)$/ },
  { type: T.Omitting, starts: "O", re: /^Omitting (\d+) more leak\(s\)\.$/ },
  {
    type: T.LeakSummary,
    starts: "S",
    re: /^SUMMARY: (AddressSanitizer|LeakSanitizer): (\d+) byte\(s\) leaked in (\d+) allocation\(s\)\.$/,
  },
  {
    type: T.ErrorSummary,
    starts: "S",
    // The kind without the colon an ODR violation puts after it (`odr-violation: global 'g' at`).
    re: /^SUMMARY: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer): (\S+?):?(?: (.*))?$/,
  },
  {
    type: T.AccessLine,
    starts: "RW",
    re: /^(READ|WRITE) of size (\d+) at (0x[0-9a-fA-F]+) thread (T\d+)/,
  },
  // asan_errors.cpp, ErrorNewDeleteTypeMismatch::Print: before StackHeader, which the first
  // line's colon would make it.
  {
    type: T.HeadlineDetail,
    starts: " ",
    re: /^ {2}(?:object passed to delete has wrong type:|(?:size|alignment) of the (?:allocated|deallocated) type: +[^;.]*[;.])$/,
  },
  // ErrorBadParamsToAnnotate(DoubleEnded)ContiguousContainer::Print: `      beg     : 0x…`,
  // `      new_mid : 0x…`. As text, the last of them headed the report's stack as an aux entry.
  { type: T.HeadlineDetail, starts: " ", re: /^ {6}[a-z_]+ *: 0x[0-9a-fA-F]+$/ },
  { type: T.ShadowHeader, starts: "S", re: /^Shadow bytes around the buggy address:$/ },
  { type: T.LegendHeader, starts: "S", re: /^Shadow byte legend/ },
  { type: T.ShadowRow, starts: " =", re: /^(?:=>| {2})0x[0-9a-fA-F]+:/ },
  { type: T.LegendRow, starts: " ", re: /^ {2}[A-Z][A-Za-z ]*: +[0-9a-f]{2}(?: [0-9a-f]{2})* ?$/ },
  {
    type: T.DeadlySignal,
    starts: "ALTU",
    re: /^(?:AddressSanitizer|LeakSanitizer|ThreadSanitizer|UndefinedBehaviorSanitizer):DEADLYSIGNAL$/,
  },
  {
    type: T.StackHeader,
    starts: "fpaT",
    re: /^((?:previously )?allocated by thread T\d+|freed by thread T\d+|Thread T\d+.* created by T\d+).* here:$/,
  },
  // A stack address heads its frame like the lines above head theirs (StackAddressDescription's
  // Print); memcpy-param-overlap prints two, the second right after the first's HINT text.
  {
    type: T.StackHeader,
    starts: "A",
    re: /^Address 0x[0-9a-fA-F]+ is located in stack of thread T\d+.* at offset \d+ in frame$/,
  },
  { type: T.TsanHeader, starts: "W", re: /^WARNING: ThreadSanitizer: (.+) \(pid=(\d+)\)$/ },
  { type: T.TsanTotal, starts: "T", re: /^ThreadSanitizer: reported (\d+) warnings$/ },
  {
    type: T.TsanSuppressions,
    starts: "T",
    re: /^ThreadSanitizer: Matched (\d+) suppressions \(pid=(\d+)\):$/,
  },
  // The runtime failing without a `==PID==` (ThreadSanitizer's own lines carry none).
  { type: T.RuntimeFailure, starts: "F", re: /^FATAL: (ThreadSanitizer): / },
  { type: T.RuntimeFailure, starts: "ALTUMH", re: /^(\w*Sanitizer): CHECK failed: / },
  // Last of the lines that start with a space: every more particular shape is tried first.
  { type: T.TsanStackHeader, starts: " ", re: /^ {2}\S.*:$/ },
];

/** `FILE:LINE:COL: runtime error: MESSAGE` (the line and column are left out when unknown). */
const RUNTIME_ERROR = /^(.*?)(?::(\d+))?(?::(\d+))?: runtime error: (.*)$/;
/**
 * Test runners' progress dots (`....`, one a passing test, no newline) before a path: `..` and a
 * name (`..src/t2.c`) is no path a compiler is given, unlike `../src` or one hidden directory's
 * `.build/` (campaign bk F3: the dots made every run's file, and GitLab's fingerprint, another).
 */
const PROGRESS_DOTS = /^\.{2,}(?=[^./])/;

/**
 * A runtime error's headline, and the program's unterminated output before it: `progress:
 * partial.c:4:52: runtime error: …` names the file `partial.c`, `...src/t2.c:4:41: …`
 * `src/t2.c`. A file name is taken to hold no `: `; one that does (rare) loses what comes before
 * it.
 */
function runtimeErrorLine(text: string): ClassifiedLine | undefined {
  const m = RUNTIME_ERROR.exec(text);
  if (m === null) return undefined;
  const colon = (m[1] ?? "").lastIndexOf(": ");
  const afterColon = colon < 0 ? 0 : colon + 2;
  const at = afterColon + (PROGRESS_DOTS.exec(text.slice(afterColon))?.[0].length ?? 0);
  if (at === 0) return { type: T.RuntimeError, body: text, groups: m.slice(1).map((g) => g ?? "") };
  const body = text.slice(at);
  const own = RUNTIME_ERROR.exec(body);
  if (own === null) return undefined;
  const groups = own.slice(1).map((g) => g ?? "");
  return { type: T.RuntimeError, body, groups, glued: text.slice(0, at).trimEnd() };
}

/** `0x7ffc…: note: pointer points here`, `u.cpp:3:8: note: object is of type 'A'`. */
const RUNTIME_NOTE = /^\S+: note: /;

const BY_FIRST_CHAR = new Map<string, Pattern[]>();
for (const pattern of PATTERNS) {
  for (const ch of pattern.starts) {
    const list = BY_FIRST_CHAR.get(ch) ?? [];
    list.push(pattern);
    BY_FIRST_CHAR.set(ch, list);
  }
}

/**
 * Classifies one line of a sanitizer log into exactly one token type. Lines reach this function
 * already capped in length by the engine, so every pattern runs in bounded time.
 */
export function classifyLine(raw: string): ClassifiedLine {
  const text = stripAnsi(raw);
  if (text.trim() === "") return { type: T.Blank, body: text, groups: [] };
  if (text.endsWith(SEPARATOR)) {
    // The `=`s before the separator go too, cut by a loop: `/=+$/` restarts at every `=` of a
    // run that ends in something else, time quadratic in a hostile line.
    const head = text.slice(0, -SEPARATOR.length);
    let end = head.length;
    while (end > 0 && head.charCodeAt(end - 1) === 61) end -= 1;
    const glued = head.slice(0, end);
    return { type: T.Separator, body: SEPARATOR, groups: [], ...(glued !== "" ? { glued } : {}) };
  }
  const tsanSeparator = tsanSeparatorAt(text);
  if (tsanSeparator !== undefined) {
    const glued = text.slice(0, tsanSeparator);
    const body = text.slice(tsanSeparator);
    return { type: T.TsanSeparator, body, groups: [], ...(glued !== "" ? { glued } : {}) };
  }
  const pid = PID_PREFIX.exec(text);
  if (pid !== null) {
    const value = safeInteger(pid[1] ?? "");
    // A PID past 2^53 (grammars/numbers.ts) is none: the line is plain text, not the tool's.
    if (value === undefined) return { type: T.Text, body: text, groups: [] };
    return classifyPidLine(text, pid[0].length, value);
  }
  // UBSan's lines start with a file name, any character: a substring test comes first.
  if (text.includes(": runtime error: ")) {
    const runtimeError = runtimeErrorLine(text);
    if (runtimeError !== undefined) return runtimeError;
  }
  if (text.includes(": note: ") && RUNTIME_NOTE.test(text)) {
    return { type: T.RuntimeNote, body: text, groups: [] };
  }
  for (const pattern of BY_FIRST_CHAR.get(text.charAt(0)) ?? []) {
    const m = pattern.re.exec(text);
    if (m !== null)
      return { type: pattern.type, body: text, groups: m.slice(1).map((g) => g ?? "") };
  }
  return gluedTsanTotal(text) ?? { type: T.Text, body: text, groups: [] };
}

const TSAN_TOTAL_START = "ThreadSanitizer: reported ";
const TSAN_TOTAL = /^ThreadSanitizer: reported (\d+) warnings$/;

/**
 * ThreadSanitizer's count at exit after the program's unterminated stderr text (`still working
 * ThreadSanitizer: reported 1 warnings`): the count, with the program's text before it. Read
 * as program output, it was never checked against the reports.
 */
function gluedTsanTotal(text: string): ClassifiedLine | undefined {
  if (!text.endsWith(" warnings")) return undefined;
  const at = text.lastIndexOf(TSAN_TOTAL_START);
  const m = at > 0 ? TSAN_TOTAL.exec(text.slice(at)) : null;
  if (m === null) return undefined;
  return {
    type: T.TsanTotal,
    body: text.slice(at),
    groups: [m[1] ?? ""],
    glued: text.slice(0, at),
  };
}

/** Where a line's closing run of exactly 18 `=` starts (program text may come before it). */
function tsanSeparatorAt(text: string): number | undefined {
  if (!text.endsWith(TSAN_SEPARATOR)) return undefined;
  const at = text.length - TSAN_SEPARATOR_LENGTH;
  return text.charCodeAt(at - 1) === 61 ? undefined : at;
}

/**
 * `==PID==` lines of the sanitizer's runtime failing (seen: LSan under ptrace, an ASan library in
 * a program not built with it, ASan and TSan under `ulimit -v`): its tool, when it names one.
 */
const PID_FAILURES: readonly RegExp[] = [
  /^(\w*Sanitizer) has encountered a fatal error\.$/,
  /^(ASan) runtime does not come first in initial library list/,
  /^ERROR: (\w*Sanitizer) failed to allocate /,
  /^(\w*Sanitizer): CHECK failed: /,
];

function classifyPidLine(whole: string, prefixLength: number, pid: number): ClassifiedLine {
  const body = whole.slice(prefixLength);
  for (const failure of PID_FAILURES) {
    const m = failure.exec(body);
    if (m !== null) return { type: T.RuntimeFailure, body, groups: [m[1] ?? ""], pid, whole };
  }
  const header = REPORT_HEADER.exec(body);
  if (header === null) return { type: T.PidMessage, body, groups: [], pid, whole };
  const [, tool = "", rest = ""] = header;
  const type = rest.startsWith("detected memory leaks") ? T.LeakReportHeader : T.ErrorReportHeader;
  return { type, body, groups: [tool, rest], pid, whole };
}
