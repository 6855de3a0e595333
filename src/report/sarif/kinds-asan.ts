import { TAGS, type KindText, type KindTexts } from "./kind-text.js";

/** `memcpy-param-overlap` and its kin: the C copy functions do not allow overlapping ranges. */
function overlap(fn: string): KindText {
  return {
    short: `Overlapping ${fn} arguments`,
    full: `${fn} was given source and destination ranges that overlap, which the C standard leaves undefined: part of the source may be overwritten before it is copied.`,
    tags: TAGS.memoryError,
  };
}

/**
 * AddressSanitizer's kinds, its SUMMARY names: worded after compiler-rt's asan_errors.cpp and
 * asan_errors.h (the errors and their scariness names), sanitizer_common's deadly signal report
 * (SEGV, BUS, ...) and clang's AddressSanitizer documentation.
 */
export const ASAN_TEXTS: KindTexts = {
  "heap-buffer-overflow": {
    short: "Heap buffer overflow",
    full: "An access outside the bounds of a heap block, into the redzone ASan keeps around it: usually an off-by-one index, a wrong length or a missing terminator.",
    tags: TAGS.memoryError,
  },
  "heap-use-after-free": {
    short: "Heap use after free",
    full: "An access to a heap block after it was freed (the report shows where it was allocated and freed): usually a pointer kept after the block's owner released it.",
    tags: TAGS.memoryError,
  },
  "stack-buffer-overflow": {
    short: "Stack buffer overflow",
    full: "An access past the end of a local array or variable on the stack: usually an index or length past the array's size.",
    tags: TAGS.memoryError,
  },
  "stack-buffer-underflow": {
    short: "Stack buffer underflow",
    full: "An access before the start of a local array or variable on the stack, usually through a negative index.",
    tags: TAGS.memoryError,
  },
  "stack-use-after-return": {
    short: "Stack use after return",
    full: "An access to a local variable of a function that has returned, through a pointer to it that outlived the call.",
    tags: TAGS.memoryError,
  },
  "stack-use-after-scope": {
    short: "Stack use after scope",
    full: "An access to a local variable after the block that declared it ended, through a pointer or reference that outlived the block.",
    tags: TAGS.memoryError,
  },
  "dynamic-stack-buffer-overflow": {
    short: "Dynamic stack buffer overflow",
    full: "An access outside a block allocated on the stack with alloca or as a variable-length array.",
    tags: TAGS.memoryError,
  },
  "global-buffer-overflow": {
    short: "Global buffer overflow",
    full: "An access outside the bounds of a global or static variable: usually an index or length past an array's size.",
    tags: TAGS.memoryError,
  },
  "intra-object-overflow": {
    short: "Intra-object overflow",
    full: "An access from a field of a C++ object into the redzone ASan put between its fields (-fsanitize-address-field-padding): an array member overflowing into the next field.",
    tags: TAGS.memoryError,
  },
  "container-overflow": {
    short: "Container overflow",
    full: "An access to a container's storage outside its live elements, between its size and its capacity (std::vector, std::string, std::deque annotated for ASan). Parts of the program built without ASan can make it a false positive.",
    tags: TAGS.memoryError,
  },
  "use-after-poison": {
    short: "Use after poison",
    full: "An access to memory the program itself marked unusable with ASAN_POISON_MEMORY_REGION, as custom allocators do with the chunks they free.",
    tags: TAGS.memoryError,
  },
  "initialization-order-fiasco": {
    short: "Initialization order fiasco",
    full: "A global's dynamic initializer used a global of another translation unit before that one was initialized; the order of initialization across files is unspecified.",
    tags: TAGS.memoryError,
  },
  "unknown-crash": {
    short: "Invalid access of unknown kind",
    full: "An invalid memory access ASan could not classify from its shadow memory, such as one that spans the end of a block or an address outside the memory ASan maps.",
    tags: TAGS.memoryError,
  },
  // How ASan ranks a deadly signal by the access that faulted (ErrorDeadlySignal, asan_errors.h).
  "wild-addr": {
    short: "Wild access",
    full: "The program crashed on an access to an unmapped address away from zero: a pointer that is corrupt, uninitialised or computed wrongly.",
    tags: [...TAGS.memoryError, ...TAGS.crash],
  },
  "wild-addr-read": {
    short: "Wild read",
    full: "The program crashed reading an unmapped address away from zero: a pointer that is corrupt, uninitialised or computed wrongly.",
    tags: [...TAGS.memoryError, ...TAGS.crash],
  },
  "wild-addr-write": {
    short: "Wild write",
    full: "The program crashed writing to an unmapped address away from zero: a pointer that is corrupt, uninitialised or computed wrongly.",
    tags: [...TAGS.memoryError, ...TAGS.crash],
  },
  "wild-jump": {
    short: "Wild jump",
    full: "The program crashed jumping to an address that holds no code, through a corrupt function pointer, vtable pointer or return address.",
    tags: [...TAGS.memoryError, ...TAGS.crash],
  },
  "double-free": {
    short: "Double free",
    full: "A heap block was freed a second time (the report shows where it was allocated and first freed): usually two owners releasing one pointer.",
    tags: TAGS.memoryError,
  },
  "bad-free": {
    short: "Free of memory not from malloc",
    full: "free or delete was given an address that malloc or new never returned: an address inside a block, on the stack or in a global, or an uninitialised pointer.",
    tags: TAGS.memoryError,
  },
  "alloc-dealloc-mismatch": {
    short: "Mismatched allocation and deallocation",
    full: "A block was released with a function that does not match its allocation (malloc and delete, new and free, new[] and delete).",
    tags: TAGS.memoryError,
  },
  "new-delete-type-mismatch": {
    short: "Delete of an object of the wrong type",
    full: "delete was given an object whose allocated size or alignment differs from the deleted type's, typically a delete through a base class pointer whose class has no virtual destructor.",
    tags: TAGS.memoryError,
  },
  "bad-malloc_usable_size": {
    short: "malloc_usable_size of memory not owned",
    full: "malloc_usable_size was given a pointer that is no live block of the allocator: never returned by malloc, or freed already.",
    tags: TAGS.memoryError,
  },
  "bad-__sanitizer_get_allocated_size": {
    short: "__sanitizer_get_allocated_size of memory not owned",
    full: "__sanitizer_get_allocated_size was given a pointer that is no live block of the allocator: never returned by malloc, or freed already.",
    tags: TAGS.memoryError,
  },
  "bad-__sanitizer_annotate_contiguous_container": {
    short: "Bad container annotation",
    full: "__sanitizer_annotate_contiguous_container was given bounds that are out of order or misaligned, a bug in a container's ASan annotations.",
    tags: TAGS.memoryError,
  },
  "bad-__sanitizer_annotate_double_ended_contiguous_container": {
    short: "Bad double-ended container annotation",
    full: "__sanitizer_annotate_double_ended_contiguous_container was given bounds that are out of order or misaligned, a bug in a double-ended container's ASan annotations (std::deque).",
    tags: TAGS.memoryError,
  },
  "calloc-overflow": {
    short: "calloc size overflow",
    full: "calloc's count times size does not fit in size_t, usually an unchecked count; ASan stops the program where calloc would return NULL (unless allocator_may_return_null=1).",
    tags: TAGS.memoryError,
  },
  "reallocarray-overflow": {
    short: "reallocarray size overflow",
    full: "reallocarray's count times size does not fit in size_t, usually an unchecked count; ASan stops the program where reallocarray would return NULL (unless allocator_may_return_null=1).",
    tags: TAGS.memoryError,
  },
  "pvalloc-overflow": {
    short: "pvalloc size overflow",
    full: "pvalloc's size, rounded up to the page size, does not fit in size_t: a size close to the largest a size_t holds, usually from a bad calculation.",
    tags: TAGS.memoryError,
  },
  "invalid-allocation-alignment": {
    short: "Invalid allocation alignment",
    full: "An aligned allocation (memalign, aligned new, ...) was given an alignment that is not a power of two.",
    tags: TAGS.memoryError,
  },
  "invalid-aligned-alloc-alignment": {
    short: "Invalid aligned_alloc alignment",
    full: "aligned_alloc was given an alignment that is not a power of two, or a size that is not a multiple of the alignment.",
    tags: TAGS.memoryError,
  },
  "invalid-posix-memalign-alignment": {
    short: "Invalid posix_memalign alignment",
    full: "posix_memalign was given an alignment that is not a power of two times sizeof(void *).",
    tags: TAGS.memoryError,
  },
  "allocation-size-too-big": {
    short: "Allocation size too big",
    full: "An allocation asked for more than ASan's allocator supports, usually a negative or garbage size from a bad calculation.",
    tags: TAGS.memoryError,
  },
  "rss-limit-exceeded": {
    short: "RSS limit exceeded",
    full: "The process's resident memory went past the limit set with ASan's soft_rss_limit_mb option: a leak, or memory use growing without bound.",
    tags: TAGS.memory,
  },
  "out-of-memory": {
    short: "Out of memory",
    full: "ASan's allocator could not get the memory an allocation asked for: the process or the system ran out, or the size was far too large.",
    tags: TAGS.memory,
  },
  "memcpy-param-overlap": overlap("memcpy"),
  "strcpy-param-overlap": overlap("strcpy"),
  "strncpy-param-overlap": overlap("strncpy"),
  "strcat-param-overlap": overlap("strcat"),
  "strncat-param-overlap": overlap("strncat"),
  "negative-size-param": {
    short: "Negative size argument",
    full: "A memory or string function (memcpy, memset, ...) was given a size that is negative as a signed number, usually a length computed from two pointers in the wrong order.",
    tags: TAGS.memoryError,
  },
  "odr-violation": {
    short: "One definition rule violation",
    full: "The same global is defined in more than one module, so the program holds two copies that may differ in size or value: typically a library linked both statically and dynamically.",
    tags: TAGS.memory,
  },
  "invalid-pointer-pair": {
    short: "Comparison of pointers to different objects",
    full: "Two pointers to different objects were compared or subtracted (-fsanitize=pointer-compare or pointer-subtract), which C and C++ leave undefined.",
    tags: [...TAGS.memory, ...TAGS.undefinedBehavior],
  },
  "stack-overflow": {
    short: "Stack overflow",
    full: "The stack grew past its limit and the program crashed: usually unbounded recursion, or very large local arrays.",
    tags: [...TAGS.memory, ...TAGS.crash],
  },
  // The deadly signals: the SUMMARY names the signal (SignalContext::Describe).
  SEGV: {
    short: "Segmentation fault",
    full: "The program crashed with SIGSEGV on an access to memory that is not mapped or not writable: usually a null, dangling or corrupt pointer (the report says whether it was a read or a write, and hints at a null pointer).",
    tags: [...TAGS.memoryError, ...TAGS.crash],
  },
  BUS: {
    short: "Bus error",
    full: "The program crashed with SIGBUS: usually an access to a memory-mapped file past its end, or a misaligned access where the processor does not allow one.",
    tags: [...TAGS.memory, ...TAGS.crash],
  },
  FPE: {
    short: "Arithmetic exception",
    full: "The program crashed with SIGFPE: usually an integer division by zero, or the most negative integer divided by -1.",
    tags: TAGS.crash,
  },
  ILL: {
    short: "Illegal instruction",
    full: "The program crashed with SIGILL on an instruction the processor cannot execute: a trap the compiler put in (__builtin_trap, code it knows is unreachable), an instruction this processor lacks, or a jump into data.",
    tags: TAGS.crash,
  },
  ABRT: {
    short: "Abort",
    full: "The program was aborted with SIGABRT: abort() was called, usually by a failed assert(), an uncaught C++ exception, or the C library on finding the heap corrupt.",
    tags: TAGS.crash,
  },
  TRAP: {
    short: "Trace trap",
    full: "The program stopped with SIGTRAP on a breakpoint or trap instruction, such as __builtin_trap on some processors (ARM64) or a debugger breakpoint left in the code.",
    tags: TAGS.crash,
  },
};
