import type { InputFormat, LineParser, ParseSink } from "../types.js";
import { replayReport } from "./replay.js";

// `"generator": { "name": "leaklog"` pretty-printed (as `--format json` writes it) or minified.
const GENERATOR = /"generator"\s*:\s*\{\s*"name"\s*:\s*"leaklog"/;

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
    if (!head[0]?.trimStart().startsWith("{")) return 0;
    const text = head.join("\n");
    return text.includes('"schemaVersion"') && GENERATOR.test(text) ? 1 : 0;
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
