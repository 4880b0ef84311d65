/** The one-value field entries of the Box2D envs' self-descriptions. */
import type { FieldDescription } from "../../core/env.js";

/** The description of observation value `i` alone (index [i, i + 1]), with its bounds and, if it has one, its unit. */
export function scalarField(name: string, i: number, description: string, low: number, high: number, unit?: string): FieldDescription {
  return {
    name,
    index: [i, i + 1],
    description,
    low,
    high,
    ...(unit ? { unit } : {}),
  };
}
