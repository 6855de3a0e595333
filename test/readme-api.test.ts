import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ParseOptions, ParseResult, StreamEvent } from "../src/api/parse.js";
import * as api from "../src/index.js";
import { reportJsonSchema } from "../src/model/json-schema.js";
import { ROOT } from "./helpers/golden.js";
import { README, codeSpans, section, tableRows } from "./helpers/readme.js";

// The Library section and the JSON contract are written by hand: these hold them to the
// package's exports, the API's types and the generated JSON Schema.
const LIBRARY = section("Library");

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/** Every key of T, true when it is optional: tsc fails here when the API gains or loses one. */
type Optionality<T> = { [K in keyof Required<T>]: K extends OptionalKeys<T> ? true : false };

const PARSE_RESULT = {
  source: false,
  leaks: false,
  errors: false,
  summaries: false,
  diagnostics: false,
  reportPart: true,
  fatal: true,
} satisfies Optionality<ParseResult>;
const PARSE_OPTIONS = {
  inputFormat: true,
  path: true,
  idPrefix: true,
  fingerprint: true,
  severityPolicy: true,
  maxLineLength: true,
  allowEmpty: true,
  reuse: true,
} satisfies Optionality<ParseOptions>;
const EVENT_TYPES = {
  finding: true,
  summary: true,
  diagnostic: true,
  "report-part": true,
  preamble: true,
  end: true,
} satisfies Record<StreamEvent["type"], true>;

/** Names exported as types only (`export type { ... }`), which a runtime import cannot see. */
function typeExports(): Set<string> {
  const index = readFileSync(join(ROOT, "src", "index.ts"), "utf8");
  const lists = [...index.matchAll(/export type \{([^}]*)\}/g)].map((m) => m[1] as string);
  return new Set(lists.flatMap((list) => list.split(",").map((n) => n.trim())).filter(Boolean));
}

/** The words of a `{ a, b? }` list, as written. */
const words = (list: string) => list.match(/[\w-]+\??/g) ?? [];

describe("the README's Library section", () => {
  it("imports only names the package exports", () => {
    const imports = [...README.matchAll(/import\s*\{([^}]*)\}\s*from\s*"leaklog"/g)];
    expect(imports.length).toBeGreaterThan(0);
    const types = typeExports();
    for (const [, list = ""] of imports) {
      for (const name of list.split(",").map((n) => n.replace(/^\s*type\s+/, "").trim())) {
        if (name !== "") expect(name in api || types.has(name), name).toBe(true);
      }
    }
  });

  it("calls only exported functions and Summarizer's methods", () => {
    const calls = [...LIBRARY.matchAll(/`(?:new )?([\w.]+)\(/g)].map((m) => m[1] as string);
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) {
      const method = /^summarizer\.(\w+)$/.exec(call)?.[1];
      const fn: unknown =
        method !== undefined
          ? (api.Summarizer.prototype as unknown as Record<string, unknown>)[method]
          : (api as Record<string, unknown>)[call];
      expect(typeof fn, call).toBe("function");
    }
  });

  it("lists ParseResult's fields, the parse options and the stream's event types", () => {
    const result = /return a `ParseResult`: `\{([^}]*)\}`/.exec(LIBRARY.replace(/\n\s*/g, " "));
    const expected = Object.entries(PARSE_RESULT).map(([k, opt]) => k + (opt ? "?" : ""));
    expect(words(result?.[1] ?? "")).toEqual(expected);
    const options = /Options: ([^]*?)\n- /.exec(LIBRARY)?.[1] ?? "";
    const named = codeSpans(options).filter((s) => /^\w+$/.test(s));
    expect(new Set(named)).toEqual(new Set(Object.keys(PARSE_OPTIONS)));
    const events = /async iterable of events \(([^)]*)\)/.exec(LIBRARY)?.[1] ?? "";
    expect(new Set(codeSpans(events))).toEqual(new Set(Object.keys(EVENT_TYPES)));
  });

  // Campaign camp2 Q3: the example printed `empty-input: empty input: ...`, which of many logs
  // it did not say; a fatal problem's message names its input only when it is unreadable.
  it("prints which input is unusable, as the CLI does", () => {
    const printed = /console\.error\((.*result\.fatal.*)\);/.exec(LIBRARY)?.[1] ?? "";
    expect(printed).toContain("${result.source.path}");
    const empty = api.parse("", { path: "vg.3.log" });
    expect([empty.fatal?.code, empty.source.path]).toEqual(["empty-input", "vg.3.log"]);
    expect(empty.fatal?.message).not.toContain("vg.3.log");
  });
});

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  const?: unknown;
}

/**
 * Every property name and string value (`fixed`, `leak`) anywhere in the schema: what a word in
 * code style in the README's table may be.
 */
function allNames(schema: JsonSchema, into = new Set<string>()): Set<string> {
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    into.add(name);
    allNames(sub, into);
  }
  for (const value of [...(schema.enum ?? []), schema.const])
    if (typeof value === "string") into.add(value);
  for (const sub of [schema.items, ...(schema.anyOf ?? [])]) if (sub) allNames(sub, into);
  if (typeof schema.additionalProperties === "object") allNames(schema.additionalProperties, into);
  return into;
}

describe("the README's JSON contract", () => {
  const schema = reportJsonSchema() as JsonSchema;
  const rows = tableRows(section("The JSON contract"), "| field | what |");
  const required = new Set(schema.required);

  it("has a row for every field of Report, optional ones marked `?`", () => {
    const fields = rows.flatMap(([cell = ""]) => codeSpans(cell));
    const expected = Object.keys(schema.properties ?? {}).map((name) => {
      const array = schema.properties?.[name]?.type === "array" ? "[]" : "";
      return `${name}${array}${required.has(name) ? "" : "?"}`;
    });
    expect(new Set(fields)).toEqual(new Set(expected));
  });

  it("names every field of each record, optional ones marked `?`, and no field that is not", () => {
    const known = allNames(schema);
    const elementOf = (field: string) => {
      const own = schema.properties?.[field];
      return own?.type === "array" ? own.items : own;
    };
    let previous = "";
    for (const [cell = "", what = ""] of rows) {
      const field = /^`(\w+)/.exec(cell)?.[1] ?? "";
      const spans = codeSpans(what).join(" ");
      for (const word of codeSpans(what).map(
        (s) => /^[a-z][a-zA-Z]*(?=$|[\s?[])/.exec(s)?.[0] ?? "",
      ))
        if (word !== "") expect(known.has(word), `${field}: ${word}`).toBe(true);
      const element = elementOf(field);
      // "in the same shape" refers to the row above.
      if (what.includes("in the same shape")) expect(element).toEqual(elementOf(previous));
      previous = field;
      if (cell.includes(",") || what.includes("in the same shape")) continue;
      const optional = new Set(element?.required);
      for (const name of Object.keys(element?.properties ?? {})) {
        const mark = optional.has(name) ? "" : "\\?";
        expect(spans, `${field}: ${name}`).toMatch(
          new RegExp(`(?<![\\w-])${name}(\\[\\])?${mark}(?![\\w?-])`),
        );
      }
    }
  });

  it("spells a frame as the Frame schema has it", () => {
    const frame = /A frame is `\{([^}]*)\}`/.exec(README)?.[1] ?? "";
    const shape = api.Frame.shape;
    const expected = Object.entries(shape).map(
      ([k, v]) => k + (v.safeParse(undefined).success ? "?" : ""),
    );
    expect(words(frame)).toEqual(expected);
  });
});
