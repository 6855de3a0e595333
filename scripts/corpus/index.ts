import { checkMemleax } from "./memleax.js";
import { checkMemwatch } from "./memwatch.js";
import { checkSanitizer } from "./sanitizer.js";
import type { CorpusChecker } from "./types.js";
import { checkValgrindText } from "./valgrind.js";
import { checkValgrindXml } from "./valgrind-xml.js";

/** Every corpus checker, by the name `npm run corpus` prints. */
export const CORPUS_CHECKERS: Readonly<Record<string, CorpusChecker>> = {
  "valgrind text": checkValgrindText,
  "valgrind xml": checkValgrindXml,
  memleax: checkMemleax,
  memwatch: checkMemwatch,
  sanitizer: checkSanitizer,
};
