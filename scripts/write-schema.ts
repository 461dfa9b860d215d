// Writes schema/dpra.schema.json from the zod schema. A test fails when the committed file is stale.
import { writeFileSync } from "node:fs";
import { dpraJsonSchema } from "../src/config/schema.js";

const out = new URL("../schema/dpra.schema.json", import.meta.url);
writeFileSync(out, `${JSON.stringify(dpraJsonSchema(), null, 2)}\n`);
console.log(`wrote ${out.pathname}`);
