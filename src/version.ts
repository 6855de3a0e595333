/**
 * leaklog's version, as package.json gives it. Written here rather than read from package.json
 * at run time: a bundle of the library (esbuild, as a GitHub Action that wraps it ships) has no
 * package.json beside it, and every report then said version 0.0.0. test/version.test.ts checks
 * that the two agree.
 */
export const VERSION = "0.1.0";
