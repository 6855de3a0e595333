import { z } from "zod";

/**
 * One frame of a call stack, as the tool printed it. Every field is optional because the tools
 * print partial frames: Valgrind's `??? (in /lib/x.so)` has only an object, `???` nothing at all,
 * MEMWATCH only `file(line)`.
 */
export const Frame = z.object({
  /** Instruction pointer as printed (`0x48417B4`); ignored by fingerprints. */
  ip: z.string().optional(),
  /** Function name (demangled as printed); unset for `???`. */
  function: z.string().optional(),
  /** Object file (executable or shared library) the frame is in. */
  object: z.string().optional(),
  /** Source file name, as printed (may carry a path with `--fullpath-after`). */
  file: z.string().optional(),
  /** Directory of the source file (Valgrind XML `<dir>`). */
  dir: z.string().optional(),
  /** 1-based source line. */
  line: z.number().int().nonnegative().optional(),
});
export type Frame = z.infer<typeof Frame>;

/** A call stack, innermost frame first. */
export const Stack = z.array(Frame);
export type Stack = z.infer<typeof Stack>;
