import { describe, it } from "vitest";
import { expectGolden, parseSample, sampleFiles } from "../../helpers/golden.js";

// Every sample is a golden test (STYLE.md habit 9): one reviewable JSON per log.
describe("sanitizer samples match their golden files", () => {
  for (const name of sampleFiles("sanitizer", [".log"])) {
    it(name, async () => {
      expectGolden("sanitizer", name, await parseSample("sanitizer", name));
    });
  }
});
