// What the placeholders and wildcards of recorded output stand for, in words:
// for the HTML edition's legend and the terminal's one-time explanation.

/** The per-run values the runner replaces in every output (see the run model's table). */
const RUN_PLACEHOLDERS: Readonly<Record<string, string>> = {
  WORK: "the run's work directory ($CONSH_WORK)",
  RUN: "the run's six-character id ($CONSH_RUN; consh-[RUN] is $CONSH_NAME)",
  UID: "the invoking user's uid",
  GID: "the invoking user's gid",
  NET: "the three octets of the run's free /24 network ($CONSH_NET)",
  IP_HOST: "the host end's address ($CONSH_IP_HOST)",
  IP_CT: "the container end's address ($CONSH_IP_CT)",
  CGROUP2: "where the cgroup2 filesystem is mounted ($CONSH_CGROUP2)",
};

/** Names steps commonly give their redactions, in words. */
const REDACTED: Readonly<Record<string, string>> = {
  PID: "a process ID",
  COUNT: "a number that depends on the host (how many files, applets, libraries ...)",
  DATE: "a date and time",
  INODE: "a namespace's inode number",
  PCT: "a CPU percentage, which varies from run to run",
  IF: "the index of the veth's peer interface",
  IDX: "an interface index",
};

export const ANY_TEXT = "[..]";
export const ANY_LINES = "...";

/** A placeholder's meaning: a run value's, or a redaction's (by its name), else a generic one. */
export function meaningOf(name: string, redacted: boolean): string {
  if (redacted) return `${REDACTED[name] ?? "a value that differs between runs"}, hidden by the step's redact= pattern`;
  return RUN_PLACEHOLDERS[name] ?? REDACTED[name] ?? "a value that differs between runs";
}
