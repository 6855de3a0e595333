import type { CountedLeak } from "../analysis/counted-leaks.js";
import type { ErrorRecord, Report } from "../model/index.js";
import type { PartialFacts } from "./partial-facts.js";

/** An id as a parse numbers its records without `idPrefix`. */
const BARE_NUMBER = /^\d+$/;

/** Digits before an id's first `#` are the N of an automatic prefix `N#` (see DistinctIds). */
const DIGITS = /^\d+$/;

/**
 * Record ids unique across the sources of one summary. Each parse numbers its records from 1,
 * so two sources parsed without `idPrefix` gave duplicate ids (campaign bj Q2: 6 of 25), and a
 * group's `members[].id` named two records. From the second source on, a bare number gets an
 * automatic prefix `N#`: N the sources before it, or the next N that no id of the summary
 * starts with (`N#`, not the CLI's `N:`: campaign v16b F2). An id that starts with `N#` where
 * another source's ids do (a caller's `idPrefix: "1#"` on the first parse and none on the second
 * gave `1#1` twice: campaign v17 Q1) gets its source's own automatic prefix before it whole, as
 * a partial report does (see partial). Only the Ns are kept, not every id, which would grow with
 * the log. Sources are told by the count of sources before them.
 */
export class DistinctIds {
  /** Each N that ids start with (`N#`), and the source whose ids do. */
  private readonly owners = new Map<number, number>();
  /** Each source's automatic prefix, once it needed one. */
  private readonly prefixes = new Map<number, string>();

  /** The id in the report of a record with id `id` of source `source`. */
  id(id: string, source: number): string {
    if (BARE_NUMBER.test(id)) return source === 0 ? id : `${this.prefix(source)}${id}`;
    const n = automaticNumber(id);
    if (n === undefined) return id;
    const owner = this.owners.get(n);
    if (owner === undefined) this.owners.set(n, source);
    else if (owner !== source) return `${this.prefix(source)}${id}`;
    return id;
  }

  /**
   * How a partial report of source `source` on (a worker's, of one or more sources) names its
   * records here: all of its ids get the source's automatic prefix when one of them is a listed
   * record's already (`listed`), or starts with another source's `N#` (a summarizer per thread
   * prefixes its own second source alike: campaign v16b F2); else its bare numbers alone do,
   * with an N that none of its own ids start with. Undefined when every id stays as it is (the
   * CLI's `N:` ids): the report is then taken as it came, not copied.
   */
  partial(
    ids: readonly string[],
    source: number,
    listed: (id: string) => boolean,
  ): Rename | undefined {
    const numbers = ids.map(automaticNumber);
    const taken = (n: number | undefined) => n !== undefined && this.ownedElsewhere(n, source);
    if (ids.some((id, i) => listed(id) || taken(numbers[i]))) {
      const prefix = this.prefix(source);
      return (id) => `${prefix}${id}`;
    }
    for (const n of numbers) if (n !== undefined) this.owners.set(n, source);
    // Each N# id's N is the source's own now: only bare numbers can change (see id).
    if (source === 0 || !ids.some((id) => BARE_NUMBER.test(id))) return undefined;
    return (id) => this.id(id, source);
  }

  private ownedElsewhere(n: number, source: number): boolean {
    const owner = this.owners.get(n);
    return owner !== undefined && owner !== source;
  }

  /** The source's automatic prefix: `N#`, N the first from `source` on that no id starts with. */
  private prefix(source: number): string {
    let prefix = this.prefixes.get(source);
    if (prefix !== undefined) return prefix;
    let n = source;
    while (this.owners.has(n)) n += 1;
    this.owners.set(n, source);
    prefix = `${n}#`;
    this.prefixes.set(source, prefix);
    return prefix;
  }
}

/** The new id of a partial report's record (see DistinctIds.partial). */
export type Rename = (id: string) => string;

/** A partial report, and the records its facts tell of beside it, renamed (see withDistinctIds). */
export interface RenamedPartial {
  report: Report;
  /** Its forked children's recap records that it does not list (see PartialFacts). */
  held: readonly ErrorRecord[];
  /**
   * Its counted loss records (see PartialFacts); none for a report that came without facts,
   * whose records are then not compared, and undefined where it gave the comparison up.
   */
  counted: readonly CountedLeak[] | undefined;
}

/**
 * A partial report's records and group members with the ids `ids` gives them here, the report
 * coming after `before` sources; `listed`: whether a record already listed has the id. The
 * records its `facts` tell of beside it are renamed alike.
 */
export function withDistinctIds(
  report: Report,
  ids: DistinctIds,
  before: number,
  listed: (id: string) => boolean,
  facts?: PartialFacts,
): RenamedPartial {
  const held = facts?.inheritedCopies ?? [];
  const counted = facts === undefined ? [] : facts.countedLeaks;
  const rename = ids.partial(idsOf(report, [...held, ...(counted ?? [])]), before, listed);
  // A 105 MB log's report names 139,000 records and members: copying them all for no new id
  // took 120-360 ms of the main thread's merge of each worker's report.
  if (rename === undefined) return { report, held, counted };
  const renamed = <T extends { id: string }>(item: T): T => {
    const id = rename(item.id);
    return id === item.id ? item : { ...item, id };
  };
  return {
    report: {
      ...report,
      leaks: report.leaks.map(renamed),
      errors: report.errors.map(renamed),
      groups: report.groups.map((group) => ({ ...group, members: group.members.map(renamed) })),
    },
    held: held.map(renamed),
    counted: counted?.map(renamed),
  };
}

/** The ids of a partial report's records, of the records beside it and of its members. */
function idsOf(report: Report, held: readonly { id: string }[]): string[] {
  const ids: string[] = [];
  for (const list of [report.leaks, report.errors, held])
    for (const item of list) ids.push(item.id);
  for (const group of report.groups) for (const member of group.members) ids.push(member.id);
  return ids;
}

/** The N of an id that starts with `N#`, as an automatic prefix does. */
function automaticNumber(id: string): number | undefined {
  const hash = id.indexOf("#");
  if (hash <= 0) return undefined;
  const head = id.slice(0, hash);
  return DIGITS.test(head) ? Number(head) : undefined;
}
