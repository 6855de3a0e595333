import type { InputFormat } from "../types.js";
import { ValgrindXmlParser } from "./parser.js";
import { watchingOtherForm } from "../mixed-forms.js";

/**
 * Detection looks for the XML declaration or the document element in the first lines; program
 * output may come first when `--xml-fd=2` mixes both on stderr. Sure (1) either way, so that
 * XML wins over the Valgrind text format, whose `==PID==` lines never start with `<`.
 */
function detect(head: readonly string[]): number {
  for (const line of head) {
    const text = line.trimStart();
    // Valgrind writes both on lines of their own: a line that only mentions them (a README,
    // a Markdown note about Valgrind) is not XML, and reading it as XML said "holding <id>".
    if (text.startsWith("<?xml") || text.startsWith("<valgrindoutput>")) return 1;
  }
  return 0;
}

/** Valgrind's `--xml=yes` output, protocols 4 to 6. */
export const valgrindXmlFormat: InputFormat = {
  id: "valgrind-xml",
  description: "Valgrind memcheck XML (--xml=yes), protocols 4-6, streamed",
  detect,
  createParser: (sink, reuse) => new ValgrindXmlParser(watchingOtherForm(sink, "xml"), reuse),
};
