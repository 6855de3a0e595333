import type { Frame } from "../model/index.js";
import { qualifiedName } from "./cpp-demangled.js";
import { isBelowMainFrame, unversioned } from "./allocator-frames.js";
import { baseName } from "./frame-paths.js";

/*
 * Valgrind's text log names a source file without its directory (`dl-tls.c:401`) and a frame
 * with debug info without its object, so glibc's, ld.so's and libstdc++'s frames look like the
 * program's (the XML says `<obj>/usr/lib/.../libc.so.6</obj>`). Their file names prove little (a
 * program may have its own `write.c` or `invoke.h`), their function names more: C and C++
 * reserve some names for the implementation. But programs do use reserved names (a static
 * `_helper(int)`, a namespace `_impl`, a specialization in namespace std) and overload the C
 * library's (`read(Buf&)`: /tmp/explore2's own.cpp), so a name is only a guess that the
 * program's source tree may overrule (see isOwnFrame). Only a few names are the runtime's
 * in any file (isRuntimeFrameInAnyFile) but one the program's sources define them in.
 */

// The C library's functions that show up in memcheck stacks because they read or write the
// program's memory (stdio, string, conversion, time), wrap a system call that Valgrind checks,
// or start threads. C11 7.1.3 reserves the standard library's external names, POSIX those of
// the headers it defines, but a C program's static functions may still have them (a static `dup`
// in leak.c, whose leak a text log placed at its caller where the XML placed it in `dup`:
// campaign cf Q7), which the file that defines them tells (see definesNamesake), and a C++
// program may overload them (`read(Buf&)`), hence only names with C linkage, which Valgrind
// prints without a parameter list (libc's `read (read.c:26)`), are looked up. Seen in this
// repository's samples and /tmp/explore runs: `printf (printf.c:33)`, `write (write.c:26)`,
// `pipe (pipe.c:29)`, `socketpair (syscall-template.S:120)`, `raise (raise.c:26)`,
// `open (open64.c:41)`, `dup (syscall-template.S:120)`, `start_thread (pthread_create.c:442)`, `clone (clone.S:100)`.
const C_LIBRARY_FUNCTIONS = new Set([
  // <stdio.h>
  ...["printf", "fprintf", "sprintf", "snprintf", "dprintf", "vprintf", "vfprintf", "vsprintf"],
  ...["vsnprintf", "vdprintf", "asprintf", "vasprintf", "puts", "fputs", "fputc", "putc"],
  ...["putchar", "fwrite", "fread", "fgets", "fgetc", "getc", "getline", "getdelim", "fopen"],
  ...["fopen64", "fdopen", "freopen", "fclose", "fflush", "setvbuf", "setbuf", "scanf"],
  ...["fscanf", "sscanf", "vfscanf", "vsscanf", "perror", "tmpfile", "popen", "pclose"],
  // <string.h>, <stdlib.h>, <time.h>, <locale.h>
  ...["strlen", "strnlen", "strcpy", "strncpy", "stpcpy", "strcat", "strncat", "strcmp"],
  ...["strncmp", "strchr", "strrchr", "strstr", "strtok", "strerror", "memcpy", "memmove"],
  ...["memset", "memcmp", "memchr", "strtol", "strtoul", "strtoll", "strtoull", "strtod"],
  ...["atoi", "atol", "atof", "qsort", "bsearch", "getenv", "setenv", "putenv", "unsetenv"],
  ...["exit", "abort", "atexit", "system", "localtime", "localtime_r", "gmtime", "gmtime_r"],
  ...["mktime", "strftime", "ctime", "asctime", "tzset", "setlocale"],
  // POSIX system call wrappers and <pthread.h>, <dlfcn.h>, <netdb.h>, <pwd.h>
  ...["read", "write", "pread", "pwrite", "pread64", "pwrite64", "readv", "writev", "open"],
  ...["open64", "openat", "creat", "close", "send", "sendto", "sendmsg", "recv", "recvfrom"],
  ...["recvmsg", "ioctl", "pipe", "pipe2", "socket", "socketpair", "bind", "connect", "accept"],
  ...["select", "poll", "epoll_ctl", "stat", "fstat", "lstat", "access", "mmap", "munmap"],
  ...["mprotect", "raise", "kill", "syscall", "fork", "vfork", "execve", "execvp", "waitpid"],
  ...["nanosleep", "sleep", "usleep", "pthread_create", "pthread_join", "pthread_detach"],
  ...["pthread_once", "pthread_mutex_lock", "pthread_mutex_unlock", "pthread_cond_wait"],
  ...["dlopen", "dlsym", "dlclose", "dlerror", "getaddrinfo", "freeaddrinfo", "gethostbyname"],
  ...["getpwnam", "getpwuid", "dup", "dup2", "dup3", "fcntl", "eventfd", "timerfd_create"],
  ...["epoll_create", "epoll_create1", "signalfd", "inotify_init", "memfd_create"],
  // Functions that return memory they allocated, whose frames stand between the allocator
  // and the program in a leak's stack (see withoutLibraryAllocation in fingerprint.ts);
  // `realpath_stk` is glibc's own
  // static helper of realpath (canonicalize.c).
  ...["getcwd", "get_current_dir_name", "realpath", "realpath_stk", "canonicalize_file_name"],
  ...["strdup", "strndup"],
  ...["wcsdup", "open_memstream", "open_wmemstream", "fmemopen", "opendir", "fdopendir"],
  ...["scandir", "tempnam", "backtrace_symbols", "regcomp", "glob", "newlocale", "iconv_open"],
  ...["gettext", "dgettext", "dcgettext", "dcigettext", "ngettext", "dngettext", "dcngettext"],
  ...["tsearch", "hcreate", "hcreate_r", "getifaddrs", "if_nameindex", "setmntent", "getmntent"],
  ...["wordexp", "catopen", "getgrnam", "getgrgid", "getpwent", "getgrent", "strsignal"],
  // glibc's thread start-up: the frames below a thread's start routine, as `(below main)` is
  // below main.
  ...["start_thread", "clone", "clone3"],
]);

// An ELF symbol version (`pthread_create@@GLIBC_2.34`, `memcpy@GLIBC_2.2.5`): the symbol was
// defined by a shared library's version script (glibc, libstdc++: GLIBCXX_3.4, CXXABI_1.3).
const SYMBOL_VERSION = /@@?[A-Z][A-Z0-9_]*_\d/;

// A name mangled by the Itanium C++ ABI is what --demangle=no prints for the program's C++
// (`_ZN4stdx4makeEv (own.cpp:11)`, `_ZN5_impl5allocEv`, in a run of /tmp/explore2's own.cpp) as
// for libstdc++'s, so its leading `_Z` proves nothing. It is the runtime's when its outermost
// scope is std (`St`, or the ABI's abbreviation of a std type: `_ZNSt6vectorIiSaIiEEC1EmRKS0_`,
// `Ss` for std::string) or a reserved name (`_ZN9__gnu_cxx...`). `N` opens a nested name,
// `rVKRO` qualify a member function, `L` marks a static one.
const MANGLED_RUNTIME_SCOPE = /^_ZN?[rVKRO]*L?(?:S[tabsiod]|\d+(?:__|_[A-Z]))/;

/**
 * The functions a compiler writes to run a file's static initialisers (gcc's
 * `__static_initialization_and_destruction_0(int, int)` and `_GLOBAL__sub_I_main`, with an
 * init_priority `_GLOBAL__sub_I.00200_main`, clang's `__cxx_global_var_init.1`): reserved names,
 * but in the program's file (`init.cpp:2`). Taken for the runtime's, a static initialiser's leak
 * was placed at glibc's `call_init (libc-start.c:145)`, and the summary left out a prioritised
 * one's frame (campaign bn F2).
 */
const STATIC_INITIALIZER =
  /^(?:__static_initialization_and_destruction_\d+\b|_GLOBAL__sub_[ID][._]|__cxx_global_var_init\b)/;

/**
 * The file GNAT's binder writes to start an Ada program (`main (b~hello.adb:185)`, `b__hello.adb`
 * on systems without `~` in names): generated beside the program, but the runtime's start-up.
 */
const GNAT_BINDER_FILE = /(?:^|\/)b(?:~|__)[^/]*\.ad[bs]$/;

/** True when the frame is in the file GNAT's binder wrote (GNAT_BINDER_FILE), by any path. */
export function isGnatBinderFrame(frame: Frame): boolean {
  return frame.file !== undefined && GNAT_BINDER_FILE.test(frame.file);
}

/**
 * True when the frame is the C or C++ runtime's (libc, the dynamic linker, libstdc++) whatever
 * file it names: libc's start-up (`(below main)`), a versioned ELF symbol, or a C library
 * function with C linkage. A program's file of the same name (its own `write.c`) does not make
 * libc's `write (write.c:26)` the program's; only a file of the program's that defines a C
 * library function's name where the frame is does (see definesNamesake).
 */
export function isRuntimeFrameInAnyFile(frame: Frame): boolean {
  const fn = frame.function;
  if (fn === undefined) return false;
  if (isBelowMainFrame(frame)) return true;
  if (isGnatBinderFrame(frame)) return true;
  if (fn.includes("@") && SYMBOL_VERSION.test(fn)) return true;
  return C_LIBRARY_FUNCTIONS.has(fn);
}

/**
 * True when the frame is named as Valgrind prints one of the C library's functions
 * (C_LIBRARY_FUNCTIONS: `dup`, `read`, `printf`), which a program may name its own functions too
 * (a static `dup` in leak.c): only the file that defines it tells them apart in a text log (see
 * definesNamesake).
 */
export function isCLibraryFunctionFrame(frame: Frame): boolean {
  return frame.function !== undefined && C_LIBRARY_FUNCTIONS.has(frame.function);
}

/**
 * True when the frame's function name suggests the C or C++ runtime's code rather than the
 * program's: isRuntimeFrameInAnyFile, druntime's `main (entrypoint.d)`
 * (RUNTIME_IN_GENERIC_FILES), anything in namespace std, a name whose outermost scope
 * starts with `__` or `_` and a capital (reserved in every scope: `__vfprintf_internal`,
 * `_IO_doallocbuf`, `__gnu_cxx::...`), or a C name of the runtime's that starts with `_`
 * (`_dl_allocate_tls`, `_itoa_word`: RUNTIME_C_NAME). A C++ `_x` name (`_helper(int)`, `_impl::alloc()`) is not
 * the runtime's: C++ reserves it only in the global namespace, and glibc's are C. A guess that
 * the program's source tree overrules (see isOwnFrame).
 */
export function isRuntimeFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn === undefined) return false;
  if (isRuntimeFrameInAnyFile(frame) || isRuntimeInGenericFile(frame)) return true;
  if (STATIC_INITIALIZER.test(fn)) return false;
  if (fn.startsWith("_Z")) return MANGLED_RUNTIME_SCOPE.test(fn);
  const d = dModule(fn);
  if (d !== undefined) return D_RUNTIME_MODULES.has(d);
  const fortran = fortranModule(fn);
  if (fortran !== undefined) return FORTRAN_RUNTIME_MODULES.has(fortran);
  if (ADA_MAIN.test(fn)) return false;
  if (hasCLinkage(fn)) return RUNTIME_C_NAME.test(fn);
  const scope = firstComponent(qualifiedName(fn));
  return scope === "std" || scope.startsWith("__") || /^_[A-Z]/.test(scope);
}

/*
 * Other languages' mangled names begin with what C reserves, and Valgrind's text log prints
 * them as they are: D's `_D4leak5cLeakFmZPv` (module `leak`, function `cLeak`) and `_Dmain`,
 * gfortran's module procedures `__leakmod_MOD_leak_list`, GNAT's main procedure `_ada_hello`.
 * Taken for the runtime's, every leak of a D program was placed at druntime's C `main`, every
 * leak of a Fortran module at its caller in MAIN__, an Ada main procedure's at the binder's
 * `main` (campaign x; the XML names them, with their objects). They are the program's
 * unless their module is the language runtime's (D's druntime and Phobos, gfortran's intrinsic
 * modules).
 */
const D_RUNTIME_MODULES: ReadonlySet<string> = new Set([
  "core",
  "std",
  "rt",
  "object",
  "gc",
  "gcc",
  "ldc",
  "etc",
]);
// Each language's own: a Fortran program's `module core` is its own (campaign y).
const FORTRAN_RUNTIME_MODULES: ReadonlySet<string> = new Set([
  ...["iso_c_binding", "iso_fortran_env", "ieee_arithmetic", "ieee_exceptions", "ieee_features"],
  ...["omp_lib", "omp_lib_kinds", "openacc", "caf"],
]);

/** GNAT's name for an Ada main procedure: `_ada_hello` for `procedure Hello`. */
const ADA_MAIN = /^_ada_[a-z0-9_]+$/;

/** The first module of a D-mangled name (`leak` of `_D4leak5cLeakFmZPv`; `_Dmain` is main's). */
function dModule(fn: string): string | undefined {
  if (fn === "_Dmain") return "main";
  const m = /^_D(\d{1,4})([A-Za-z_])/.exec(fn);
  return m === null ? undefined : fn.slice(2 + (m[1] as string).length).slice(0, Number(m[1]));
}

/** The module of a gfortran module procedure (`leakmod` of `__leakmod_MOD_leak_list`). */
function fortranModule(fn: string): string | undefined {
  const m = /^__([a-z0-9_]+?)_MOD_\w/.exec(fn);
  return m === null ? undefined : (m[1] as string);
}

/**
 * C names the runtime's: `__x` and `_X` are reserved in every scope (`__vfprintf_internal`,
 * `_IO_doallocbuf`); of the lowercase `_x` names, reserved at file scope only, those of glibc's
 * and ld.so's internals and of other runtimes (macOS's objc, dyld and xpc; D's `_d_run_main`,
 * gfortran's, cgo's), as seen in the corpus. Other `_x` names are the program's or its libraries':
 * C code names its static functions so (cairo's `_cairo_*`, `_cache_put`), and taken for the
 * runtime's, nine such frames filled the fingerprint's window, so that two functions' leaks were
 * one group placed at their caller (campaign g).
 */
const RUNTIME_C_NAME =
  /^(?:_[_A-Z]|_(?:dl|nl|nss|obstack|dlfo|wordcopy|i18n|libc|pthread|objc|dyld|xpc|libxpc|dispatch|d|gfortran|gfortrani|cgo|os_object|malloc_zone|res_hconf)_|_(?:start|init|fini|exit|itoa_word|fitoa_word|itoa|quicksort|mid_memalign|read_images|dlerror_run|fnmatch|int_malloc|int_free|int_realloc|int_memalign|os_once|os_alloc_once)(?:$|[.@]))/;

/**
 * True for a name as Valgrind prints a C function: a bare symbol, perhaps with an ELF version
 * or a compiler's clone suffix (`allocate_stack.isra.0`), without C++'s scopes, template
 * arguments or parameter list.
 */
function hasCLinkage(fn: string): boolean {
  return !/[(:< ]/.test(fn);
}

/**
 * The C++ library's namespaces and its ABI's functions (`std::`, `__gnu_cxx::`, `__cxxabiv1::`,
 * `__cxa_allocate_exception`), demangled or, with --demangle=no, mangled (`_ZNSt7__cxx11...`,
 * `_ZNKSt...`, `_ZSt...`, `_ZNSs...`, `_ZN9__gnu_cxx...`). No program defines them: the same
 * function whatever object holds it (see isCppLibraryFunction).
 */
const CPP_LIBRARY_SCOPES: ReadonlySet<string> = new Set(["std", "__gnu_cxx", "__cxxabiv1"]);
const MANGLED_CPP_LIBRARY = /^_ZN?[rVKRO]*(?:St|S[absiod]|9__gnu_cxx|10__cxxabiv1)/;

/**
 * Whether `fn` names a function of the C++ library (CPP_LIBRARY_SCOPES): libstdc++ linked
 * statically puts its functions in the program's own object (`std::__cxx11::basic_string<...>::
 * _M_mutate(...) (in /tmp/x/str_static)`), linked shared in `libstdc++.so.6.0.30`.
 */
export function isCppLibraryFunction(fn: string): boolean {
  if (fn.startsWith("_Z")) return MANGLED_CPP_LIBRARY.test(fn);
  if (fn.startsWith("__cxa_")) return true;
  return CPP_LIBRARY_SCOPES.has(firstComponent(qualifiedName(fn)));
}

/** `std` of `std::vector<int>::push_back`, `main` of `main::{lambda()#1}`. */
function firstComponent(name: string): string {
  const end = name.search(/::|</);
  return end === -1 ? name : name.slice(0, end);
}

/*
 * The C++ library's headers, by base name: an optimized build (-O2 -g, CMake's RelWithDebInfo)
 * inlines their templates into the program's functions, and Valgrind's text log prints such a
 * frame with its unqualified name and its header's base name only (`allocate
 * (new_allocator.h:137)`, `basic_string<> (basic_string.h:659)`), so neither its scope nor a
 * system path says it is the library's (the XML does: `/usr/include/c++/12/bits`). These names
 * are libstdc++'s `bits/` headers and libc++'s internal ones; generic names a program may use
 * (`allocator.h`, `hashtable.h`, `move.h`, `invoke.h`) are left out, and two of them count with
 * the library's function names, called by the library, only (CPP_HEADER_CALLS).
 */
const CPP_LIBRARY_HEADERS = new Set([
  ...["new_allocator.h", "alloc_traits.h", "basic_string.h", "basic_string.tcc", "cow_string.h"],
  ...["std_function.h", "stl_vector.h", "vector.tcc", "stl_construct.h", "stl_uninitialized.h"],
  ...["hashtable_policy.h", "stl_tree.h", "stl_map.h", "stl_multimap.h", "stl_set.h"],
  ...["unordered_map.h", "unordered_set.h", "stl_deque.h", "deque.tcc", "stl_list.h", "list.tcc"],
  ...["shared_ptr.h", "shared_ptr_base.h", "unique_ptr.h", "stl_algobase.h", "stl_algo.h"],
  ...["char_traits.h", "std_thread.h", "stl_bvector.h", "stl_iterator.h", "stl_pair.h"],
  ...["stl_heap.h", "stl_queue.h", "stl_stack.h", "stl_function.h", "functional_hash.h"],
  ...["sstream.tcc", "ostream.tcc", "istream.tcc", "streambuf.tcc", "locale_facets.tcc"],
  ...["basic_ios.h", "basic_ios.tcc", "ios_base.h", "ptr_traits.h", "node_handle.h"],
  // libc++ (LLVM): internal headers without an extension
  ...["__tree", "__hash_table", "__split_buffer", "__functional_base", "__string"],
]);

/** True when the frame's file is one of the C++ library's headers (CPP_LIBRARY_HEADERS). */
export function isCppLibraryHeaderFrame(frame: Frame): boolean {
  const file = frame.file;
  return file !== undefined && CPP_LIBRARY_HEADERS.has(file.slice(file.lastIndexOf("/") + 1));
}

/*
 * Runtime files whose names a program may use too, with the runtime's functions in them:
 * gdc's druntime starts a D program in a C `main (entrypoint.d:29)`, which was taken for the
 * program's (campaign x).
 */
const RUNTIME_IN_GENERIC_FILES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["entrypoint.d", new Set(["main"])],
]);

/** True when the frame is a runtime function in a file of a generic name (RUNTIME_IN_GENERIC_FILES). */
function isRuntimeInGenericFile(frame: Frame): boolean {
  const { file, function: fn } = frame;
  if (file === undefined || fn === undefined) return false;
  return RUNTIME_IN_GENERIC_FILES.get(baseName(file))?.has(fn) === true;
}

/*
 * libstdc++ headers whose names a program may use too, with the library's functions in them,
 * as the text log prints them inlined: g++ 12 with -std=c++20 inlines std::allocator<T>::allocate
 * (constexpr, always_inline) even at -O0, and the text log prints `allocate (allocator.h:188)`
 * right after `std::__new_allocator<int>::allocate (new_allocator.h:137)`; it was taken for the
 * program's (campaign x). A C program's own `allocate` in its own allocator.h is called by no
 * library frame (campaign y): only what the library calls, inlined, is the library's.
 */
const CPP_HEADER_CALLS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["allocator.h", new Set(["allocate", "deallocate", "allocator", "~allocator"])],
  ["move.h", new Set(["move", "forward", "swap"])],
]);

/**
 * Whether `stack[i]` is one of the C++ library's functions inlined from a header of a generic
 * name (CPP_HEADER_CALLS): its bare name in that header, and the frame it calls (the one before
 * it) the library's.
 */
export function isInlinedLibraryHeaderFrame(stack: readonly Frame[], i: number): boolean {
  const frame = stack[i];
  const callee = stack[i - 1];
  if (frame?.file === undefined || frame.function === undefined || callee === undefined)
    return false;
  const names = CPP_HEADER_CALLS.get(baseName(frame.file));
  if (names?.has(frame.function.replace(/\(.*$/s, "")) !== true) return false;
  return (
    isCppLibraryHeaderFrame(callee) ||
    isRuntimeFrame(callee) ||
    isInlinedLibraryHeaderFrame(stack, i - 1)
  );
}

/**
 * A frame of the C runtime by its name (C linkage, see isRuntimeFrame), or a sanitizer's
 * interceptor of a C library function (`__interceptor_getline`): the frames that a C library
 * function which allocates (getline, asprintf, fopen, fclose of an open_memstream) puts between
 * the allocator and the program, each checker showing other ones.
 */
export function isCRuntimeFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn === undefined) return false;
  if (isInterceptorName(fn)) return true;
  // Not C++'s, mangled (--demangle=no) or not: std::vector's growth is not `new` in a program's
  // function, and the two stay apart as before; nor Rust's methods (`clone (mod.rs:2270)`).
  if (!hasCLinkage(fn) || fn.startsWith("_Z") || frame.file?.endsWith(".rs") === true) return false;
  return isRuntimeFrame(frame);
}

const SANITIZER_INTERCEPTOR = /^_{2,3}interceptor_/;

/** A sanitizer's interceptor of a library function (`__interceptor_getline`). */
export function isInterceptorName(fn: string): boolean {
  return SANITIZER_INTERCEPTOR.test(fn);
}

/**
 * The C library function a C runtime frame (isCRuntimeFrame) stands for, however the checker
 * names it: without a symbol version (`fclose@@GLIBC_2.2.5`), a sanitizer's interceptor prefix
 * (`__interceptor_fclose`), glibc's internal aliases (`__GI___getcwd`, `_IO_new_fclose`,
 * `___asprintf`), and `getline` as `getdelim`, whose alias it is in glibc (Valgrind and LSan
 * name getline's frame `getdelim`, ASan's interceptor `getline`).
 */
export function cLibraryName(fn: string): string {
  const name = unversioned(fn)
    .replace(SANITIZER_INTERCEPTOR, "")
    .replace(/^__GI_/, "")
    .replace(/^_IO_new_/, "")
    .replace(/^_+/, "");
  return C_LIBRARY_ALIASES.get(name) ?? name;
}

/**
 * glibc's functions that another one's frame stands for: getline is getdelim's alias, a
 * program's vasprintf and scandir show as their internal halves (`__vasprintf_internal`,
 * `__scandir64_tail`) under Valgrind and LSan and as themselves under ASan's interceptor, and
 * canonicalize_file_name tail-calls realpath (campaign v4).
 */
const C_LIBRARY_ALIASES = new Map([
  ["getline", "getdelim"],
  ["vasprintf_internal", "vasprintf"],
  ["scandir64", "scandir"],
  ["scandir64_tail", "scandir"],
  ["scandir_tail", "scandir"],
  ["canonicalize_file_name", "realpath"],
]);

/**
 * Whether the C runtime frame named `fn` stands for a function of the C library's interface
 * (as cLibraryName names it): the one a program can have called. A C program's own
 * `__node_alloc` or `_Pool_grow` has a reserved name, but no such function is libc's.
 */
export function callsCLibraryFunction(fn: string): boolean {
  return C_LIBRARY_FUNCTIONS.has(cLibraryName(fn));
}

/** A frame of the C or C++ runtime, by its name or its header (isRuntimeFrame, isCppLibraryHeaderFrame). */
export function isLibraryFrame(frame: Frame): boolean {
  return isRuntimeFrame(frame) || isCppLibraryHeaderFrame(frame);
}
