import { withoutClones } from "../analysis/fingerprint.js";
import { baseName } from "../analysis/frame-paths.js";
import { ownFrames, type OwnCode } from "../analysis/own-frames.js";
import type { Finding, Frame, Group, Report } from "../model/index.js";

/** Other places one group's findings were made, as many as the report lists. */
export interface OtherSite {
  /** The first frame shown there, as the group's own first frame is chosen. */
  frame: Frame;
  occurrences: number;
}

/**
 * The group's findings made elsewhere than its first one. A fingerprint leaves line numbers
 * out, so that a group survives edits, and two bugs in one function reached the same way are
 * one group: use_after_free.c's reads at lines 20 and 26 are one InvalidRead group shown at
 * line 20. The listed records (members cap at 20, records at --max-records) still hold each
 * one's stack; the sites are the first frames they would show, other than the group's own.
 */
export function otherSites(group: Group, records: RecordIndex, ownCode: OwnCode): OtherSite[] {
  const first = siteOf(group.stack, ownCode);
  if (first === undefined) return [];
  const sites = new Map<string, OtherSite>();
  for (const member of group.members) {
    const record = records.get(member.id);
    const site = record !== undefined ? siteOf(record.stack, ownCode) : undefined;
    if (record === undefined || site === undefined || site.key === first.key) continue;
    const found = sites.get(site.key) ?? { frame: site.frame, occurrences: 0 };
    found.occurrences += record.type === "error" ? record.count : 1;
    sites.set(site.key, found);
  }
  return [...sites.values()];
}

export type RecordIndex = ReadonlyMap<string, Finding>;

/** Other places a report lists under a group's frames; one more is listed rather than counted. */
const SITES_SHOWN = 3;

/** The sites a report lists, and how many more it only counts. */
export function sitesShown(sites: readonly OtherSite[]): { shown: OtherSite[]; more: number } {
  const shown = sites.length <= SITES_SHOWN + 1 ? [...sites] : sites.slice(0, SITES_SHOWN);
  return { shown, more: sites.length - shown.length };
}

/** The report's listed records by id, built once per report. */
export function recordIndex(report: Report): RecordIndex {
  const index = new Map<string, Finding>();
  for (const leak of report.leaks) index.set(leak.id, leak);
  for (const error of report.errors) index.set(error.id, error);
  return index;
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
