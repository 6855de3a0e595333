import type { InputFormat, LineParser, ParseSink } from "../types.js";
import { GENERATOR, isReportHead } from "./head.js";
import { replayReport } from "./replay.js";

/**
 * The line cap for a minified report (`JSON.stringify(report)`, the library's natural way to
 * write one) and for an NDJSON one: a minified report's one line is the whole report, and an
 * NDJSON source line lists every process of its log (1.4 MB for 25,000 processes), each
 * buffered whole like a pretty-printed report's lines, so the 1 MiB cap that keeps a log's
 * giant lines from the parsers made them `bad-report`s, and their merge exited 2. 256 MiB stays
 * under V8's longest string (2^29 - 24 characters).
 */
const REPORT_LINE_CAP = 256 << 20;
/** How `--format ndjson` begins. */
const NDJSON_HEADER = '{"record":"header",';

/**
 * leaklog's own JSON reports as input, so that sharded CI jobs can each write a report and a
 * last job merges them (`leaklog summarize shard-*.json`). The report is a multi-line document:
 * its lines are buffered (memory bounded by the report's size) and parsed at end() with the
 * `Report` schema. Its records re-enter as findings (ids, fingerprints, severities and groups
 * are recomputed; the fingerprint algorithm is the same, so groups dedupe across shards); the
 * record's original log path, line and id move to `details["origin.path"|"origin.line"|
 * "origin.id"]` (kept from the first report when reports are merged again), while `location`
 * points into the JSON file. Its NDJSON (`--format ndjson`) is put back together into the same
 * report first (see reportOfNdjson).
 */
export const leaklogJsonFormat: InputFormat = {
  id: "leaklog-json",
  description: "leaklog's own JSON or NDJSON report (--format json|ndjson), to merge reports",
  detect(head) {
    return isReportHead(head) ? 1 : 0;
  },
  // A report is a document of its own, whose first line is its `{`.
  headOnly: true,
  lineCapFor(head) {
    const first = head.trimStart();
    const report = first.startsWith('{"schemaVersion":') || first.startsWith(NDJSON_HEADER);
    return report && GENERATOR.test(first) ? REPORT_LINE_CAP : undefined;
  },
  createParser(sink: ParseSink): LineParser {
    const lines: string[] = [];
    return {
      line(text) {
        lines.push(text);
      },
      end() {
        replayReport(lines, sink);
      },
    };
  },
};
