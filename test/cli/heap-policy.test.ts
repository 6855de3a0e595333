import { setFlagsFromString } from "node:v8";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { applyCliHeapPolicy, CLI_HEAP_GROWING_PERCENT } from "../../src/cli/heap-policy.js";

vi.mock("node:v8", () => ({ setFlagsFromString: vi.fn() }));

describe("the CLI's heap policy", () => {
  beforeEach(() => vi.mocked(setFlagsFromString).mockClear());

  it("caps how far the old generation grows between full collections", () => {
    applyCliHeapPolicy([]);
    expect(setFlagsFromString).toHaveBeenCalledWith(
      `--heap-growing-percent=${CLI_HEAP_GROWING_PERCENT}`,
    );
  });

  it("leaves a setting the user gave node alone", () => {
    applyCliHeapPolicy(["--heap-growing-percent=80"]);
    expect(setFlagsFromString).not.toHaveBeenCalled();
  });
});
