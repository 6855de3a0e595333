/*
 * Reading demangled C++ names as Valgrind prints them (`long* alpha::tmake<long>(int)`,
 * `main::{lambda(int)#1}::operator()(int) const`): where the parameter list starts, what is
 * outside template arguments, the qualified name. Used by the suppressions' mangled globs and
 * by the runtime-frame check; nothing here builds a regular expression from the name.
 */

/**
 * `f(int)::{lambda(int)#1}::...`, `main::{lambda()#1}`, `f()::Local::g()`: `f`, `main`, `f`;
 * clang names a lambda's closure `$_0` (`main::$_0::operator()(int) const`): `main`.
 */
export function localEnclosing(name: string): string | undefined {
  const paren = parameterListStart(name);
  const brace = name.indexOf("::{");
  if (brace !== -1 && (paren === -1 || brace < paren)) return name.slice(0, brace);
  const closure = name.search(/::\$_\d+(?:::|$)/);
  if (closure !== -1 && (paren === -1 || closure < paren)) return name.slice(0, closure);
  if (paren !== -1 && closingParen(name, paren) !== -1) {
    const after = closingParen(name, paren) + 1;
    if (name.startsWith("::", after)) return name.slice(0, paren);
  }
  return undefined;
}

/** The index of the first `(` outside template arguments, or -1. */
export function parameterListStart(name: string): number {
  let depth = 0;
  for (let i = 0; i < name.length; i += 1) {
    const c = name[i];
    if (c === "<") depth += 1;
    else if (c === ">") depth -= 1;
    else if (c === "(" && depth === 0) return i;
  }
  return -1;
}

/** The index of the `)` that closes the `(` at `open`, or -1. */
export function closingParen(name: string, open: number): number {
  let depth = 0;
  for (let i = open; i < name.length; i += 1) {
    if (name[i] === "(") depth += 1;
    else if (name[i] === ")" && (depth -= 1) === 0) return i;
  }
  return -1;
}

/** The index of the `(` that the `)` at `close` closes, or -1. */
export function openingParen(name: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i -= 1) {
    if (name[i] === ")") depth += 1;
    else if (name[i] === "(") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The indexes outside brackets (`<>`, `()`, `{}`, `[]`) at which `at` holds. */
export function topLevelIndexes(name: string, at: (i: number) => boolean): number[] {
  const found: number[] = [];
  let depth = 0;
  for (let i = 0; i < name.length; i += 1) {
    const c = name[i];
    if (c === "<" || c === "(" || c === "{" || c === "[") depth += 1;
    else if (c === ">" || c === ")" || c === "}" || c === "]") depth -= 1;
    else if (depth === 0 && at(i)) found.push(i);
  }
  return found;
}

/** Top-level commas of `int, void (*)(int, int)) const`, plus one; `)` and `void)` are 0. */
export function parameterCount(parameters: string): number | undefined {
  let depth = 0;
  let commas = 0;
  for (let i = 0; i < parameters.length; i += 1) {
    const c = parameters[i];
    if (c === "<" || c === "(") depth += 1;
    else if (c === ">" || (c === ")" && depth > 0)) depth -= 1;
    else if (c === "," && depth === 0) commas += 1;
    else if (c === ")") {
      const list = parameters.slice(0, i).trim();
      return list === "" || list === "void" ? 0 : commas + 1;
    }
  }
  return undefined;
}

/** Splits on `separator` outside `<...>`; undefined when the angle brackets do not balance. */
export function splitTopLevel(text: string, separator: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === "<") depth += 1;
    else if (c === ">" && (depth -= 1) < 0) return undefined;
    else if (depth === 0 && text.startsWith(separator, i)) {
      out.push(text.slice(start, i));
      start = i + separator.length;
      i = start - 1;
    }
  }
  if (depth !== 0) return undefined;
  out.push(text.slice(start));
  return out;
}

/** `ns::Foo<int>::bar(int) const` -> `bar`; `Foo::~Foo()` -> `Foo`; undefined for operators. */
export function lastIdentifier(name: string): string | undefined {
  const end = parameterListStart(name);
  let base = end === -1 ? name : name.slice(0, end);
  while (/<[^<>]*>/.test(base)) base = base.replace(/<[^<>]*>/g, "");
  const last = base.split("::").pop()?.replace(/^~/, "") ?? "";
  return /^[A-Za-z_]\w*$/.test(last) && !last.startsWith("operator") ? last : undefined;
}

/**
 * The function's qualified name without a template's return type or the parameter list, as
 * demangled: `void* std::__invoke_impl<...>(...)` gives `std::__invoke_impl<...>`,
 * `main::{lambda(int)#1}::operator()(int) const` gives `main::{lambda(int)#1}::operator`. A `(`
 * that starts a component opens `(anonymous namespace)`, not the parameter list. Brackets
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
    if (c === "(" && depth === 0 && i > start && fn[i - 1] !== ":") return fn.slice(start, i);
    if (c === "<" || c === "(" || c === "{" || c === "[") depth += 1;
    else if (c === ">" || c === ")" || c === "}" || c === "]") depth -= 1;
    else if (c === " " && depth === 0) start = i + 1;
  }
  return fn;
}
