/**
 * The memleax grammar: whole-line tokens, frame-line fields and the CST parser of multi-line
 * records. Syntax only: no model, no I/O.
 */
export * from "./tokens.js";
export * from "./frame.js";
export * from "./parser.js";
export * from "./stream-bytes.js";
export type * from "./cst.js";
