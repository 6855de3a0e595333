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

  /** Whether the log has shown itself to be `ctest -V` output. */
  get on(): boolean {
    return this.active;
  }

  /** The line without its test number, once the log is known to be `ctest -V` output. */
  strip(text: string): string {
    // A digit first, or no test number: most lines are decided by one character.
    const first = text.charCodeAt(0);
    if (first < 48 || first > 57) return text;
    if (!this.active) {
      if (!TEST_COMMAND.test(text)) return text;
      this.active = true;
    }
    const number = TEST_NUMBER.exec(text);
    return number === null ? text : text.slice(number[0].length);
  }
}

/** CTest's first line of a test's output under -V: `1: Test command: /build/leak`. */
const TEST_COMMAND = /^\d{1,6}: Test command: /;
/** The test's number before each line of its output (`1: `; an empty line is `1: ` too). */
const TEST_NUMBER = /^\d{1,6}: /;
