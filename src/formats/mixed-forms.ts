import { classifyLine, ToolBanner } from "../../grammars/valgrind/line-kinds.js";
import { forwarding } from "../engine/embedded-sink.js";
import { splitPrefix } from "./valgrind/prefix.js";
import type { ParseSink } from "./types.js";

/**
 * The root of a Valgrind XML document (`--xml=yes`), on its own line as Valgrind writes it: a
 * program's own XML starts with a declaration too (campaign v12: a config dump marked a whole
 * text log incomplete).
 */
const XML_START = /^\s*<valgrindoutput>\s*$/;

/** A Valgrind text log's first line, its tool's banner: `==123== Memcheck, a memory error detector`. */
function isTextStart(text: string): boolean {
  const prefixed = splitPrefix(text);
  return prefixed?.marker === "=" && classifyLine(prefixed.body) === ToolBanner;
}

function isXmlStart(text: string): boolean {
  return XML_START.test(text);
}

/**
 * The sink of a Valgrind text or XML parser, watching the lines it calls the program's for the
 * start of a log of the other form: a CI job's log with a text step and an `--xml=yes --xml-fd=2`
 * step, or two logs joined with `cat`. Each parser reads one form, so the other log's lines were
 * counted as program output, its findings lost unsaid, and a gate on them passed (campaign be).
 * Said once, as an incomplete source: what the other log held is not in the report.
 */
export function watchingOtherForm(sink: ParseSink, form: "text" | "xml"): ParseSink {
  const isOther = form === "text" ? isXmlStart : isTextStart;
  const named = form === "text" ? "a Valgrind XML document" : "a Valgrind text log";
  const within = form === "text" ? "text log" : "XML document";
  let said = false;
  return forwarding(sink, {
    programLine(line, text) {
      if (!said && isOther(text)) {
        said = true;
        sink.incomplete(
          `${named} starts at line ${line} inside this ${within}: leaklog reads one form per input, so its records are not in the report (give it as an input of its own)`,
          line,
          "valgrind-forms-mixed",
        );
      }
      sink.programLine(line, text);
    },
  });
}
