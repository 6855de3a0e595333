import { TAGS, type KindTexts } from "./kind-text.js";

/**
 * The leak kinds, worded after the Valgrind manual's "Memory leak detection" section: the
 * sanitizers' and memleax's leaks are mapped onto the same classes.
 */
export const LEAK_TEXTS: KindTexts = {
  "definitely-lost": {
    short: "Memory definitely lost",
    full: "No pointer to the block was found at exit: the program leaked it.",
    tags: TAGS.leak,
  },
  "indirectly-lost": {
    short: "Memory indirectly lost",
    full: "The block is only reachable through blocks that are themselves lost; fixing the leak of its owner usually fixes it.",
    tags: TAGS.leak,
  },
  "possibly-lost": {
    short: "Memory possibly lost",
    full: "Only a pointer into the middle of the block was found at exit: probably a leak, unless the program keeps interior pointers on purpose.",
    tags: TAGS.leak,
  },
  "still-reachable": {
    short: "Memory still reachable at exit",
    full: "A pointer to the block was still held at exit: not freed, but not lost either.",
    tags: TAGS.leak,
  },
  suppressed: {
    short: "Suppressed leak",
    full: "A leak that a suppression file matched.",
    tags: TAGS.leak,
  },
};

/**
 * Memcheck's kinds (its XML `<kind>` names), worded after the Valgrind manual's "Explanation of
 * error messages from Memcheck", the --track-fds option and memcheck/mc_errors.c's messages.
 */
export const MEMCHECK_TEXTS: KindTexts = {
  InvalidRead: {
    short: "Invalid read",
    full: "The program read memory it may not read: a freed block, just outside a heap block, or an address that is not mapped. Usually an off-by-one index, a use after free or a stale pointer.",
    tags: TAGS.memoryError,
  },
  InvalidWrite: {
    short: "Invalid write",
    full: "The program wrote memory it may not write: a freed block, just outside a heap block, or an address that is not mapped. Usually an off-by-one index, a use after free or a stale pointer.",
    tags: TAGS.memoryError,
  },
  InvalidFree: {
    short: "Invalid free",
    full: "free, delete or delete[] was given a pointer that is not the start of a live heap block: a block freed already (a double free), an address inside a block, or one that never came from an allocator.",
    tags: TAGS.memoryError,
  },
  MismatchedFree: {
    short: "Mismatched allocation and deallocation",
    full: "A block was released with a function that does not match its allocation (malloc and delete, new and free, new[] and delete), which is undefined behaviour and can corrupt the heap or skip destructors.",
    tags: TAGS.memoryError,
  },
  InvalidJump: {
    short: "Jump to an invalid address",
    full: "The program jumped to an address that holds no code, usually through a corrupt function pointer or an overwritten return address.",
    tags: TAGS.memoryError,
  },
  Overlap: {
    short: "Overlapping source and destination",
    full: "A copy function (memcpy, strcpy, strncpy, strcat, strncat) was given source and destination blocks that overlap, which the C standard leaves undefined: part of the source may be overwritten before it is copied.",
    tags: TAGS.memoryError,
  },
  InvalidMemPool: {
    short: "Invalid memory pool",
    full: "A memory-pool client request (VALGRIND_MEMPOOL_ALLOC, VALGRIND_MEMPOOL_FREE, ...) named a pool that VALGRIND_CREATE_MEMPOOL never created or that was destroyed already.",
    tags: TAGS.memoryError,
  },
  UninitCondition: {
    short: "Conditional on uninitialised value",
    full: "A conditional jump or move depends on a value that was never initialised, such as a local variable or heap block read before anything was written to it; --track-origins=yes shows where the value came from.",
    tags: TAGS.memoryError,
  },
  UninitValue: {
    short: "Use of uninitialised value",
    full: "A value that was never initialised was used in a way that affects the program's behaviour, most often as a memory address; --track-origins=yes shows where the value came from.",
    tags: TAGS.memoryError,
  },
  SyscallParam: {
    short: "Bad system call parameter",
    full: "A system call was passed an uninitialised value, or a buffer that is unaddressable or holds uninitialised bytes: typically a partly filled buffer or struct handed to write, send or ioctl.",
    tags: TAGS.memoryError,
  },
  ClientCheck: {
    short: "Client check failed",
    full: "A check the program asked Memcheck for (VALGRIND_CHECK_MEM_IS_DEFINED, VALGRIND_CHECK_MEM_IS_ADDRESSABLE, ...) found uninitialised or unaddressable bytes.",
    tags: TAGS.memoryError,
  },
  FishyValue: {
    short: "Suspicious allocation size",
    full: "An allocation function was given a size that is negative when read as a signed number, almost certainly the result of a wrong size calculation.",
    tags: TAGS.memoryError,
  },
  ReallocSizeZero: {
    short: "Reallocation to size zero",
    full: "realloc (or reallocarray, reallocf) was called with size 0, whose behaviour C17 leaves to the implementation and C23 leaves undefined; free the block instead.",
    tags: TAGS.memoryError,
  },
  InvalidAlignment: {
    short: "Invalid alignment",
    full: "An aligned allocation or deallocation (memalign, posix_memalign, aligned_alloc, aligned new or delete) was given an alignment that is zero or not a power of two.",
    tags: TAGS.memoryError,
  },
  InvalidSizeAndAlignment: {
    short: "Size that does not fit the alignment",
    full: "An aligned allocation was given a size that its alignment does not allow, such as an aligned_alloc size that is not a multiple of the alignment.",
    tags: TAGS.memoryError,
  },
  InvalidSize: {
    short: "Allocation of size zero",
    full: "An allocation function that does not portably accept a size of zero (posix_memalign, aligned_alloc, ...) was given one: depending on the C library it returns NULL or a block that must not be used.",
    tags: TAGS.memoryError,
  },
  MismatchedAllocateDeallocateSize: {
    short: "Mismatched size in sized delete",
    full: "A sized operator delete was given a size that differs from the one the block was allocated with, typically a delete through a pointer to another type than the object's.",
    tags: TAGS.memoryError,
  },
  MismatchedAllocateDeallocateAlignment: {
    short: "Mismatched alignment in aligned delete",
    full: "An aligned operator delete was given an alignment that differs from the one the block was allocated with by aligned new, or a plain delete released an over-aligned block.",
    tags: TAGS.memoryError,
  },
  CoreMemError: {
    short: "Unaddressable memory for a signal frame",
    full: "Memory Valgrind's core had to write for the program, the frame of a signal it delivered, contains unaddressable bytes: usually an overflowed stack or a bad alternate signal stack (sigaltstack).",
    tags: TAGS.memoryError,
  },
  FdBadClose: {
    short: "Bad close of a file descriptor",
    full: "A file descriptor was closed twice, or close was given a number that was never an open descriptor.",
    tags: TAGS.fileDescriptor,
  },
  FdNotClosed: {
    short: "File descriptor left open",
    full: "A file descriptor (a file, socket or pipe) was still open when the program exited: the program never closed it.",
    tags: [...TAGS.fileDescriptor, "leak"],
  },
  FdBadUse: {
    short: "Use of a bad file descriptor",
    full: "A system call was given a file descriptor that was never created or is already closed, usually a stale descriptor used after its close.",
    tags: TAGS.fileDescriptor,
  },
  FatalSignal: {
    short: "Fatal signal",
    full: "The program was killed by a signal it did not handle (segmentation fault, abort, bus error, ...). A SIGSEGV usually follows an invalid access reported just before it, or a stack overflow.",
    tags: TAGS.crash,
  },
  Unknown: {
    short: "Error of unrecognised kind",
    full: "The tool reported an error whose headline leaklog does not recognise, so its kind is unknown; the result's message gives the headline as the tool printed it.",
    tags: [],
  },
};
