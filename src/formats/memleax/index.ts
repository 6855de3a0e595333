import type { InputFormat } from "../types.js";
import { detectMemleax } from "./detect.js";
import { MemleaxLineParser } from "./parser.js";

/**
 * memleax (github.com/WuBingzheng/memleax, 1.1.1): call stacks whose allocations outlive the
 * expiry time of a running process. One `possibly-lost` leak per call stack that may still leak,
 * from the final report when printed, else derived from the event stream (source incomplete).
 */
export const memleaxFormat: InputFormat = {
  id: "memleax",
  description: "memleax 1.x real-time output: expired call stacks and the final statistics",
  detect: detectMemleax,
  // Its banner starts its output: a CI job's later steps are not looked at (see LOOK_AT).
  headOnly: true,
  createParser: (sink) => new MemleaxLineParser(sink),
};
