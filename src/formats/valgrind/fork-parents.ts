import { PREAMBLE } from "./single-lines.js";

/**
 * What a process with no preamble of its own can have been forked by. Without -q, a process
 * that Valgrind started prints its preamble first; a forked child prints none, and its lines
 * come after its parent's preamble in the same log (through one stderr or --log-file; with
 * `%p` in --log-file a child's own log starts with a preamble: campaign v17's
 * f-fork/mc/vg.16043.txt).
 */
export class ForkParents {
  /**
   * A line of a Memcheck process's preamble was read: a later process with none may be its
   * forked child (see ProcessState.mayBeForked). Any line, not only the banner: a log that
   * starts inside a parent's preamble still holds the parent's start.
   */
  memcheckPreamble = false;

  /** A line of a Memcheck process (or of one whose tool is not known), by its token's name. */
  memcheckLine(name: string): void {
    if (!this.memcheckPreamble && PREAMBLE.has(name)) this.memcheckPreamble = true;
  }
}
