import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mangledForms, mangledGlob } from "../../src/analysis/suppressions/cpp-mangle.js";
import { functionPattern } from "../../src/analysis/suppressions/valgrind-generate.js";
import { globMatch } from "../../src/analysis/suppressions/valgrind-match.js";
import { ROOT } from "../helpers/golden.js";

const DIR = join(ROOT, "test/fixtures/suppressions/cpp");

/** The function names of a log's stack lines, in order. */
function frameNames(file: string): string[] {
  return readFileSync(join(DIR, file), "utf8")
    .split("\n")
    .filter((line) => /^==\d+== {4}(at|by) 0x/.test(line))
    .map((line) => line.replace(/^.*?: /, "").replace(/ \((in )?[^()]*\)$/, ""));
}

describe("mangledGlob: the approximate mangled name of a demangled C++ name", () => {
  // Each real name comes from `nm` or `--demangle=no` on g++ 12 output (names.cpp).
  it.each([
    ["alpha::Cache::get(int)", "_ZN5alpha5Cache*3getEi", "_ZN5alpha5Cache3getEi"],
    ["alpha::sget(int)", "_ZN5alpha*4sgetEi", "_ZN5alphaL4sgetEi"],
    ["plain(int)", "_Z*5plaini", "_Z5plaini"],
    ["free_static(int)", "_Z*11free_statici", "_ZL11free_statici"],
    ["alpha::Cache::cget(int) const", "_ZNK5alpha5Cache*4cgetEi", "_ZNK5alpha5Cache4cgetEi"],
    ["alpha::Cache::Cache()", "_ZN5alpha5CacheC?Ev", "_ZN5alpha5CacheC1Ev"],
    ["alpha::Cache::~Cache()", "_ZN5alpha5CacheD*", "_ZN5alpha5CacheD2Ev"],
    ["alpha::Cache::operator[](int)", "_ZN5alpha5CacheixEi", "_ZN5alpha5CacheixEi"],
    ["alpha::Box<int>::make()", "_ZN5alpha3BoxI*4makeEv", "_ZN5alpha3BoxIiE4makeEv"],
    ["long* alpha::tmake<long>(int)", "_ZN5alpha*5tmakeI*", "_ZN5alpha5tmakeIlEEPT_i"],
    ["alpha::tagged[abi:cxx11](int)", "_ZN5alpha*6taggedB5cxx11Ei", "_ZN5alpha6taggedB5cxx11Ei"],
    ["(anonymous namespace)::anon(int)", "_ZN*_GLOBAL_?N*4anonEi", "_ZN12_GLOBAL__N_14anonEi"],
    [
      "(anonymous namespace)::Hid::get(int)",
      "_ZN*_GLOBAL_?N*3Hid*3getEi",
      "_ZN12_GLOBAL__N_13Hid3getEi",
    ],
    ["operator+(Node, int)", "_Zpl*", "_Zpl4Nodei"],
    // The global allocation operators' parameters are spelled (campaign bh: `_Znw?`).
    ["operator new(unsigned long)", "_Znwm", "_Znwm"],
    ["operator delete[](void*)", "_ZdaPv", "_ZdaPv"],
    ["operator delete(void*, unsigned long)", "_ZdlPvm", "_ZdlPvm"],
    [
      "operator new(unsigned long, std::nothrow_t const&)",
      "_ZnwmRKSt9nothrow_t",
      "_ZnwmRKSt9nothrow_t",
    ],
    ["operator new(unsigned long, Pool&)", "_Znw*", "_ZnwmR4Pool"],
    ["main::{lambda(int)#1}::operator()(int) const", "_ZZ*4main*", "_ZZ4mainENKUliE_clEi"],
    [
      "alpha::callit(int)::{lambda(int)#1}::operator()(int) const",
      "_ZZN*5alpha*6callitE*",
      "_ZZN5alpha6callitEiENKUliE_clEi",
    ],
    [
      "std::vector<int, std::allocator<int> >::vector(unsigned long, std::allocator<int> const&)",
      "_ZNSt6vectorI*C*",
      "_ZNSt6vectorIiSaIiEEC1EmRKS0_",
    ],
    ["std::allocator<int>::allocator(std::allocator<int> const&)", "_ZNSaI*C*", "_ZNSaIiEC2ERKS_"],
    // From strings.txt: the old-ABI string (`Ss`), printed two ways; a template operator.
    ["std::string::reserve(unsigned long)", "_ZNS?*7reserveEm", "_ZNSs7reserveEm"],
    [
      "std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string<std::allocator<char> >(char const*, std::allocator<char> const&)",
      "_ZNS?*C*",
      "_ZNSsC1ISaIcEEEPKcRKS0_",
    ],
    [
      "std::basic_ostream<char, std::char_traits<char> >& std::operator<< <std::char_traits<char> >(std::basic_ostream<char, std::char_traits<char> >&, char const*)",
      "_ZStls*",
      "_ZStlsISt11char_traitsIcEERSt13basic_ostreamIcT_ES5_PKc",
    ],
    // From nm on libstdc++ and on g++ 12 objects.
    ["std::ios_base::Init::Init()", "_ZNSt8ios_base4InitC?Ev", "_ZNSt8ios_base4InitC1Ev"],
    // Constructors and operators keep their builtin parameters: an overload is another entry.
    ["app::Foo::Foo(int)", "_ZN3app3FooC?Ei", "_ZN3app3FooC2Ei"],
    ["app::Foo::Foo(std::string const&)", "_ZN3app3FooC*", "_ZN3app3FooC1ERKSs"],
    ["app::Foo::operator+=(int)", "_ZN3app3FoopLEi", "_ZN3app3FoopLEi"],
    [
      "bool alpha::Box<int>::operator< <long>(long)",
      "_ZN5alpha3BoxI*ltI*",
      "_ZN5alpha3BoxIiEltIlEEbT_",
    ],
    [
      "bool alpha::operator==<int>(alpha::Box<int> const&, alpha::Box<int> const&)",
      "_ZN5alphaeqI*",
      "_ZN5alphaeqIiEEbRKNS_3BoxIT_EES5_",
    ],
    ["operator-(std::pair<int, int>)", "_Zng*", "_ZngSt4pairIiiE"],
    ["alpha::Cache::operator bool() const", "_ZNK5alpha5CachecvbEv", "_ZNK5alpha5CachecvbEv"],
    ["operator-(Node)", "_Zng*", "_Zng4Node"],
    ["alpha::Cache::operator-(int)", "_ZN5alpha5CachemiEi", "_ZN5alpha5CachemiEi"],
  ])("%s -> %s, which matches %s", (demangled, glob, real) => {
    expect(mangledGlob(demangled)).toBe(glob);
    expect(globMatch(glob, real)).toBe(true);
  });

  it.each([
    ["app::Foo::Foo(int)", "_ZN3app3FooC1El"],
    ["app::Foo::operator+=(int)", "_ZN3app3FoopLEl"],
  ])("%s does not match the overload %s", (demangled, other) => {
    expect(globMatch(mangledGlob(demangled) ?? "", other)).toBe(false);
  });

  it.each([
    // Special names mangle differently (`_ZThn8_N...`): only the last identifier is kept.
    ["non-virtual thunk to alpha::Cache::get(int)", "_Z*3get*", "_ZThn8_N5alpha5Cache3getEi"],
    // No parameter list: not an Itanium C++ name (Rust's legacy demangling).
    ["core::ptr::drop_in_place", "*13drop_in_place*", "_ZN4core3ptr13drop_in_place17h0123E"],
    ["non-virtual thunk to Both::~Both()", "_Z*4Both*", "_ZThn16_N4BothD1Ev"],
    [
      "alpha::Cache::operator()(int)::{lambda()#1}::operator()() const",
      "_Z*",
      "_ZZN5alpha5CacheclEiENKUlvE_clEv",
    ],
  ])("keeps a broader glob for %s: %s", (demangled, glob, real) => {
    expect(mangledGlob(demangled)).toBe(glob);
    expect(globMatch(glob, real)).toBe(true);
  });

  it("spells out the L of a static function for literal names, and samples the likeliest", () => {
    expect(mangledForms("alpha::Cache::cget(int) const")).toEqual({
      glob: "_ZNK5alpha5Cache*4cgetEi",
      literalGlobs: ["_ZNK5alpha5Cache4cgetEi", "_ZNK5alpha5CacheL4cgetEi"],
      sample: "_ZNK5alpha5Cache4cgetEi",
    });
    expect(mangledForms("(anonymous namespace)::anon(int)").sample).toBe(
      "_ZN12_GLOBAL__N_14anonEi",
    );
    // Parameters of other types are left to the `*`: re-mangling them needs substitutions.
    expect(mangledForms("alpha::put(char const*, char const*)").glob).toBe("_ZN5alpha*3putE*");
  });

  it.each([
    [
      "names",
      {
        // What the text cannot tell apart (see cpp-mangle.ts): a nested class in the gap kept
        // for a static function's L. (A free operator's code no longer follows a `*`, which
        // found it inside `_Z5plaini`.)
        "alpha::Cache::get(int)": ["_ZN5alpha5Cache5Inner3getEi"],
      },
    ],
    [
      "strings",
      {
        // Overloads differ in their parameters only.
        "char* std::string::_S_construct<char const*>(char const*, char const*, std::allocator<char> const&)":
          ["_ZNSs12_S_constructIPKcEEPcT_S3_RKSaIcESt20forward_iterator_tag"],
        "char* std::string::_S_construct<char const*>(char const*, char const*, std::allocator<char> const&, std::forward_iterator_tag)":
          ["_ZNSs12_S_constructIPKcEEPcT_S3_RKSaIcE"],
      },
    ],
  ])("matches the real mangled name of every frame of %s.txt, and is tight", (run, expected) => {
    const demangled = frameNames(`${run}.txt`);
    const mangled = frameNames(`${run}-demangle-no.txt`);
    expect(demangled).toHaveLength(mangled.length);
    expect(demangled.length).toBeGreaterThanOrEqual(20);
    const distinct = [...new Set(mangled)];
    const alsoMatched = new Map<string, string[]>();
    demangled.forEach((name, i) => {
      const pattern = functionPattern(name);
      expect(globMatch(pattern, mangled[i] as string), `${name}: ${pattern}`).toBe(true);
      const others = distinct.filter((m) => m !== mangled[i] && globMatch(pattern, m));
      if (others.length > 0) alsoMatched.set(name, others);
    });
    expect(Object.fromEntries(alsoMatched)).toEqual(expected);
  });
});

describe("operators and qualifiers the text spells (campaigns v4, v5: real g++ symbols)", () => {
  it.each([
    // A const member: `_ZNK`, its arity known (`+` of one parameter is binary).
    ["Vec::operator+(Vec const&) const", "_ZNK3VecplE*", "_ZNK3VecplERKS_"],
    ["Vec::operator*(int) const", "_ZNK3VecmlEi", "_ZNK3VecmlEi"],
    ["A::get() const &&", "_ZNKO1A*3getEv", "_ZNKO1A3getEv"],
    // A member: a parameter of its own class, or builtin ones only.
    ["Vec::operator+(Vec const&)", "_ZN3VecplE*", "_ZN3VecplERKS_"],
    ["Vec::operator-(int)", "_ZN3VecmiEi", "_ZN3VecmiEi"],
    ["ns::A::operator-(ns::A const&)", "_ZN2ns1AmiE*", "_ZN2ns1AmiERKS0_"],
    // A namespace's: a parameter of a type of the namespace.
    ["ns::operator-(ns::A)", "_ZN2nsngE*", "_ZN2nsngENS_1AE"],
    ["ns::operator&(ns::A, int)", "_ZN2nsanE*", "_ZN2nsanENS_1AEi"],
    ['operator"" _s(char const*, unsigned long)', "_Zli2_s*", "_Zli2_sPKcm"],
  ])("%s -> %s, which matches %s", (demangled, glob, real) => {
    expect(mangledGlob(demangled)).toBe(glob);
    expect(globMatch(glob, real)).toBe(true);
  });

  it.each([
    // What the entries written before matched too, under real Valgrind.
    ["Vec::operator*(int)", "_ZN3Vec4growEi"],
    ["Vec::operator+(Vec const&)", "_ZN3Vec6shrinkEv"],
    ['operator"" _s(char const*, unsigned long)', "_Z8name_dupPKc"],
    ["A::get() const", "_ZN1A3getEv"],
    ["A::get()", "_ZNK1A3getEv"],
    ["ns::A::operator-(ns::A const&)", "_ZN2ns1A1fEv"],
    ["ns::A::operator+(int)", "_ZN2ns1AppEi"],
    ["ns::A::operator+(int)", "_ZN2ns1ApLEi"],
    ["ns::operator&(ns::A, int)", "_ZN2ns4scanEi"],
    ["ns::operator&(ns::A, int)", "_ZN2ns5cleanEv"],
    ["operator+(Node, int)", "_Z5applyv"],
    // A conversion to a pointer to a builtin type is no `cv*`.
    ["ns::A::operator int*()", "_ZN2ns1AcvlEv"],
  ])("%s no longer matches %s", (demangled, other) => {
    expect(globMatch(mangledGlob(demangled), other)).toBe(false);
  });
});

describe("conversions to a pointer to a builtin type (campaign v5, real g++ symbols)", () => {
  it.each([
    ["ns::A::operator int*()", "_ZN2ns1AcvPiEv"],
    ["ns::A::operator char const*() const", "_ZNK2ns1AcvPKcEv"],
    ["ns::A::operator void*()", "_ZN2ns1AcvPvEv"],
  ])("%s is %s, which no other conversion matches", (demangled, real) => {
    expect(mangledGlob(demangled)).toBe(real);
    expect(globMatch(mangledGlob(demangled), "_ZN2ns1AcvlEv")).toBe(false);
  });
});
