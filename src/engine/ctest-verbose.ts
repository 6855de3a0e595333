/**
 * `ctest -V` (`--verbose`, `-VV`) puts the test's number before every line of a test's output:
 * `1: ==20462==ERROR: LeakSanitizer: detected memory leaks`, `2: ==7== Invalid read of size 4`.
 * Such a log was "not a log leaklog can read", and after a report without the number, read as
 * program output: a leaking test passed. From CTest's `N: Test command: ...` line on, the
 * number comes off every line that has one; CTest's own lines (`test 2`, `    Start 2: bugs`,
 * `1/2 Test #1: leak ...`) have none and stay as they are.
 */
export class CtestVerbose {
  private active = false;
  /** The test number the last line stripped had, if any. */
  private test: number | undefined;
  /**
   * Each running test's lines, held until CTest's line that it finished (`2/8 Test #1: ...`):
   * `ctest -jN -V` interleaves the tests' output line by line, and a sanitizer report read
   * with another test's lines inside lost its stack (campaign u). A test whose held lines pass
   * MAX_HELD_CHARS goes through as it comes, as before.
   */
  private readonly held = new Map<number, HeldLines>();

  /** Whether the log has shown itself to be `ctest -V` output. */
  get on(): boolean {
    return this.active;
  }

  /** The line without its test number, once the log is known to be `ctest -V` output. */
  strip(text: string): string {
    this.test = undefined;
    // A digit first, or no test number: most lines are decided by one character.
    const first = text.charCodeAt(0);
    if (first < 48 || first > 57) return text;
    if (!this.active) {
      if (!TEST_COMMAND.test(text)) return text;
      this.active = true;
    }
    const number = TEST_NUMBER.exec(text);
    if (number === null) return text;
    this.test = Number(number[1]);
    return text.slice(number[0].length);
  }

  /**
   * Holds the line just stripped when it is a running test's (true), or, for CTest's line that a
   * test finished, hands that test's held lines to `emit` first (false: the line itself is the
   * caller's to read).
   */
  hold(line: Line, emit: (line: Line) => void): boolean {
    const test = this.test;
    if (test === undefined) {
      const finished = TEST_FINISHED.exec(line.text);
      if (finished !== null) this.release(Number(finished[1]), emit);
      return false;
    }
    let held = this.held.get(test);
    if (held === undefined) {
      held = { lines: [], chars: 0, passing: false };
      this.held.set(test, held);
    }
    if (held.passing) return false;
    held.lines.push(line);
    held.chars += line.text.length;
    if (held.chars > MAX_HELD_CHARS) {
      held.passing = true;
      this.flush(held, emit);
    }
    return true;
  }

  /** Every test's held lines, at the end of the log, in the order the tests first printed. */
  releaseAll(emit: (line: Line) => void): void {
    for (const test of [...this.held.keys()]) this.release(test, emit);
  }

  private release(test: number, emit: (line: Line) => void): void {
    const held = this.held.get(test);
    if (held === undefined) return;
    this.held.delete(test);
    this.flush(held, emit);
  }

  private flush(held: HeldLines, emit: (line: Line) => void): void {
    const lines = held.lines;
    held.lines = [];
    held.chars = 0;
    for (const line of lines) emit(line);
  }
}

/** A line of the log as the engine reads it. */
export interface Line {
  text: string;
  lineNo: number;
  truncatedFrom?: number | undefined;
}

interface HeldLines {
  lines: Line[];
  chars: number;
  /** Past MAX_HELD_CHARS: its lines go through as they come. */
  passing: boolean;
}

/** Characters held for one test at most: 8 MiB of output, a bound on memory per test. */
const MAX_HELD_CHARS = 8 << 20;
/** CTest's line that a test finished: `2/8 Test #1: overflow ....***Failed 0.64 sec`. */
const TEST_FINISHED = /^ *\d+\/\d+ +Test +#(\d+): /;

/** CTest's first line of a test's output under -V: `1: Test command: /build/leak`. */
const TEST_COMMAND = /^\d{1,6}: Test command: /;
/** The test's number before each line of its output (`1: `; an empty line is `1: ` too). */
const TEST_NUMBER = /^(\d{1,6}): /;
