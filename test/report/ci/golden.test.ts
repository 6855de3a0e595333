import { describe, it } from "vitest";
import { REPORTERS } from "../../../src/report/index.js";
import { expectGolden } from "../../helpers/golden.js";
import { CONTEXT, fixtureReportOf, GOLDEN_FIXTURES, GOLDEN_SAMPLES, reportOf } from "./helpers.js";

/** How each format is stored in its golden file: parsed JSON, or lines for text formats. */
const FORMATS = {
  sarif: (text: string): unknown => JSON.parse(text),
  codequality: (text: string): unknown => JSON.parse(text),
  ndjson: (text: string): unknown =>
    text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as unknown),
  junit: (text: string): unknown => text.split("\n"),
  markdown: (text: string): unknown => text.split("\n"),
  github: (text: string): unknown => text.split("\n"),
} as const;

describe.each(Object.entries(FORMATS))("%s golden files", (format, store) => {
  it.each(GOLDEN_SAMPLES)("%s", async (sample) => {
    const report = await reportOf(sample);
    const text = REPORTERS[format as keyof typeof FORMATS].render(report, CONTEXT);
    expectGolden(`report/${format}`, sample, store(text));
  });

  it.each(GOLDEN_FIXTURES)("fixture %s", (fixture) => {
    const text = REPORTERS[format as keyof typeof FORMATS].render(
      fixtureReportOf(fixture),
      CONTEXT,
    );
    expectGolden(`report/${format}`, fixture, store(text));
  });
});
