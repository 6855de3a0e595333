import { z } from "zod";

/**
 * A process ID, never negative. A field's type, not a record of the contract: the model's index
 * does not export it.
 */
export const Pid = z.number().int().nonnegative();

/** A thread's number: Valgrind's from 1, a sanitizer's `T0` from 0. */
export const ThreadNumber = z.number().int().nonnegative();
