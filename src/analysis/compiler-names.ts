/*
 * Names gcc makes up for code the program wrote, in part from things that change with unrelated
 * edits. Fingerprints hash them without that part, as they do gcc's clone suffixes (see
 * withoutClones in fingerprint.ts): the same source code keeps its fingerprint across rebuilds.
 */

/**
 * gcc's function that runs a file's static initialisers (`_I`) or, with
 * -fno-use-cxa-atexit or an init_priority, its destructors (`_D`), named after the first global
 * symbol of the file (`_GLOBAL__sub_I__Z11parse_flagsi`, or the file's name when it has none:
 * `_GLOBAL__sub_I_init.cpp`), with a priority where one is given (`_GLOBAL__sub_I.00200__Z...`,
 * `_GLOBAL__sub_I_00200_0_...` on targets without `.` in names); LTO's merged initialiser is
 * `_sub_I_65535_0.0`. Renaming or adding an unrelated function at the top of the file renamed
 * it, and a static initialiser's unchanged leak was new and fixed (campaign bn F2,
 * test/fixtures/valgrind/cpp-rebuilds).
 */
const STATIC_INITIALIZER_NAME = /^(?:_GLOBAL__sub_([ID])(?:[._]|$)|_sub_([ID])_\d+_\d+(?:\.\d+)*$)/;

/**
 * A function's name as fingerprints hash it: a static initialiser's as `_GLOBAL__sub_I` or
 * `_GLOBAL__sub_D` (see STATIC_INITIALIZER_NAME); other names as they are.
 */
export function stableName(name: string): string {
  if (name.charCodeAt(0) === 95 /* _ */) {
    const init = STATIC_INITIALIZER_NAME.exec(name);
    if (init !== null) return `_GLOBAL__sub_${init[1] ?? init[2] ?? ""}`;
  }
  return name;
}
