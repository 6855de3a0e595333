import { z } from "zod";

/** The tools whose output leaklog reads. */
export const Tool = z.enum(["valgrind", "memleax", "memwatch", "asan", "lsan", "ubsan", "tsan"]);
export type Tool = z.infer<typeof Tool>;

/** How much a finding matters; decides exit codes and report levels. */
export const Severity = z.enum(["error", "warning", "note", "none"]);
export type Severity = z.infer<typeof Severity>;

/** Where in a log a record starts. */
export const LogLocation = z.object({
  /** Path of the log as given by the user (`-` for standard input). */
  path: z.string(),
  /** 1-based line number in the log. */
  line: z.number().int().positive(),
});
export type LogLocation = z.infer<typeof LogLocation>;

/**
 * Tool-specific facts that have no common field (memleax expiry counters, MEMWATCH allocation
 * numbers, Valgrind's XML `unique`). Flat so that every report can show them as-is.
 */
export const Details = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type Details = z.infer<typeof Details>;
