import { forwarding } from "../engine/embedded-sink.js";
import type { ParseSink } from "./types.js";

/**
 * The root of a Valgrind XML document (`--xml=yes`), on its own line as Valgrind writes it: a
 * program's own XML starts with a declaration too (campaign v12: a config dump marked a whole
 * text log incomplete).
 */
const XML_START = /^\s*<valgrindoutput>\s*$/;

/** A Valgrind text log's first line: `==123== Memcheck, a memory error detector`. */
const TEXT_START =
  /^==\d+== (?:[A-Z][A-Za-z]*|drd|exp-[a-z]+), (?:an?|the) [\w &,-]+ (?:detector|profiler|checker|tool|generator)$/;

/**
 * The sink of a Valgrind text or XML parser, watching the lines it calls the program's for the
 * start of a log of the other form: a CI job's log with a text step and an `--xml=yes --xml-fd=2`
 * step, or two logs joined with `cat`. Each parser reads one form, so the other log's lines were
 * counted as program output, its findings lost unsaid, and a gate on them passed (campaign be).
 * Said once, as an incomplete source: what the other log held is not in the report.
 */
export function watchingOtherForm(sink: ParseSink, form: "text" | "xml"): ParseSink {
  const other = form === "text" ? XML_START : TEXT_START;
  const named = form === "text" ? "a Valgrind XML document" : "a Valgrind text log";
  const within = form === "text" ? "text log" : "XML document";
  let said = false;
  return forwarding(sink, {
    programLine(line, text) {
      if (!said && other.test(text)) {
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
