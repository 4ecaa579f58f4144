import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { ClusterError } from "../../../errors.ts";
import { tarArchive, type TarEntry } from "./tar.ts";

/** Debian's busybox-static (statically linked, so it runs in an image with nothing else). */
export const BUSYBOX = "/bin/busybox";

const dirs = (...paths: string[]): TarEntry[] => paths.map((p) => ({ path: p, mode: p === "tmp" ? 0o1777 : 0o755 }));

/**
 * The layer of a busybox image: the root folders, /bin/busybox and one symbolic link per
 * applet (as `busybox --list-full` names them), and the /etc files a shell expects.
 * The stand-ins sit on it too, so `sh`, `nc` and `wget` work in them under `kubectl exec`.
 */
export function busyboxLayer(binary = BUSYBOX): Buffer {
  let data: Buffer;
  let applets: string[];
  try {
    data = readFileSync(binary);
    applets = execFileSync(binary, ["--list-full"], { encoding: "utf8" }).split("\n").filter(Boolean);
  } catch (err) {
    throw new ClusterError(`the busybox image needs ${binary} (apt-get install busybox-static)`, { cause: err });
  }
  const links = applets.filter((a) => a !== "bin/busybox").sort();
  return tarArchive([
    ...dirs("bin", "dev", "etc", "home", "proc", "root", "sbin", "sys", "tmp", "usr", "usr/bin", "usr/sbin", "var"),
    { path: "bin/busybox", mode: 0o755, data },
    ...links.map((a) => ({ path: a, mode: 0o777, link: "/bin/busybox" })),
    {
      path: "etc/passwd",
      mode: 0o644,
      data: Buffer.from("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
    },
    { path: "etc/group", mode: 0o644, data: Buffer.from("root:x:0:\nnogroup:x:65534:\n") },
    { path: "etc/hosts", mode: 0o644, data: Buffer.from("127.0.0.1 localhost\n") },
  ]);
}

/**
 * A glibc layer above busybox, for the Debian stand-in: the host's (Debian's) dynamic loader
 * and C library at Debian's paths, and a glibc-linked `sleep` in place of busybox's, so
 * `/lib64/ld-linux-x86-64.so.2 /bin/sleep infinity` runs as it does in debian:12-slim.
 */
export function glibcLayer(): Buffer {
  const file = (p: string) => {
    try {
      return readFileSync(realpathSync(p));
    } catch (err) {
      throw new ClusterError(`the Debian stand-in image needs ${p} from the host`, { cause: err });
    }
  };
  const lib = "lib/x86_64-linux-gnu";
  return tarArchive([
    ...dirs("lib", lib, "lib64"),
    { path: `${lib}/ld-linux-x86-64.so.2`, mode: 0o755, data: file("/lib64/ld-linux-x86-64.so.2") },
    { path: `${lib}/libc.so.6`, mode: 0o755, data: file("/lib/x86_64-linux-gnu/libc.so.6") },
    { path: "lib64/ld-linux-x86-64.so.2", mode: 0o777, link: `/${lib}/ld-linux-x86-64.so.2` },
    { path: "bin/sleep", mode: 0o755, data: file("/bin/sleep") },
    { path: "etc/debian_version", mode: 0o644, data: Buffer.from("12.0\n") },
  ]);
}
