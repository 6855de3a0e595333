import { describe, expect, it } from "vitest";
import {
  isOwnFrame,
  needsSourceFacts,
  needsSourceNames,
  ownFrames,
  strictlyOwnFrames,
  type SourceNames,
} from "../../src/analysis/own-frames.js";
import { qualifiedName } from "../../src/analysis/cpp-demangled.js";
import type { Frame } from "../../src/model/index.js";
import { textFrame, tree } from "../helpers/source-tree.js";

const MALLOC: Frame = {
  function: "malloc",
  object: "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so",
};

// Frames of /tmp/explore runs (Valgrind 3.19, Debian 12 with glibc debug info): threads.txt,
// origins.txt, names.txt, strip2.txt.
const WORKER = textFrame("worker", "threads.c", 8);
const MAIN = textFrame("main", "threads.c", 18);
const RUNTIME = [
  textFrame("allocate_dtv", "dl-tls.c", 401),
  textFrame("_dl_allocate_tls", "dl-tls.c", 670),
  textFrame("pthread_create@@GLIBC_2.34", "pthread_create.c", 650),
  textFrame("start_thread", "pthread_create.c", 442),
  textFrame("clone", "clone.S", 100),
  textFrame("__vfprintf_internal", "vfprintf-process-arg.c", 58),
  textFrame("_itoa_word", "_itoa.c", 177),
  textFrame("printf", "printf.c", 33),
  textFrame("write", "write.c", 26),
  textFrame("(below main)", "libc_start_call_main.h", 58),
  textFrame(
    "void* std::__invoke_impl<void*, main::{lambda(int)#2}&, int>(std::__invoke_other, main::{lambda(int)#2}&, int&&)",
    "invoke.h",
    61,
  ),
  textFrame(
    "std::enable_if<is_invocable_r_v<void*, main::{lambda(int)#2}&, int>, void*>::type std::__invoke_r<void*, main::{lambda(int)#2}&, int>(main::{lambda(int)#2}&, int&&)",
    "invoke.h",
    114,
  ),
  textFrame(
    "std::_Function_handler<void* (int), main::{lambda(int)#2}>::_M_invoke(std::_Any_data const&, int&&)",
    "std_function.h",
    290,
  ),
];
// allocate_dtv is ld.so's, but nothing in its name says so: only the source tree can tell.
const NAMED_RUNTIME = [
  ...RUNTIME.slice(1),
  // origins.txt, threads.txt, clientreq.txt: stdio's and clone's insides.
  textFrame("puts", "ioputs.c", 40),
  textFrame("open", "open64.c", 41),
  textFrame("_IO_doallocbuf", "genops.c", 342),
  textFrame("_IO_file_doallocate", "filedoalloc.c", 101),
  textFrame("_IO_file_overflow@@GLIBC_2.2.5", "fileops.c", 744),
  textFrame("_IO_new_file_xsputn", "fileops.c", 1243),
  textFrame("__clone_internal", "clone-internal.c", 83),
  // A --demangle=no run of /tmp/explore2's own.cpp: libstdc++'s vector, mangled.
  textFrame("_ZNSt6vectorIiSaIiEEC1EmRKS0_", "stl_vector.h", 552),
  textFrame("_ZNSt16allocator_traitsISaIiEE8allocateERS0_m", "alloc_traits.h", 464),
];

// /tmp/explore2/logs/own.txt: a C++ program's own functions named like libc's (`read(Buf&)`) or
// with a leading underscore (a static `_helper(int)`, a namespace `_impl`); its XML puts them in
// the program's binary. Then the same functions from a --demangle=no run of the same source.
const OWN_CPP = [
  textFrame("read(Buf&)", "own.cpp", 7),
  textFrame("write(Buf&, int)", "own.cpp", 8),
  textFrame("_helper(int)", "own.cpp", 9),
  textFrame("_impl::alloc()", "own.cpp", 14),
  textFrame("stdx::dup(char const*)", "own.cpp", 12),
  textFrame("Reader::read()", "own.cpp", 15),
  textFrame("_Z4readR3Buf", "own.cpp", 7),
  textFrame("_ZL7_helperi", "own.cpp", 9),
  textFrame("_ZN5_impl5allocEv", "own.cpp", 14),
  textFrame("_ZN4stdx4makeEv", "own.cpp", 11),
];

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

  it("in a text log, are not libc's, ld.so's or libstdc++'s by their function names", () => {
    for (const frame of NAMED_RUNTIME) expect(isOwnFrame(frame), frame.function).toBe(false);
    const program = [
      WORKER,
      MAIN,
      textFrame("main::{lambda(int)#2}::operator()(int) const", "names.cpp", 14),
      textFrame("(anonymous namespace)::Foo::operator()(int) const", "names.cpp", 6),
      textFrame("viafn(std::function<void* (int)>)", "names.cpp", 9),
      textFrame(
        "Arr<std::map<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, int, std::less<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >, std::allocator<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> > >, 3>::make()",
        "names.cpp",
        8,
      ),
      // Made up: a template of the program's that returns a std type keeps its own name.
      textFrame(
        "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > label<int>(int)",
        "names.cpp",
        20,
      ),
    ];
    for (const frame of program) expect(isOwnFrame(frame), frame.function).toBe(true);
  });

  it("in a text log, are C++ functions named like libc's or with a leading underscore", () => {
    for (const frame of OWN_CPP) expect(isOwnFrame(frame), frame.function).toBe(true);
    // libc's own `read`, `_itoa_word`: C names, printed without a parameter list.
    expect(isOwnFrame(textFrame("read", "read.c", 26))).toBe(false);
    expect(isOwnFrame(textFrame("_itoa_word", "_itoa.c", 177))).toBe(false);
  });

  it("in a text log, are the compiler's static initialisers of the program's files", () => {
    // Taken for libc's by their reserved names, a static initialiser's leak was placed at
    // glibc's call_init (libc-start.c:145) in the text summary, annotations and SARIF.
    const initialisers = [
      textFrame("__static_initialization_and_destruction_0(int, int)", "init.cpp", 2),
      textFrame("_GLOBAL__sub_I_main", "init.cpp", 3),
      textFrame("__cxx_global_var_init.1", "init.cpp", 2),
    ];
    for (const frame of initialisers) expect(isOwnFrame(frame), frame.function).toBe(true);
    expect(isOwnFrame(textFrame("__static_initialization_and_destruction_0", "x.c", 1))).toBe(true);
    expect(isOwnFrame(textFrame("__libc_start_main", "libc-start.c", 360))).toBe(false);
  });

  it("take a demangled name apart at the depth-0 space and parenthesis", () => {
    expect(qualifiedName(RUNTIME[10]?.function ?? "")).toBe(
      "std::__invoke_impl<void*, main::{lambda(int)#2}&, int>",
    );
    expect(qualifiedName("main::{lambda(int)#1}::operator()(int) const")).toBe(
      "main::{lambda(int)#1}::operator",
    );
    expect(qualifiedName("pthread_create@@GLIBC_2.34")).toBe("pthread_create@@GLIBC_2.34");
    expect(qualifiedName("(anonymous namespace)::Foo::operator()(int) const")).toBe(
      "(anonymous namespace)::Foo::operator",
    );
  });

  it("with the source root's file names, are the files found there", () => {
    const names: SourceNames = { names: new Set(["threads.c", "util.h"]), complete: true };
    expect(isOwnFrame(RUNTIME[0] as Frame, { sourceNames: names })).toBe(false);
    expect(isOwnFrame(WORKER, { sourceNames: names })).toBe(true);
    // A file that the walk did not find is not the program's, whatever its function's name.
    expect(isOwnFrame(OWN_CPP[0] as Frame, { sourceNames: names })).toBe(false);
    // A walk cut short proves only what it found: a missing name falls back on the function.
    const partial: SourceNames = { names: new Set(["util.h"]), complete: false };
    expect(isOwnFrame(RUNTIME[0] as Frame, { sourceNames: partial })).toBe(true);
    expect(isOwnFrame(RUNTIME[1] as Frame, { sourceNames: partial })).toBe(false);
    // Absolute paths are judged by the root, as before.
    const absolute = { function: "main", dir: "/tmp/explore/src", file: "threads.c", line: 18 };
    expect(isOwnFrame(absolute, { sourceRoot: "/tmp/explore/src", sourceNames: names })).toBe(true);
    expect(isOwnFrame(absolute, { sourceRoot: "/elsewhere", sourceNames: names })).toBe(false);
  });

  it("with the source root's file names, are found there even with a reserved-looking name", () => {
    const names: SourceNames = { names: new Set(["own.cpp", "key.h"]), complete: true };
    expect(isOwnFrame(textFrame("_helper(int)", "own.cpp", 9), { sourceNames: names })).toBe(true);
    // Made up: a program's std::hash specialization, in namespace std by the language's rules.
    const hash = textFrame("std::hash<Key>::operator()(Key const&) const", "key.h", 4);
    expect(isOwnFrame(hash, { sourceNames: names })).toBe(true);
    expect(isOwnFrame(hash)).toBe(false);
    // But not libc's start-up, versioned symbols or C library functions: a program's own
    // write.c does not make libc's `write (write.c:26)` the program's.
    const libcNames = ["write.c", "pthread_create.c", "libc_start_call_main.h", "printf.c"];
    const withLibcNames: SourceNames = { names: new Set(libcNames), complete: true };
    for (const frame of [RUNTIME[2], RUNTIME[7], RUNTIME[8], RUNTIME[9]] as Frame[])
      expect(isOwnFrame(frame, { sourceNames: withLibcNames }), frame.function).toBe(false);
    // A walk cut short still proves the names it found.
    const partial: SourceNames = { names: new Set(["own.cpp"]), complete: false };
    expect(isOwnFrame(textFrame("_helper(int)", "own.cpp", 9), { sourceNames: partial })).toBe(
      true,
    );
  });

  it("with what the root's files hold, are not glibc's frames in a file of the same name", () => {
    // test/fixtures/libc-namesakes: a project's own opendir.c, long enough for glibc's lines
    // 63 and 115 but naming only its own `__dircache_new`, beside glibc's opendir in one log.
    const files = new Map([
      ["src/lib/opendir.c", { lines: 200, words: new Set(["__dircache_new"]) }],
    ]);
    const sourceNames: SourceNames = { ...tree("src/lib/opendir.c", "src/main.c"), files };
    const ownCode = { sourceRoot: "/p", sourceNames };
    const glibc = [
      MALLOC,
      textFrame("__alloc_dir", "opendir.c", 115),
      textFrame("opendir_tail", "opendir.c", 63),
      textFrame("main", "main.c", 5),
    ];
    expect(isOwnFrame(glibc[1] as Frame, ownCode)).toBe(false);
    // opendir_tail's name is an ordinary one: beside glibc's __alloc_dir in that file, the stack
    // tells whose it is.
    expect(isOwnFrame(glibc[2] as Frame, ownCode)).toBe(true);
    expect(strictlyOwnFrames(glibc, ownCode)).toEqual([glibc[3]]);
    const own = [
      MALLOC,
      textFrame("__dircache_new", "opendir.c", 7),
      textFrame("main", "main.c", 7),
    ];
    expect(strictlyOwnFrames(own, ownCode)).toEqual(own.slice(1));
    // Without the file's words, as library users who give only the walk: as before.
    const unread = { sourceRoot: "/p", sourceNames: tree("src/lib/opendir.c", "src/main.c") };
    expect(strictlyOwnFrames(glibc, unread)).toEqual(glibc.slice(1));
  });

  it("beside libc's frame in a file of the same name, are the ones the project's file names", () => {
    // A program's own write.c whose `my_write` calls libc's `write (write.c:26)`; glibc's
    // regcomp.c helpers under `regcomp` beside a project's compat/regcomp.c that names none.
    const files = new Map([
      ["src/write.c", { lines: 300, words: new Set(["my_write", "write"]) }],
      ["src/compat/regcomp.c", { lines: 4000, words: new Set(["rpl_regcomp"]) }],
    ]);
    const sourceNames: SourceNames = {
      ...tree("src/write.c", "src/compat/regcomp.c", "src/main2.c"),
      files,
    };
    const ownCode = { sourceRoot: "/p", sourceNames };
    const write = [textFrame("write", "write.c", 26), textFrame("my_write", "write.c", 10)];
    expect(strictlyOwnFrames(write, ownCode)).toEqual([write[1]]);
    const regcomp = [
      MALLOC,
      textFrame("re_node_set_alloc", "regex_internal.c", 973),
      textFrame("calc_eclosure_iter", "regcomp.c", 1699),
      textFrame("analyze", "regcomp.c", 1204),
      textFrame("re_compile_internal", "regcomp.c", 795),
      textFrame("regcomp", "regcomp.c", 491),
      textFrame("main", "main2.c", 12),
    ];
    expect(strictlyOwnFrames(regcomp, ownCode)).toEqual([regcomp[6]]);
  });

  it("with the functions the root's files define, are the program's own namesakes of libc's", () => {
    // test/fixtures/libc-namesakes/program: a static `dup` in main.c, a static `read` in util.c
    // and an `asprintf` in compat/asprintf.c, which the XML of the same run puts in the program,
    // beside glibc's `read (read.c:26)`; a made-up write.c whose `my_write` calls glibc's.
    const facts = (lines: number, spans: Record<string, [number, number]>) => ({
      lines,
      words: new Set(Object.keys(spans)),
      definitions: new Map(
        Object.entries(spans).map(([name, [first, last]]) => [name, [{ first, last }]]),
      ),
    });
    const files = new Map([
      ["src/main.c", facts(20, { dup: [9, 9], main: [11, 20] })],
      ["src/util.c", facts(27, { open: [6, 11], read: [15, 19], sum_ints: [21, 27] })],
      ["src/compat/asprintf.c", facts(16, { asprintf: [6, 16] })],
      [
        "src/write.c",
        { ...facts(300, { my_write: [8, 30] }), words: new Set(["my_write", "write"]) },
      ],
      ["src/memstream.c", facts(90, { open_memstream: [40, 90] })],
    ]);
    const paths = ["src/main.c", "src/util.c", "src/compat/asprintf.c", "src/write.c"];
    const ownCode = {
      sourceRoot: "/p",
      sourceNames: { ...tree(...paths, "src/memstream.c"), files },
    };
    const dup = [MALLOC, textFrame("dup", "main.c", 9), textFrame("main", "main.c", 12)];
    expect(strictlyOwnFrames(dup, ownCode)).toEqual(dup.slice(1));
    expect(isOwnFrame(textFrame("read", "util.c", 17), ownCode)).toBe(true);
    expect(isOwnFrame(textFrame("open", "util.c", 7), ownCode)).toBe(true);
    // Not at a line the file's definition does not hold, nor in a file that only calls it.
    expect(isOwnFrame(textFrame("read", "util.c", 24), ownCode)).toBe(false);
    expect(isOwnFrame(textFrame("write", "write.c", 26), ownCode)).toBe(false);
    expect(isOwnFrame(textFrame("read", "read.c", 26), ownCode)).toBe(false);
    // A file named after the function it defines may be a replacement that is not compiled
    // beside glibc's (gnulib's strdup.c, a compat memstream.c): glibc's file has that name too.
    expect(isOwnFrame(textFrame("asprintf", "asprintf.c", 11), ownCode)).toBe(false);
    expect(isOwnFrame(textFrame("open_memstream", "memstream.c", 65), ownCode)).toBe(false);
    // libc's start-up and versioned symbols are no function a program defines.
    const startup = textFrame("(below main)", "main.c", 11);
    expect(isOwnFrame(startup, ownCode)).toBe(false);
    expect(isOwnFrame(textFrame("dup@@GLIBC_2.2.5", "main.c", 9), ownCode)).toBe(false);
    // Without the definitions (a library user's facts), or without --source-root, as before.
    const unread = { sourceRoot: "/p", sourceNames: { ...tree(...paths), files: new Map() } };
    expect(isOwnFrame(dup[1] as Frame, unread)).toBe(false);
    expect(isOwnFrame(dup[1] as Frame)).toBe(false);
  });

  it("need the source root's names for relative files unless the name is libc's anywhere", () => {
    expect(needsSourceNames(WORKER)).toBe(true);
    expect(needsSourceNames(RUNTIME[0] as Frame)).toBe(true);
    // A reserved name may be the program's when its file is found (see above), and so may a
    // C library function's when its file defines it there.
    expect(needsSourceNames(RUNTIME[1] as Frame)).toBe(true);
    expect(needsSourceNames(textFrame("write", "write.c", 26))).toBe(true);
    expect(needsSourceNames(textFrame("(below main)", "libc_start_call_main.h", 58))).toBe(false);
    expect(needsSourceNames(RUNTIME[2] as Frame)).toBe(false);
    expect(needsSourceNames({ function: "main", dir: "/src", file: "a.c", line: 1 })).toBe(false);
    expect(needsSourceNames({ function: "main", object: "/src/a.out" })).toBe(false);
  });

  it("need what the root's files of their name hold when their names look like the runtime's", () => {
    expect(needsSourceFacts(textFrame("__alloc_dir", "opendir.c", 115))).toBe(true);
    expect(needsSourceFacts(textFrame("regcomp", "regcomp.c", 491))).toBe(true);
    expect(needsSourceFacts(textFrame("opendir_tail", "opendir.c", 63))).toBe(false);
    expect(needsSourceFacts(WORKER)).toBe(false);
    expect(needsSourceFacts({ function: "__alloc_dir", dir: "/usr/src", file: "opendir.c" })).toBe(
      false,
    );
  });

  it("of a stripped binary's stack are its ??? frames, not libc's (below main)", () => {
    // strip2.txt; the XML of the same run (its `(below main)` is in libc.so.6) shows the same.
    const stack: Frame[] = [
      {
        ip: "0x48417B4",
        function: "malloc",
        object: "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so",
      },
      { ip: "0x109156", object: "/tmp/explore/strip2" },
      { ip: "0x1091A5", object: "/tmp/explore/strip2" },
      { ip: "0x4883249", function: "(below main)", file: "libc_start_call_main.h", line: 58 },
    ];
    expect(ownFrames(stack)).toEqual(stack.slice(1));
  });
});
