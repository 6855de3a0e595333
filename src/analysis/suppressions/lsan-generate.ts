import type { Frame, Report } from "../../model/index.js";
import { withoutAllocatorFrames } from "../allocator-frames.js";
import { baseName } from "../frame-paths.js";
import { groupRecords } from "./valgrind-generate.js";

/**
 * LeakSanitizer suppressions (`LSAN_OPTIONS=suppressions=FILE`), one `leak:` line per leak group,
 * deduplicated. LSan suppresses a leak when the pattern is found in any frame's function, file
 * or module (compiler-rt's TemplateMatch, see lsan.ts), so the line names the allocation site:
 * the first frame after the allocator's own (`malloc`, `operator new`, interceptors). Its
 * function when known, else its module's file name. Memory errors are left out: LSan has no
 * suppressions for them. Names are written as printed (`*` and `^`/`$` have no special use in
 * C names; a C++ name keeps its parameter list, which LSan's symbolizer prints too).
 */
export function generateLsanSuppressions(report: Report): string {
  const lines = new Set<string>();
  for (const { records } of groupRecords(report)) {
    for (const record of records) {
      if (record.type !== "leak") continue;
      const pattern = sitePattern(withoutAllocatorFrames(record.stack)[0]);
      if (pattern !== undefined) lines.add(`leak:${pattern}`);
    }
  }
  if (lines.size === 0) return "";
  return ["# LeakSanitizer suppressions written by leaklog", ...lines]
    .map((l) => `${l}\n`)
    .join("");
}

function sitePattern(frame: Frame | undefined): string | undefined {
  if (frame === undefined) return undefined;
  if (frame.function !== undefined && frame.function !== "(below main)") return frame.function;
  return frame.object !== undefined ? baseName(frame.object) : undefined;
}
