import type { Frame } from "../model/index.js";
import { isInlinedLibraryHeaderFrame, isLibraryFrame } from "./runtime-frames.js";

/*
 * The C and C++ runtime's frames at the top of a stack, below the allocator's: what the library
 * called the allocator through before the program's code. An optimized C++ build inlines the
 * library's templates, so a leak through `std::unordered_map::operator[]` has ten of libstdc++'s
 * frames (`allocate (new_allocator.h:137)`, `_M_allocate_buckets`, `std::_Hashtable<...>::
 * _M_rehash`...) before the program's, and `std::make_shared` seven (`allocate`, `allocate`,
 * `__allocate_guarded`, `__shared_count`, `__shared_ptr`, `shared_ptr`, `make_shared`), at -O0
 * and -O2 alike. Counted in the fingerprint's window of 8 frames, they left one program frame in
 * it: the leaks of two callers of one `make_shared` factory were one group, and a new one passed
 * `--fail-on new` as unchanged (campaign ca F2).
 */

/** How many of `frames`, from the first, are the runtime's (see isLibraryFrame). */
export function runtimeRun(frames: readonly Frame[]): number {
  let i = 0;
  while (
    i < frames.length &&
    (isLibraryFrame(frames[i] as Frame) || isInlinedLibraryHeaderFrame(frames, i))
  )
    i += 1;
  return i;
}

/**
 * Where a fingerprint's window of `window` frames starts in `frames` (a stack less its
 * allocator's frames), and how many frames from there are the runtime's that do not count
 * against it (`free`), so that the window holds as many frames below the runtime's whatever the
 * runtime put above them. A run that fills the window is passed over, not hashed: so it was
 * before shorter runs stopped counting, and the fingerprints of such stacks stay as they were.
 * A run that is the whole stack is all there is: the window holds its first frames, as before.
 */
export function runtimeWindow(
  frames: readonly Frame[],
  window: number,
): { start: number; free: number } {
  const run = runtimeRun(frames);
  if (run === frames.length) return { start: 0, free: 0 };
  return run >= window ? { start: run, free: 0 } : { start: 0, free: run };
}
