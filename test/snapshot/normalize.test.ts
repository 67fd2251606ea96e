import { describe, expect, it } from "vitest";
import { makeRunValues, needsLiteral, normalizeOutput, recordLine, SAME_UID_GID_NOTE } from "../../src/snapshot/normalize.js";
import { matchOutput } from "../../src/snapshot/pattern.js";

describe("normalizeOutput", () => {
  const values = makeRunValues(
    { WORK: "/tmp/consh-book-1000/ab12cd/work", RUN: "ab12cd", IP_HOST: "10.201.7.1", IP_CT: "10.201.7.2", NET: "10.201.7" },
    { UID: "1000", GID: "1001", CGROUP2: "/sys/fs/cgroup/unified" },
  );

  it("replaces per-run values, longest first", () => {
    expect(normalizeOutput("cd /tmp/consh-book-1000/ab12cd/work/demo; cgroup consh-ab12cd cbab12cdh; 10.201.7.2 in 10.201.7.0/24\n", values, [])).toBe(
      "cd [WORK]/demo; cgroup consh-[RUN] cb[RUN]h; [IP_CT] in [NET].0/24\n",
    );
  });

  it("replaces a per-run value only where it stands whole", () => {
    const out = normalizeOutput(
      "/tmp/consh-book-1000/ab12cd/work2 /tmp/consh-book-1000/ab12cd/work.old /x/tmp/consh-book-1000/ab12cd/work '/tmp/consh-book-1000/ab12cd/work': end /tmp/consh-book-1000/ab12cd/work.\n" +
        "10.201.7.12 10.201.7.1 110.201.7.1 10.201.70.1 10.201.7.1.5\n",
      values,
      [],
    );
    expect(out).toBe(
      "/tmp/consh-book-1000/[RUN]/work2 /tmp/consh-book-1000/[RUN]/work.old /x/tmp/consh-book-1000/[RUN]/work '[WORK]': end [WORK].\n" +
        "[NET].12 [IP_HOST] 110.201.7.1 10.201.70.1 [NET].1.5\n",
    );
  });

  it("applies step redactions, replacing only the first group when there is one", () => {
    const out = normalizeOutput("NStgid:\t4242\t1\nPID 99 and 1234\n", values, [
      { name: "PID", source: "\\b\\d{3,}\\b", flags: "g" },
      { name: "N", source: "PID (\\d+)", flags: "g" },
    ]);
    expect(out).toBe("NStgid:\t[PID]\t1\nPID [N] and [PID]\n");
  });

  it("never rewrites host facts (uid, gid, the cgroup2 path): they are matched, not replaced", () => {
    expect(normalizeOutput("Uid: 1000\ncgroup2 /sys/fs/cgroup/unified\n", values, [])).toBe("Uid: 1000\ncgroup2 /sys/fs/cgroup/unified\n");
  });
});

describe("the container's own view on a pure cgroup v2 host (cgroup2 at /sys/fs/cgroup on both sides)", () => {
  const v2 = makeRunValues({ WORK: "/tmp/w/ab12cd/work", RUN: "ab12cd" }, { UID: "1234", GID: "2345", CGROUP2: "/sys/fs/cgroup" });
  const line = "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime";

  it("keeps the container's mount line as printed, records it literally, and matches it back", () => {
    expect(normalizeOutput(`${line}\n`, v2, [])).toBe(`${line}\n`);
    expect(recordLine(line, v2)).toBe(line);
    expect(matchOutput(`${line}\n`, `${line}\n`, v2.bindings).matches).toBe(true);
  });

  it("a snapshot's [CGROUP2] (recorded on a hybrid host) still matches the host's path there", () => {
    expect(matchOutput("[CGROUP2]/consh-[RUN]\n", "/sys/fs/cgroup/consh-[RUN]\n", v2.bindings).matches).toBe(true);
    const hybrid = makeRunValues({}, { CGROUP2: "/sys/fs/cgroup/unified" });
    expect(recordLine("cgroup2 is at /sys/fs/cgroup/unified; the container's at /sys/fs/cgroup", hybrid)).toBe(
      "cgroup2 is at [CGROUP2]; the container's at /sys/fs/cgroup",
    );
    expect(matchOutput("[CGROUP2]\n", "/sys/fs/cgroup\n", hybrid.bindings).matches).toBe(false);
  });
});

describe("recordLine", () => {
  it("records whole-number uid and gid as placeholders when they differ, from what was printed only", () => {
    const v = makeRunValues({}, { UID: "1234", GID: "2345" });
    expect(recordLine("Uid:\t1234\t1234", v)).toBe("Uid:\t[UID]\t[UID]");
    expect(recordLine("Gid: 2345 uid=1234(x)", v)).toBe("Gid: [GID] uid=[UID](x)");
    // A step printing %u:%g: no guessing from the words on the line.
    expect(recordLine("1234:2345 cgroup.procs", v)).toBe("[UID]:[GID] cgroup.procs");
    expect(recordLine("group 1234", v)).toBe("group [UID]");
    expect(recordLine("port 12345 /x/1234 1234.5 v1234", v)).toBe("port 12345 /x/1234 1234.5 v1234");
  });

  it("never records uid 0 (it would hit every zero)", () => {
    const v = makeRunValues({}, { UID: "0", GID: "0" });
    expect(recordLine("0::/ uid 0", v)).toBe("0::/ uid 0");
    const g = makeRunValues({}, { UID: "0", GID: "1000" });
    expect(recordLine("0 1000", g)).toBe("0 [GID]");
  });

  it("keeps the number when uid = gid (they cannot be told apart) and says so", () => {
    const v = makeRunValues({}, { UID: "1000", GID: "1000" });
    const notes: string[] = [];
    expect(recordLine("Gid:\t1000", v, (n) => notes.push(n))).toBe("Gid:\t1000");
    expect(recordLine("Uid:\t1000", v, (n) => notes.push(n))).toBe("Uid:\t1000");
    expect(recordLine("no ids here", v, (n) => notes.push(n))).toBe("no ids here");
    expect(notes).toEqual([SAME_UID_GID_NOTE, SAME_UID_GID_NOTE]);
  });

  it("a gid equal to a PID: the step's PID redaction runs first, so the PID is not recorded as [GID]", () => {
    const v = makeRunValues({}, { UID: "1234", GID: "2345" });
    const out = normalizeOutput("pid 2345 gid 2345\n", v, [{ name: "PID", source: "pid (\\d+)", flags: "g" }]);
    expect(recordLine(out.trimEnd(), v)).toBe("pid [PID] gid [GID]");
  });

  it("records lines that would read as pattern syntax as literal text", () => {
    const v = makeRunValues({}, { UID: "1234", GID: "2345" });
    for (const l of [
      "...",
      "a [..] b",
      "\\x",
      "=== Summary",
      "=== step x (terminal host, exit 0)",
      "text [UID] 1234",
      "seq [1..9]",
      "pid [2..]",
      "x [..=y] z",
      "[0.5..1=0.7]",
    ]) {
      expect(needsLiteral(l, v.bindings)).toBe(true);
      expect(recordLine(l, v)).toBe(`\\${l}`);
    }
    for (const l of ["..", "....", "[.]", "==== x", "[WORK]/x", "  ..."]) expect(needsLiteral(l, v.bindings)).toBe(false);
  });
});
