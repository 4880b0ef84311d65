export { TimeLimit } from "./time-limit.js";
export { EnvChecker, formatValue, describeSpace } from "./env-checker.js";
