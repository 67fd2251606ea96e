// What appeared on the host during a practice run, with the command that removes it.
import { describe, expect, it } from "vitest";
import { type Inventory, leftovers, takeInventory } from "../../src/host/inventory.js";

const empty: Inventory = { mounts: [], netns: [], links: [], cgroups: [] };

describe("leftovers", () => {
  it("lists what is new, deepest mounts and cgroups first, each with the command that removes it", () => {
    const before: Inventory = { mounts: ["/"], netns: [], links: ["lo"], cgroups: ["/sys/fs/cgroup/a"] };
    const after: Inventory = {
      mounts: ["/", "/tmp/x", "/tmp/x/y z"],
      netns: ["/run/netns/mine"],
      links: ["lo", "v0"],
      cgroups: ["/sys/fs/cgroup/a", "/sys/fs/cgroup/b", "/sys/fs/cgroup/b/c"],
    };
    expect(leftovers(before, after)).toEqual([
      { what: "a mount on /tmp/x/y z", remove: "sudo umount '/tmp/x/y z'" },
      { what: "a mount on /tmp/x", remove: "sudo umount /tmp/x" },
      { what: "the network namespace name /run/netns/mine", remove: "sudo ip netns delete mine" },
      { what: "the network link v0", remove: "sudo ip link delete v0" },
      { what: "the cgroup /sys/fs/cgroup/b/c", remove: "sudo rmdir /sys/fs/cgroup/b/c" },
      { what: "the cgroup /sys/fs/cgroup/b", remove: "sudo rmdir /sys/fs/cgroup/b" },
    ]);
    expect(leftovers(after, after)).toEqual([]);
    expect(leftovers(after, empty)).toEqual([]); // what went away is not a leftover
    const runs: Inventory = {
      mounts: ["/tmp/consh-book-1000/abc123/work/demo/merged"],
      netns: ["/run/netns/consh-abc123"],
      links: ["cbabc123h"],
      cgroups: ["/sys/fs/cgroup/consh-abc123", "/sys/fs/cgroup/consh-abc123/inner", "/sys/fs/cgroup/consh-abc123-demo"],
    };
    expect(leftovers(empty, runs)).toEqual([]); // any run's own names: its teardown owns them
  });

  it("takes this host's inventory: its mounts, links and cgroups", () => {
    const now = takeInventory();
    expect(now.mounts).toContain("/");
    expect(now.links).toContain("lo");
    expect(now.cgroups.length).toBeGreaterThan(0);
  });
});
