import { TAGS, type KindTexts } from "./kind-text.js";

/**
 * MEMWATCH's kinds (src/formats/memwatch/events.ts names them), worded after memwatch.h's list of
 * "Errors caught by MemWatch", and memleax's failed allocation.
 */
export const MEMWATCH_TEXTS: KindTexts = {
  DoubleFree: {
    short: "Double free",
    full: "A pointer that was recently freed was freed again (MEMWATCH remembers the last 64 frees); MEMWATCH cancels the second free.",
    tags: TAGS.memoryError,
  },
  WildFree: {
    short: "Free of a wild pointer",
    full: "free was given a pointer MEMWATCH never allocated: an address inside a block or on the stack, memory from another allocator, or a block freed too long ago for MEMWATCH to remember.",
    tags: TAGS.memoryError,
  },
  NullFree: {
    short: "Free of a null pointer",
    full: "free was called with a NULL pointer, which does nothing; MEMWATCH logs it as a warning without counting it as an error.",
    tags: TAGS.memory,
  },
  Overflow: {
    short: "Buffer overflow",
    full: "The program wrote past the end of a heap block, into the guard bytes after it. MEMWATCH finds it when the block is freed or checked, so the line named is where it was found, not where it was written.",
    tags: TAGS.memoryError,
  },
  Underflow: {
    short: "Buffer underflow",
    full: "The program wrote before the start of a heap block, into the guard bytes ahead of it. MEMWATCH finds it when the block is freed or checked, so the line named is where it was found, not where it was written.",
    tags: TAGS.memoryError,
  },
  ReallocOfFreed: {
    short: "Realloc of a freed block",
    full: "realloc was given a pointer to a block that was already freed, a use after free; MEMWATCH cancels the realloc and returns NULL.",
    tags: TAGS.memoryError,
  },
  ReallocOfWild: {
    short: "Realloc of a wild pointer",
    full: "realloc was given a pointer MEMWATCH never allocated (an address inside a block or on the stack, or memory from another allocator); MEMWATCH cancels the realloc and returns NULL.",
    tags: TAGS.memoryError,
  },
  StrdupNull: {
    short: "strdup of a null pointer",
    full: "strdup was called with a NULL pointer, usually a string the program did not check.",
    tags: TAGS.memoryError,
  },
  LimitFail: {
    short: "Allocation over the set limit",
    full: "An allocation failed because it would go past the limit set with mwLimit, which simulates low memory to stress-test the program; NULL was returned.",
    tags: TAGS.memory,
  },
  AllocFail: {
    short: "Allocation failed",
    full: "An allocation returned NULL: memory ran out or was too fragmented, or the size asked for was far too large.",
    tags: TAGS.memory,
  },
  AssertTrap: {
    short: "ASSERT() failed",
    full: "The expression of a MEMWATCH ASSERT() was false; unless told otherwise MEMWATCH checks the heap and aborts the program.",
    tags: TAGS.assertion,
  },
  VerifyTrap: {
    short: "VERIFY() failed",
    full: "The expression of a MEMWATCH VERIFY() was false; VERIFY() works like ASSERT(), but its expression is still evaluated in a build without MEMWATCH.",
    tags: TAGS.assertion,
  },
  HeapCorruption: {
    short: "Heap corruption",
    full: "MEMWATCH found its own records of the heap damaged (a block's checksum, the chain of blocks): the program is writing wildly, often through an uninitialised or stale pointer or far past a block.",
    tags: TAGS.memoryError,
  },
  NoMansLandHit: {
    short: "Write to no-man's-land",
    full: "Memory MEMWATCH keeps as no-man's-land (freed blocks held back with mwNoMansLand) was written to: a write through a dangling pointer, or a wild write.",
    tags: TAGS.memoryError,
  },
  GrabbedMemoryHit: {
    short: "Write to grabbed memory",
    full: "Memory MEMWATCH grabbed with mwGrab to stress-test the program was modified: a wild write. MEMWATCH does not count it as an error.",
    tags: TAGS.memoryError,
  },
  UnreleasedMark: {
    short: "Mark left at exit",
    full: "A pointer marked with mwMark or MARK() was still marked when the program ended: the resource it tracks, memory or not, was never released with mwUnmark or UNMARK().",
    tags: ["leak"],
  },
  TraceOverflow: {
    short: "TRACE() output overflowed its buffer",
    full: "A message MEMWATCH formatted, usually a TRACE() text over 2048 bytes, was longer than its buffer and was written past its end; MEMWATCH warns that the program is unstable from then on.",
    tags: TAGS.memoryError,
  },
  // memleax (src/formats/memleax/records.ts).
  AllocReturnsNull: {
    short: "Allocation returned NULL",
    full: "malloc, calloc or realloc returned NULL in the process memleax watched: memory ran out, or the size asked for was far too large.",
    tags: TAGS.memory,
  },
};
