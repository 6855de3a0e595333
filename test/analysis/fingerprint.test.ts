import { describe, expect, it } from "vitest";
import {
  fingerprintStack,
  fnv1a64,
  frameKey,
  hashesStackCLibraryAlike,
} from "../../src/analysis/fingerprint.js";
import type { Frame } from "../../src/model/index.js";

describe("fingerprints", () => {
  it("use FNV-1a 64 (published test vectors)", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });

  it("ignore Windows directories too (a sanitizer on Windows writes C:\\...)", () => {
    // Campaign bj: two build agents' checkouts made every finding new.
    const at = (file: string) =>
      fingerprintStack([
        { function: "malloc", file: "asan_malloc_win.cpp", line: 3 },
        { function: "leak", file, line: 7 },
        { function: "main", file: "x.c", line: 9, object: "D:\\ci\\bin\\app.exe" },
      ]);
    expect(at("C:\\work\\asan.c")).toBe(at("/home/u/asan.c"));
    expect(at("D:\\a\\1\\s\\asan.c")).toBe(at("asan.c"));
    expect(at("C:\\work\\other.c")).not.toBe(at("asan.c"));
  });

  it("ignore addresses, directories, lines and leading allocator frames", () => {
    const a = fingerprintStack([
      {
        ip: "0x48417B4",
        function: "malloc",
        object: "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so",
      },
      { ip: "0x109190", function: "make_buf", file: "leak.c", dir: "/build/a", line: 7 },
      { ip: "0x1091EF", function: "main", file: "leak.c", line: 21 },
    ]);
    const b = fingerprintStack([
      { ip: "0x4f00", function: "__interceptor_malloc", file: "asan_malloc_linux.cpp", line: 69 },
      { ip: "0x5555", function: "make_buf", file: "/home/ci/leak.c", line: 9 },
      { ip: "0x5556", function: "main", file: "leak.c", line: 30 },
      {
        ip: "0x7f00",
        function: "__libc_start_call_main",
        file: "libc_start_call_main.h",
        line: 58,
      },
    ]);
    expect(a).toBe(b);
    expect(
      fingerprintStack([{ function: "other" }, { function: "main", file: "leak.c" }]),
    ).not.toBe(a);
  });

  it("can include line numbers on request", () => {
    const stack = [{ function: "f", file: "x.c", line: 1 }];
    const moved = [{ function: "f", file: "x.c", line: 2 }];
    expect(fingerprintStack(stack)).toBe(fingerprintStack(moved));
    expect(fingerprintStack(stack, { frames: 8, lines: true })).not.toBe(
      fingerprintStack(moved, { frames: 8, lines: true }),
    );
  });

  it("keep the line of a frame that names no function: it is all the frame has", () => {
    // MEMWATCH's `unfreed: <5> main.c(14), 100 bytes`: one frame, a file and a line.
    const at = (line: number) => fingerprintStack([{ file: "main.c", line }]);
    expect(at(14)).not.toBe(at(15));
    expect(at(14)).toBe(fingerprintStack([{ file: "/src/main.c", line: 14 }]));
  });

  it("hash each frame as frameKey spells it, which the text reports tell groups apart by", () => {
    const frames: Frame[] = [
      { function: "init", file: "/src/b.c", line: 4 },
      { function: "make_buf.constprop.0", file: "m.c", line: 2 },
      { function: "helper", object: "/x/libb.so.2.0.1" },
      { function: "std::string::_M_create", object: "/tmp/prog" },
      { object: "/lib/liblsan.so", offset: "0x1a2b" },
      { object: "/usr/bin/git" },
      { file: "main.c", line: 16 },
      { ip: "0x51EB150" },
      // The C library's, alike with and without its debug info (campaign bp F3).
      { function: "_dl_catch_exception", file: "dl-error-skeleton.c", line: 208 },
      { function: "dlopen", object: "/usr/lib/x86_64-linux-gnu/libc.so.6" },
      { object: "/usr/lib/x86_64-linux-gnu/libc.so.6" },
      { function: "dlopen_doit", file: "dlopen.c", line: 56 },
    ];
    for (const lines of [false, true]) {
      const text = frames.map((frame) => {
        const { name, place } = frameKey(frame, lines);
        return `${name}${place}\n`;
      });
      expect(fnv1a64(text.join(""))).toBe(fingerprintStack(frames, { frames: 16, lines }));
    }
    expect(frameKey(frames[0] as Frame)).toEqual({ name: "init", place: " b.c" });
    expect(frameKey(frames[2] as Frame)).toEqual({ name: "helper", place: " (in libb.so)" });
    expect(frameKey(frames[8] as Frame)).toEqual({ name: "_dl_catch_exception", place: "" });
    expect(frameKey(frames[11] as Frame)).toEqual(frameKey(frames[10] as Frame));
  });

  it("hash a stack of the C library's frames alone as frameKey spells it, by name or offset", () => {
    // No frame of the program's left to tell leaks apart (campaign v17 F1): not all alike.
    const libc = "/lib/x86_64-linux-gnu/libc.so.6";
    const stacks: Frame[][] = [
      [{ function: "__alloc_dir", file: "../sysdeps/unix/sysv/linux/opendir.c", line: 115 }],
      [
        { object: libc, offset: "0xcfda4" },
        { function: "_IO_mem_finish", file: "memstream.c" },
      ],
    ];
    for (const stack of stacks) {
      const alike = hashesStackCLibraryAlike(stack);
      expect(alike).toBe(false);
      const text = stack.map((frame) => {
        const { name, place } = frameKey(frame, false, alike);
        return `${name}${place}\n`;
      });
      expect(fnv1a64(text.join(""))).toBe(fingerprintStack(stack));
    }
    expect(frameKey(stacks[1]?.[0] as Frame, false, false).place).toBe("(libc.so.6+0xcfda4)");
  });
});
