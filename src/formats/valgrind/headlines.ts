/**
 * Valgrind's text headlines mapped to its XML kind names (memcheck/mc_errors.c prints both), so
 * that the text and the XML of one run give the same records. Unknown headlines keep their text
 * with kind "Unknown".
 */
const HEADLINE_KINDS: readonly (readonly [RegExp, string])[] = [
  [/^Invalid read of size/, "InvalidRead"],
  [/^Invalid write of size/, "InvalidWrite"],
  [/^Invalid free\(\)/, "InvalidFree"],
  [/^Mismatched free\(\)/, "MismatchedFree"],
  [/^Conditional jump or move depends/, "UninitCondition"],
  [/^Use of uninitialised value/, "UninitValue"],
  [/^Syscall param /, "SyscallParam"],
  [/^Source and destination overlap/, "Overlap"],
  [/^Argument '[^']*' of function .* has a fishy/, "FishyValue"],
  [/^Jump to the invalid address/, "InvalidJump"],
  [/^realloc\(\) with size 0/, "ReallocSizeZero"],
  [/^(?:Unaddressable|Uninitialised) byte\(s\) found during client check/, "ClientCheck"],
  [/^Illegal memory pool address/, "InvalidMemPool"],
  [/^Invalid alignment value/, "InvalidAlignment"],
  [/^Invalid size value/, "InvalidSizeAndAlignment"],
  // `posix_memalign() invalid size value: 0` (3.22-3.25), reworded in 3.26 (campaign bw F1).
  [/^(?:\w+\(\) invalid size value: |Unsafe allocation with size of zero )/, "InvalidSize"],
  // `new/delete`, `new[]/delete[]`, and the size one's `new[][/delete[]` (Valgrind's typo).
  [/^Mismatched new(?:\[\]\[?)?\/delete(?:\[\])? size/, "MismatchedAllocateDeallocateSize"],
  [
    /^Mismatched new(?:\[\]\[?)?\/delete(?:\[\])? alignment/,
    "MismatchedAllocateDeallocateAlignment",
  ],
  // A double close: `File descriptor 3: /etc/passwd is already closed` (3.23+). A use of a closed
  // one, `File descriptor 7 was closed already` (3.24+), is FdBadUse, as in the XML (bw F1).
  [/^File descriptor -?\d+(?:: .*)? is already closed/, "FdBadClose"],
  [/^(?:File descriptor -?\d+ |Invalid file descriptor )/, "FdBadUse"],
];

/** The XML kind name for a text headline, or "Unknown". */
export function errorKindOf(headline: string): string {
  for (const [pattern, kind] of HEADLINE_KINDS) if (pattern.test(headline)) return kind;
  return "Unknown";
}
