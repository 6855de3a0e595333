import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "../chevrotain.js";

/**
 * MEMWATCH token types: one token per log line. Nothing is lexed by chevrotain itself (every
 * pattern is `Lexer.NA`); the line classifier in classify.ts builds the tokens by hand.
 */
function lineToken(name: string, categories?: TokenType[]): TokenType {
  return createToken({
    name,
    pattern: Lexer.NA,
    ...(categories !== undefined ? { categories } : {}),
  });
}

/** Category of every one-line event message (`KIND: ...`), see memwatch.md section 5. */
export const Event = lineToken("Event");

// Session header (memwatch.md section 3).
export const Banner = lineToken("Banner");
export const Started = lineToken("Started");
export const Modes = lineToken("Modes");
export const Sizes = lineToken("Sizes");
export const Compiled = lineToken("Compiled");
// Footer and end of run.
export const Stopped = lineToken("Stopped");
export const StatsGlobal = lineToken("StatsGlobal");
export const StatsDetailed = lineToken("StatsDetailed");
export const StatLine = lineToken("StatLine");
export const DetailHeader = lineToken("DetailHeader");
export const ModuleRow = lineToken("ModuleRow");
export const LineRow = lineToken("LineRow");
export const Anomalies = lineToken("Anomalies");
/** `MEMWATCH: ...` notices written to mwSTDERR (the log itself without MW_STDIO). */
export const StderrNotice = lineToken("StderrNotice");
/** A TRACE() longer than the 2048-byte buffer: counted as an anomaly by MEMWATCH. */
export const TraceOverflow = lineToken("TraceOverflow");
/** `unfreed:` lines, and the continuation of a dump that wrapped onto the next line. */
export const Unfreed = lineToken("Unfreed");
export const DumpCont = lineToken("DumpCont");
/** Anything else: TRACE text, or lines from outside MEMWATCH. */
export const Text = lineToken("Text");

// One-line events, by their `KIND: ` prefix (case matters: `WILD free` vs `wild pointer`).
export const DoubleFree = lineToken("DoubleFree", [Event]);
export const WildFree = lineToken("WildFree", [Event]);
export const NullFree = lineToken("NullFree", [Event]);
export const Overflow = lineToken("Overflow", [Event]);
export const Underflow = lineToken("Underflow", [Event]);
export const Realloc = lineToken("Realloc", [Event]);
export const Strdup = lineToken("Strdup", [Event]);
export const LimitFail = lineToken("LimitFail", [Event]);
export const Fail = lineToken("Fail", [Event]);
export const AssertTrap = lineToken("AssertTrap", [Event]);
export const VerifyTrap = lineToken("VerifyTrap", [Event]);
/** `assert trap: <N> AUTO IGNORED - execution continues` and the other outcomes. */
export const TrapOutcome = lineToken("TrapOutcome", [Event]);
export const Check = lineToken("Check", [Event]);
export const Autocheck = lineToken("Autocheck", [Event]);
export const Internal = lineToken("Internal", [Event]);
export const Relink = lineToken("Relink", [Event]);
export const WildPointer = lineToken("WildPointer", [Event]);
export const Mark = lineToken("Mark", [Event]);
export const Limit = lineToken("Limit", [Event]);
export const Grabbed = lineToken("Grabbed", [Event]);
export const Dropped = lineToken("Dropped", [Event]);
export const Statistics = lineToken("Statistics", [Event]);
export const Breakout = lineToken("Breakout", [Event]);
export const Logfile = lineToken("Logfile", [Event]);

/** The `KIND` text before `": "` for every event token (memwatch.md section 4). */
export const EVENT_KINDS: ReadonlyMap<string, TokenType> = new Map([
  ["double-free", DoubleFree],
  ["WILD free", WildFree],
  ["NULL free", NullFree],
  ["overflow", Overflow],
  ["underflow", Underflow],
  ["realloc", Realloc],
  ["strdup", Strdup],
  ["limit fail", LimitFail],
  ["fail", Fail],
  ["assert trap", AssertTrap],
  ["verify trap", VerifyTrap],
  ["check", Check],
  ["autocheck", Autocheck],
  ["internal", Internal],
  ["relink", Relink],
  ["unfreed", Unfreed],
  ["wild pointer", WildPointer],
  ["mark", Mark],
  ["limit", Limit],
  ["grabbed", Grabbed],
  ["dropped", Dropped],
  ["statistics", Statistics],
  ["breakout", Breakout],
  ["logfile", Logfile],
]);

/** Every token type, in the order the parser needs them. */
export const ALL_TOKENS: readonly TokenType[] = [
  Event,
  Banner,
  Started,
  Modes,
  Sizes,
  Compiled,
  Stopped,
  StatsGlobal,
  StatsDetailed,
  StatLine,
  DetailHeader,
  ModuleRow,
  LineRow,
  Anomalies,
  StderrNotice,
  TraceOverflow,
  Unfreed,
  DumpCont,
  Text,
  TrapOutcome,
  ...new Set(EVENT_KINDS.values()),
];
