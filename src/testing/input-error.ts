/** Test helper: the InputError a call throws, for the assertions on its code, message and hint. */
import { expect } from "vitest";
import { InputError } from "../core/errors.js";

/**
 * Calls `fn` and returns the InputError it throws; the test fails when it throws anything else or
 * returns.
 *
 * @example expect(inputError(() => loadSchemas(dir)).code).toBe("not_a_file")
 */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  return expect.fail("expected an InputError");
}
