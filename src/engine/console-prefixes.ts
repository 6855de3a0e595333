/*
 * Prefixes that a tool puts before the lines it relays from another program, in a console log
 * where they may start at any line: a CI job's log runs `docker build` or `docker compose up`
 * after lines of its own, and Jenkins' `timestamps {}` block starts after the Pipeline's first
 * lines. CiTimestamps, which looks at the first line only, could not see them: such logs were
 * "not a log leaklog can read" although the Valgrind parser read their lines as Valgrind lines
 * glued after program text, and then counted every line as program output (campaign bl Q1).
 * Each shape is one anchored, linear pattern, run on lines already capped in length. None
 * matches the start of a line Valgrind, a sanitizer, memleax or MEMWATCH writes (nor any line of
 * the samples and fixtures), so taking one off changes only the program's lines that have it.
 */

import { isDigit } from "../../grammars/chars.js";

/** Jenkins' Timestamper in a Pipeline's console log: `[2026-11-22T10:00:00.123Z] `. */
const JENKINS = /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)\] /;

/**
 * Jenkins' Timestamper with its clock (or elapsed) time, two spaces after it, as its plain-text
 * page (`/timestamps/?time=HH:mm:ss&appendLog`) and the console page's copy give it:
 * `10:00:00  ==7== ...` (campaign bl).
 */
const JENKINS_CLOCK = /^\d\d:\d\d:\d\d(?:\.\d{1,3})? {2}/;

/**
 * Docker BuildKit's plain progress (`docker build --progress=plain`, a CI's build log): a step's
 * output lines carry its number and the seconds since it began, `#9 0.523 ==7== ...`; its own
 * lines (`#9 [stage 2/3] RUN make check`, `#9 DONE 1.2s`) have no seconds and stay as they are.
 */
const BUILDKIT = /^(?<source>#\d{1,6}) \d{1,7}\.\d{3} /;

/**
 * `docker compose up` (and `logs`): the container's name padded to the longest name plus one,
 * then ` | ` (compose's cmd/formatter/logs.go), so at least two spaces before the bar:
 * `tests-1  | ==1== ...`. On a terminal, or with `--ansi always`, the prefix is coloured
 * (`ESC[36m` ... `ESC[0m`, the reset before or after the bar's space as the version has it).
 */
const COMPOSE =
  /^(?:\x1b\[[\d;]{0,12}m)?(?<source>[\w.-]{1,128}) {2,}\|(?: \x1b\[0m|\x1b\[0m | |$)/;

/** A `docker build` inside Jenkins' timestamps puts two prefixes before a line: `[...] #9 0.5 `. */
const MAX_NESTED = 2;

/**
 * The line without the console prefixes that start it, and the container or build step the
 * innermost of them names (`#9`, `tests-1`; Jenkins' stamps name none); undefined, and nothing
 * made, for a line with none.
 */
function stripped(line: string): { text: string; source: string | undefined } | undefined {
  let text = line;
  let source: string | undefined;
  for (let n = 0; n < MAX_NESTED; n += 1) {
    const prefix = matchPrefix(text);
    if (prefix === null) break;
    text = text.slice(prefix[0].length);
    source = prefix.groups?.["source"] ?? source;
  }
  return text === line ? undefined : { text, source };
}

/**
 * The console prefix that starts `text`, if any. Its first character picks the one pattern to
 * try: Valgrind's and the sanitizers' lines (`=`, `-`, `*`, a blank) try none, and trying all
 * four on every line took 0.3 µs a line of a 60 MB MEMWATCH log, one takes 0.1 µs.
 */
function matchPrefix(text: string): RegExpExecArray | null {
  const c = text.charCodeAt(0);
  if (c === 35 /* # */) return BUILDKIT.exec(text);
  if (c === 91 /* [ */) return JENKINS.exec(text);
  if (isDigit(c)) return JENKINS_CLOCK.exec(text) ?? COMPOSE.exec(text);
  if (c === 27 /* ESC */ || isNameStart(c)) return COMPOSE.exec(text);
  return null;
}

/** A letter, `_` or `.`: what a container's name may start with besides a digit. */
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46;
}

/** A Valgrind or sanitizer line's PID: `==7==`, `--7--`, `**7**`. */
const CHECKER_PID = /^(?:==|--|\*\*)(\d{1,10})(?:==|--|\*\*)/;

/**
 * Takes console prefixes off (see stripped) and watches what they say: two
 * containers (`docker compose up`) or build steps (`docker build`) each run their program as
 * PID 1, or as small equal PIDs, so once their prefixes are gone their Valgrind lines are one
 * process's, and a leak was pinned on the other program's file, in a complete log (campaign
 * v15a F1). When one PID comes under two of them, `onCollision` is told once: the records may
 * be merged, which the source's completeness must say.
 */
export class ConsolePrefixes {
  /** By PID: the source its lines come under now, and those they came under before. */
  private readonly sourceOf = new Map<string, { now: string; before: Set<string> }>();
  private told = false;

  constructor(private readonly onCollision: (message: string, lineNo: number) => void) {}

  strip(line: string, lineNo: number): string {
    const found = stripped(line);
    if (found === undefined) return line;
    const { text, source } = found;
    if (source !== undefined && !this.told) this.watch(source, text, lineNo);
    return text;
  }

  /** Notes the source of a Valgrind or sanitizer line's PID, and tells a collision once. */
  private watch(source: string, text: string, lineNo: number): void {
    const pid = CHECKER_PID.exec(text)?.[1];
    if (pid === undefined) return;
    const known = this.sourceOf.get(pid);
    if (known === undefined) this.sourceOf.set(pid, { now: source, before: new Set() });
    else if (known.now !== source) {
      // One after the other (a container's run ends before the next starts) they are two runs
      // of the PID, which the parser reads apart; back to an earlier one, they are interleaved.
      if (known.before.has(source)) {
        this.told = true;
        this.onCollision(
          `PID ${pid} runs in two containers or build steps at once (${known.now}, ${source}): with their console prefixes taken off, leaklog cannot tell their lines apart, so their records may be one process's; give each its own log (docker compose logs --no-log-prefix SERVICE)`,
          lineNo,
        );
        return;
      }
      known.before.add(known.now);
      known.now = source;
    }
  }
}
