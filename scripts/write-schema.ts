import { writeFileSync } from "node:fs";
import { reportJsonSchema } from "../src/model/json-schema.js";

// Writes dist/leaklog.schema.json, published as `leaklog/schema.json`.
const target = new URL("../../dist/leaklog.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
