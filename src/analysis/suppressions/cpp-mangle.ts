import {
  closingParen,
  lastIdentifier,
  localEnclosing,
  parameterCount,
  parameterListStart,
  splitTopLevel,
} from "../cpp-demangled.js";
import { BY_ARITY, OPERATOR_CODES } from "./cpp-operators.js";
import { isLineTerminator } from "../../../grammars/chars.js";

/*
 * Valgrind matches `fun:` lines against mangled C++ names (the manual's "Suppressing errors": C++
 * names must be given mangled; `--demangle=no` shows them), while text and XML logs print them
 * demangled. leaklog cannot mangle a demangled name exactly (the parameter types, template
 * arguments and substitutions are lost or too costly to rebuild), so it writes a glob that
 * matches the real Itanium-ABI name: the qualified name encoded component by component
 * (`<length><identifier>`), `*` where something cannot be known. Every shape below was checked
 * against `g++` symbols from a `--demangle=no` run (test/fixtures/suppressions/cpp/names.cpp):
 *
 *   alpha::Cache::get(int)          _ZN5alpha5Cache3getEi        _ZN5alpha5Cache*3getEi
 *   alpha::sget(int) (static)       _ZN5alphaL4sgetEi            _ZN5alpha*4sgetEi
 *   plain(int)                      _Z5plaini                    _Z*5plaini
 *   free_static(int) (static)       _ZL11free_statici            _Z*11free_statici
 *   alpha::Cache::cget(int) const   _ZNK5alpha5Cache4cgetEi      _ZNK5alpha5Cache*4cgetEi
 *   alpha::Cache::Cache()           _ZN5alpha5CacheC1Ev          _ZN5alpha5CacheC?Ev
 *   alpha::Cache::~Cache()          _ZN5alpha5CacheD1Ev          _ZN5alpha5CacheD*
 *   alpha::Box<int>::make()         _ZN5alpha3BoxIiE4makeEv      _ZN5alpha3BoxI*4makeEv
 *   long* alpha::tmake<long>(int)   _ZN5alpha5tmakeIlEEPT_i      _ZN5alpha*5tmakeI*
 *   alpha::tagged[abi:cxx11](int)   _ZN5alpha6taggedB5cxx11Ei    _ZN5alpha*6taggedB5cxx11Ei
 *   (anonymous namespace)::anon(int)  _ZN12_GLOBAL__N_14anonEi  _ZN*_GLOBAL_?N*4anonEi
 *   alpha::Cache::operator[](int)   _ZN5alpha5CacheixEi          _ZN5alpha5CacheixEi
 *   operator+(Node, int)            _Zpl4Nodei                   _Zpl*
 *   alpha::callit(int)::{lambda(int)#1}::operator()(int) const
 *                                   _ZZN5alpha6callitEiENKUliE_clEi   _ZZN*5alpha*6callitE*
 *   std::vector<int, ...>::vector(...)  _ZNSt6vectorIiSaIiEEC1EmRKS0_  _ZNSt6vectorI*C*
 *
 * Why each wildcard:
 * - `*` before the last component: a `static` function at namespace scope gets an `L` there
 *   (`_ZN5alphaL4sgetEi`, `_ZL11free_statici`) and the demangled name does not say so. The
 *   price: `alpha::Cache::get` also covers `alpha::Cache::Inner::get`, and a free `read(Buf&)`
 *   also covers `Reader::read()` (`_Z*4read*`); still far tighter than `*4read*` was.
 * - After `_ZN`, a member's cv- and ref-qualifiers (`K`, `V`, `R`, `O`) as the text spells them
 *   after its parameters (` const` is `K`); `_ZN*` matched `get()` for `get() const` and back.
 * - Template arguments become `I*` (their types are mangled with substitutions); a template
 *   function's printed return type is dropped. Parameters are encoded when all are builtin types
 *   (`(long)` is `l`, `()` is `v`: no substitution can occur), else left to a `*` at the end.
 * - The anonymous namespace is `12_GLOBAL__N_1` for g++ and clang, older g++ used a file-based
 *   name; the demangler prints any `_GLOBAL_?N...` that way, hence `*_GLOBAL_?N*`.
 * - Operators: their code (`operator[]` is `ix`, `operator"" _s` is `li2_s`), right after the
 *   scope: after a `*` (room for a static one's `L`), a code matched the end of any name there
 *   (`_Z*pl*` matched `_Z5plaini`). `+`, `-`, `*` and `&` of a class or namespace depend on an
 *   arity the text does not give (a member has one operand fewer than parameters): see
 *   isMemberOf.
 * - Lambdas and other function-local entities: `_ZZ` plus the enclosing function's encoding.
 * - `std::` is `St`, except where the ABI abbreviates (`std::allocator` is `Sa`, ...).
 * - Anything else (thunks, `vtable for`, a lambda inside an `operator()`, names that do not
 *   parse): the last identifier only, `_Z*3get*`, or `_Z*` (mangledForms).
 */

/**
 * What follows `std::` when the ABI may abbreviate it (Itanium ABI 5.1.8 "Compression"). The
 * demangler prints `Ss` as `std::string` or as `std::basic_string<char, std::char_traits<char>,
 * std::allocator<char> >`, both seen in one Valgrind 3.19 log (`std::string::reserve`,
 * `std::basic_string<char, ...>::basic_string<...>`), while other arguments are `SbI...E`: `S?*`
 * covers both. Only `std::allocator` is always `Sa`.
 */
const STD_ABBREVIATIONS: Readonly<Record<string, string>> = {
  allocator: "SaI*",
  string: "S?",
  istream: "S?",
  ostream: "S?",
  iostream: "S?",
  basic_string: "S?*",
  basic_istream: "S?*",
  basic_ostream: "S?*",
  basic_iostream: "S?*",
};

const ANONYMOUS = "(anonymous namespace)";
const ANONYMOUS_MARK = "\u0001";
const IDENTIFIER = /^(~?)([A-Za-z_$][\w$]*)((?:\[abi:[\w$]+\])*)(<.*>)?$/;

/**
 * Where a `static` function's `L` may stand (before its own name): `*` for Valgrind, "" or "L"
 * when leaklog compares with a literal mangled name.
 */
const GAP = "\u0002";

/** The approximate mangled forms of a demangled C++ name (`alpha::Cache::get(int)`). */
export interface MangledForms {
  /** The glob for a `fun:` line: `_ZN*5alpha5Cache*3getEi`. */
  glob: string;
  /** The same with the `L` spelled out, for literal names: without it, then with it. */
  literalGlobs: readonly string[];
  /** One name the glob matches, the likeliest (see globSample). */
  sample: string;
}

/**
 * The mangled forms of a demangled name. A name that cannot be encoded keeps a broader glob on
 * its last identifier (`_Z*3get*`), else `_Z*`: a demangled name with a parameter list is an
 * Itanium `_Z` symbol; a name without one (Rust's `crate::f`) gets `*3get*`.
 */
export function mangledForms(demangled: string): MangledForms {
  const identifier = lastIdentifier(demangled);
  const start = demangled.includes("(") ? "_Z*" : "*";
  const encoded =
    encode(demangled) ??
    (identifier === undefined ? start : `${start}${identifier.length}${identifier}*`);
  const glob = collapse(encoded.replaceAll(GAP, "*"));
  return {
    glob,
    literalGlobs: [encoded.replaceAll(GAP, ""), encoded.replaceAll(GAP, "L")],
    sample: globSample(encoded.replaceAll(GAP, ""), demangled),
  };
}

/** The `fun:` glob of a demangled C++ name (mangledForms' `glob`). */
export function mangledGlob(demangled: string): string {
  return mangledForms(demangled).glob;
}

/**
 * The encoding of a demangled name with parameter list, GAP where `L` may stand, or undefined
 * when the name cannot be encoded safely.
 */
function encode(demangled: string): string | undefined {
  const name = demangled.replaceAll(ANONYMOUS, ANONYMOUS_MARK);
  const operator = /^operator (new|delete)(\[\])?\(/.exec(name);
  if (operator !== null) {
    const array = operator[2] !== undefined;
    const code = `_Z${operator[1] === "new" ? (array ? "na" : "nw") : array ? "da" : "dl"}`;
    return `${code}${allocationParameters(name, operator[0].length - 1) ?? "*"}`;
  }
  const local = localEnclosing(name);
  if (local !== undefined) {
    const outer = qualifiedGlob(local);
    return outer === undefined ? undefined : `_ZZ${outer.slice(2)}`;
  }
  // Local, but not found above: `X::operator()(int)::{lambda()#1}` (two parameter lists).
  if (name.includes("::{") || name.includes(")::")) return undefined;
  const end = parameterListStart(name);
  const at = name.search(/(^|::)operator\W/);
  if (at !== -1 && (end === -1 || at < end)) return withQualifiers(operatorGlob(name, at), name);
  if (end === -1 || name.slice(0, end).includes("{")) return undefined;
  return withQualifiers(qualifiedGlob(name.slice(0, end), builtinParameters(name, end)), name);
}

/** The codes of the parameters the global `operator new` and `delete` take (ABI 5.1.5). */
const ALLOCATION_PARAMETER_CODES: Readonly<Record<string, string>> = {
  "unsigned long": "m",
  "unsigned int": "j",
  "void*": "Pv",
  "std::nothrow_t const&": "RKSt9nothrow_t",
  "std::align_val_t": "St11align_val_t",
};

/**
 * The parameters of a global `operator new` or `delete` (`(unsigned long)` is `m`, `(void*,
 * unsigned long)` `Pvm`), or undefined for others. A `*` stood for them, so Valgrind's
 * `fun:_Znw?` (32-bit `_Znwj` and 64-bit `_Znwm` in one entry) and `fun:_ZdlPv?` matched
 * nothing: the glob was matched against a sample of leaklog's, `_Znw` (campaign bh).
 */
function allocationParameters(name: string, open: number): string | undefined {
  const parameters = parameterTypes(name, open);
  if (parameters === undefined || parameters.length === 0) return undefined;
  const codes = parameters.map((p) => ALLOCATION_PARAMETER_CODES[p.trim()]);
  return codes.every((code) => code !== undefined) ? codes.join("") : undefined;
}

/**
 * `glob` (`_ZN*...`) with the member function's cv- and ref-qualifiers that `name`'s text
 * spells after its parameters (` const` is `K`, ` &` is `R`: ABI 5.1.5.5) in place of the `*`
 * that stood for any: the entry written for `A::get() const` hid a new leak in `A::get()`, and
 * the other way round (campaign v4). Left as it is where the text's end is not understood.
 */
function withQualifiers(glob: string | undefined, name: string): string | undefined {
  if (glob?.startsWith("_ZN*") !== true) return glob;
  const written = AFTER_PARAMETERS.exec(name);
  if (written === null) return glob;
  const [, cv = "", ref = ""] = written;
  const code = `${cv.includes("volatile") ? "V" : ""}${cv.includes("const") ? "K" : ""}${
    ref === " &&" ? "O" : ref === " &" ? "R" : ""
  }`;
  // The anonymous namespace's `*_GLOBAL_?N*` keeps its `*`: its length comes first.
  const rest = glob.slice(4);
  return `_ZN${code}${rest.startsWith("_") ? "*" : ""}${rest}`;
}

/**
 * Itanium codes of the builtin types, as the demangler prints them (ABI 5.1.5.2): `size_t` is
 * printed `unsigned long`, a typedef being its type already.
 */
const BUILTIN_CODES: Readonly<Record<string, string>> = {
  void: "v",
  wchar_t: "w",
  bool: "b",
  char: "c",
  "signed char": "a",
  "unsigned char": "h",
  short: "s",
  "unsigned short": "t",
  int: "i",
  "unsigned int": "j",
  long: "l",
  "unsigned long": "m",
  "long long": "x",
  "unsigned long long": "y",
  __int128: "n",
  "unsigned __int128": "o",
  float: "f",
  double: "d",
  "long double": "e",
  __float128: "g",
  char8_t: "Du",
  char16_t: "Ds",
  char32_t: "Di",
  "decltype(nullptr)": "Dn",
};

/**
 * A parameter list's `)` and what may follow it to the name's end: a member's cv-qualifiers and
 * ref-qualifier, then gcc's clone suffixes.
 */
const AFTER_PARAMETERS = /\)((?: const)?(?: volatile)?)( &&?)?((?: \[clone \.[\w.]+\])*)$/;

/** The types of the parameter list opening at `open`, as printed; undefined where unreadable. */
function parameterTypes(name: string, open: number): string[] | undefined {
  const close = closingParen(name, open);
  if (close === -1) return undefined;
  const list = name.slice(open + 1, close).trim();
  return list === "" ? [] : splitTopLevel(list, ", ");
}

/**
 * The encoding of the parameter list at `open` when every parameter is a builtin type (`(long)`
 * is `l`, `()` is `v`), followed by gcc's clone suffixes as the symbol spells them (`.isra.0`);
 * undefined for any other type, where substitutions (`S_`, `S0_`) make the text too costly to
 * re-mangle. Without it the glob's last `*` stood for any parameters: the suppression written
 * for `alpha::raw(unsigned int)` also hid a new leak in `alpha::raw(long)`.
 */
function builtinParameters(name: string, open: number): string | undefined {
  const close = closingParen(name, open);
  const after = close === -1 ? null : AFTER_PARAMETERS.exec(name.slice(close));
  if (after === null || after.index !== 0) return undefined;
  const parameters = parameterTypes(name, open);
  if (parameters === undefined) return undefined;
  const codes = parameters.map((p) => BUILTIN_CODES[p.trim()]);
  // `void` is no parameter but the whole list, `()`.
  if (codes.some((type) => type === undefined || type === "v")) return undefined;
  const clones = (after[3] ?? "").replace(/ \[clone (\.[\w.]+)\]/g, "$1");
  return `${codes.length === 0 ? "v" : codes.join("")}${clones}`;
}

/**
 * `written` less its closing template arguments, from the first `open` (`<`, or ` <` after an
 * operator of `<`s) to the `>` that ends it: `written.replace(/<.*>$/, "")`, found by index,
 * for the expression rescans the rest of the text from every `<` (time quadratic in a name
 * of many). `.` stops at line terminators, so the arguments start after the last one.
 */
export function withoutTemplateArguments(written: string, open: "<" | " <"): string {
  if (!written.endsWith(">")) return written;
  let lastTerminator = -1;
  for (let i = written.length - 1; i >= 0 && lastTerminator < 0; i -= 1) {
    if (isLineTerminator(written.charCodeAt(i))) lastTerminator = i;
  }
  const at = written.indexOf(open, lastTerminator + 1);
  return at >= 0 && at + open.length < written.length ? written.slice(0, at) : written;
}

/**
 * `ns::Foo::operator[](int)` (`at` on the `::` or the `operator`): the code when the text tells
 * it, after the encoded prefix. Only a free operator (no prefix) has as many parameters as its
 * arity; `ns::operator-(A)` (unary, free) and `A::operator-(B)` (binary, member) look alike.
 */
function operatorGlob(name: string, at: number): string | undefined {
  const parsed = /^(?:::)?operator(\(\)|[^(]*)\((.*)$/.exec(name.slice(at));
  if (parsed === null) return undefined;
  const [, written = "", parameters = ""] = parsed;
  // `operator<< <std::char_traits<char> >`, `operator==<int>`: a template, whose return type
  // is printed first (`std::basic_ostream<...>& std::operator<< <...>(...)`).
  const symbol = withoutTemplateArguments(written, written.startsWith("<") ? " <" : "<");
  const template = symbol !== written;
  const before = splitTopLevel(name.slice(0, at), " ");
  if (before === undefined || (before.length > 1 && !template)) return undefined;
  const scope = before[before.length - 1] ?? "";
  const prefix = at === 0 ? "" : encodePrefix(scope);
  if (prefix === undefined) return undefined;
  const free = prefix === "" || prefix === "St";
  const open = name.length - parameters.length - 1;
  // Only a member is const (`Vec::operator+(Vec const&) const`).
  const constant = AFTER_PARAMETERS.exec(parameters)?.[1]?.includes("const") === true;
  const member = !free && (constant || isMemberOf(scope, parameterTypes(name, open) ?? []));
  const code = operatorCode(symbol, parameters, member ? 1 : 0);
  // Builtin parameters are encoded, as for other functions: `operator+=(int)` is not `(long)`.
  const encoded = template ? undefined : builtinParameters(name, open);
  const rest = encoded ?? "*";
  // The code right after the scope, with no `*` for a static operator's `L`: after a `*`, a code
  // matched the end of any name (`_ZN*3Vec*??Ei` hid `Vec::grow(int)`, `_ZN2ns*anE*` hid
  // `ns::scan(int)`, `_Z*pl*` any name holding `pl`: campaigns v4, v5). A static operator in
  // a namespace, rare, is left unsuppressed rather than every such name hidden.
  const tail = code === undefined ? "*" : `${code}${template ? "I*" : `E${rest}`}`;
  // `std::operator<<(...)` is `_ZStls...`: `std` alone does not make a nested name.
  if (free) return collapse(`_Z${prefix}${code === undefined ? "*" : `${code}${rest}`}`);
  return collapse(`_ZN*${prefix}${tail}`);
}

/**
 * Whether `scope::operator@(parameters)`, not const, is a member of class `scope` rather than a
 * free operator of namespace `scope`, whose codes differ for `+`, `-`, `*` and `&` (a member's
 * object is one more operand): a member where every parameter is of a builtin type (a free
 * operator takes a class or an enum) or one is of the class itself (`Vec::operator+(Vec
 * const&)`); free where one is a type of the namespace (`ns::operator-(ns::A)`); a member
 * otherwise, as most are. The `??` that matched both also matched every other operator.
 */
function isMemberOf(scope: string, parameters: readonly string[]): boolean {
  const types = parameters.map((p) =>
    p
      .replace(/\b(?:const|volatile)\b/g, "")
      .replace(/[\s&*]+/g, " ")
      .trim(),
  );
  const own = scope.split("::").at(-1);
  if (types.every((type) => BUILTIN_CODES[type] !== undefined)) return true;
  if (types.some((type) => type === scope || type === own || type.startsWith(`${scope}<`)))
    return true;
  return !types.some((type) => type.startsWith(`${scope}::`));
}

/**
 * An operator's code, never a bare `*` after a class's name, which hid every member of the
 * class: a conversion (`operator int()` is `cvi`), a literal operator (`operator"" _s` is
 * `li2_s`), or for `+`, `-`, `*` and `&` the code of its arity: its parameters and `operands`
 * more (1 for a member's object, 0 for a free operator; `+` is `ps` or `pl`: BY_ARITY).
 */
function operatorCode(symbol: string, parameters: string, operands: number): string | undefined {
  const byArity = BY_ARITY[symbol];
  const count = parameterCount(parameters);
  const arity = byArity === undefined || count === undefined ? undefined : count + operands;
  return (
    OPERATOR_CODES[symbol] ??
    (arity === undefined ? undefined : (byArity?.[arity] ?? "??")) ??
    conversionCode(symbol) ??
    literalCode(symbol)
  );
}

/** `li2_s` for a literal operator (`operator"" _s`), `<length><suffix>` after `li`. */
function literalCode(symbol: string): string | undefined {
  const suffix = /^"" ?([A-Za-z_]\w*)$/.exec(symbol)?.[1];
  return suffix === undefined ? undefined : `li${suffix.length}${suffix}`;
}

/** `cvi` for ` int` (`operator int()`), `cv*` for a conversion to any other type. */
function conversionCode(symbol: string): string | undefined {
  if (!symbol.startsWith(" ")) return undefined;
  return `cv${BUILTIN_CODES[symbol.trim()] ?? builtinPointerCode(symbol.trim()) ?? "*"}`;
}

/**
 * `Pi` for `int*`, `PKc` for `char const*`: a pointer to a builtin type (`cv*` of `operator
 * int*()` hid `operator long()`: campaign v5). Undefined for anything else.
 */
function builtinPointerCode(type: string): string | undefined {
  const pointer = /^(.+?)( const)?\*$/.exec(type);
  const pointee = pointer === null ? undefined : BUILTIN_CODES[pointer[1] as string];
  return pointee === undefined ? undefined : `P${pointer?.[2] ? "K" : ""}${pointee}`;
}

/**
 * One name the glob of `demangled` matches, the likeliest: its wildcards taken out, the anonymous
 * namespace as g++ and clang name it, `K` after `_ZN` for a const member function.
 */
function globSample(glob: string, demangled: string): string {
  const constMember = demangled.endsWith(" const") && glob.startsWith("_ZN*");
  return (constMember ? `_ZNK${glob.slice(4)}` : glob)
    .replaceAll("*_GLOBAL_?N*", "12_GLOBAL__N_1")
    .replaceAll("*", "")
    .replaceAll("?", "_");
}

/**
 * `ns::Foo<int>::bar` (a template function's return type first) as a glob, or undefined;
 * `parameters`, their encoding where known (see builtinParameters), else `*` stands for them.
 */
function qualifiedGlob(head: string, parameters?: string): string | undefined {
  const parts = splitTopLevel(head, " ");
  if (parts === undefined) return undefined;
  if (parts.length > 1) {
    // Only template functions print a return type; anything else with a space is a special name
    // ("non-virtual thunk to ...", "vtable for ...") whose mangling differs.
    if (!head.endsWith(">") || / (to|for) /.test(head)) return undefined;
  }
  const components = splitTopLevel(parts[parts.length - 1] ?? "", "::");
  if (components === undefined) return undefined;
  const last = components.pop();
  if (last === undefined) return undefined;
  const prefix = components.length === 0 ? "" : encodePrefix(components.join("::"));
  const lastMatch = IDENTIFIER.exec(last);
  if (prefix === undefined || lastMatch === null) return undefined;
  const [, tilde = "", ident = "", tags = "", args] = lastMatch;
  const owner = IDENTIFIER.exec(components[components.length - 1] ?? "")?.[2];
  const nested = prefix !== "" && prefix !== "St";
  if (owner === ident) {
    // A constructor (C1, C2, CI...) or destructor (D0, D1, D2), maybe a template one
    // (`_ZNSsC1ISaIcEEEPKcRKS0_`): a member, never `L`.
    // Overloads differ in their parameters only: where all are builtin, they are encoded, or
    // an entry for `Foo(int)` hid a new leak in `Foo(long)` (C1 complete, C2 base object).
    if (!nested) return undefined;
    if (tilde === "" && args === undefined && parameters !== undefined)
      return collapse(`_ZN*${prefix}C?E${parameters}`);
    return collapse(`_ZN*${prefix}${tilde === "" ? "C" : "D"}*`);
  }
  if (tilde !== "") return undefined;
  return functionGlob(prefix, nested, `${ident.length}${ident}${abiTags(tags)}`, args, parameters);
}

/**
 * A function's glob from its encoded prefix and name: a template's arguments are `I*`, and its
 * return type is encoded before its parameters, so they are left to the `*` too.
 */
function functionGlob(
  prefix: string,
  nested: boolean,
  name: string,
  templateArgs: string | undefined,
  parameters: string | undefined,
): string {
  const template = templateArgs !== undefined;
  const tail = !template && parameters !== undefined ? parameters : "*";
  const piece = `${name}${template ? "I*" : ""}`;
  if (!nested) return collapse(`_Z${prefix}${GAP}${piece}${tail}`);
  return collapse(`_ZN*${prefix}${GAP}${piece}${template ? "" : "E"}${tail}`);
}

/** The components before the function's own name, encoded; undefined when one does not parse. */
function encodePrefix(text: string): string | undefined {
  const components = splitTopLevel(text.replace(/::$/, ""), "::");
  if (components === undefined) return undefined;
  let out = "";
  let from = 0;
  if (components[0] === "std") {
    const second = IDENTIFIER.exec(components[1] ?? "");
    const abbreviation = STD_ABBREVIATIONS[second?.[2] ?? ""];
    if (abbreviation !== undefined && second?.[1] === "" && second[3] === "") {
      out = abbreviation;
      from = 2;
    } else {
      out = "St";
      from = 1;
    }
  }
  for (const component of components.slice(from)) {
    if (component === ANONYMOUS_MARK) {
      out += "*_GLOBAL_?N*";
      continue;
    }
    const match = IDENTIFIER.exec(component);
    if (match === null || match[1] !== "") return undefined;
    const [, , ident = "", tags = "", args] = match;
    out += `${ident.length}${ident}${abiTags(tags)}${args === undefined ? "" : "I*"}`;
  }
  return out;
}

/** `[abi:cxx11]` is the tag `B5cxx11` (Itanium ABI 5.1.4 "ABI tags"). */
function abiTags(tags: string): string {
  return [...tags.matchAll(/\[abi:([\w$]+)\]/g)]
    .map(([, tag = ""]) => `B${tag.length}${tag}`)
    .join("");
}

/** Runs of `*` are one `*`; a gap next to a `*` adds nothing. */
function collapse(glob: string): string {
  return glob.replace(/[*\u0002]*\*[*\u0002]*/g, "*");
}
