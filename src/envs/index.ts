/** Environments: importing this module registers every built-in id with the registry. */
import "./register-builtin.js";

export * from "./classic/index.js";
export * from "./wrappers/index.js";
export * from "./toy/pong.js";
