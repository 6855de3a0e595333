import type { Frame } from "../model/index.js";
import { qualifiedName } from "./cpp-demangled.js";
import { baseName } from "./frame-paths.js";

/*
 * std::thread's own start-up, between libstdc++'s trampoline and the thread's function:
 * `std::thread::_State_impl<...>::_M_run()`, `std::thread::_Invoker<...>::operator()()` and
 * `_M_invoke<0ul>` (std_thread.h), then `std::__invoke` and `std::__invoke_impl` (invoke.h),
 * instantiated in the program. A build at -O0 prints them, -O2 tail-calls through them or
 * inlines them (`_M_invoke<0, 1> (std_thread.h:252)`), and a smaller --num-callers cuts them:
 * hashed, a thread's unchanged leak was new and fixed between -O0 and -O2 and between two
 * --num-callers (campaign bn F3). They are start-up as the trampoline is, at the stack's bottom
 * only: std::__invoke in the middle of a stack (std::function, std::invoke) is the program's
 * call.
 */

/** `std::thread::_State_impl<...>::_M_run()`, `std::thread::_Invoker<...>::operator()()`... */
const THREAD_SCOPES = ["std::thread::_State_impl<", "std::thread::_Invoker<"];
/** The same, mangled (--demangle=no): `_ZNSt6thread11_State_implI...`, `_ZNSt6thread8_InvokerI...`. */
const MANGLED_THREAD_SCOPES = ["_ZNSt6thread11_State_implI", "_ZNSt6thread8_InvokerI"];
/**
 * Their bare names, inlined in an optimized build (`operator() (std_thread.h:259)`), as
 * qualifiedName gives them (`operator` of `operator()`).
 */
const INLINED_THREAD_NAMES = new Set(["_M_run", "_M_invoke", "operator"]);

/** `std::__invoke<...>`, `std::__invoke_impl<...>`, inlined `__invoke_impl<...> (invoke.h:61)`. */
const INVOKE = /^(?:std::)?__invoke(?:_impl)?(?:<|$)/;
const MANGLED_INVOKE = /^_ZSt(?:13__invoke_impl|8__invoke)I/;

/**
 * Where a stack's frames end once std::thread's start-up frames at its bottom (before `end`) are
 * left out: its own frames (std_thread.h), then the std::__invoke frames that they called. `end`
 * when the stack ends in none of them, or holds nothing else.
 */
export function stdThreadStartEnd(stack: readonly Frame[], end: number): number {
  let i = end;
  while (i > 0 && isStdThreadFrame(stack[i - 1] as Frame)) i -= 1;
  if (i === end) return end;
  while (i > 0 && isInvokeFrame(stack[i - 1] as Frame)) i -= 1;
  if (i === 0 || isBareCallOperator(stack[i - 1] as Frame)) return end;
  return i;
}

/** libstdc++, by its object's base name (`libstdc++.so.6.0.30`, `libstdc++.so.6`). */
const LIBSTDCXX = /^libstdc\+\+\.so(?:\.\d+)*$/;

/**
 * Whether `frame`, the first frame below a stack's own frames (where withoutAllocatorFrames ends
 * them), is std::thread's start-up: a std::__invoke frame that std::thread's frames called (what
 * a -O0 build prints under the thread's body), one of std::thread's own frames, or libstdc++'s
 * trampoline, which an -O2 build's thread body tail-calls from (`??? (in .../libstdc++.so.6.0.30)` under
 * Valgrind, `(/lib/x86_64-linux-gnu/libstdc++.so.6+0xd44a2)` under ASan,
 * `execute_native_thread_routine` with the library's symbols).
 */
export function startsStdThread(frame: Frame | undefined): boolean {
  if (frame === undefined) return false;
  if (isStdThreadFrame(frame) || isInvokeFrame(frame)) return true;
  if (frame.function !== undefined) return frame.function === "execute_native_thread_routine";
  return frame.object !== undefined && LIBSTDCXX.test(baseName(frame.object));
}

/**
 * A thread body inlined at -O2 that Valgrind names by its bare call operator (`operator()
 * (net.cpp:6)`): a functor's or a lambda's, which only std::thread's own frames name
 * (`_State_impl<_Invoker<std::tuple<Writer> > >::_M_run()`). Dropped, every such body of a
 * file was one group, and a new leak in one passed `--fail-on new` (campaign v15b F1): those
 * frames are kept, at the price of -O0 against -O2 (which spells the body out) showing such a
 * leak new and fixed.
 */
function isBareCallOperator(frame: Frame): boolean {
  return frame.function !== undefined && /^operator\s*\(\)$/.test(frame.function.trim());
}

/** A frame of std::thread's own (see THREAD_SCOPES). */
function isStdThreadFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn === undefined) return false;
  if (fn.startsWith("_Z")) return MANGLED_THREAD_SCOPES.some((scope) => fn.startsWith(scope));
  const name = qualifiedName(fn);
  if (THREAD_SCOPES.some((scope) => name.startsWith(scope))) return true;
  if (frame.file === undefined || baseName(frame.file) !== "std_thread.h") return false;
  return INLINED_THREAD_NAMES.has(name.replace(/<.*$/s, ""));
}

/** A std::__invoke frame (see INVOKE). */
function isInvokeFrame(frame: Frame): boolean {
  const fn = frame.function;
  if (fn === undefined) return false;
  return fn.startsWith("_Z") ? MANGLED_INVOKE.test(fn) : INVOKE.test(qualifiedName(fn));
}
