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
  [/^Mismatched new\/delete size/, "MismatchedAllocateDeallocateSize"],
  [/^Mismatched new\/delete alignment/, "MismatchedAllocateDeallocateAlignment"],
  [/^File descriptor [\d-]+ .*(?:already closed|was closed)/, "FdBadClose"],
  [/^(?:File descriptor [\d-]+ |Invalid file descriptor )/, "FdBadUse"],
];

/** The XML kind name for a text headline, or "Unknown". */
export function errorKindOf(headline: string): string {
  for (const [pattern, kind] of HEADLINE_KINDS) if (pattern.test(headline)) return kind;
  return "Unknown";
}
