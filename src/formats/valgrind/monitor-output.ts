import type { TokenType } from "chevrotain";
import { classifyLine } from "../../../grammars/valgrind/line-kinds.js";
import * as T from "../../../grammars/valgrind/line-kinds.js";
import { MAX_BLOCK_LINES } from "../block-caps.js";
import { isBlank } from "./fields.js";
import type { RetiredProcess } from "./process-state.js";
import type { ProcessEntry } from "./process-table.js";
import type { HeldLine } from "./suspected-children.js";

/** Lines of the HEAP SUMMARY, which Memcheck prints at the process's exit only (mc_main.c). */
const HEAP_SUMMARY_LINES: ReadonlySet<TokenType> = new Set([
  T.HeapSummaryHeader,
  T.InUseAtExit,
  T.TotalHeapUsage,
]);

/**
 * An ERROR SUMMARY that may be a monitor command's, and the lines after it, held (see
 * MonitorListings): in its first line (`summary`), in its -s recap (`recap`), or past the
 * ERROR SUMMARY that closes the recap (`closed`).
 */
export interface MonitorListing {
  part: "summary" | "recap" | "closed";
  lines: HeldLine[];
}

/** What a process's line tells of its held listing (see MonitorListings.next). */
type ListingOutcome = "held" | "run-goes-on" | "run-ended";

/** A line's kind for MonitorListings.next: a token type, an empty line, or a client message. */
type ListingLineKind = TokenType | "blank" | "message";

/**
 * The listing that Memcheck's `v.info all_errors` monitor command prints when the program runs
 * it itself (`VALGRIND_MONITOR_COMMAND`, a client request): an `ERROR SUMMARY` line in the middle
 * of the run, followed under -s or -v by the errors so far (`N errors in context X of Y:`
 * blocks) and the ERROR SUMMARY again. Read as the run's closing ERROR SUMMARY, it ended the run
 * there: the next error made up a second run of the PID and the log was called cut inside its -s
 * recap, failing `--fail-on incomplete` on a whole log (campaign bt F2a).
 *
 * A run with a banner is one whose verbosity prints the HEAP SUMMARY at every exit (fatal
 * signal, abort, exit from a thread, `--leak-check=no`, -s, -v: checked on 3.19; -q prints
 * neither), and Memcheck prints the closing ERROR SUMMARY only after it, and nothing of the
 * process after that. So an ERROR SUMMARY of such a run before its HEAP SUMMARY is held with
 * its listing until the process's next line: a line of the run (the next error, the HEAP
 * SUMMARY) shows it a monitor command's, and the listing is dropped (the errors it lists were
 * printed before, and the run's own recap comes at exit); the end of the log or a banner shows
 * it the closing one of a log that lost the HEAP SUMMARY (cut, or written over), read as it
 * came. A run without a banner (-q) shows no such order: its ERROR SUMMARY keeps its reading
 * (see QuietRuns).
 */
export class MonitorListings {
  constructor(
    /** Reads the process's open block, which an ERROR SUMMARY ends. */
    private readonly closeBlock: (entry: ProcessEntry) => void,
    /** Reads a held line of the process as it came. */
    private readonly readLine: (line: HeldLine) => void,
  ) {}

  /**
   * Whether a line of the process, of kind `kind`, is an ERROR SUMMARY that may be a monitor
   * command's: it is held. Its HEAP SUMMARY's lines show the process's exit.
   */
  holds(entry: ProcessEntry, kind: TokenType, line: HeldLine): boolean {
    if (HEAP_SUMMARY_LINES.has(kind)) entry.atExit = true;
    if (kind !== T.ErrorSummary) return false;
    if (entry.memcheckBanner !== true || entry.atExit === true) return false;
    entry.monitorListing = { part: "summary", lines: [line] };
    return true;
  }

  /**
   * A line of a process holding a listing (see holds): whether it is held too. Else the held
   * lines were dropped (the run goes on) or read as they came (the run ended), and the line is
   * to be read in the PID's open entry.
   */
  held(entry: ProcessEntry, line: HeldLine): boolean {
    const { marker, body } = line.prefixed;
    const kind = marker === "*" ? "message" : isBlank(body) ? "blank" : classifyLine(body);
    const outcome = this.next(entry, line, kind);
    if (outcome === "held") return true;
    if (outcome === "run-ended") this.readListing(entry);
    else {
      this.take(entry, false);
      // The command's ERROR SUMMARY ended the open block, as the run's own would have.
      this.closeBlock(entry);
    }
    return false;
  }

  /** At the end of the log: a listing still held was the run's own ERROR SUMMARY's. */
  end(entries: Iterable<ProcessEntry | RetiredProcess>): void {
    for (const entry of entries) {
      if (!entry.retired && entry.monitorListing !== undefined) this.readListing(entry);
    }
  }

  /** A held listing that was the run's end: its lines, read as they came. */
  private readListing(entry: ProcessEntry): void {
    for (const line of this.take(entry, true)) this.readLine(line);
  }

  /**
   * A line of a process holding a listing (see holds): `held` while it is the listing's (its
   * empty lines, its -s recap, the ERROR SUMMARY that closes the recap; -s lists
   * `used_suppression:` lines between the two as `--PID--` lines, read as ever); `run-goes-on`
   * at any other line but a banner (the next error, the HEAP SUMMARY: without -s the listing is
   * its ERROR SUMMARY alone); `run-ended` at a banner, or past a block's cap of held lines
   * (MAX_BLOCK_LINES: a -s recap of 1,000 contexts of 12 frames is about 16,000 lines).
   */
  private next(entry: ProcessEntry, line: HeldLine, kind: ListingLineKind): ListingOutcome {
    const listing = entry.monitorListing;
    if (listing === undefined) return "run-goes-on";
    if (kind === T.ToolBanner || listing.lines.length >= MAX_BLOCK_LINES) return "run-ended";
    if (kind === "blank" || listing.part === "recap") {
      if (kind === T.ErrorSummary) listing.part = "closed";
    } else if (listing.part === "summary" && kind === T.ContextHeader) listing.part = "recap";
    else if (listing.part === "summary" && kind === T.ErrorSummary) listing.part = "closed";
    else return "run-goes-on";
    listing.lines.push(line);
    return "held";
  }

  /**
   * The held lines, to be read as they came when the run `ended` (its ERROR SUMMARY is then
   * read as its last), else dropped; the hold ends.
   */
  private take(entry: ProcessEntry, ended: boolean): HeldLine[] {
    const lines = entry.monitorListing?.lines ?? [];
    delete entry.monitorListing;
    if (ended) entry.atExit = true;
    return lines;
  }
}
