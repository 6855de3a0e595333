/*
 * GitLab reads no JUnit report over 30 MiB (`MAX_XML_SIZE` in lib/gitlab/xml_converter.rb): it
 * refuses the whole file, and the pipeline's test tab shows a parse error instead of any leak.
 * A run of 80 test processes with the same 400 leaks made 32,080 cases, each repeating its
 * group's 24-frame stack: 33.7 MB (campaign cf F4). So the cases keep their stacks while the
 * report stays under WHOLE_REPORT_BYTES; past that, they are written without one, in their order,
 * but keep their outcome, message and where they were reported: a case left out would hide a
 * failure, and a stack is the same in every case of its group.
 */

/** GitLab's limit (bytes): it reads no larger JUnit report. */
export const GITLAB_MAX_BYTES = 30 * 1024 * 1024;

/** The report's size (bytes) up to which every case has its stack: GitLab's limit, less room. */
export const WHOLE_REPORT_BYTES = 20 * 1024 * 1024;

/** A case's bytes, about: written with its stack, and without (the same for a case without). */
export interface CaseBytes {
  whole: number;
  short: number;
}

/** Where cases start to lose their stacks. */
export interface Cut {
  /** The first case without its stack, in the order written (over all suites). */
  from: number;
  /** How many cases past `from` lose a stack (cases without one are written as they are). */
  shortened: number;
}

/**
 * Where the cases must start to lose their stacks for the report to stay under `budget` bytes:
 * every case costs at least its short form, so the room left for stacks is the budget less all
 * the short forms (and `fixed`: the suites' own lines), and cases keep theirs, in order, while
 * it lasts. A report too big for GitLab even so (the 300 MB bench log's 522,000 cases) keeps
 * every stack: GitLab reads none of it either way, and Jenkins shows them. `cases` gives every
 * case's bytes in the order written, once per call.
 */
export function cutFor(
  fixed: number,
  cases: () => Iterable<CaseBytes>,
  budget = WHOLE_REPORT_BYTES,
  limit = GITLAB_MAX_BYTES,
): Cut {
  let shorts = fixed;
  let count = 0;
  for (const c of cases()) {
    shorts += c.short;
    count += 1;
  }
  if (shorts > limit) return { from: count, shortened: 0 };
  let room = budget - shorts;
  let from = count;
  let shortened = 0;
  let index = 0;
  for (const c of cases()) {
    const stack = c.whole - c.short;
    if (from === count && stack > room) from = index;
    if (from < count) shortened += losesStack(c) ? 1 : 0;
    else room -= stack;
    index += 1;
  }
  return { from, shortened };
}

/** A case past the cut loses its stack where that is longer than the note in its place. */
function losesStack(c: CaseBytes): boolean {
  return c.whole > c.short;
}

/**
 * Follows the cases as they are written: which ones keep their stack (those before the cut), and
 * in which suite each group's case first had it, for the cases past the cut to point there.
 */
export class StackPlaces {
  private next = 0;
  /** A group's index in the report to the name of the first suite whose case has its stack. */
  private readonly whole = new Map<number, string>();

  constructor(private readonly cut: Cut) {}

  /**
   * The next case, of `bytes` (see CaseBytes), of group `group`, in `suite`: has it its stack?
   */
  keepsStack(bytes: CaseBytes, group: number, suite: string): boolean {
    const before = this.next < this.cut.from;
    this.next += 1;
    if (!before) return !losesStack(bytes);
    if (!this.whole.has(group)) this.whole.set(group, suite);
    return true;
  }

  /** The next case is no group's (a log's own): it only takes its place in the order. */
  skip(): void {
    this.next += 1;
  }

  /** What a case of `group` without its stack says in its place: where the stack is. */
  stackNote(group: number): string {
    const suite = this.whole.get(group);
    const where =
      suite !== undefined ? `see this case in suite "${suite}"` : "see --format json or text";
    return `Stack left out to keep this report under GitLab's 30 MiB limit: ${where}`;
  }
}

const MIB = 1024 * 1024;
const WHOLE_MIB = WHOLE_REPORT_BYTES / MIB;

/** What the first suite says when cases lost their stacks, for whoever reads the file. */
export function shortenedNotice(cut: Cut, tests: number): string {
  return `${cut.shortened} of the ${tests} test cases are written without their stack, past this report's first ${WHOLE_MIB} MiB: GitLab reads no JUnit report over 30 MiB, and shows none of a larger one. Each says where to find its stack; --format json has every stack.`;
}

/**
 * What the CLI says on stderr of a report that is still over GitLab's limit once written (see
 * cutFor: tens of thousands of cases, whose short forms alone pass it): GitLab's test tab would
 * show a parse error, and no word of why came from leaklog (campaign cf F4). GitLab reads each
 * file of `reports: junit:` on its own (one gzip member each, GzipStream#each_blob), so reports
 * of fewer logs each are read.
 */
export function oversizeNotice(bytes: number): string | undefined {
  if (bytes <= GITLAB_MAX_BYTES) return undefined;
  const size = (bytes / MIB).toFixed(1);
  return `the JUnit report is ${size} MiB, over the 30 MiB GitLab reads: GitLab will show none of its test cases, only a parse error. Write several reports of fewer logs each (GitLab reads each file of reports: junit: on its own), or use --format codequality.`;
}
