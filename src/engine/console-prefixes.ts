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
const BUILDKIT = /^#\d{1,6} \d{1,7}\.\d{3} /;

/**
 * `docker compose up` (and `logs`): the container's name padded to the longest name plus one,
 * then ` | ` (compose's cmd/formatter/logs.go), so at least two spaces before the bar:
 * `tests-1  | ==1== ...`. On a terminal, or with `--ansi always`, the prefix is coloured
 * (`ESC[36m` ... `ESC[0m`, the reset before or after the bar's space as the version has it).
 */
const COMPOSE = /^(?:\x1b\[[\d;]{0,12}m)?[\w.-]{1,128} {2,}\|(?: \x1b\[0m|\x1b\[0m | |$)/;

/** A `docker build` inside Jenkins' timestamps puts two prefixes before a line: `[...] #9 0.5 `. */
const MAX_NESTED = 2;

/** The line without the console prefixes that start it, or as it is. */
export function withoutConsolePrefixes(line: string): string {
  let text = line;
  for (let n = 0; n < MAX_NESTED; n += 1) {
    const prefix = matchPrefix(text);
    if (prefix === undefined) break;
    text = text.slice(prefix.length);
  }
  return text;
}

/**
 * The console prefix that starts `text`, if any. Its first character picks the one pattern to
 * try: Valgrind's and the sanitizers' lines (`=`, `-`, `*`, a blank) try none, and trying all
 * four on every line took 0.3 µs a line of a 60 MB MEMWATCH log, one takes 0.1 µs.
 */
function matchPrefix(text: string): string | undefined {
  const c = text.charCodeAt(0);
  if (c === 35 /* # */) return BUILDKIT.exec(text)?.[0];
  if (c === 91 /* [ */) return JENKINS.exec(text)?.[0];
  if (isDigit(c)) return JENKINS_CLOCK.exec(text)?.[0] ?? COMPOSE.exec(text)?.[0];
  if (c === 27 /* ESC */ || isNameStart(c)) return COMPOSE.exec(text)?.[0];
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A letter, `_` or `.`: what a container's name may start with besides a digit. */
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46;
}
