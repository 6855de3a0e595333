import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Chevrotain from "chevrotain";

/**
 * chevrotain's values for every grammar, loaded from the one-file ESM bundle that its package
 * ships (lib/chevrotain.mjs) rather than from its package entry (lib/src/api.js). The entry
 * imports lodash-es module by module, about 640 modules: measured on this project's machine,
 * 150-160 ms and 34 MiB of RSS on every run and in every worker thread, against 9 ms and 4 MiB
 * for the bundle, which is the same release's code in one file. Should a release stop shipping
 * the bundle, the entry is loaded instead. Types still come from "chevrotain" itself.
 */
async function load(): Promise<{ chevrotain: typeof Chevrotain; from: "bundle" | "entry" }> {
  try {
    const entry = createRequire(import.meta.url).resolve("chevrotain");
    const bundle = join(dirname(entry), "..", "chevrotain.mjs");
    return {
      chevrotain: (await import(pathToFileURL(bundle).href)) as typeof Chevrotain,
      from: "bundle",
    };
  } catch {
    return { chevrotain: await import("chevrotain"), from: "entry" };
  }
}

const { chevrotain, from } = await load();

/** Which file was loaded: a test keeps the bundle from being lost unnoticed. */
export const CHEVROTAIN_LOADED_FROM = from;

export const CstParser = chevrotain.CstParser;
export const Lexer = chevrotain.Lexer;
export const createToken = chevrotain.createToken;
export const createTokenInstance = chevrotain.createTokenInstance;
export const tokenMatcher = chevrotain.tokenMatcher;
export const generateCstDts = chevrotain.generateCstDts;
/** The version loaded, for the test that checks the bundle belongs to the installed release. */
export const VERSION = chevrotain.VERSION;
