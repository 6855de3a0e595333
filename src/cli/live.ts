import type { ParseEvent } from "../engine/source-builder.js";
import type { DiagnosticCode } from "../model/index.js";
import { clean } from "../report/text/style.js";
import type { SummarizeOptions } from "./options.js";
import type { CliIO } from "./run.js";

// Diagnostics that announce something as it happens, worth showing before the summary.
const LIVE_CODES: ReadonlySet<string> = new Set<DiagnosticCode>(["memleax-expired"]);

/**
 * The live display of a pipe (`memleax -e 30 PID | leaklog summarize -`): each new call stack is
 * shown as it first expires, before the full summary at the end of the stream or on Ctrl-C.
 * Text shows one line per event on a terminal; `--format ndjson` writes one `live` JSON line per
 * event, terminal or not, so a consumer can react at once. Nothing is shown when the report goes
 * to a file or standard input is not among the inputs.
 */
export function liveDisplay(
  options: SummarizeOptions,
  io: CliIO,
): ((event: ParseEvent) => void) | undefined {
  if (!options.inputs.includes("-") || options.output !== undefined) return undefined;
  if (options.format === "ndjson") {
    return (event) => {
      if (event.type !== "diagnostic" || !LIVE_CODES.has(event.diagnostic.code)) return;
      const { code, message, path, line } = event.diagnostic;
      io.stdout.write(`${JSON.stringify({ record: "live", code, message, path, line })}\n`);
    };
  }
  if (options.format === "text" && io.stdout.isTTY === true) {
    return (event) => {
      if (event.type !== "diagnostic" || !LIVE_CODES.has(event.diagnostic.code)) return;
      io.stdout.write(`live: ${clean(event.diagnostic.message)}\n`);
    };
  }
  return undefined;
}
