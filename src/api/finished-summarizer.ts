/** The methods that give a Summarizer input. */
const INPUTS = ["event", "finding", "source", "partial"] as const;

type Inputs = Record<(typeof INPUTS)[number], (...args: never[]) => void>;

/**
 * Makes a summarizer's input methods throw from now on, as `by` (finish or finishPartial) makes
 * its report: input after it was counted into groups and totals that no report shows any more,
 * unsaid (campaign camp2 Q10). Own properties shadow the methods, so that the per-record path
 * asks nothing.
 */
export function refuseInput(summarizer: Inputs, by: string): void {
  for (const method of INPUTS) {
    Object.defineProperty(summarizer, method, {
      configurable: true,
      value: () => {
        throw new Error(
          `Summarizer.${method}: this summarizer's ${by}() has made its report already; it takes no more input (use a new Summarizer)`,
        );
      },
    });
  }
}

/**
 * Makes a summarizer's finish() return `report` from now on, and returns it: a second call
 * settled again what the first had settled (forked children's copies, preamble-only processes)
 * and gave another report, with a diagnostic less.
 */
export function finishedWith<R>(summarizer: { finish(): R }, report: R): R {
  Object.defineProperty(summarizer, "finish", { configurable: true, value: () => report });
  return report;
}
