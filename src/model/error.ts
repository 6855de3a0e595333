import { z } from "zod";
import { Details, LogLocation, Severity, Tool } from "./common.js";
import { Stack } from "./frame.js";

/**
 * Memory-error kinds. Valgrind's XML kind names are the vocabulary; other tools map onto them
 * where the meaning is the same and keep their own names otherwise. The set is open: a kind
 * leaklog does not know is kept as-is (never dropped), and "Unknown" marks text with no kind.
 */
export const ErrorKind = z.string().min(1);
export type ErrorKind = z.infer<typeof ErrorKind>;

/** Kinds leaklog knows by name; used for documentation and SARIF rules, not for validation. */
export const KNOWN_ERROR_KINDS = [
  "InvalidRead",
  "InvalidWrite",
  "InvalidFree",
  "MismatchedFree",
  "InvalidJump",
  "Overlap",
  "InvalidMemPool",
  "UninitCondition",
  "UninitValue",
  "SyscallParam",
  "ClientCheck",
  "FishyValue",
  "ReallocSizeZero",
  "InvalidAlignment",
  "InvalidSizeAndAlignment",
  "InvalidSize",
  "FdBadClose",
  "FdNotClosed",
  "FdBadUse",
  "FatalSignal",
  "DoubleFree",
  "WildFree",
  "NullFree",
  "Overflow",
  "Underflow",
  "Unknown",
] as const;

/** A secondary description with its own optional stack ("Block was alloc'd at"). */
export const AuxEntry = z.object({
  message: z.string(),
  stack: Stack.optional(),
});
export type AuxEntry = z.infer<typeof AuxEntry>;

/** A memory error other than a leak: invalid access, bad free, uninitialised use, open fd... */
export const ErrorRecord = z.object({
  type: z.literal("error"),
  id: z.string(),
  tool: Tool,
  kind: ErrorKind,
  /** The tool's headline as printed. */
  message: z.string(),
  severity: Severity,
  pid: z.number().int().optional(),
  thread: z.number().int().optional(),
  stack: Stack,
  aux: z.array(AuxEntry),
  /** How often the tool saw this error (Valgrind `<errorcounts>` / `-s`), at least 1. */
  count: z.number().int().positive(),
  /** True when a suppression matched (in the log or applied by leaklog). */
  suppressed: z.boolean().optional(),
  fingerprint: z.string(),
  location: LogLocation,
  suppression: z.string().optional(),
  details: Details.optional(),
});
export type ErrorRecord = z.infer<typeof ErrorRecord>;
