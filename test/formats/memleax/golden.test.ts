import { describe, it } from "vitest";
import { expectGolden, parseSample, sampleFiles } from "../../helpers/golden.js";

// Every memleax sample is a golden test: test/golden/memleax/NAME.log.json, reviewed against
// test/fixtures/memleax/NAME.md. Regenerate with UPDATE_GOLDEN=1 and review the diff.
describe("memleax samples (golden)", () => {
  for (const name of sampleFiles("memleax", [".log"])) {
    it(name, async () => {
      expectGolden("memleax", name, await parseSample("memleax", name));
    });
  }
});
