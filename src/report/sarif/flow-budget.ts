import { jsonText } from "../describe.js";
import type { SarifCodeFlow, SarifResult } from "./results.js";

/**
 * The most characters the results' text may take. GitHub's `upload-sarif` reads the whole file
 * into one string (codeql-action `src/upload-lib.ts`, `JSON.parse(fs.readFileSync(path,
 * "utf8"))`), and V8's strings stop at 0x1fffffe8 (536,870,888) characters: past that the
 * upload fails and nothing is sent. 25,000 leaks 24 frames deep were 540 MB pretty-printed, 44
 * frames deep 969 MB (campaign cf F5); written compact they are 163 and 287 MB, and this bound,
 * which leaves room for the rules, the notifications and what the action adds, keeps deeper
 * stacks (`--num-callers=500`, errors with two aux stacks) from going past it.
 */
export const RESULTS_TEXT_BUDGET = 400 * 1024 * 1024;

/** How the code flows were cut to fit: their innermost `frames` frames, in `flows` flows. */
export interface FlowCut {
  frames: number;
  flows: number;
}

/**
 * The results with every code flow cut to its innermost frames when the results' text would be
 * over `budget` characters, as few cut as can be: the same number of frames for every flow, the
 * most that fits (at least 1). The innermost frames are the ones that say where the finding is
 * and who called it, as Valgrind's own `--num-callers` keeps them; the flow's message says how
 * many it shows. Measured with the text the reporter writes (compact JSON).
 */
export function boundCodeFlows(
  results: readonly SarifResult[],
  budget: number = RESULTS_TEXT_BUDGET,
): { results: SarifResult[]; cut?: FlowCut } {
  // Whole results first, each stringified once (1.6 s of the 31 s run of 25,000 results 44
  // frames deep); their frames one by one (6 s more) only when they are over.
  const whole = results.reduce((sum, result) => sum + jsonText(result).length + 1, 0);
  if (whole <= budget) return { results: [...results] };
  // Per flow, the characters its innermost j frames take, j = 0..n (a comma each).
  const tails: number[][] = [];
  let rest = 0;
  for (const result of results) {
    const { codeFlows, ...others } = result;
    rest += jsonText(others).length + 1;
    for (const flow of codeFlows ?? []) {
      const steps = stepsOf(flow);
      const tail = [jsonText({ ...flow, threadFlows: [{ locations: [] }] }).length];
      for (let j = steps.length - 1; j >= 0; j--)
        tail.push((tail.at(-1) ?? 0) + jsonText(steps[j]).length + 1);
      tails.push(tail);
    }
  }
  const size = (frames: number) =>
    tails.reduce((sum, tail) => sum + (tail[Math.min(frames, tail.length - 1)] ?? 0), rest);
  // Not Math.max(...tails): a spread of 75,000 flows is near the engine's argument limit.
  const deepest = tails.reduce((most, tail) => Math.max(most, tail.length - 1), 0);
  if (deepest <= 1 || size(deepest) <= budget) return { results: [...results] };
  let [fits, over] = [1, deepest];
  while (over - fits > 1) {
    const middle = Math.floor((fits + over) / 2);
    if (size(middle) <= budget) fits = middle;
    else over = middle;
  }
  const flows = tails.filter((tail) => tail.length - 1 > fits).length;
  return {
    results: results.map((result) =>
      result.codeFlows === undefined
        ? result
        : { ...result, codeFlows: result.codeFlows.map((flow) => innermost(flow, fits)) },
    ),
    cut: { frames: fits, flows },
  };
}

function stepsOf(flow: SarifCodeFlow): SarifCodeFlow["threadFlows"][number]["locations"] {
  return flow.threadFlows.flatMap((thread) => thread.locations);
}

/** The flow with its innermost `frames` frames (the last ones: a flow runs outermost first). */
function innermost(flow: SarifCodeFlow, frames: number): SarifCodeFlow {
  const steps = stepsOf(flow);
  if (steps.length <= frames) return flow;
  const kept = steps.slice(steps.length - frames);
  return {
    message: { text: `${flow.message.text} (the innermost ${frames} of ${steps.length} frames)` },
    threadFlows: [{ locations: kept.map((step, depth) => ({ ...step, nestingLevel: depth })) }],
  };
}
