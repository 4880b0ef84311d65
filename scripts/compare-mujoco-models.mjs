// Compiles the project's MJCF (data/mujoco/<name>.xml) and another model file (e.g. Gymnasium's asset) and
// prints every numeric model field that differs. Usage:
//   node scripts/compare-mujoco-models.mjs <gymnasium assets dir> hopper:hopper walker2d:walker2d_v5 ...
import load from "@mujoco/mujoco";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [dir, ...pairs] = process.argv.slice(2);
const mj = await load();
const FIELDS = [
  "nq", "nv", "nu", "nbody", "njnt", "ngeom", "na",
  "body_mass", "body_inertia", "body_pos", "body_quat", "body_ipos", "body_iquat", "body_parentid",
  "jnt_type", "jnt_range", "jnt_margin", "jnt_solref", "jnt_solimp", "jnt_pos", "jnt_axis", "jnt_stiffness", "qpos0", "qpos_spring",
  "dof_armature", "dof_damping", "dof_frictionloss",
  "geom_type", "geom_size", "geom_pos", "geom_quat", "geom_friction", "geom_contype", "geom_conaffinity", "geom_condim",
  "geom_margin", "geom_gap", "geom_solref", "geom_solimp", "geom_solmix", "geom_priority", "geom_bodyid",
  "actuator_gear", "actuator_ctrlrange", "actuator_trnid", "actuator_forcerange",
  "actuator_gainprm", "site_pos", "site_bodyid", "ntendon", "tendon_stiffness", "tendon_damping", "wrap_prm", "wrap_objid", "actuator_biasprm", "actuator_dyntype", "actuator_gaintype", "actuator_biastype",
];
// (boolean fields such as jnt_limited are not readable through the 3.14 bindings; ranges cover them)
const OPT = ["timestep", "integrator", "cone", "jacobian", "solver", "iterations", "tolerance", "impratio", "o_margin", "density", "viscosity", "gravity", "wind", "ls_iterations", "noslip_iterations"];
let worst = 0;
for (const pair of pairs) {
  const [mine, theirs] = pair.split(":");
  const a = mj.MjModel.from_xml_string(readFileSync(join("data/mujoco", `${mine}.xml`), "utf8"));
  const b = mj.MjModel.from_xml_string(readFileSync(join(dir, `${theirs}.xml`), "utf8"));
  const diffs = [];
  for (const f of FIELDS) {
    const x = a[f], y = b[f];
    if (typeof x === "number") {
      if (x !== y) diffs.push(`${f}: ${x} vs ${y}`);
      continue;
    }
    if (x === undefined) { diffs.push(`${f}: missing`); continue; }
    if (x.length !== y.length) { diffs.push(`${f}: length ${x.length} vs ${y.length}`); continue; }
    let d = 0;
    for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(Number(x[i]) - Number(y[i])));
    worst = Math.max(worst, d);
    if (d > 1e-12) diffs.push(`${f}: max |diff| ${d}`);
  }
  for (const f of OPT) {
    const x = a.opt[f], y = b.opt[f];
    if (String(x === undefined ? "missing" : Array.from(x.length !== undefined ? x : [x])) !== String(y === undefined ? "missing" : Array.from(y.length !== undefined ? y : [y]))) diffs.push(`opt.${f}: ${x} vs ${y}`);
  }
  console.log(`${mine} vs ${theirs}: total mass ${mj.mj_getTotalmass(a)} vs ${mj.mj_getTotalmass(b)}, nq ${a.nq} nv ${a.nv} nu ${a.nu}; ${diffs.length === 0 ? "all compared fields equal (<= 1e-12)" : diffs.join("; ")}`);
  a.delete();
  b.delete();
}
console.log(`largest difference seen: ${worst}`);
