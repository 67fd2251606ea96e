// The named errors of consh-book and the one table that maps them to exit codes.

/** Exit codes, decided here and nowhere else. */
export const ExitCode = {
  pass: 0,
  /** A step failed, timed out, or its output differs from the snapshot. */
  failed: 1,
  /** Bad command line, unknown chapter, chapter syntax error, missing book. */
  usage: 2,
  /** This host lacks something the book needs (see `consh-book doctor`). */
  hostNotCapable: 3,
  /** A snapshot file that cannot be read as one. */
  snapshotFile: 4,
  /** The work or state directory cannot be created or written. */
  environment: 5,
  /** A bug in consh-book itself. */
  internal: 70,
  /** The run was ended with SIGHUP (its terminal closed, its SSH connection lost). */
  hangup: 129,
  /** The run was interrupted with SIGINT (Ctrl-C). */
  interrupted: 130,
  /** The run was ended with SIGQUIT (Ctrl-backslash). */
  quit: 131,
  /** The run was ended with SIGTERM. */
  terminated: 143,
} as const;
type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

interface ConshErrorOptions {
  cause?: unknown;
  /** What the user can do about it; printed under the message. */
  hint?: string;
}

/** Base class: an expected, user-facing failure. Printed without a stack trace. */
export class ConshError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCodeValue, options: ConshErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

/** One located problem in a chapter file. */
export interface ChapterProblem {
  file: string;
  line: number;
  what: string;
  fix: string;
}

function formatProblem(p: ChapterProblem): string {
  return `${p.file}:${p.line}: ${p.what}\n  fix: ${p.fix}`;
}

/** The book's Markdown does not follow the chapter format. Nothing was run. */
export class ChapterSyntaxError extends ConshError {
  readonly problems: ChapterProblem[];
  constructor(problems: ChapterProblem[]) {
    const head = problems.length === 1 ? "chapter error" : `${problems.length} chapter errors`;
    super(`${head} (nothing was run):\n${problems.map(formatProblem).join("\n")}`, ExitCode.usage);
    this.problems = problems;
  }
}

/** Bad command line or an unknown chapter/book. */
export class UsageError extends ConshError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, { hint });
  }
}

/** The host cannot run (part of) the book; says what is missing and how to get it. */
export class HostNotCapableError extends ConshError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.hostNotCapable, { hint });
  }
}

/** A snapshot file that is not in the snapshot format. */
export class SnapshotFileError extends ConshError {
  constructor(file: string, line: number, what: string, hint?: string) {
    super(`${line > 0 ? `${file}:${line}` : file}: ${what}`, ExitCode.snapshotFile, {
      hint: hint ?? `fix the line by hand, or delete ${file} and run again to record it anew`,
    });
  }
}

/** The work or state directory cannot be used. */
export class EnvironmentError extends ConshError {
  constructor(message: string, options: ConshErrorOptions = {}) {
    super(message, ExitCode.environment, options);
  }
}

/** The signals a run tears down on, and the exit code each ends it with (128 + signal number). */
export const SIGNAL_EXIT = {
  SIGHUP: ExitCode.hangup,
  SIGINT: ExitCode.interrupted,
  SIGQUIT: ExitCode.quit,
  SIGTERM: ExitCode.terminated,
} as const satisfies Partial<Record<NodeJS.Signals, ExitCodeValue>>;
export type TeardownSignal = keyof typeof SIGNAL_EXIT;
