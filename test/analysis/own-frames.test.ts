import { describe, expect, it } from "vitest";
import { isOwnFrame } from "../../src/analysis/own-frames.js";

describe("own frames", () => {
  it("are the program's, not a system library's, even with a relative source path", () => {
    const libc = {
      function: "__pthread_kill_implementation",
      object: "/usr/lib/x86_64-linux-gnu/libc.so.6",
      dir: "./nptl/./nptl",
      file: "pthread_kill.c",
      line: 44,
    };
    expect(isOwnFrame(libc)).toBe(false);
    expect(
      isOwnFrame({
        function: "main",
        object: "/src/vgcorpus/cpp_abort",
        file: "cpp_abort.cpp",
        line: 9,
      }),
    ).toBe(true);
    expect(isOwnFrame({ function: "main", file: "leak.c", line: 9 })).toBe(true);
  });
});
