import { describe, expect, it } from "vitest";
import { makeRunValues, normalizeOutput, recordLine } from "../../src/snapshot/normalize.js";

describe("normalizeOutput", () => {
  const values = makeRunValues({ WORK: "/tmp/consh-book-1000/ab12cd/work", RUN: "ab12cd", IP_CT: "10.201.7.2", NET: "10.201.7" }, { UID: "1000", GID: "1001" });

  it("replaces per-run values, longest first", () => {
    expect(normalizeOutput("cd /tmp/consh-book-1000/ab12cd/work/demo; cgroup consh-ab12cd; 10.201.7.2 in 10.201.7.0/24\n", values, [])).toBe(
      "cd [WORK]/demo; cgroup consh-[RUN]; [IP_CT] in [NET].0/24\n",
    );
  });

  it("applies step redactions, replacing only the first group when there is one", () => {
    const out = normalizeOutput("NStgid:\t4242\t1\nPID 99 and 1234\n", values, [
      { name: "PID", pattern: /\b\d{3,}\b/g },
      { name: "N", pattern: /PID (\d+)/g },
    ]);
    expect(out).toBe("NStgid:\t[PID]\t1\nPID [N] and [PID]\n");
  });

  it("leaves uid and gid alone in the output (they are matched, not replaced)", () => {
    expect(normalizeOutput("Uid: 1000\n", values, [])).toBe("Uid: 1000\n");
  });
});

describe("recordLine", () => {
  it("records whole-word uid and gid as placeholders", () => {
    const v = makeRunValues({}, { UID: "1000", GID: "1001" });
    expect(recordLine("Uid:\t1000\t1000", v)).toBe("Uid:\t[UID]\t[UID]");
    expect(recordLine("Gid: 1001 uid=1000(x)", v)).toBe("Gid: [GID] uid=[UID](x)");
    expect(recordLine("port 10000 /x/1000 1000.5", v)).toBe("port 10000 /x/1000 1000.5");
  });

  it("never records uid 0 (it would hit every zero)", () => {
    const v = makeRunValues({}, { UID: "0", GID: "0" });
    expect(recordLine("0::/ uid 0", v)).toBe("0::/ uid 0");
  });

  it("uses [GID] on group lines when uid and gid are the same number", () => {
    const v = makeRunValues({}, { UID: "1000", GID: "1000" });
    expect(recordLine("Gid:\t1000", v)).toBe("Gid:\t[GID]");
    expect(recordLine("Uid:\t1000", v)).toBe("Uid:\t[UID]");
  });
});
