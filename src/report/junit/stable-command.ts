/*
 * A process's command as it stays from one run of a job to the next, for the name of its JUnit
 * suite: GitLab keys a case by its suite's name, so an argument that is new every run made each
 * of the process's findings a "new failure" in every merge request, and the last run's went
 * without being "resolved" (a test given `--workdir "$(mktemp -d)"`, campaign cf Q9). Only what
 * is surely made anew each run is written as its pattern; the rest of the command is kept, so
 * that two invocations of one test (`--gtest_filter=A`, `--gtest_filter=B`) stay two suites.
 */

/**
 * A name mktemp makes from its default template (`mktemp`, `mktemp -d`, `-p DIR`): `tmp.` and
 * letters and digits drawn at random, 10 with GNU coreutils (`tmp.XXXXXXXXXX`), 6 with BusyBox
 * (Alpine images: `tmp.XXXXXX`), 8 with BSD's (macOS), as a whole path segment (a suffix,
 * `--suffix=.txt`, may follow). At least one of them is a capital or a digit: a word such as
 * `tmp.configured` is someone's choice, and a random name lacks both in 1 run of 6,000 (10
 * characters) to 1 of 185 (6), which then keeps its name.
 */
const MKTEMP_NAME =
  /(?<![\w.-])tmp\.(?=[a-z]{0,9}[A-Z0-9])([A-Za-z0-9]{10}|[A-Za-z0-9]{8}|[A-Za-z0-9]{6})(?![\w-])/g;

/** What a name mktemp made is written as: its template, `tmp.XXXXXXXXXX`. */
function template(_name: string, random: string): string {
  return `tmp.${"X".repeat(random.length)}`;
}

/**
 * PIDs below this stay as they are: a container's PIDs are that small and come back run after
 * run, and a number that small in an argument is more likely its own (`-j 8`, `--size 256`).
 */
const LEAST_PID_WRITTEN = 1000;

/**
 * Characters of the command looked at: a suite's name shows less (see COMMAND_SHOWN), and a log
 * can print a command line of any length.
 */
const COMMAND_READ = 1024;

/** The PIDs of the process that ran the command, as its log gives them. */
interface CommandPids {
  pid: number;
  ppid?: number | undefined;
}

/**
 * The command with what a rerun of the same test changes written as its pattern: a name mktemp
 * made from its default template as that template (`tmp.XXXXXXXXXX`), the process's own PID as `%p` (as
 * Valgrind's `--log-file=vg.%p.log` writes it) and its parent's as `$PPID` (a script's `$$`:
 * `--out "out.$$"`), each a whole number of at least 4 digits. Names made from a template of the
 * user's own (`mktemp -d /tmp/runXXXXXX`), a random port or seed cannot be told from chosen
 * ones and are kept.
 */
export function stableCommand(command: string, pids: CommandPids): string {
  let stable = command.slice(0, COMMAND_READ).replace(MKTEMP_NAME, template);
  stable = withPid(stable, pids.pid, "%p");
  if (pids.ppid !== undefined) stable = withPid(stable, pids.ppid, "$PPID");
  return stable;
}

/** `text` with `pid`, where it is a whole number, written `as`. */
function withPid(text: string, pid: number, as: string): string {
  if (pid < LEAST_PID_WRITTEN) return text;
  // A function as the replacement: `$` in `as` is no pattern.
  return text.replace(new RegExp(`(?<![0-9])${pid}(?![0-9])`, "g"), () => as);
}
