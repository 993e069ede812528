/** @module Problem details: typed errors and their `application/problem+json` rendering. */
export * from "./errors.js";
export {
  handleError,
  PROBLEM_CONTENT_TYPE,
  type ProblemBody,
  problemBody,
  problemResponse,
} from "./respond.js";
export { fieldErrors, parseOrThrow, validationErrorFrom, validationHook } from "./zod.js";
