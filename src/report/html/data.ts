import { framePath } from "../../analysis/frame-paths.js";
import { describeFrame, isOwnFrame, namedFrame, type OwnCode } from "../../analysis/own-frames.js";
import { MAX_GROUP_PIDS } from "../../analysis/group.js";
import type { Frame, Group, GroupMember, Report } from "../../model/index.js";
import { groupHead } from "../heads.js";
import { alsoAtLines, recordIndex, type RecordIndex } from "../sites.js";
import type { ReportContext } from "../types.js";

/** Source lines shown above and below an own-code frame's line. */
const SNIPPET_RADIUS = 3;
// A generated or minified source line can be megabytes; the report shows a readable prefix.
const SNIPPET_LINE_MAX = 300;

/** One frame as the page shows it; `own` marks the program's code, `snippet` indexes `snippets`. */
export interface PageFrame {
  fn?: string;
  file?: string;
  line?: number;
  obj?: string;
  own: boolean;
  snippet?: number;
}

/** A few source lines around one frame's line. */
export interface PageSnippet {
  file: string;
  /** 1-based line number of `lines[0]`. */
  start: number;
  /** 1-based line the frame points at. */
  focus: number;
  lines: string[];
}

/** One row of the groups table with everything its expanded view needs. */
export interface PageGroup {
  severity: string;
  type: string;
  kind: string;
  bytes: number;
  directBytes: number;
  blocks: number;
  occurrences: number;
  /**
   * Set when `occurrences` is the fewest there were (Group.countsUnknown): the table shows `2+`,
   * as the text summary says `at least 2 occurrences` (campaign ch F4).
   */
  occurrencesAtLeast?: true;
  processes: number;
  /** `processes` is the cap of the PIDs a group lists: there may be more. */
  processesCapped: boolean;
  /** The first own-code frame, described (`fn (file:line)`). */
  location: string;
  /** The group's head, as the text summary's (errorHead: a sanitizer's access, not its pc). */
  message: string;
  /** The group's other places, `also at main (use_after_free.c:26)` (see alsoAtLines). */
  elsewhere: string[];
  baseline?: string;
  fingerprint: string;
  tools: string[];
  stack: PageFrame[];
  aux: { message: string; stack: PageFrame[] }[];
  members: GroupMember[];
  membersOmitted: number;
}

/** Everything the page's script reads from the embedded JSON block. */
export interface PageData {
  groups: PageGroup[];
  snippets: PageSnippet[];
  hasBaseline: boolean;
}

/** Turns a report into the page's data: only what the table and the expanded rows show. */
export function pageData(report: Report, context: ReportContext): PageData {
  const snippets = new SnippetTable(context);
  const records = recordIndex(report);
  const groups = report.groups.map((group) => pageGroup(group, context, snippets, records));
  return {
    groups,
    snippets: snippets.list,
    hasBaseline: report.groups.some((g) => g.baseline !== undefined),
  };
}

function pageGroup(
  group: Group,
  ownCode: OwnCode,
  snippets: SnippetTable,
  records: RecordIndex,
): PageGroup {
  // One frame, as the text summary's aux line shows one: the first that names something.
  const first = namedFrame(group.stack, ownCode);
  const frames = (stack: readonly Frame[]): PageFrame[] =>
    stack.map((frame) => pageFrame(frame, ownCode, snippets));
  // A fixed group's own amounts are zeroed (gates and totals ignore it); its row, marked fixed,
  // shows what it counted in the baseline.
  const amounts = (group.baseline === "fixed" ? group.baselineAmounts : undefined) ?? group;
  return {
    severity: group.severity,
    type: group.type,
    kind: group.kind,
    bytes: amounts.bytes,
    directBytes: amounts.directBytes,
    blocks: amounts.blocks,
    occurrences: amounts.occurrences,
    ...(group.countsUnknown === true ? { occurrencesAtLeast: true as const } : {}),
    processes: group.processCount ?? group.pids.length,
    processesCapped: group.processCount === undefined && group.pids.length >= MAX_GROUP_PIDS,
    location: first !== undefined ? describeFrame(first) : "",
    // Campaign bf: the page alone headed a sanitizer error by its pc, bp and sp, and named no
    // line of a group but its first, where the text, Markdown and SARIF name each one.
    message: groupHead(group, records),
    elsewhere: alsoAtLines(group, records, ownCode),
    ...(group.baseline !== undefined ? { baseline: group.baseline } : {}),
    fingerprint: group.fingerprint,
    tools: group.tools,
    stack: frames(group.stack),
    aux: (group.aux ?? []).map((a) => ({ message: a.message, stack: frames(a.stack ?? []) })),
    members: group.members,
    membersOmitted: group.membersOmitted ?? 0,
  };
}

function pageFrame(frame: Frame, ownCode: OwnCode, snippets: SnippetTable): PageFrame {
  const own = isOwnFrame(frame, ownCode);
  const snippet = own ? snippets.find(frame) : undefined;
  return {
    ...(frame.function !== undefined ? { fn: frame.function } : {}),
    ...(frame.file !== undefined ? { file: frame.file } : {}),
    ...(frame.line !== undefined ? { line: frame.line } : {}),
    ...(frame.object !== undefined ? { obj: frame.object } : {}),
    own,
    ...(snippet !== undefined ? { snippet } : {}),
  };
}

/** Snippets shared between frames: one entry per file and line, however many stacks show it. */
class SnippetTable {
  readonly list: PageSnippet[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly context: ReportContext) {}

  find(frame: Frame): number | undefined {
    if (frame.line === undefined || frame.line < 1) return undefined;
    const file = framePath(frame);
    const lines = this.context.sources?.get(file);
    if (lines === undefined || frame.line > lines.length) return undefined;
    const key = `${file}\u0000${frame.line}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const start = Math.max(1, frame.line - SNIPPET_RADIUS);
    const end = Math.min(lines.length, frame.line + SNIPPET_RADIUS);
    this.list.push({
      file,
      start,
      focus: frame.line,
      lines: lines.slice(start - 1, end).map((l) => l.slice(0, SNIPPET_LINE_MAX)),
    });
    this.index.set(key, this.list.length - 1);
    return this.list.length - 1;
  }
}
