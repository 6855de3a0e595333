import {
  allocatorFrameCount,
  isAllocatorFrameAt,
  isStartupTailFrame,
} from "../../analysis/allocator-frames.js";
import { describeFrame, type OwnCode } from "../../analysis/own-frames.js";
import { via } from "../callers-apart.js";
import type { Frame, Group } from "../../model/index.js";
import { formatNumber, groupSentence, primaryLocation } from "../describe.js";
import { groupHead } from "../heads.js";
import { locateLogLine, type LogBases } from "../log-location.js";
import { otherSites, shownPlace, sitesShown, type OtherSite, type RecordIndex } from "../sites.js";
import { levelOf, type SarifLevel } from "./level.js";
import {
  frameLocation,
  logLocation,
  messageText,
  sourceLocation,
  unlocatedNote,
  type SarifLocation,
} from "./locations.js";

/**
 * The partial fingerprint's name; bump the version if the fingerprint's recipe changes. GitHub
 * code scanning does not read it: it tracks alerts by the `primaryLocationLineHash` made from
 * it (see withLineHashes).
 */
export const FINGERPRINT_KEY = "leaklogStack/v1";

/** A SARIF codeFlow (§3.36): one stack, outermost call first. */
export interface SarifCodeFlow {
  message: { text: string };
  threadFlows: { locations: { location: SarifLocation; nestingLevel: number }[] }[];
}

/** A SARIF result (§3.27), reduced to the parts leaklog fills in. */
export interface SarifResult {
  ruleId: string;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: (SarifLocation & { id: number })[];
  partialFingerprints: Record<string, string>;
  codeFlows?: SarifCodeFlow[];
  baselineState?: "new" | "unchanged" | "absent";
  properties: Record<string, unknown>;
}

const BASELINE_STATES = { new: "new", unchanged: "unchanged", fixed: "absent" } as const;

/**
 * One result per group. The primary location is the first frame in the program's own code;
 * without one, the log line that reported it (GitHub code scanning drops results that have no
 * file and line: rules GH1001, GH1003), or, for a log that is no file in the checkout, no
 * physical location and a message that says so. The whole stack, and each aux stack ("Block
 * was alloc'd at"), is a code flow.
 */
/**
 * Why a result points at the log: "own code" is a file under the source root, and a build made
 * elsewhere (memleax's /home/dev/leaktests/...) has frames with lines that are not.
 */
const NOT_OWN =
  "No frame with a source line names a file under the source root (--source-root, else the working directory; --path-map maps a build's paths onto it)";

export function resultFor(
  group: Group,
  ownCode: OwnCode & LogBases,
  records: RecordIndex,
  caller?: Frame,
): SarifResult {
  const elsewhere = otherSites(group, records, ownCode);
  const head = groupHead(group, records);
  const own = primaryLocation(group.stack, ownCode);
  const ownWithLine = own?.line !== undefined ? own : undefined;
  const place = shownPlace(group, records);
  // A fixed group (baseline) has no members: nothing but its stack to point at.
  const log = place !== undefined ? locateLogLine(place.path, place.line, ownCode) : undefined;
  const location =
    ownWithLine !== undefined
      ? sourceLocation(ownWithLine)
      : logLocation(log, topFrame(group.stack));
  const where =
    ownWithLine !== undefined || log === undefined
      ? ""
      : log.located
        ? ` ${NOT_OWN}: the location is the log line that reported it.`
        : ` ${NOT_OWN}. ${unlocatedNote(log)}`;
  const flows = codeFlows(group, ownCode, head);
  const { related, more } = relatedSites(elsewhere, ownCode);
  const sentence = `${groupSentence(group, head)}${via(caller)}.${where}`;
  return {
    ruleId: group.kind,
    level: levelOf(group.severity),
    message: { text: messageText(`${sentence}${alsoAt(elsewhere)}${relatedLeftOut(more)}`) },
    // An empty location object says nothing; an empty list says there is no location.
    locations: Object.keys(location).length > 0 ? [location] : [],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: group.fingerprint },
    ...(flows.length > 0 ? { codeFlows: flows } : {}),
    ...(group.baseline !== undefined ? { baselineState: BASELINE_STATES[group.baseline] } : {}),
    properties: groupProperties(group),
  };
}

/**
 * Related locations per result, at most: with the result's own location, the 100 locations of
 * a result GitHub code scanning keeps (its limits page: "Location per result: 1,000. Only 100
 * locations will be included"), past which it drops the rest or, past 1,000, rejects the whole
 * upload. One function with 1,200 leaking lines had 1,199 (campaign cf Q5).
 */
const MAX_RELATED = 99;

/**
 * The group's findings made elsewhere (see sites.ts) as related locations, the first
 * MAX_RELATED of them, and how many more there were: one result per group is one alert, so
 * without them a second bug in the same function had no line of its own.
 */
function relatedSites(
  elsewhere: readonly OtherSite[],
  ownCode: OwnCode & LogBases,
): { related: (SarifLocation & { id: number })[]; more: number } {
  const located = elsewhere.flatMap((site, i) => {
    const own = primaryLocation([site.frame], ownCode);
    if (own?.line === undefined) return [];
    const text = `also at ${describeFrame(site.frame)}`;
    return [{ id: i + 1, ...sourceLocation(own), message: { text: messageText(text) } }];
  });
  return {
    related: located.slice(0, MAX_RELATED),
    more: Math.max(0, located.length - MAX_RELATED),
  };
}

/**
 * What the related locations leave out, when they do: `The related locations list the first 99
 * of these places; 50 more are not among them.`
 */
function relatedLeftOut(more: number): string {
  if (more === 0) return "";
  return ` The related locations list the first ${MAX_RELATED} of these places; ${formatNumber(more)} more ${more === 1 ? "is" : "are"} not among them.`;
}

/** ` Also at main (invalid_free.c:13), ... (2 occurrences)`, as the text summary lists them. */
function alsoAt(elsewhere: readonly OtherSite[]): string {
  if (elsewhere.length === 0) return "";
  const { shown, more } = sitesShown(elsewhere);
  const places = shown.map((s) => describeFrame(s.frame));
  const rest = more > 0 ? ` and ${more} more ${more === 1 ? "place" : "places"}` : "";
  return ` Also at ${places.join(", ")}${rest}.`;
}

/** The group's stacks, the first under `head` (an error's, see groupHead), the aux ones after. */
function codeFlows(group: Group, ownCode: OwnCode & LogBases, head: string): SarifCodeFlow[] {
  const stacks: { message: string; stack: readonly Frame[] }[] = [
    { message: group.type === "leak" ? "Allocated at" : head, stack: group.stack },
    ...(group.aux ?? []).flatMap((aux) =>
      aux.stack !== undefined ? [{ message: aux.message, stack: aux.stack }] : [],
    ),
  ];
  // A threadFlow needs at least one location (the schema's minItems).
  return stacks
    .filter((s) => s.stack.length > 0)
    .map(({ message, stack }) => ({
      message: { text: messageText(message) },
      threadFlows: [
        {
          // Stacks are innermost first; a code flow runs in execution order, outermost first.
          locations: [...stack].reverse().map((frame, depth) => ({
            location: frameLocation(frame, ownCode),
            nestingLevel: depth,
          })),
        },
      ],
    }));
}

function topFrame(stack: readonly Frame[]): Frame | undefined {
  const allocators = allocatorFrameCount(stack);
  // Not libc's start-up (`(below main)`, `__libc_start_main`) or a thread's: a stripped
  // program's leak was placed in `(below main)`, where the text summary says `???`.
  return stack.find(
    (frame, i) =>
      !isAllocatorFrameAt(stack, i, allocators) &&
      frame.function !== undefined &&
      !isStartupTailFrame(frame),
  );
}

function groupProperties(group: Group): Record<string, unknown> {
  return {
    type: group.type,
    ...(group.type === "leak"
      ? { bytes: group.bytes, directBytes: group.directBytes, blocks: group.blocks }
      : {}),
    occurrences: group.occurrences,
    pids: group.pids,
    tools: group.tools,
    members: group.members.length + (group.membersOmitted ?? 0),
  };
}
