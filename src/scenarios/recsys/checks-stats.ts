/** Statistical checks of issue 13 (filled in below). */
import type { CheckResult } from "../../checks/result.js";
import type { RecsysEvidence } from "./checks.js";

export function statisticalChecks(_ev: RecsysEvidence): CheckResult[] {
  return [];
}
