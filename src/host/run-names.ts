// How a run names what it makes on the host, in one place, so that the runner, discovery,
// teardown, the subtree guard and `consh-book clean` can never disagree.

/** A run id: six lower-case letters and digits, starting with a letter (short enough for 15-character link names). */
export const RUN_ID = /^[a-z][a-z0-9]{5}$/;

/** The characters a run id is made of (the first one from the 26 letters only). */
export const RUN_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `consh-<id>`: the run's name, the prefix of its cgroups and netns names. */
export function runName(id: string): string {
  return `consh-${id}`;
}

/** Whether `name` (a cgroup's, say) is exactly some run's name. */
export function isRunName(name: string): boolean {
  return name.startsWith("consh-") && RUN_ID.test(name.slice("consh-".length));
}

/** `cb<id>`: the prefix of the run's network links (kept short: link names have 15 characters). */
export function linkPrefix(id: string): string {
  return `cb${id}`;
}

/** The two ends of the run's veth pair: the host's and the container's. */
export function vethNames(id: string): { host: string; container: string } {
  return { host: `${linkPrefix(id)}h`, container: `${linkPrefix(id)}c` };
}

/** Where `ip netns` keeps its named network namespaces. */
export const NETNS_DIRS = ["/run/netns", "/var/run/netns"];

/** The sbin directories a root shell expects on its PATH (ip, mount, pivot_root live there). */
export const SBIN_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/** The name of a user's work root (under the temp directory): `consh-book-<uid>`. */
export function workRootName(uid: number | string): string {
  return `consh-book-${uid}`;
}

/** The uid of a work root, from its name; undefined for any other name. */
export function workRootOwner(name: string): number | undefined {
  const m = /^consh-book-(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
