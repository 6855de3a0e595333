import { describeFrame, strictlyOwnFrames } from "../analysis/own-frames.js";
import type { Frame, Group } from "../model/index.js";
import { primaryLocation } from "./describe.js";
import type { OwnCode } from "../analysis/own-frames.js";
import type { LogBases } from "./log-location.js";

/**
 * What tells apart groups that the CI formats would show alike: of one type and kind, at one
 * place in the program's own code (their first frame there, where SARIF and Code Quality point
 * them), reached through different callers. One fault reached by several tests is a group per
 * caller (fingerprints take the stack), and Code Quality showed four issues "definitely-lost: 64
 * bytes in 2 blocks definitely lost" at parser.cpp:9, SARIF four such results, JUnit four names
 * that differed in a hash alone (campaign cc Q1, by Q3). Each such group gets the first own frame
 * below that place where it parts from the group most like it (a test's `TestBody()`), which
 * the formats name it by (`via ...`). Groups whose own callers are all alike (they differ in
 * library frames only) get none; the text summary tells those apart.
 */
export function callersApart(
  groups: readonly Group[],
  ownCode: OwnCode & LogBases,
): Map<Group, Frame> {
  const alike = new Map<string, { group: Group; callers: Frame[] }[]>();
  for (const group of groups) {
    const own = strictlyOwnFrames(group.stack, ownCode);
    const place = primaryLocation(group.stack, ownCode, own);
    if (place === undefined) continue;
    const key = [group.type, group.kind, place.path, place.line ?? ""].join("\u0000");
    const at = own.indexOf(place.frame);
    if (at === -1) continue;
    const callers = own.slice(at + 1);
    const bucket = alike.get(key);
    if (bucket === undefined) alike.set(key, [{ group, callers }]);
    else bucket.push({ group, callers });
  }
  const apart = new Map<Group, Frame>();
  for (const bucket of alike.values()) {
    if (bucket.length < 2) continue;
    for (const { group, callers } of bucket) {
      const others = bucket.filter((other) => other.group !== group).map((o) => o.callers);
      const at = Math.max(...others.map((other) => commonStart(other, callers)));
      const frame = callers[at];
      if (frame !== undefined) apart.set(group, frame);
    }
  }
  return apart;
}

/** How many frames two lists of callers share from their start (by function and file). */
function commonStart(a: readonly Frame[], b: readonly Frame[]): number {
  let n = 0;
  while (n < a.length && n < b.length && sameCaller(a[n] as Frame, b[n] as Frame)) n += 1;
  return n;
}

function sameCaller(a: Frame, b: Frame): boolean {
  return a.function === b.function && a.file === b.file && a.object === b.object;
}

/** `, via FRAME` after a group's sentence, or nothing (see callersApart). */
export function via(caller: Frame | undefined): string {
  return caller !== undefined ? `, via ${describeFrame(caller)}` : "";
}
