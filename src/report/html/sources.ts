import { framePath } from "../../analysis/frame-paths.js";
import { isOwnFrame, type OwnCode } from "../../analysis/own-frames.js";
import { groupFrames } from "../../analysis/source-files.js";
import type { Report } from "../../model/index.js";

/**
 * The source files whose lines the HTML report can show: every own-code frame with a line, in
 * the groups' stacks and aux stacks. Paths are as the frames name them (`framePath`), which is
 * also the key of `ReportContext.sources`; the CLI resolves them under the source root.
 */
export function wantedSourceFiles(report: Report, ownCode: OwnCode = {}): string[] {
  const files = new Set<string>();
  for (const group of report.groups) {
    for (const frame of groupFrames(group)) {
      if (frame.line !== undefined && isOwnFrame(frame, ownCode)) files.add(framePath(frame));
    }
  }
  return [...files].sort();
}
