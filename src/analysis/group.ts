import type { Finding, Group, GroupMember } from "../model/index.js";
import { Detacher } from "./detach.js";
import { severityRank } from "./severity.js";

/** Members listed per group; the rest are counted in `membersOmitted`. */
export const MAX_GROUP_MEMBERS = 20;

/**
 * Distinct PIDs listed per group. A test suite under --trace-children can run tens of thousands
 * of processes; an unbounded list made grouping quadratic and memory grow with the log
 * (measured on a 1 GB log: 23 s and 1 GB RSS).
 */
export const MAX_GROUP_PIDS = 50;

/**
 * Groups findings of the same type, kind and stack fingerprint, across processes, files and
 * runs. Incremental (`add` one finding at a time) so that a caller streaming a huge log keeps
 * memory proportional to the distinct stacks, not to the findings.
 */
export class Grouper {
  /**
   * The first tally of each fingerprint, the others chained to it (told apart by type and
   * kind): no key string is built per finding (profiled: a twentieth of a large summary).
   */
  private readonly byFingerprint = new Map<string, GroupTally>();
  /** Insertion order, for a stable sort. */
  private readonly tallies: GroupTally[] = [];

  /** `detacher` copies what a group keeps; a Summarizer shares its own with its records. */
  constructor(private readonly detacher = new Detacher()) {}

  private find(type: string, kind: string, fingerprint: string): GroupTally | undefined {
    let tally = this.byFingerprint.get(fingerprint);
    while (tally !== undefined && (tally.type !== type || tally.kind !== kind)) tally = tally.next;
    return tally;
  }

  private insert(group: Group): GroupTally {
    const tally = new GroupTally(group);
    const first = this.byFingerprint.get(group.fingerprint);
    if (first === undefined) this.byFingerprint.set(group.fingerprint, tally);
    else {
      let last = first;
      while (last.next !== undefined) last = last.next;
      last.next = tally;
    }
    this.tallies.push(tally);
    return tally;
  }

  /**
   * Adds a finding to its group; a superseded leak record (see LeakRecord) joins none, and
   * neither does a forked child's copy of its parent's error (ErrorRecord's `inheritedFrom`).
   */
  add(finding: Finding): void {
    // Grouping both would count twice: a later full leak check reports the same heap again
    // (clientreq.txt gave 480 definitely lost bytes for Valgrind's 240).
    if (uncounted(finding)) return;
    const tally =
      this.find(finding.type, finding.kind, finding.fingerprint) ??
      this.insert(this.newGroup(finding));
    tally.add(finding, this.detacher);
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
    // Copied: a group lives to the end of the run (see Detacher).
    group.stack = this.detacher.stack(finding.stack);
    if (finding.type === "error") group.aux = this.detacher.copy(finding.aux);
    group.tools = [];
    group.pids = [];
    group.members = [];
    // Suppressed until a member that is not (then the group counts, see GroupTally.add).
    if (isSuppressed(finding)) group.suppressed = true;
    return group;
  }

  /**
   * Merges a group built elsewhere (a worker's partial report of one file): sums, members up to
   * the cap, tools and processes. Merging files' groups in input order gives the same groups as
   * adding their findings in that order.
   */
  addGroup(other: Group): void {
    const tally = this.find(other.type, other.kind, other.fingerprint);
    if (tally === undefined) {
      this.insert({
        ...other,
        members: [...other.members],
        tools: [...other.tools],
        pids: [...other.pids],
      });
      return;
    }
    tally.addGroup(other);
  }

  /** The groups, most severe first, then by bytes, then by occurrences. */
  result(): Group[] {
    return this.tallies.map((tally) => tally.settled()).sort(compareGroups);
  }
}

/**
 * What a group has counted so far, in one object of one shape. A large log's findings come in
 * no order of their groups, and the log streaming through the CPU's caches evicts the groups
 * between two findings of one: each object a finding touches is a cache miss. Adding to the
 * group itself touched the group, its tools, PIDs and members arrays, for 13% of summarizing
 * the 1 GB text bench log (profiled; 10% now). A full group's arrays are now left alone, and
 * the group gets its amounts when the result is asked for (settled).
 */
class GroupTally implements GroupAmounts {
  /** The group's type and kind, copied: find tells tallies apart without touching groups. */
  readonly type: string;
  readonly kind: string;
  /** The group's severity as severityRank gives it. */
  rank: number;
  bytes: number;
  directBytes: number;
  blocks: number;
  occurrences: number;
  omitted: number;
  /** Whether `members` holds its cap: the rest are counted in `omitted`. */
  full: boolean;
  /** Whether `pids` holds its cap: no PID is looked for there any more. */
  pidsFull: boolean;
  suppressed: boolean;
  /** The last tool and PID added: a group's next finding mostly has the same. */
  lastTool = "";
  lastPid = -1;
  /** The next tally of the same fingerprint. */
  next: GroupTally | undefined = undefined;

  constructor(readonly group: Group) {
    this.type = group.type;
    this.kind = group.kind;
    this.rank = severityRank(group.severity);
    this.bytes = group.bytes;
    this.directBytes = group.directBytes;
    this.blocks = group.blocks;
    this.occurrences = group.occurrences;
    this.omitted = group.membersOmitted ?? 0;
    this.full = group.members.length >= MAX_GROUP_MEMBERS;
    this.pidsFull = group.pids.length >= MAX_GROUP_PIDS;
    this.suppressed = group.suppressed === true;
  }

  add(finding: Finding, detacher: Detacher): void {
    const group = this.group;
    if (this.suppressed && !isSuppressed(finding)) this.suppressed = false;
    this.raise(finding.severity);
    addAmounts(this, finding);
    if (finding.tool !== this.lastTool) {
      this.lastTool = finding.tool;
      if (!group.tools.includes(finding.tool)) group.tools.push(finding.tool);
    }
    const pid = finding.pid;
    if (pid !== undefined && pid !== this.lastPid && !this.pidsFull) {
      this.lastPid = pid;
      addPid(group, pid);
      this.pidsFull = group.pids.length >= MAX_GROUP_PIDS;
    }
    if (this.full) this.omitted += 1;
    else {
      group.members.push(memberOf(finding, detacher));
      this.full = group.members.length >= MAX_GROUP_MEMBERS;
    }
  }

  addGroup(other: Group): void {
    const group = this.group;
    if (other.suppressed !== true) this.suppressed = false;
    this.raise(other.severity);
    this.bytes += other.bytes;
    this.directBytes += other.directBytes;
    this.blocks += other.blocks;
    this.occurrences += other.occurrences;
    for (const tool of other.tools) if (!group.tools.includes(tool)) group.tools.push(tool);
    for (const pid of other.pids) addPid(group, pid);
    this.pidsFull = group.pids.length >= MAX_GROUP_PIDS;
    const room = MAX_GROUP_MEMBERS - group.members.length;
    group.members.push(...other.members.slice(0, Math.max(0, room)));
    this.omitted += Math.max(0, other.members.length - room) + (other.membersOmitted ?? 0);
    this.full = group.members.length >= MAX_GROUP_MEMBERS;
  }

  /** Takes a member's severity when it is higher. */
  private raise(severity: Group["severity"]): void {
    const rank = severityRank(severity);
    if (rank <= this.rank) return;
    this.rank = rank;
    this.group.severity = severity;
  }

  /** The group with what was counted. */
  settled(): Group {
    const group = this.group;
    group.bytes = this.bytes;
    group.directBytes = this.directBytes;
    group.blocks = this.blocks;
    group.occurrences = this.occurrences;
    if (!this.suppressed) delete group.suppressed;
    if (this.omitted > 0) group.membersOmitted = this.omitted;
    return group;
  }
}

/** What a group counts of its findings. */
export type GroupAmounts = Pick<Group, "bytes" | "directBytes" | "blocks" | "occurrences">;

/** Adds what one finding counts in its group: a leak's amounts, an error's occurrences. */
export function addAmounts(amounts: GroupAmounts, finding: Finding): void {
  if (finding.type === "leak") {
    amounts.bytes += finding.bytes;
    amounts.directBytes += finding.directBytes;
    amounts.blocks += finding.blocks;
    amounts.occurrences += 1;
  } else {
    amounts.occurrences += finding.count;
  }
}

/**
 * A record that another one counts: a superseded leak record, or a forked child's copy of an
 * error its parent's log holds (settled by a summary of several inputs, see InheritedCopies).
 */
export function uncounted(finding: Finding): boolean {
  if (finding.type === "leak") return finding.superseded === true;
  return finding.inheritedFrom?.parentLog !== undefined;
}

/** A leak of kind `suppressed` or an error marked suppressed (by the log or by leaklog). */
function isSuppressed(finding: Finding): boolean {
  return finding.type === "leak" ? finding.kind === "suppressed" : finding.suppressed === true;
}

function addPid(group: Group, pid: number): void {
  if (group.pids.length < MAX_GROUP_PIDS && !group.pids.includes(pid)) group.pids.push(pid);
}

/** A group's reference to a finding (built field by field, see newGroup). */
function memberOf(finding: Finding, detacher: Detacher): GroupMember {
  const member = {} as GroupMember;
  member.id = finding.id;
  member.path = finding.location.path;
  member.line = finding.location.line;
  if (finding.pid !== undefined) member.pid = finding.pid;
  if (finding.type === "leak" && finding.lossRecord !== undefined)
    member.lossRecord = detacher.lossRecord(finding.lossRecord);
  return member;
}

function messageOf(finding: Finding): string {
  if (finding.type === "error") return finding.message;
  return `${finding.bytes} bytes in ${finding.blocks} blocks ${finding.toolKind}`;
}

/** Most severe first, then most bytes, then most occurrences, then fingerprint (stable). */
export function compareGroups(a: Group, b: Group): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    b.bytes - a.bytes ||
    b.occurrences - a.occurrences ||
    a.kind.localeCompare(b.kind) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

/** Groups a list of findings in one go. */
export function groupFindings(findings: Iterable<Finding>): Group[] {
  const grouper = new Grouper();
  for (const finding of findings) grouper.add(finding);
  return grouper.result();
}
