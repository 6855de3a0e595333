/**
 * The leaklog data model. Every record is a zod schema; the TypeScript types are inferred from
 * the schemas and the published JSON Schema is generated from them. This folder imports nothing
 * else of leaklog's.
 */
export * from "./common.js";
export * from "./frame.js";
export * from "./leak.js";
export * from "./error.js";
export * from "./record.js";
export * from "./diagnostic.js";
export * from "./diagnostic-codes.js";
export * from "./source.js";
export * from "./summary.js";
export * from "./group.js";
export * from "./report.js";
export * from "./json-schema.js";
