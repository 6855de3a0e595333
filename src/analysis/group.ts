import type { Finding, Group, LogLocation } from "../model/index.js";
import type { TakenBack } from "./taken-back.js";
import { Detacher } from "./detach.js";
import { GroupProcesses, setProcessCount } from "./group-processes.js";
import { GroupShown } from "./group-shown.js";
import { GroupSites } from "./group-sites.js";
import { GroupTallies, isSuppressed, MAX_GROUP_PIDS } from "./group-tallies.js";
import type { SaturatedSums } from "./saturated-sums.js";
import { severityRank } from "./severity.js";
import { compareShown, compareShownContent } from "./shown-record.js";

export { MAX_GROUP_MEMBERS, MAX_GROUP_PIDS } from "./group-tallies.js";

/**
 * Groups findings of the same type, kind and stack fingerprint, across processes, files and
 * runs. Incremental (`add` one finding at a time) so that a caller streaming a huge log keeps
 * memory proportional to the distinct stacks, not to the findings. Each group shows one of its
 * records, the same whatever order they are added or merged in (see shown-record.ts).
 */
export class Grouper {
  private readonly tallies: GroupTallies;
  private readonly sites: GroupSites | undefined;
  private readonly processes = new GroupProcesses();
  /** Which record each group shows (see shown-record.ts). */
  private readonly shown = new GroupShown();

  /**
   * `detacher` copies what a group keeps; a Summarizer shares its own with its records.
   * `withSites`: the groups list every input and process they have findings in (`sites`).
   * `saturation` notes the group sums held at 2^53 - 1 (see SaturatedSums).
   */
  constructor(
    private readonly detacher = new Detacher(),
    withSites = false,
    saturation?: SaturatedSums,
  ) {
    this.sites = withSites ? new GroupSites() : undefined;
    this.tallies = new GroupTallies(saturation);
  }

  /**
   * Adds a finding to its group, and returns the group's number (from 0, in the order groups
   * were made), or -1: a superseded leak record (see LeakRecord) joins none, and neither does
   * a forked child's copy of its parent's loss record or error (`inheritedFrom`).
   */
  add(finding: Finding): number {
    // Grouping both would count twice: a later full leak check reports the same heap again
    // (clientreq.txt gave 480 definitely lost bytes for Valgrind's 240).
    if (uncounted(finding)) return -1;
    let id = this.tallies.find(finding.type, finding.kind, finding.fingerprint);
    if (id < 0) {
      const group = this.newGroup(finding);
      id = this.tallies.insert(group);
      this.shown.set(id, group.stack, finding.location);
    } else this.offer(id, finding);
    this.tallies.add(id, finding, this.detacher);
    this.sites?.add(id, finding.location.path, finding.pid, finding.run);
    this.processes.add(id, finding.location.path, finding.pid, finding.run);
    return id;
  }

  /**
   * An empty group for a finding's stack. Fields are assigned in the report's key order, each
   * optional one only when present: conditional spreads in a literal took a slow path V8 does
   * not specialise.
   */
  private newGroup(finding: Finding): Group {
    const group = {} as Group;
    group.fingerprint = finding.fingerprint;
    group.type = finding.type;
    group.kind = finding.kind;
    group.severity = finding.severity;
    group.bytes = 0;
    group.directBytes = 0;
    group.blocks = 0;
    group.occurrences = 0;
    group.message = messageOf(finding);
    this.show(group, finding);
    // Its one tool, as a literal: `[]` grows to room for 17 at its first push.
    group.tools = [finding.tool];
    group.pids = [];
    group.members = [];
    // Suppressed until a member that is not (then the group counts, see GroupTallies.add).
    if (isSuppressed(finding)) group.suppressed = true;
    return group;
  }

  /**
   * Shows `finding` in its group (its `id`) where it comes before the record shown (see
   * shown-record.ts), whatever order they came in. Integers first: the severity ranks (the
   * tallies' column), the stack array (a leak with the shown one's is told by its place), the
   * places; the group itself is read only for what else it shows.
   */
  private offer(id: number, finding: Finding): void {
    const rank = severityRank(finding.severity) - this.tallies.rank(id);
    if (rank < 0) return;
    if (rank === 0) {
      const alike = finding.type === "leak" && this.shown.showsStack(id, finding.stack);
      const order =
        (alike ? 0 : compareShownContent(finding, this.tallies.group(id))) ||
        this.shown.comparePlaces(id, finding.location);
      if (order >= 0) return;
    }
    this.showAt(id, finding, finding.location);
  }

  /** Group `id` shows `record` (a finding, or a merged group's shown record), logged at `place`. */
  private showAt(id: number, record: Finding | Group, place: LogLocation | undefined): void {
    const group = this.tallies.group(id);
    this.show(group, record);
    this.shown.set(id, group.stack, place);
  }

  /**
   * What a group shows of its record: an error's headline, the stack, an error's aux lines.
   * Copied: a group lives to the end of the run (see Detacher), and so does one merged into it.
   */
  private show(group: Group, record: Finding | Group): void {
    // A leak group's message is its amounts, set at result().
    if (record.type === "error") group.message = record.message;
    group.stack = this.detacher.stack(record.stack);
    // Errors only; a group read back may lack them (`aux` is optional in its schema).
    const aux = record.type === "error" ? record.aux : undefined;
    if (aux !== undefined) group.aux = this.detacher.copy(aux);
  }

  /**
   * Merges a group built elsewhere (a worker's partial report of one file): sums, members up to
   * the cap, tools and processes. Merging files' groups in input order gives the same groups as
   * adding their findings in that order; in any order, they show the same record. `unlistedIn`:
   * the input of a report read back whose records of the group it does not list (see
   * unlistedParts), a site of the group's even so.
   */
  addGroup(other: Group, unlistedIn?: string): void {
    let id = this.tallies.find(other.type, other.kind, other.fingerprint);
    // A group does not say where its shown record was logged. A worker's partial report is of
    // one input: its first member's path is every record's there, and the records of that
    // input were parted by line in it. (A leaklog report read as an input names many logs: its
    // unlisted records' groups are placed at their first member's.)
    const place = other.members[0];
    if (id >= 0) {
      this.offerGroup(id, other, place);
      this.tallies.addGroup(id, other);
    } else {
      const copy = {
        ...other,
        members: [...other.members],
        tools: [...other.tools],
        pids: [...other.pids],
      };
      // Set again at result() when this grouper keeps sites; else it lists none of its own.
      delete copy.sites;
      // Counted anew, and set at result() as for groups of this grouper's own findings.
      delete copy.processCount;
      id = this.tallies.insert(copy);
      this.shown.set(id, copy.stack, place);
    }
    this.processes.merge(id, other);
    // A report written without sites still names its members' (the first 20).
    const sites = other.sites ?? other.members;
    if (this.sites !== undefined) for (const s of sites) this.sites.add(id, s.path, s.pid, s.run);
    // Their processes unknown, findings without one: else a group whose records a merged report
    // all left unlisted had no JUnit case, while the gate failed on it (campaign ch F6).
    if (unlistedIn !== undefined && this.sites?.has(id, unlistedIn) === false)
      this.sites.add(id, unlistedIn, undefined);
  }

  /** offer for a group merged: it shows what its shown record showed, logged at `place`. */
  private offerGroup(id: number, other: Group, place: LogLocation | undefined): void {
    const order =
      compareShown(other, this.tallies.group(id)) || this.shown.comparePlaces(id, place);
    if (order < 0) this.showAt(id, other, place);
  }

  /**
   * Processes a group counts beyond those its findings added here name: a report read back
   * whose records, all replayed, name fewer (see UnreplayedProcesses). Only a group its records
   * made: one whose records all went to other groups here (suppressed by this run's
   * --suppressions) has no group to count them in.
   */
  addProcesses(group: Pick<Group, "type" | "kind" | "fingerprint">, processes: number): void {
    const id = this.tallies.find(group.type, group.kind, group.fingerprint);
    if (id >= 0) this.processes.addCount(id, processes);
  }

  /**
   * Takes back what a group counted of records that turned out to be forked children's copies
   * of their parents' loss records (counted past --max-records, see InheritedLossRecords): their
   * amounts, members and PIDs, and the processes that have no other record there. Returns the
   * group's number, or -1.
   */
  takeBack(back: TakenBack): number {
    const id = this.tallies.find("leak", back.kind, back.fingerprint);
    if (id < 0) return id;
    this.tallies.takeBack(id, back);
    this.processes.forget(id, back.processes.length);
    for (const { path, pid, run } of back.processes) this.sites?.forget(id, path, pid, run);
    return id;
  }

  /** The groups in report order (see compareGroups). */
  result(): Group[] {
    const groups = this.tallies.settled();
    groups.forEach((group, id) => {
      setProcessCount(group, this.processes.of(id), MAX_GROUP_PIDS);
      if (group.type === "leak") group.message = leakMessage(group);
    });
    const sites = this.sites;
    if (sites !== undefined) groups.forEach((group, id) => (group.sites = sites.of(id)));
    return groups.sort(compareGroups);
  }
}

/** What a group counts of its findings. */
export type GroupAmounts = Pick<Group, "bytes" | "directBytes" | "blocks" | "occurrences">;

/**
 * Adds what one finding counts in its group: a leak's amounts, an error's occurrences (as
 * GroupTallies.add counts them into its columns). `bytes`: what a leak adds to its group's bytes,
 * where a suppressed group would count some blocks twice (see SuppressedIndirect).
 */
export function addAmounts(
  amounts: GroupAmounts,
  finding: Finding,
  bytes = finding.type === "leak" ? finding.bytes : 0,
): void {
  if (finding.type === "leak") {
    amounts.bytes += bytes;
    amounts.directBytes += finding.directBytes;
    amounts.blocks += finding.blocks;
    amounts.occurrences += 1;
  } else {
    amounts.occurrences += finding.count;
  }
}

/**
 * A record that another one counts: a superseded leak record, or a forked child's copy of a
 * loss record or an error its parent's log holds (settled by a summary of the inputs, see
 * InheritedLossRecords and InheritedCopies).
 */
export function uncounted(finding: Finding): boolean {
  if (finding.type === "leak")
    return finding.superseded === true || finding.inheritedFrom !== undefined;
  return finding.inheritedFrom?.parentLog !== undefined;
}

function messageOf(finding: Finding): string {
  return finding.type === "error" ? finding.message : leakMessage(finding);
}

/**
 * A leak group's message: its amounts, once settled, and its kind in words. The first record's
 * amounts and the tool's word for its kind said `48 bytes in 3 blocks Leak_DefinitelyLost` for
 * an XML log (`definitely lost` for the text log of the same run) above the group's 148 bytes
 * in 4 blocks on the HTML page (campaign bu F3).
 */
function leakMessage({ bytes, blocks, kind }: Pick<Group, "bytes" | "blocks" | "kind">): string {
  return `${bytes} bytes in ${blocks} blocks ${kind.replace(/-/g, " ")}`;
}

/**
 * Most severe first; within a severity memory errors before leaks; then most bytes, then most
 * occurrences, then fingerprint (stable). An error has no bytes, so by bytes alone every leak
 * of its severity outranked it: under `--trace-children` of a `make test` the program's one
 * invalid read stood 41st, after gcc's, cc1's and ld's leaks, out of the text summary's top 20
 * and of the GitHub annotations GitHub shows. An error is the program acting on memory it must
 * not; leak bytes and error counts do not compare.
 */
export function compareGroups(a: Group, b: Group): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    typeRank(b) - typeRank(a) ||
    b.bytes - a.bytes ||
    b.occurrences - a.occurrences ||
    a.kind.localeCompare(b.kind) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

function typeRank(group: Group): number {
  return group.type === "error" ? 1 : 0;
}

/** Groups a list of findings in one go. */
export function groupFindings(findings: Iterable<Finding>): Group[] {
  const grouper = new Grouper();
  for (const finding of findings) grouper.add(finding);
  return grouper.result();
}
