/**
 * `executionAdmission` (src/server/limits.ts) for tests that ask only whether a document is
 * admitted or refused: the deadline an admission begins is finished at once, as the server
 * finishes it once the execution is over. Left begun, it counted as an execution in the process's
 * scheduler for good, which the suite's files share in their worker: the idle warm-up of a later
 * file waited on it (warm.test timed out; tests/support/executions-settled.ts now fails the file).
 */
import type { ExecutionArgs, GraphQLError } from "graphql";
import { executionAdmission, type Limits } from "../../src/server/limits.js";

export function admissionOf(limits: Limits): (args: ExecutionArgs) => { refused?: GraphQLError } {
  const admit = executionAdmission(limits);
  return (args) => {
    const { refused, deadline } = admit(args);
    deadline?.finish();
    return { refused };
  };
}
