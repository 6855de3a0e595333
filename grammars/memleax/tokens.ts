import type { IToken, TokenType } from "chevrotain";
import { createToken, createTokenInstance, Lexer } from "../chevrotain.js";
import { ALWAYS_SAFE_DIGITS, safeInteger } from "../numbers.js";

/*
 * memleax 1.1.1 prints one fact per line (formats/memleax.md §2), so the lexer works on whole
 * lines: every line becomes exactly one token, classified by its first character and one anchored
 * regular expression. The engine cuts lines at 1 MiB before they get here, which keeps every
 * pattern below linear on hostile input.
 */

const line = (name: string): TokenType => createToken({ name, pattern: Lexer.NA });

/** `== Begin monitoring process <pid>...` */
export const Banner = line("Banner");
/** `CallStack[<id>]: memory expires with <size> bytes, backtrace:` (frames follow). */
export const ExpireFirst = line("ExpireFirst");
/** `CallStack[<id>]: memory expires with <size> bytes, <count> times again` */
export const ExpireAgain = line("ExpireAgain");
/** `CallStack[<id>]: expired-memory frees after <secs> seconds` */
export const FreedAfter = line("FreedAfter");
/** `Warning: too many expired-free at CallStack[<id>]. will not show this CallStack later` */
export const TooManyFrees = line("TooManyFrees");
/** `Warning: alloc returns NULL at` (frames follow). */
export const NullAlloc = line("NullAlloc");
/** `    0x<hex>  <lib>[  <func>()+<off>][  [?()  ]<file>:<line>]` */
export const FrameLine = line("FrameLine");
/** A stop reason (§2.5); the payload's first group names it. */
export const StopReason = line("StopReason");
/** `-- Maybe you should set bigger expired time by `-e`.` after the `-c` stop line. */
export const StopHint = line("StopHint");
/** `== Callstack statistics: (in ascending order)` */
export const StatsHeader = line("StatsHeader");
/** `CallStack[<id>]: may-leak=<n> (<bytes> bytes)` */
export const StatsHead = line("StatsHead");
/** `    expired=<n> (<b> bytes), free_expired=<n> (<b> bytes)` */
export const StatsExpired = line("StatsExpired");
/** `    alloc=<n> (<b> bytes), free=<n> (<b> bytes)` */
export const StatsAlloc = line("StatsAlloc");
/** `    freed memory live time: min=<s> max=<s> average=<s>` */
export const StatsFreedLive = line("StatsFreedLive");
/** `    un-freed memory live time: max=<s>` */
export const StatsUnfreedLive = line("StatsUnfreedLive");
/** `== No expired memory blocks.` */
export const NoExpired = line("NoExpired");
/** `== Your monitoring time is too short. <expire> seconds is need.` */
export const TooShort = line("TooShort");
/** A `Warning: ...` printed before the banner (symbols, debug files, maps). */
export const ToolWarning = line("ToolWarning");
/** One of memleax's own error messages (§7); monitoring did not start or ended. */
export const ToolError = line("ToolError");
/** `Try `-h` for help information.` */
export const UsageHint = line("UsageHint");
/** `Usage: memleax [options] target-pid`: the help text follows. */
export const Usage = line("Usage");
/** `Version: <v>` of `memleax -v`. */
export const Version = line("Version");
/** `Author: <name>` of `memleax -v`. */
export const Author = line("Author");
/** A terminal's echo of Ctrl-C (`^C`) in a copied terminal session. */
export const Interrupt = line("Interrupt");
/** A shell prompt running memleax (`# memleax 45256`), as copied into tutorials. */
export const ShellCommand = line("ShellCommand");
/** An empty line. */
export const Blank = line("Blank");
/** Anything else. */
export const Other = line("Other");

/** Every token type, in a stable order (the CST parser's vocabulary). */
export const ALL_TOKENS: readonly TokenType[] = [
  Banner,
  ExpireFirst,
  ExpireAgain,
  FreedAfter,
  TooManyFrees,
  NullAlloc,
  FrameLine,
  StopReason,
  StopHint,
  StatsHeader,
  StatsHead,
  StatsExpired,
  StatsAlloc,
  StatsFreedLive,
  StatsUnfreedLive,
  NoExpired,
  TooShort,
  ToolWarning,
  ToolError,
  UsageHint,
  Usage,
  Version,
  Author,
  Interrupt,
  ShellCommand,
  Blank,
  Other,
];

interface LinePattern {
  type: TokenType;
  re: RegExp;
  /** For StopReason / ToolError: a fixed first payload entry naming the variant. */
  tag?: string;
}

const N = "(-?\\d+)"; // counters are C ints and wrap negative above 2 GiB (§4)
const CS = "CallStack\\[(\\d+)\\]";

/** Lines starting with `==`: the banner, stop reasons and the final report (§2.2, §2.5, §2.6). */
const EQUALS_PATTERNS: readonly LinePattern[] = [
  { type: Banner, re: /^== Begin monitoring process (\d+)\.\.\.$/ },
  { type: StopReason, tag: "terminate", re: /^== Terminate monitoring\.$/ },
  { type: StopReason, tag: "target-exit", re: /^== Target process exit\.$/ },
  {
    type: StopReason,
    tag: "memblock-limit",
    re: new RegExp(`^== ${N} memory blocks leaked at ${CS}\\.$`),
  },
  {
    type: StopReason,
    tag: "callstack-limit",
    re: new RegExp(`^== ${N} CallStacks gets memory leak\\.$`),
  },
  // v0.1-v0.2 wording of the memory-block limit (§9).
  {
    type: StopReason,
    tag: "memblock-limit",
    re: new RegExp(`^== ${N} expired memory blocks of one CallStack\\.$`),
  },
  { type: StopReason, tag: "out-of-memory", re: /^== Not enough memory\.$/ },
  { type: StopReason, tag: "waitpid-error", re: /^== Error on waitpid\(\): (.*)$/ },
  { type: StatsHeader, re: /^== Callstack statistics: \(in ascending order\)$/ },
  { type: NoExpired, re: /^== No expired memory blocks\.$/ },
  {
    type: TooShort,
    re: new RegExp(`^== Your monitoring time is too short\\. ${N} seconds is need\\.$`),
  },
  { type: ToolError, tag: "attach", re: /^== Attach process error:: ?(.*)$/ },
];

/** Patterns by the line's first character; each list is tried in order. */
const BY_FIRST_CHAR: ReadonlyMap<string, readonly LinePattern[]> = new Map([
  [
    " ",
    [
      { type: FrameLine, re: /^ {4}0x([0-9a-fA-F]+)(.*)$/ },
      {
        type: StatsExpired,
        re: new RegExp(`^ {4}expired=${N} \\(${N} bytes\\), free_expired=${N} \\(${N} bytes\\)$`),
      },
      {
        type: StatsAlloc,
        re: new RegExp(`^ {4}alloc=${N} \\(${N} bytes\\), free=${N} \\(${N} bytes\\)$`),
      },
      {
        type: StatsFreedLive,
        re: new RegExp(`^ {4}freed memory live time: min=${N} max=${N} average=${N}$`),
      },
      { type: StatsUnfreedLive, re: new RegExp(`^ {4}un-freed memory live time: max=${N}$`) },
    ],
  ],
  [
    "C",
    [
      {
        type: ExpireAgain,
        re: new RegExp(`^${CS}: memory expires with ${N} bytes, (\\d+) times again$`),
      },
      { type: ExpireFirst, re: new RegExp(`^${CS}: memory expires with ${N} bytes, backtrace:$`) },
      { type: FreedAfter, re: new RegExp(`^${CS}: expired-memory frees after (\\d+) seconds?$`) },
      { type: StatsHead, re: new RegExp(`^${CS}: may-leak=${N} \\(${N} bytes\\)$`) },
    ],
  ],
  ["=", EQUALS_PATTERNS],
  [
    "W",
    [
      {
        type: TooManyFrees,
        re: new RegExp(
          `^Warning: too many expired-free at ${CS}\\. will not show this CallStack later$`,
        ),
      },
      { type: NullAlloc, re: /^Warning: alloc returns NULL at$/ },
      { type: ToolWarning, re: /^Warning: (.*)$/ },
    ],
  ],
  ["-", [{ type: StopHint, re: /^-- Maybe you should set bigger expired time by `-e`\.$/ }]],
  ["^", [{ type: Interrupt, re: /^\^C$/ }]],
  ["U", [{ type: Usage, re: /^Usage: (\S*memleax) \[options\] target-pid$/ }]],
  ["V", [{ type: Version, re: /^Version: (\S+)$/ }]],
  ["A", [{ type: Author, re: /^Author: (.*)$/ }]],
  ["T", [{ type: UsageHint, re: /^Try `-h` for help information\.$/ }]],
]);

/** memleax's own error messages (§7); they can start with any letter, so they are tried last. */
const ERROR_PATTERNS: readonly LinePattern[] = [
  { type: StopReason, tag: "unknown-breakpoint", re: /^unknown breakpoint ([0-9a-fA-F]+)$/ },
  { type: ToolError, tag: "invalid-debug-file", re: /^Error: invalid debug-info file (.*)$/ },
  { type: ToolError, tag: "target-pid", re: /^invalid target pid: (.*)$/ },
  { type: ToolError, tag: "argument", re: /^invalid argument$/ },
  {
    type: ToolError,
    tag: "option-value",
    re: /^invalid (expire|memblock_limit|callstack_limit|backtrace limit): (.*)$/,
  },
  { type: ToolError, tag: "option-value", re: /^too big (backtrace limit): (.*)$/ },
  {
    type: ToolError,
    tag: "option",
    re: /^(\S*memleax): (invalid option|option requires an argument) -- '(.*)'$/,
  },
  { type: ToolError, tag: "proc", re: /^[Ee]rror in open (\/proc\/pid\/\w+): (.*)$/ },
  { type: ToolError, tag: "api", re: /^not found api: (\w+)$/ },
  // A shell prompt line copied with the output (corpus/public/40-memleax-1.1.1-centos7-excerpt.txt).
  { type: ShellCommand, re: /^[^#$%>]{0,80}[#$%>] +(?:sudo +)?(\S*memleax\b.*)$/ },
];

/** A whole-line token; `payload` holds the pattern's captured groups (tag first, if any). */
export interface LineToken extends IToken {
  payload: readonly string[];
}

/**
 * Classifies one log line (no terminator) into its single token. `lineNo` is the 1-based log
 * line; tokens are whole lines, so the token's offset counts lines, not characters.
 */
export function classifyLine(text: string, lineNo: number): LineToken {
  const found = match(text);
  const token = createTokenInstance(
    found.type,
    text,
    lineNo - 1,
    lineNo - 1,
    lineNo,
    lineNo,
    1,
    Math.max(1, text.length),
  ) as LineToken;
  token.payload = found.groups;
  return token;
}

function match(text: string): { type: TokenType; groups: readonly string[] } {
  if (text === "") return { type: Blank, groups: [] };
  // A terminal echoes Ctrl-C where the cursor is; memleax's own line may follow on the same
  // line when the newline was not echoed (corpus/memleax/21-tty-ctrl-c.log has it alone).
  if (text.startsWith("^C") && text.length > 2) return match(text.slice(2));
  const candidates = BY_FIRST_CHAR.get(text.charAt(0)) ?? [];
  for (const list of [candidates, ERROR_PATTERNS]) {
    for (const pattern of list) {
      const m = pattern.re.exec(text);
      if (m === null) continue;
      const groups = m.slice(1).map((g) => g ?? "");
      // A count, size, id or PID past 2^53 (grammars/numbers.ts): the line is not understood.
      if (hasCounts(pattern.re) && !countsAreSafe(groups)) return { type: Other, groups: [] };
      return {
        type: pattern.type,
        groups: pattern.tag === undefined ? groups : [pattern.tag, ...groups],
      };
    }
  }
  return { type: Other, groups: [] };
}

/**
 * Patterns with `(\d+)` groups capture counts, sizes, CallStack ids and PIDs. Decided once per
 * pattern: reading `re.source` on every line, and a regex per group, made the 105 MB memleax
 * bench log's parse 70% slower (1.3 s to 2.25 s).
 */
const WITH_COUNTS = new WeakMap<RegExp, boolean>();
function hasCounts(re: RegExp): boolean {
  let counts = WITH_COUNTS.get(re);
  if (counts === undefined) {
    counts = re.source.includes(String.raw`(\d+)`);
    WITH_COUNTS.set(re, counts);
  }
  return counts;
}

function countsAreSafe(groups: readonly string[]): boolean {
  return groups.every(
    (g) => g.length <= ALWAYS_SAFE_DIGITS || !/^\d+$/.test(g) || safeInteger(g) !== undefined,
  );
}

/** The captured groups of a token built by classifyLine (empty for foreign tokens). */
export function groupsOf(token: IToken): readonly string[] {
  const payload: unknown = token.payload;
  return Array.isArray(payload) ? (payload as string[]) : [];
}
