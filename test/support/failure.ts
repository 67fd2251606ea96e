// The ConshError a call throws, for tests that look at its message, hint and exit code.
import { ConshError } from "../../src/errors.js";

export function failure(f: () => unknown): ConshError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConshError) return e;
    throw e;
  }
  throw new Error("expected a ConshError");
}
