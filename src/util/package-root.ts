import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);
const compiled = /^(.*)[\\/]dist[\\/]src[\\/]util[\\/]package-root\.js$/.exec(here);

/**
 * The folder of kubedrill's package.json, whether this code runs from its TypeScript
 * sources (src/util/) or compiled (dist/src/util/). Assets that are not compiled (the Go
 * wrapper modules, kwok stages, kind-config.yaml) are read from the package, not from dist/.
 */
export const PACKAGE_ROOT: string = compiled ? compiled[1]! : resolve(dirname(here), "..", "..");

/** True when running the compiled JavaScript of dist/. */
export const RUNNING_COMPILED = compiled !== null;

/** A path under the package's src/ folder (assets shipped beside the sources). */
export function sourceAsset(...parts: string[]): string {
  return join(PACKAGE_ROOT, "src", ...parts);
}
