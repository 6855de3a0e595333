import type { SuppressionSet } from "../analysis/suppressions/suppressor.js";

/**
 * `suppressions` as plain JavaScript may pass it: `{ valgrind }` alone broke deep inside with
 * "Cannot read properties of undefined (reading 'filter')" (campaign bc). Throws a TypeError
 * naming the list that is not one and the parser that makes it.
 */
export function checkSuppressionSet(set: SuppressionSet): void {
  // Each list, the parser that makes it, and whether it may be left out.
  const lists: [string, unknown, string, boolean][] = [
    ["valgrind", set.valgrind, "parseValgrindSuppressions", false],
    ["lsan", set.lsan, "parseLsanSuppressions", false],
    ["tsan", set.tsan, "parseTsanSuppressions", true],
  ];
  for (const [name, list, parser, optional] of lists) {
    if (Array.isArray(list) || (optional && list === undefined)) continue;
    const none = optional ? "" : ", or [] for none";
    throw new TypeError(
      `summarize: suppressions.${name} must be a list of entries (${parser}(text).suppressions${none})`,
    );
  }
}
