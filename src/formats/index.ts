import type { FormatId } from "../model/index.js";
import { leaklogJsonFormat } from "./leaklog-json/index.js";
import { memleaxFormat } from "./memleax/index.js";
import { memwatchFormat } from "./memwatch/index.js";
import { sanitizerFormat } from "./sanitizer/index.js";
import type { InputFormat } from "./types.js";
import { valgrindXmlFormat } from "./valgrind-xml/index.js";
import { valgrindText } from "./valgrind/index.js";

/**
 * The registry of input formats. Adding a format is one folder under src/formats (and one under
 * grammars) plus one line here; `--input-format`, `--help` and detection all read this list.
 * Order matters only for detection ties: the more specific format comes first (XML before text,
 * sanitizer reports before Valgrind, which shares their `==PID==` prefix).
 */
export const INPUT_FORMATS: readonly InputFormat[] = [
  valgrindXmlFormat,
  sanitizerFormat,
  valgrindText,
  memleaxFormat,
  memwatchFormat,
  leaklogJsonFormat,
];

/** The ids users can pass to `--input-format`. */
export function inputFormatIds(): FormatId[] {
  return INPUT_FORMATS.map((f) => f.id);
}

export type { InputFormat };
