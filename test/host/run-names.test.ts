// The one naming rule: ids the runner makes are the ids discovery, teardown and clean accept.
import { describe, expect, it } from "vitest";
import { isRunName, linkPrefix, RUN_ID, runName, vethNames, workRootName, workRootOwner } from "../../src/host/run-names.js";
import { newRunId } from "../../src/run/world.js";

describe("run names", () => {
  it("every new run id matches the pattern clean and the subtree guard go by", () => {
    for (let i = 0; i < 500; i++) {
      const id = newRunId();
      expect(id).toMatch(RUN_ID);
      expect(isRunName(runName(id))).toBe(true);
      // Link names have at most 15 characters.
      expect(vethNames(id).host.length).toBeLessThanOrEqual(15);
      expect(vethNames(id).container.startsWith(linkPrefix(id))).toBe(true);
    }
  });

  it("other names are not run names", () => {
    for (const n of ["consh-x", "consh-ab12cd-inner", "consh-1ab2cd", "consh-AB12CD", "system.slice", "xconsh-ab12cd"]) expect(isRunName(n)).toBe(false);
  });

  it("a work root's owner is read back from its name, and only from such a name", () => {
    expect(workRootOwner(workRootName(1000))).toBe(1000);
    expect(workRootOwner("consh-book-site")).toBeUndefined();
    expect(workRootOwner("consh-book-12x")).toBeUndefined();
  });
});
