import { TAGS, type KindTexts } from "./kind-text.js";

/**
 * UndefinedBehaviorSanitizer's error types (compiler-rt ubsan_checks.inc, the names its SUMMARY
 * gives with report_error_type=1), worded after clang's UndefinedBehaviorSanitizer
 * documentation of the checks (-fsanitize=...) that report them.
 */
export const UBSAN_TEXTS: KindTexts = {
  "signed-integer-overflow": {
    short: "Signed integer overflow",
    full: "A signed integer operation (addition, subtraction, multiplication, negation, or INT_MIN divided by -1) gave a result its type cannot hold, which C and C++ leave undefined.",
    tags: [...TAGS.undefinedBehavior, ...TAGS.integerOverflow],
  },
  "unsigned-integer-overflow": {
    short: "Unsigned integer overflow",
    full: "An unsigned integer operation wrapped around. C and C++ define the result, but -fsanitize=unsigned-integer-overflow reports it because it is often unintended.",
    tags: TAGS.integerOverflow,
  },
  "integer-divide-by-zero": {
    short: "Integer division by zero",
    full: "An integer division or remainder by zero, which C and C++ leave undefined (it usually crashes with SIGFPE).",
    tags: TAGS.undefinedBehavior,
  },
  "invalid-shift-exponent": {
    short: "Shift by an invalid amount",
    full: "A shift by a negative amount, or by as many bits as the shifted type has or more (1 << 32 for a 32-bit int), which C and C++ leave undefined.",
    tags: TAGS.undefinedBehavior,
  },
  "invalid-shift-base": {
    short: "Left shift of an invalid value",
    full: "A left shift of a negative value, or of a signed value whose result does not fit its type, which C (and C++ before C++20) leave undefined.",
    tags: TAGS.undefinedBehavior,
  },
  "out-of-bounds-index": {
    short: "Array index out of bounds",
    full: "An array whose bound is known at compile time was indexed outside it: usually an off-by-one loop or an unchecked index.",
    tags: TAGS.undefinedBehavior,
  },
  "null-pointer-use": {
    short: "Null pointer use",
    full: "A null pointer was dereferenced, had a member accessed or a reference bound through it: usually a missing check after a lookup or an allocation.",
    tags: TAGS.undefinedBehavior,
  },
  "misaligned-pointer-use": {
    short: "Misaligned pointer use",
    full: "A load, store or member access went through a pointer not aligned for its type, usually a byte buffer cast to a wider type (memcpy reads unaligned data safely).",
    tags: TAGS.undefinedBehavior,
  },
  "insufficient-object-size": {
    short: "Object too small for the access",
    full: "An access through a pointer whose object is too small for the type accessed (-fsanitize=object-size), usually a small block cast to a larger struct.",
    tags: TAGS.undefinedBehavior,
  },
  "pointer-overflow": {
    short: "Pointer arithmetic overflow",
    full: "Pointer arithmetic wrapped around the address space or applied an offset to a null pointer, both undefined in C (C++ allows a zero offset to null).",
    tags: TAGS.undefinedBehavior,
  },
  "float-cast-overflow": {
    short: "Floating-point conversion overflow",
    full: "A floating-point value was converted to a type that cannot hold it (out of an integer type's range, or NaN), which C and C++ leave undefined.",
    tags: TAGS.undefinedBehavior,
  },
  "invalid-bool-load": {
    short: "Invalid bool value",
    full: "A bool was loaded from memory holding neither true nor false: usually uninitialised memory, or a byte written through another type.",
    tags: TAGS.undefinedBehavior,
  },
  "invalid-enum-load": {
    short: "Invalid enum value",
    full: "An enum was loaded from memory holding a value outside its type's range: usually uninitialised memory, or an integer converted to the enum unchecked.",
    tags: TAGS.undefinedBehavior,
  },
  "non-positive-vla-index": {
    short: "Variable-length array of non-positive size",
    full: "A variable-length array was declared with a bound that is zero or negative.",
    tags: TAGS.undefinedBehavior,
  },
  "unreachable-call": {
    short: "Unreachable code reached",
    full: "Execution reached __builtin_unreachable(), a point the program declared it could never reach.",
    tags: TAGS.undefinedBehavior,
  },
  "missing-return": {
    short: "Missing return value",
    full: "A C++ function that returns a value ran off its end without a return statement, which C++ leaves undefined.",
    tags: TAGS.undefinedBehavior,
  },
  "invalid-null-argument": {
    short: "Null passed as a non-null argument",
    full: "A null pointer was passed as an argument declared never to be null (the nonnull attribute, _Nonnull), such as a NULL buffer given to memcpy.",
    tags: TAGS.undefinedBehavior,
  },
  "invalid-null-return": {
    short: "Null returned from a non-null function",
    full: "A function declared never to return null (the returns_nonnull attribute, _Nonnull) returned null.",
    tags: TAGS.undefinedBehavior,
  },
  "dynamic-type-mismatch": {
    short: "Object of the wrong dynamic type",
    full: "An object was used through a pointer or reference to a class type it does not have (-fsanitize=vptr): a bad downcast, or a member call on an object not yet constructed or already destroyed.",
    tags: TAGS.undefinedBehavior,
  },
  "function-type-mismatch": {
    short: "Call through a function pointer of the wrong type",
    full: "A function was called through a pointer of an incompatible function type (-fsanitize=function), which C and C++ leave undefined.",
    tags: TAGS.undefinedBehavior,
  },
  "invalid-builtin-use": {
    short: "Invalid argument to a builtin",
    full: "A builtin was given an argument whose result is undefined, such as zero to __builtin_clz or __builtin_ctz.",
    tags: TAGS.undefinedBehavior,
  },
  "undefined-behavior": {
    short: "Undefined behavior",
    full: "UBSan reported undefined behaviour of a type it did not name and leaklog does not recognise from the message; the message says what the program did.",
    tags: TAGS.undefinedBehavior,
  },
};
