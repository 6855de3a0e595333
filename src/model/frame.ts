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
  /**
   * Offset in `object` of a frame with no symbol, as a sanitizer prints it (`(/bin/prog+0x11ed)`
   * gives `0x11ed`): unlike `ip`, the same in every run of one build, and the only thing that
   * tells two such frames of one object apart. Fingerprints use it where a frame names no
   * function and no file.
   */
  offset: z.string().optional(),
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
