/** `npm run docs`: writes docs/reference.md and schema/scenario.schema.json from the plug-in modules. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderReference, schemaFileText } from "../src/catalogue/reference.ts";
import { PACKAGE_ROOT } from "../src/util/package-root.ts";

for (const [file, text] of [
  [join("docs", "reference.md"), renderReference()],
  [join("schema", "scenario.schema.json"), schemaFileText()],
] as const) {
  mkdirSync(join(PACKAGE_ROOT, file, ".."), { recursive: true });
  writeFileSync(join(PACKAGE_ROOT, file), text);
  console.log(`wrote ${file}`);
}
