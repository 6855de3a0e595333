import { withoutClones } from "../analysis/fingerprint.js";
import { baseName } from "../analysis/frame-paths.js";
import { uncounted } from "../analysis/group.js";
import { compareLogLocations, compareShown } from "../analysis/shown-record.js";
import { describeFrame, ownFrames, type OwnCode } from "../analysis/own-frames.js";
import type { Finding, Frame, Group, LogLocation, Report } from "../model/index.js";
import { formatNumber } from "./describe.js";
import { accessWords } from "./heads.js";

/** Other places one group's findings were made, as many as the report lists. */
export interface OtherSite {
  /** The first frame shown there, as the group's own first frame is chosen. */
  frame: Frame;
  occurrences: number;
  /**
   * The first error's own first aux line there (`Address 0x1fff000434 is on thread 1's stack`),
   * when it tells another story than the group's: the group's aux is its shown record's, and
   * a double free and a free of a stack address in one function are one group.
   */
  described?: string;
}

/**
 * The group's findings made elsewhere than the one it shows. A fingerprint leaves line numbers
 * out, so that a group survives edits, and two bugs in one function reached the same way are
 * one group: use_after_free.c's reads at lines 20 and 26 are one InvalidRead group shown at
 * line 20. The listed records (records cap at --max-records) still hold each one's stack; the
 * sites are the first frames they would show, other than the group's own, and the group's own
 * place where a record there tells another story (campaign v10: `--track-origins` found a heap
 * and a stack origin through one function, and the stack one was shown nowhere).
 */
export function otherSites(group: Group, records: RecordIndex, ownCode: OwnCode): OtherSite[] {
  const first = siteOf(group.stack, ownCode);
  if (first === undefined) return [];
  const listed = records.ofGroup(group);
  const own = listed[0] !== undefined ? storyOf(listed[0]) : undefined;
  const story = own ?? { access: undefined, aux: told(group.aux?.[0]?.message) };
  const sites = new Map<string, OtherSite>();
  for (const record of listed) {
    const site = siteOf(record.stack, ownCode);
    if (site === undefined) continue;
    const { access, aux } = storyOf(record);
    const sameAccess = access === story.access;
    const same = sameAccess && aux === story.aux;
    if (site.key === first.key && same) continue;
    const key = site.key === first.key ? `${site.key}\u0000${access}\u0000${aux}` : site.key;
    let found = sites.get(key);
    if (found === undefined) {
      found = { frame: site.frame, occurrences: 0 };
      // Another access (a read where the group's is a write) says more than what it conflicts
      // with; the same access at another address, its own aux line.
      const described = sameAccess ? auxOf(record) : accessOf(record);
      if (!same && described !== undefined) found.described = described;
      sites.set(key, found);
    }
    found.occurrences += record.type === "error" ? record.count : 1;
  }
  return [...sites.values()];
}

/**
 * What a record tells, numbers left out: its access (Helgrind's `Possible data race during
 * read of size 4 at 0x10C024 by thread #3`, ThreadSanitizer's first stack's title `Write of
 * size 4 at 0x… by thread T2`: campaign v10 Q4, a group's read and write in one function read as
 * one story) and its first aux line (`Address 0x4a41094 is 4 bytes inside a block of size 16
 * alloc'd` tells the same story at every address and offset).
 */
function storyOf(record: Finding): { access: string | undefined; aux: string | undefined } {
  return { access: told(accessOf(record)), aux: told(auxOf(record)) };
}

/** Its access as the summaries head a group with it (see errorHead), else its message. */
function accessOf(record: Finding): string | undefined {
  if (record.type !== "error") return undefined;
  const title = record.details?.["title"];
  if (typeof title === "string") return title;
  return accessWords(record.details) ?? record.message;
}

function auxOf(record: Finding): string | undefined {
  return record.type === "error" ? record.aux?.[0]?.message : undefined;
}

function told(message: string | undefined): string | undefined {
  return message?.replace(/0x[0-9a-fA-F]+|\d+/g, "0");
}

/**
 * How many of a group's records its other sites could not be looked for in: those the report
 * does not list (--max-records). A group's members stop at 20; its listed records do not.
 */
function recordsNotSeen(group: Group, records: RecordIndex): number {
  const all = group.members.length + (group.membersOmitted ?? 0);
  return Math.max(0, all - records.ofGroup(group).length);
}

/** A report's listed records, by group. */
export interface RecordIndex {
  /**
   * The listed records a group counts (see uncounted), the record it shows first: in the order
   * it was chosen by (see shown-record.ts), not the inputs', so that what a report says of
   * them (an error's head, the other places) is the same whatever order the inputs came in.
   */
  ofGroup(group: Pick<Group, "type" | "kind" | "fingerprint">): readonly Finding[];
}

/**
 * Where a group's shown record was logged: the log line the CI formats point at when no frame
 * is in the program's own code. The group's first member's when the report lists none of its
 * records (past --max-records); none for a fixed group (baseline), which has no members.
 */
export function shownPlace(group: Group, records: RecordIndex): LogLocation | undefined {
  return records.ofGroup(group)[0]?.location ?? group.members[0];
}

/** Other places a report lists under a group's frames; one more is listed rather than counted. */
const SITES_SHOWN = 3;

/** The sites a report lists, and how many more it only counts. */
export function sitesShown(sites: readonly OtherSite[]): { shown: OtherSite[]; more: number } {
  const shown = sites.length <= SITES_SHOWN + 1 ? [...sites] : sites.slice(0, SITES_SHOWN);
  return { shown, more: sites.length - shown.length };
}

/**
 * What the lines of `sites` leave unsaid, or undefined: `and at 16 more places`, and, when some
 * of the group's records could not be looked at (see recordsNotSeen), that there may be more
 * (a group of 40 reads on 40 lines said "16 more places" of its first 20 records).
 */
export function moreSites(
  sites: readonly OtherSite[],
  group: Group,
  records: RecordIndex,
): string | undefined {
  const { more } = sitesShown(sites);
  const notSeen = recordsNotSeen(group, records);
  const places = `${formatNumber(more)} more ${more === 1 ? "place" : "places"}`;
  if (notSeen === 0) return more > 0 ? `and at ${places}` : undefined;
  const seen = records.ofGroup(group).length;
  const unlisted = `${formatNumber(notSeen)} more ${notSeen === 1 ? "record is" : "records are"} not listed`;
  if (more > 0) return `and at ${places} in the ${formatNumber(seen)} listed records; ${unlisted}`;
  // Said when no other place was found too: 20 calls of one function, then 7 more records.
  return `and maybe elsewhere: ${unlisted}`;
}

/**
 * A group's other places as plain lines, `also at main (use_after_free.c:26), 2 occurrences:
 * Address 0x… is 4 bytes after a block of size 16 alloc'd`, and what they leave unsaid (see
 * moreSites): for the formats that show a group as one message.
 */
export function alsoAtLines(group: Group, records: RecordIndex, ownCode: OwnCode): string[] {
  const sites = otherSites(group, records, ownCode);
  const lines = sitesShown(sites).shown.map((site) => {
    const times = site.occurrences === 1 ? "" : `, ${formatNumber(site.occurrences)} occurrences`;
    const described = site.described !== undefined ? `: ${site.described}` : "";
    return `also at ${describeFrame(site.frame)}${times}${described}`;
  });
  const more = moreSites(sites, group, records);
  return more !== undefined ? [...lines, more] : lines;
}

/** The report's listed records by group, built once per report. */
export function recordIndex(report: Report): RecordIndex {
  const byGroup = new Map<string, Finding[]>();
  for (const finding of [...report.leaks, ...report.errors]) {
    if (uncounted(finding)) continue;
    const key = groupKey(finding);
    const listed = byGroup.get(key);
    if (listed === undefined) byGroup.set(key, [finding]);
    else listed.push(finding);
  }
  for (const listed of byGroup.values()) listed.sort(shownFirst);
  return { ofGroup: (group) => byGroup.get(groupKey(group)) ?? [] };
}

/** The order a group's shown record is chosen by: it comes first (see shown-record.ts). */
function shownFirst(a: Finding, b: Finding): number {
  return compareShown(a, b) || compareLogLocations(a.location, b.location);
}

function groupKey(x: Pick<Group, "type" | "kind" | "fingerprint">): string {
  return `${x.type}\u0000${x.kind}\u0000${x.fingerprint}`;
}

/** The first frame shown for a stack, and a key for it (`main (use_after_free.c:26)`). */
function siteOf(
  stack: readonly Frame[],
  ownCode: OwnCode,
): { frame: Frame; key: string } | undefined {
  const frame = ownFrames(stack, ownCode)[0];
  if (frame?.line === undefined) return undefined;
  // One place however a tool spells it: a full path or a base name (Valgrind's text log and
  // ASan's of one leak), a gcc clone or the source name.
  const fn = frame.function === undefined ? "???" : withoutClones(frame.function);
  return { frame, key: `${fn} ${baseName(frame.file ?? frame.object ?? "")}:${frame.line}` };
}
