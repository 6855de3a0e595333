import type { Finding, Group, GroupMember, LossRecordRef } from "../model/index.js";
import type { Detacher } from "./detach.js";
import type { TakenBack } from "./taken-back.js";
import { MAX_SUM, SaturatedSums } from "./saturated-sums.js";
import { severityRank } from "./severity.js";
import { SuppressedIndirect } from "./suppressed-indirect.js";

/** Members listed per group; the rest are counted in `membersOmitted`. */
export const MAX_GROUP_MEMBERS = 20;

/**
 * Distinct PIDs listed per group. A test suite under --trace-children can run tens of thousands
 * of processes; an unbounded list made grouping quadratic and memory grow with the log
 * (measured on a 1 GB log: 23 s and 1 GB RSS).
 */
export const MAX_GROUP_PIDS = 50;

/** A tally's flags. */
const MEMBERS_FULL = 1;
const PIDS_FULL = 2;
const SUPPRESSED = 4;
/** A record of the group ended its process (see Group's `aborted`). */
const ABORTED = 8;
/** The flags of what the group's records are, not of how full its lists are. */
const RECORD_FLAGS = SUPPRESSED | ABORTED;

/** A tally's amounts, in this order: bytes, direct bytes, blocks, occurrences, omitted members. */
const AMOUNTS = 5;
const AMOUNT_NAMES = ["bytes", "direct bytes", "blocks", "occurrences", "omitted members"];

/**
 * What each group has counted so far, numbered by tally and kept in columns (typed arrays):
 * the group gets its amounts when the result is asked for (settled). A large log's findings
 * come in no order of their groups, and the log streaming through the CPU's caches evicts the
 * groups between two findings of one, so each object a finding touches is a cache miss: adding
 * to the group itself touched the group and its tools, PIDs and members arrays, 13% of
 * summarizing the 1 GB text bench log (profiled); one small object per group still missed,
 * 5-9%. Columns are dense, and a full group's arrays are left alone.
 */
export class GroupTallies {
  /** The first tally of each fingerprint; the others are chained to it (`next`). */
  private readonly first = new Map<string, number>();
  private readonly groups: Group[] = [];
  /** The groups' type and kind, copied: find tells tallies apart without touching groups. */
  private readonly types: string[] = [];
  private readonly kinds: string[] = [];
  /** The last tool added to each group: its next finding mostly has the same. */
  private readonly lastTools: string[] = [];
  private next = new Int32Array(64);
  private ranks = new Uint8Array(64);
  private flags = new Uint8Array(64);
  private lastPids = new Float64Array(64);
  private amounts = new Float64Array(64 * AMOUNTS);
  /** The blocks a suppressed group holds twice, as a record and in its parent's bytes. */
  private readonly indirect = new SuppressedIndirect();

  /** `saturation` notes the sums held at 2^53 - 1 (see SaturatedSums). */
  constructor(private readonly saturation = new SaturatedSums()) {}

  /** The tally of this type, kind and fingerprint, or -1. */
  find(type: string, kind: string, fingerprint: string): number {
    let id = this.first.get(fingerprint) ?? -1;
    while (id >= 0 && (this.types[id] !== type || this.kinds[id] !== kind))
      id = this.next[id] ?? -1;
    return id;
  }

  /** A new tally, counting from what `group` holds already. */
  insert(group: Group): number {
    const id = this.groups.length;
    if (id === this.next.length) this.grow();
    this.groups.push(group);
    this.types.push(group.type);
    this.kinds.push(group.kind);
    this.lastTools.push("");
    this.next[id] = -1;
    this.ranks[id] = severityRank(group.severity);
    this.lastPids[id] = Number.NaN;
    const at = id * AMOUNTS;
    this.amounts[at] = group.bytes;
    this.amounts[at + 1] = group.directBytes;
    this.amounts[at + 2] = group.blocks;
    this.amounts[at + 3] = group.occurrences;
    this.amounts[at + 4] = group.membersOmitted ?? 0;
    this.flags[id] =
      this.fullness(group) |
      (group.suppressed === true ? SUPPRESSED : 0) |
      (group.aborted === true ? ABORTED : 0);
    const first = this.first.get(group.fingerprint);
    if (first === undefined) this.first.set(group.fingerprint, id);
    else {
      let last = first;
      while ((this.next[last] ?? -1) >= 0) last = this.next[last] as number;
      this.next[last] = id;
    }
    return id;
  }

  /** A tally's group, its amounts as they were when it was made (see settled). */
  group(id: number): Group {
    return this.groups[id] as Group;
  }

  /** The severity rank of a tally's group (see severityRank), read without the group. */
  rank(id: number): number {
    return this.ranks[id] as number;
  }

  add(id: number, finding: Finding, detacher: Detacher): void {
    let flags = this.flags[id] as number;
    if ((flags & SUPPRESSED) !== 0 && !isSuppressed(finding)) flags &= ~SUPPRESSED;
    if (finding.type === "error" && finding.details?.["aborted"] === true) flags |= ABORTED;
    this.raise(id, finding.severity);
    const at = id * AMOUNTS;
    if (finding.type === "leak") {
      this.addAt(at, this.indirect.bytesAdded(id, finding));
      this.addAt(at + 1, finding.directBytes);
      this.addAt(at + 2, finding.blocks);
      this.addAt(at + 3, 1);
    } else this.addAt(at + 3, finding.count);
    if (finding.tool !== this.lastTools[id]) {
      this.lastTools[id] = finding.tool;
      const tools = (this.groups[id] as Group).tools;
      if (!tools.includes(finding.tool)) tools.push(finding.tool);
    }
    const pid = finding.pid;
    if (pid !== undefined && (flags & PIDS_FULL) === 0 && pid !== this.lastPids[id]) {
      this.lastPids[id] = pid;
      addPid(this.groups[id] as Group, pid);
    }
    if ((flags & MEMBERS_FULL) !== 0) this.addAt(at + 4, 1);
    else (this.groups[id] as Group).members.push(memberOf(finding, detacher));
    this.flags[id] = (flags & RECORD_FLAGS) | this.fullness(this.groups[id] as Group, flags);
  }

  /** Merges a group built elsewhere: sums, members up to the cap, tools and processes. */
  addGroup(id: number, other: Group): void {
    const group = this.groups[id] as Group;
    let flags = this.flags[id] as number;
    if (other.suppressed !== true) flags &= ~SUPPRESSED;
    if (other.aborted === true) flags |= ABORTED;
    this.raise(id, other.severity);
    const at = id * AMOUNTS;
    this.addAt(at, other.bytes);
    this.addAt(at + 1, other.directBytes);
    this.addAt(at + 2, other.blocks);
    this.addAt(at + 3, other.occurrences);
    for (const tool of other.tools) if (!group.tools.includes(tool)) group.tools.push(tool);
    for (const pid of other.pids) addPid(group, pid);
    const room = MAX_GROUP_MEMBERS - group.members.length;
    group.members.push(...other.members.slice(0, Math.max(0, room)));
    this.addAt(at + 4, Math.max(0, other.members.length - room) + (other.membersOmitted ?? 0));
    this.flags[id] = (flags & RECORD_FLAGS) | this.fullness(group);
  }

  /**
   * Takes back what tally `id` counted of forked children's copies (see Grouper.takeBack): their
   * amounts, and their members and PIDs. The group's lists are those its other records make, in
   * the order they were counted (TakenBack's), where every member and PID it lists is one of
   * theirs; else, holding a record counted elsewhere, only the copies' are left out of them.
   */
  takeBack(id: number, back: TakenBack): void {
    const at = id * AMOUNTS;
    const { amounts, copies } = back;
    this.amounts[at] = (this.amounts[at] as number) - amounts.bytes;
    this.amounts[at + 1] = (this.amounts[at + 1] as number) - amounts.directBytes;
    this.amounts[at + 2] = (this.amounts[at + 2] as number) - amounts.blocks;
    this.amounts[at + 3] = (this.amounts[at + 3] as number) - amounts.occurrences;
    const group = this.groups[id] as Group;
    const records = group.members.length + (this.amounts[at + 4] as number) - copies.length;
    const copied = new Set(copies.map((c) => c.id));
    group.members = group.members.every((m) => back.ids.has(m.id))
      ? back.members
      : group.members.filter((m) => !copied.has(m.id));
    this.amounts[at + 4] = records - group.members.length;
    group.pids = group.pids.every((pid) => back.allPids.has(pid))
      ? back.pids
      : group.pids.filter((pid) => !back.allPids.has(pid) || back.keptPids.has(pid));
  }

  /** Every group, in the order they were inserted, with what was counted. */
  settled(): Group[] {
    return this.groups.map((group, id) => {
      const at = id * AMOUNTS;
      group.bytes = this.amounts[at] as number;
      group.directBytes = this.amounts[at + 1] as number;
      group.blocks = this.amounts[at + 2] as number;
      group.occurrences = this.amounts[at + 3] as number;
      const flags = this.flags[id] as number;
      if ((flags & SUPPRESSED) === 0) delete group.suppressed;
      if ((flags & ABORTED) !== 0) group.aborted = true;
      const omitted = this.amounts[at + 4] as number;
      if (omitted > 0) group.membersOmitted = omitted;
      return group;
    });
  }

  private addAt(at: number, amount: number): void {
    const sum = (this.amounts[at] as number) + amount;
    // Two counts of at most MAX_SUM sum exactly up to it, and past it round to a double still
    // above it: the test is exact (see SaturatedSums.add).
    if (sum <= MAX_SUM) this.amounts[at] = sum;
    else this.saturate(at);
  }

  /** Holds the sum at `at` at MAX_SUM, and notes which group's it is. */
  private saturate(at: number): void {
    this.amounts[at] = MAX_SUM;
    const group = this.groups[Math.floor(at / AMOUNTS)] as Group;
    const what = `group ${group.fingerprint} (${group.kind}) ${AMOUNT_NAMES[at % AMOUNTS] ?? ""}`;
    this.saturation.note(what, group.members[0]?.path);
  }

  /** Takes a member's severity when it is higher. */
  private raise(id: number, severity: Group["severity"]): void {
    const rank = severityRank(severity);
    if (rank <= (this.ranks[id] as number)) return;
    this.ranks[id] = rank;
    (this.groups[id] as Group).severity = severity;
  }

  /**
   * The full flags of a group's lists; `known` flags are not checked again. A list that has
   * just filled up is copied to its length: a growing array keeps room for half as many again
   * and 16 more (20 members held room for 41, 50 PIDs for 77), and a group lives to the end of
   * the run (3.5 MB of the live heap after the 1 GB text bench log's 7,200 groups).
   */
  private fullness(group: Group, known = 0): number {
    let full = known & (MEMBERS_FULL | PIDS_FULL);
    if ((full & MEMBERS_FULL) === 0 && group.members.length >= MAX_GROUP_MEMBERS) {
      full |= MEMBERS_FULL;
      group.members = group.members.slice();
    }
    if ((full & PIDS_FULL) === 0 && group.pids.length >= MAX_GROUP_PIDS) {
      full |= PIDS_FULL;
      group.pids = group.pids.slice();
    }
    return full;
  }

  private grow(): void {
    const size = this.next.length * 2;
    this.next = grown(new Int32Array(size), this.next);
    this.ranks = grown(new Uint8Array(size), this.ranks);
    this.flags = grown(new Uint8Array(size), this.flags);
    this.lastPids = grown(new Float64Array(size), this.lastPids);
    this.amounts = grown(new Float64Array(size * AMOUNTS), this.amounts);
  }
}

export function grown<A extends Int32Array | Uint8Array | Float64Array>(into: A, from: A): A {
  into.set(from);
  return into;
}

/** A leak of kind `suppressed` or an error marked suppressed (by the log or by leaklog). */
export function isSuppressed(finding: Finding): boolean {
  return finding.type === "leak" ? finding.kind === "suppressed" : finding.suppressed === true;
}

function addPid(group: Group, pid: number): void {
  if (group.pids.length < MAX_GROUP_PIDS && !group.pids.includes(pid)) group.pids.push(pid);
}

/** A group's reference to a finding (see memberLiteral). */
function memberOf(finding: Finding, detacher: Detacher): GroupMember {
  const { id, pid, run } = finding;
  const { path, line } = finding.location;
  const ref = finding.type === "leak" ? finding.lossRecord : undefined;
  const lossRecord = ref !== undefined ? detacher.lossRecord(ref) : undefined;
  return memberLiteral({ id, path, line, pid, run, lossRecord });
}

/** What a group's member is made of: a finding's, or a counted loss record's (CountedLeak). */
export interface MemberFields {
  id: string;
  path: string;
  line: number;
  pid: number | undefined;
  run: number | undefined;
  lossRecord: LossRecordRef | undefined;
}

/**
 * A group's reference to a finding. A literal for each set of fields: built field by field from
 * `{}`, the fifth field went into an array of its own (see V8's in-object properties), 1.8 MB
 * for the 48,000 members with PIDs and loss records of the 1 GB text bench log's groups. A PID's
 * later run (see ProcessInfo.run), which few logs have, gets a shape of its own.
 */
export function memberLiteral(fields: MemberFields): GroupMember {
  const { id, path, line, pid, run, lossRecord } = fields;
  if (run !== undefined)
    return { id, path, line, pid, run, ...(lossRecord !== undefined ? { lossRecord } : {}) };
  if (lossRecord === undefined)
    return pid === undefined ? { id, path, line } : { id, path, line, pid };
  return pid === undefined ? { id, path, line, lossRecord } : { id, path, line, pid, lossRecord };
}
