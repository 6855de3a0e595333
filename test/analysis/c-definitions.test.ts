import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { functionDefinitions } from "../../src/analysis/c-definitions.js";
import { ROOT } from "../helpers/golden.js";

/** The definitions of `text` as `name first-last` strings, in the order they end. */
function defined(text: string): string[] {
  return [...functionDefinitions(text.split("\n"))].flatMap(([name, spans]) =>
    spans.map((s) => `${name} ${s.first}-${s.last}`),
  );
}

describe("functions a C file defines", () => {
  it("are the fixture program's own namesakes of the C library's, with their lines", () => {
    const src = join(ROOT, "test/fixtures/libc-namesakes/program/src");
    const read = (file: string) => readFileSync(join(src, file), "utf8");
    expect(defined(read("main.c"))).toEqual(["dup 9-9", "main 11-20"]);
    expect(defined(read("util.c"))).toEqual([
      "open 6-11",
      "open_buffer 13-13",
      "read 15-19",
      "sum_ints 21-27",
    ]);
    // sys.c only calls glibc's read, write and realpath.
    expect(defined(read("sys.c"))).toEqual(["use_glibc 6-15"]);
  });

  it("skip braces in comments, literals and preprocessor lines", () => {
    const text = [
      "/* int fake(void) {",
      "   } */",
      "#define BLOCK(x) { \\",
      "  x; }",
      'static const char *open = "{"; // {',
      "int read(int fd) {",
      "  char c = '}';",
      '  const char *s = "}\\"}";',
      "  if (fd) { return c; }",
      "  return s[0];",
      "}",
    ].join("\n");
    expect(defined(text)).toEqual(["read 6-11"]);
  });

  it("skip a comment that a preprocessor line opens", () => {
    const text = ["#endif /* HAVE_DUP: {", "   } */", "int dup(int fd) { return fd; }"];
    expect(defined(text.join("\n"))).toEqual(["dup 3-3"]);
    expect(defined("#if X // {\nint dup(int fd) { return fd; }")).toEqual(["dup 2-2"]);
  });

  it("are not declarations, initializers, types' bodies or C++ members", () => {
    const text = [
      "int dup(int fd);",
      "struct buf { int (*read)(int); };",
      "static int table[] = { 1, 2 };",
      "struct buf b = { .read = 0 };",
      "int Buf::read(int n) { return n; }",
      "class Reader { int read() { return 0; } };",
      "Reader::Reader() : open(0) { }",
      "int (*signal(int sig, void (*f)(int)))(int) { return 0; }",
    ].join("\n");
    expect(defined(text)).toEqual([]);
  });

  it('are at file scope, in extern "C" blocks and namespaces, past annotations', () => {
    const text = [
      'extern "C" {',
      "__attribute__((noinline)) static char *strdup(const char *s)",
      "{",
      "  return 0;",
      "}",
      "}",
      'namespace io { extern "C" int write(int fd) { return fd; } }',
      "int main(void) { { int close = 1; } return 0; }",
    ].join("\n");
    expect(defined(text)).toEqual(["strdup 2-5", "write 7-7", "main 8-8"]);
  });

  it("leave out what they cannot read: a K&R definition", () => {
    expect(defined("int read(fd)\nint fd;\n{\n  return fd;\n}")).toEqual([]);
  });
});
