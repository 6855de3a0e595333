import type { IToken } from "chevrotain";
import { splitSite, type Fields } from "../../../grammars/memwatch/fields.js";
import type { AuxEntry, DiagnosticCode, Frame } from "../../model/index.js";
import type { ErrorDraft } from "../types.js";
import { fieldsOf, frame, lineOf, pick, type SiteStacks } from "./frames.js";
import type { Sessions } from "./session.js";

/** What one event line becomes: an error record, a diagnostic, or a truncation notice. */
type Outcome =
  | { kind: string; counted: boolean }
  | { severity: "info" | "warning"; code: DiagnosticCode }
  | { incomplete: string };

const err = (kind: string, counted = true): Outcome => ({ kind, counted });
const info = (code: DiagnosticCode): Outcome => ({ severity: "info", code });
const warn = (code: DiagnosticCode): Outcome => ({ severity: "warning", code });

/** `internal:` lines (memwatch.md 5.8): header damage is an error, the rest are notices. */
function internal(f: Fields): Outcome {
  const text = f["detail"] ?? f["text"] ?? "";
  // Only checksum / mwIsOwned / invalid pointer / trashed info add to the anomaly count.
  if (f["file"] !== undefined)
    return err("HeapCorruption", /checksum|mwIsOwned|is invalid|info trashed/.test(text));
  if (text.includes("aborted, heap too damaged")) {
    return { incomplete: `MEMWATCH gave up its unfreed scan: ${text}` };
  }
  if (text.startsWith("mwFreeUp")) return err("AllocFail");
  return warn(text.includes("scan restarting") ? "heap-repair" : "memwatch-internal");
}

/**
 * Event token name -> outcome. The five kinds of the issue keep MEMWATCH's meaning
 * (NULL free is a warning MEMWATCH does not count); the others are named in the same style.
 */
const RULES: Readonly<Record<string, (f: Fields) => Outcome>> = {
  DoubleFree: () => err("DoubleFree"),
  WildFree: () => err("WildFree"),
  NullFree: () => err("NullFree", false),
  Overflow: () => err("Overflow"),
  Underflow: () => err("Underflow"),
  Realloc: (f) => err(f["prevFile"] !== undefined ? "ReallocOfFreed" : "ReallocOfWild"),
  Strdup: () => err("StrdupNull"),
  LimitFail: () => err("LimitFail"),
  Fail: () => err("AllocFail"),
  AssertTrap: (f) => (f["file"] !== undefined ? err("AssertTrap") : warn("malformed-line")),
  VerifyTrap: (f) => (f["file"] !== undefined ? err("VerifyTrap") : warn("malformed-line")),
  TrapOutcome: () => info("trap-outcome"),
  // `checking ...` / `complete; no errors` are progress; `check: heap ...` is a finding.
  Check: (f) => (f["file"] === undefined ? err("HeapCorruption") : info("check")),
  Autocheck: (f) =>
    (f["detail"] ?? "").startsWith("check:") ? err("HeapCorruption") : info("check"),
  Internal: internal,
  Relink: () => warn("heap-repair"),
  // NML hits count; a hit in grabbed memory does not (memwatch.md 5.4, 5.6).
  WildPointer: (f) =>
    f["allocFile"] !== undefined
      ? err("NoMansLandHit")
      : f["memType"] !== undefined
        ? err("GrabbedMemoryHit", false)
        : warn("malformed-line"),
  Mark: (f) => (f["marks"] !== undefined ? err("UnreleasedMark") : info("mark")),
  Limit: () => info("limit"),
  Grabbed: () => info("grab"),
  Dropped: () => info("grab"),
  Statistics: () => info("statistics-mode"),
  Breakout: () => info("breakout"),
  Logfile: () => warn("logfile"),
};

/** Frames of `DESC called from FILE(LINE), DESC2 called from FILE2(LINE2)` (mark_unmark.log). */
function markFrames(marks: string): Frame[] {
  const frames: Frame[] = [];
  for (const part of marks.split(" called from ").slice(1)) {
    const site = splitSite(part, false);
    if (site !== undefined) frames.push(...frame(site["file"], site["line"]));
  }
  return frames;
}

function auxOf(f: Fields, sites: SiteStacks): AuxEntry[] {
  const aux: AuxEntry[] = [];
  if (f["allocFile"] !== undefined && f["size"] !== undefined) {
    const site = `${f["allocFile"]}(${f["allocLine"] ?? ""})`;
    aux.push({
      message: `${f["size"]} bytes alloc'd at <${f["allocN"] ?? ""}> ${site}`,
      stack: sites.at(f["allocFile"], f["allocLine"]),
    });
  }
  if (f["prevFile"] !== undefined) {
    const site = `${f["prevFile"]}(${f["prevLine"] ?? ""})`;
    aux.push({ message: `was freed from ${site}`, stack: sites.at(f["prevFile"], f["prevLine"]) });
  }
  return aux;
}

const DETAIL_NAMES = {
  n: "number",
  address: "address",
  allocN: "allocNumber",
  size: "blockSize",
  wanted: "wantedBytes",
  available: "availableBytes",
  allocated: "allocatedBytes",
  expr: "expression",
  memType: "memoryType",
} as const;

/** The error record of an event line. */
export function errorDraft(token: IToken, kind: string, sites: SiteStacks): ErrorDraft {
  const f = fieldsOf(token);
  let stack = sites.at(f["file"], f["line"]);
  // An NML hit names only the block's allocation site; a leftover mark only where it was set.
  if (kind === "NoMansLandHit") stack = sites.at(f["allocFile"], f["allocLine"]);
  if (f["marks"] !== undefined) stack = markFrames(f["marks"]);
  const details = pick(f, DETAIL_NAMES);
  if (f["marks"] !== undefined) details["marks"] = f["marks"];
  return {
    type: "error",
    tool: "memwatch",
    kind,
    message: token.image,
    stack,
    aux: kind === "NoMansLandHit" ? [] : auxOf(f, sites),
    count: 1,
    ...(Object.keys(details).length > 0 ? { details } : {}),
    line: lineOf(token),
  };
}

/** Kinds whose every line MEMWATCH writes goes on with its counter, `<N> ` (memwatch.md 4, 5). */
const COUNTED_KINDS: ReadonlySet<string> = new Set([
  "DoubleFree",
  "WildFree",
  "NullFree",
  "Overflow",
  "Underflow",
  "Realloc",
  "Strdup",
  "LimitFail",
  "Fail",
  "AssertTrap",
  "VerifyTrap",
  "WildPointer",
]);

/** `check:` findings, the only `check:` lines without a counter (memwatch.md 5.5). */
const CHECK_FINDING =
  /^check: heap (?:corruption detected|chain broken, (?:prev link|next link|tail) incorrect)\s*$/;

/**
 * A line that starts with a kind but not as MEMWATCH writes it: a program's TRACE text
 * (`fail: upstream unreachable, retrying`), which failed a clean run on an invented AllocFail
 * (campaign bg). A line of MEMWATCH's cut short keeps its counter, and stays a finding.
 */
function isUserText(token: IToken): boolean {
  const name = token.tokenType.name;
  const image = token.image;
  if (name === "Check") return fieldsOf(token)["file"] === undefined && !CHECK_FINDING.test(image);
  if (!COUNTED_KINDS.has(name)) return false;
  const body = image.slice(image.indexOf(": ") + 2);
  return !/^<\d/.test(body);
}

/** Maps one event line onto records and diagnostics of the open session. */
export function mapEvent(token: IToken, sessions: Sessions): void {
  const f = fieldsOf(token);
  const line = lineOf(token);
  const trace = f["trace"];
  if (trace !== undefined) sessions.text(line, trace);
  if (trace === undefined && isUserText(token)) return sessions.text(line, token.image);
  const rule = RULES[token.tokenType.name];
  const outcome = rule === undefined ? warn("memwatch-message") : rule(f);
  if ("kind" in outcome) {
    sessions.finding(errorDraft(token, outcome.kind, sessions.sites), outcome.counted);
  } else if ("code" in outcome) {
    sessions.note(outcome.severity, outcome.code, token.image, line);
  } else {
    sessions.sink.incomplete(outcome.incomplete, line);
  }
}
