import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Campaign bf: a symbol holding U+202E (RIGHT-TO-LEFT OVERRIDE) was printed as it was, and the
// terminal showed the frame's name reordered ("Trojan Source").
describe("the text summary of names holding bidirectional controls", () => {
  it("prints them as ?, as other control characters", async () => {
    const log = readFileSync("samples/valgrind/leak_definite.txt", "utf8").replaceAll(
      "main (",
      "ma\u202ein\u2066x\u2069 (",
    );
    const { stdout } = await cli(["summarize", "-"], [log]);
    expect(stdout).toContain("ma?in?x? (");
    expect(stdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });
});
