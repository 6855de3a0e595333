/**
 * What the parses of one run share: the tables a parser makes of what it has read once (the
 * Valgrind frame lines and XML frame blocks it knows from their bytes, their stacks, the stacks'
 * fingerprints), so that the next log of the same programs finds them made. A CTest run leaves
 * a small log per test, and each log, parsed alone, made its frames, stacks and fingerprints
 * anew: 10,000 small text logs took a quarter less time with them shared, 5,000 XML logs two
 * fifths less. Pass one ParseReuse to every parse of a run (`ParseOptions.reuse`); parses that
 * share one must run on one thread. Fingerprints are kept per fingerprint options.
 */
export class ParseReuse {
  private readonly tables = new Map<string, unknown>();

  /**
   * The table kept under `key`, made by `make` the first time, and again when `spent` says the
   * one kept is of no more use (full of another program's frames): a parse then starts afresh.
   */
  table<T>(key: string, make: () => T, spent?: (table: T) => boolean): T {
    let table = this.tables.get(key) as T | undefined;
    if (table === undefined || spent?.(table) === true) {
      table = make();
      this.tables.set(key, table);
    }
    return table;
  }
}

/**
 * The table `reuse` keeps under `key` (see ParseReuse.table), or without one a table of this
 * parse's own. A format keeps its known frames and the stacks keyed by their ids in one table:
 * ids of one table key nothing in another's stacks.
 */
export function reusedTable<T>(
  reuse: ParseReuse | undefined,
  key: string,
  make: () => T,
  spent?: (table: T) => boolean,
): T {
  return reuse !== undefined ? reuse.table(key, make, spent) : make();
}
