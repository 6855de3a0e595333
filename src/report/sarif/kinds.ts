import type { Group } from "../../model/index.js";
import { TAGS, type KindText } from "./kind-text.js";
import { ASAN_TEXTS } from "./kinds-asan.js";
import { HELGRIND_DRD_TEXTS } from "./kinds-helgrind-drd.js";
import { LEAK_TEXTS, MEMCHECK_TEXTS } from "./kinds-memcheck.js";
import { MEMWATCH_TEXTS } from "./kinds-memwatch.js";
import { TSAN_TEXTS } from "./kinds-tsan.js";
import { UBSAN_TEXTS } from "./kinds-ubsan.js";

/**
 * Every kind leaklog knows (the leak kinds and KNOWN_ERROR_KINDS), by name, with what its SARIF
 * rule says. A Map, not an object: a kind is whatever a log printed, and `constructor` or
 * `__proto__` must find no entry.
 */
const KIND_TEXTS: ReadonlyMap<string, KindText> = new Map(
  [
    LEAK_TEXTS,
    MEMCHECK_TEXTS,
    HELGRIND_DRD_TEXTS,
    MEMWATCH_TEXTS,
    ASAN_TEXTS,
    UBSAN_TEXTS,
    TSAN_TEXTS,
  ]
    .map((texts) => Object.entries(texts))
    .flat(),
);

/**
 * What the rule of `kind` says. A kind leaklog does not know (the set is open: it is kept as the
 * tool printed it) is named and nothing more: it is not known to be a memory error, a race or
 * anything else, so it carries no tag but a leak's.
 */
export function kindText(kind: string, type: Group["type"]): KindText {
  const known = KIND_TEXTS.get(kind);
  if (known !== undefined) return known;
  if (type === "leak")
    return {
      short: `Leak of kind '${kind}'`,
      full: `The tool reported a leak of kind '${kind}', which leaklog keeps as printed.`,
      tags: TAGS.leak,
    };
  return {
    short: `Finding of kind '${kind}'`,
    full: `The tool reported a finding of kind '${kind}', which leaklog does not know and keeps as printed; the result's message gives the tool's own words.`,
    tags: [],
  };
}
