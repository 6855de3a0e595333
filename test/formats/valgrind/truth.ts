import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../helpers/golden.js";

/** The parts of a corpus case's NAME.truth.json (made by the corpus's truth.py) the tests use. */
export interface Truth {
  errors: {
    kind: string;
    stack: { fn: string | null }[];
    xwhat: { text: string; leakedbytes: number; leakedblocks: number } | null;
  }[];
  fatal_signals: unknown[];
  text_log: {
    files: string[];
    processes: {
      pid: number;
      text_leak_records: {
        bytes: number;
        direct: number | null;
        indirect: number | null;
        blocks: number;
        kind: string;
        record: number;
        of: number;
      }[];
      leak_summaries: Record<string, { bytes: number; blocks: number }>[];
    }[];
  };
}

export function readTruth(name: string): Truth {
  return JSON.parse(
    readFileSync(join(ROOT, "test", "fixtures", "valgrind", `${name}.truth.json`), "utf8"),
  ) as Truth;
}
