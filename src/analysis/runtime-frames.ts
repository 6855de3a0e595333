import type { Frame } from "../model/index.js";
import { isBelowMainFrame } from "./allocator-frames.js";

/*
 * Valgrind's text log names a source file without its directory (`dl-tls.c:401`) and a frame
 * with debug info without its object, so glibc's, ld.so's and libstdc++'s frames look like the
 * program's (the XML says `<obj>/usr/lib/.../libc.so.6</obj>`). Their file names prove nothing
 * (a program may have its own `write.c` or `invoke.h`), but their function names do where the
 * language or the ABI reserves them for the implementation: a program that defines them is
 * broken, so calling such a frame the runtime's never hides the program's own code.
 */

// The C library's functions that show up in memcheck stacks because they read or write the
// program's memory (stdio, string, conversion, time), wrap a system call that Valgrind checks,
// or start threads. C11 7.1.3 reserves the standard library's external names, POSIX those of
// the headers it defines: a program does not define `printf` or `write` itself. Seen in this
// repository's samples and /tmp/explore runs: `printf (printf.c:33)`, `write (write.c:26)`,
// `pipe (pipe.c:29)`, `socketpair (syscall-template.S:120)`, `raise (raise.c:26)`,
// `open (open64.c:41)`, `start_thread (pthread_create.c:442)`, `clone (clone.S:100)`.
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
  ...["getpwnam", "getpwuid"],
  // glibc's thread start-up: the frames below a thread's start routine, as `(below main)` is
  // below main.
  ...["start_thread", "clone", "clone3"],
]);

// An ELF symbol version (`pthread_create@@GLIBC_2.34`, `memcpy@GLIBC_2.2.5`): the symbol was
// defined by a shared library's version script (glibc, libstdc++: GLIBCXX_3.4, CXXABI_1.3).
const SYMBOL_VERSION = /@@?[A-Z][A-Z0-9_]*_\d/;

/**
 * True when the frame's function name shows that it is the C or C++ runtime's (libc, the dynamic
 * linker, libstdc++) rather than the program's: libc's start-up (`(below main)`), a C library
 * function, a versioned ELF symbol, anything in namespace `std`, or a name that starts with an
 * underscore, which C and C++ reserve for the implementation at file and global scope
 * (`_dl_allocate_tls`, `__vfprintf_internal`, `_itoa_word`, `__gnu_cxx::...`).
 */
export function isRuntimeFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn === undefined) return false;
  if (isBelowMainFrame(frame)) return true;
  if (fn.includes("@") && SYMBOL_VERSION.test(fn)) return true;
  const name = qualifiedName(fn);
  if (C_LIBRARY_FUNCTIONS.has(name)) return true;
  const scope = firstComponent(name);
  return scope === "std" || scope.startsWith("_");
}

/**
 * The function's qualified name without a template's return type or the parameter list, as
 * demangled: `void* std::__invoke_impl<...>(...)` gives `std::__invoke_impl<...>`,
 * `main::{lambda(int)#1}::operator()(int) const` gives `main::{lambda(int)#1}::operator`. Brackets
 * are counted so that spaces and parentheses inside template arguments and lambda names do not
 * count. A name whose brackets do not balance (`bool std::operator< <char>(...)`, whose first
 * `<` opens nothing) comes back whole, return type and all, which can only make the frame look
 * like the program's: the conservative side.
 */
export function qualifiedName(fn: string): string {
  let depth = 0;
  let start = 0;
  for (let i = 0; i < fn.length; i += 1) {
    const c = fn[i];
    if (c === "(" && depth === 0) return fn.slice(start, i);
    if (c === "<" || c === "(" || c === "{" || c === "[") depth += 1;
    else if (c === ">" || c === ")" || c === "}" || c === "]") depth -= 1;
    else if (c === " " && depth === 0) start = i + 1;
  }
  return fn;
}

/** `std` of `std::vector<int>::push_back`, `main` of `main::{lambda()#1}`. */
function firstComponent(name: string): string {
  const end = name.search(/::|</);
  return end === -1 ? name : name.slice(0, end);
}
