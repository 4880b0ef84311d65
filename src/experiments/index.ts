export { budget, type Budget } from "./budget.js";
