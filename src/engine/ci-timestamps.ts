/**
 * CI systems put a timestamp before every line of the logs they keep: a GitHub Actions log
 * (`2024-05-01T12:00:01.1234567Z ==123== ...`, as the web page's "download log" gives it),
 * GitLab's with `FF_TIMESTAMPS` (`2024-05-01T12:00:01.123456Z 01E ==123== ...`), and
 * `docker logs -t` or `kubectl logs --timestamps` (RFC 3339, up to nine fraction digits, trailing
 * zeros trimmed by kubectl), `gh run view --log`'s (the job and the step before the stamp), and
 * Buildkite's raw logs (an escape sequence, `ESC _bk;t=<milliseconds> BEL`). A Valgrind log
 * copied from there was "not a log leaklog can read". Each stamp is one anchored, linear
 * pattern, run on lines already capped in length. Prefixes that can start at any line of a log
 * (Jenkins' Timestamper, `docker build`, `docker compose`) are console-prefixes.ts's.
 */
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)(?: |$)/;
/**
 * After GitLab's stamp: the stream (two hex digits), O or E for stdout or stderr, then a space,
 * or `+` when the line goes on from the line before (the runner sent it without its newline).
 */
const GITLAB_STREAM = /^[0-9a-f]{2}[OE][ +]/;
/**
 * `gh run view --log` (and `--log-failed`) puts the job's and the step's names before GitHub's
 * stamp, each followed by a tab: `build (ubuntu-latest)\tRun tests\t2024-05-01T12:00:01.1234567Z `.
 */
const GH_COLUMNS = /^[^\t]*\t[^\t]*\t(?=\d{4}-)/;

/**
 * Buildkite's stamp: an application program command (`ESC _ ... BEL`) that its log viewer reads
 * and hides, before every line of the raw log that its API and "Download" give.
 */
const BUILDKITE = /^\x1b_bk;t=\d{1,16}\x07/;

/**
 * valgrind-listener's connection number (`(1) `) before every line it saves of what Valgrind
 * sent with `--log-socket` or `--xml-socket`; it first prints `valgrind-listener started at
 * DATE`, and a CONNECT and a DISCONNECT line per connection (program output here). Such a file
 * was "not a log" with nothing to say why.
 */
const LISTENER = /^\(\d{1,9}\) ?/;
const LISTENER_START = "valgrind-listener started at ";

type Emit = (text: string, lineNo: number, truncatedFrom?: number) => void;

/**
 * Takes the stamps off a stamped log's lines and hands the lines on, with their own line
 * numbers; GitLab's continued lines are joined to the line they continue (numbered as its first
 * part), which is therefore held until the next line says whether it goes on.
 */
export class CiTimestamps {
  private held: { text: string; lineNo: number; truncatedFrom?: number } | undefined;

  private constructor(
    private readonly stamp: RegExp,
    private readonly gitlab: boolean,
    private readonly columns: boolean,
    private readonly emit: Emit,
    private readonly maxLineLength: number,
  ) {}

  /** A stripper for the log whose first non-blank line is `first`, when that line is stamped. */
  static of(first: string, emit: Emit, maxLineLength: number): CiTimestamps | undefined {
    if (BUILDKITE.test(first))
      return new CiTimestamps(BUILDKITE, false, false, emit, maxLineLength);
    if (first.startsWith(LISTENER_START))
      return new CiTimestamps(LISTENER, false, false, emit, maxLineLength);
    const columns = GH_COLUMNS.exec(first)?.[0].length ?? 0;
    const stamp = STAMP.exec(columns > 0 ? first.slice(columns) : first);
    if (stamp === null) return undefined;
    const gitlab = GITLAB_STREAM.test(first.slice(columns + stamp[0].length));
    return new CiTimestamps(STAMP, gitlab, columns > 0, emit, maxLineLength);
  }

  line(line: string, lineNo: number, truncatedFrom?: number): void {
    const columns = this.columns ? GH_COLUMNS.exec(line) : null;
    const text = columns === null ? line : line.slice(columns[0].length);
    const stamp = this.stamp.exec(text);
    if (stamp === null) return this.pass(text, lineNo, truncatedFrom);
    let body = text.slice(stamp[0].length);
    const stream = this.gitlab ? GITLAB_STREAM.exec(body) : null;
    if (stream === null) return this.pass(body, lineNo, truncatedFrom);
    body = body.slice(stream[0].length);
    if (stream[0].endsWith("+") && this.held !== undefined) this.join(body, truncatedFrom);
    else this.pass(body, lineNo, truncatedFrom);
  }

  end(): void {
    this.release();
  }

  private pass(text: string, lineNo: number, truncatedFrom?: number): void {
    if (!this.gitlab) return this.emit(text, lineNo, truncatedFrom);
    this.release();
    this.held = truncatedFrom === undefined ? { text, lineNo } : { text, lineNo, truncatedFrom };
  }

  /** A continued line joins the held one, which stays within the line limit. */
  private join(body: string, truncatedFrom: number | undefined): void {
    const held = this.held as { text: string; lineNo: number; truncatedFrom?: number };
    const whole = (held.truncatedFrom ?? held.text.length) + (truncatedFrom ?? body.length);
    const text = held.text + body;
    if (text.length <= this.maxLineLength && whole === text.length) held.text = text;
    else {
      held.text = text.slice(0, this.maxLineLength);
      held.truncatedFrom = whole;
    }
  }

  private release(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    this.emit(held.text, held.lineNo, held.truncatedFrom);
  }
}
