import { randomBytes } from "node:crypto";
import type { Clock } from "./clock.ts";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A short random id of lower-case letters and digits (DNS-label safe). */
export function shortId(length = 5): string {
  return [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

/** `20260101-120000-k3x9`: sortable, a valid label value and folder name. */
export function newRunId(clock: Clock, id: string = shortId(4)): string {
  const iso = new Date(clock.now()).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 19).replace(/:/g, "")}-${id}`;
}

/** `kd-<scenario-name>-<id>`, the name cut so that the whole stays a 63-char DNS label. */
export function scenarioNamespace(name: string, id: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "scenario";
  const room = 63 - "kd-".length - 1 - id.length;
  return `kd-${slug.slice(0, room).replace(/-+$/, "")}-${id}`;
}
