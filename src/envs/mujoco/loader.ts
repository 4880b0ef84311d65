/**
 * Loads MuJoCo (the official `@mujoco/mujoco` WebAssembly build, single-threaded) once per process, and
 * compiles the project's model files (data/mujoco/*.xml) from their text.
 *
 *     await loadMujoco();          // once, before making a MuJoCo environment
 *     const env = make("Hopper-v5");
 *
 * The package is ESM-only, so it is imported dynamically here: importing this module costs nothing until
 * a MuJoCo environment is wanted.
 */
import { readFileSync } from "node:fs";
import type { MainModule, MjModel } from "@mujoco/mujoco";
import { packagePath } from "../../core/paths.js";

/** The loaded MuJoCo module: `MjModel`, `MjData`, `mj_step`, ... */
export type MujocoModule = MainModule;

let loaded: MujocoModule | undefined;
let loading: Promise<MujocoModule> | undefined;
const xmlCache = new Map<string, string>();

/** Loads `@mujoco/mujoco` if it is not loaded yet and resolves to the module. Safe to call many times and concurrently. */
export function loadMujoco(): Promise<MujocoModule> {
  if (loaded) return Promise.resolve(loaded);
  if (loading) return loading;
  loading = (async () => {
    const factory = (await import("@mujoco/mujoco")).default;
    loaded = await factory();
    return loaded;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** True once `loadMujoco()` has resolved. */
export function isMujocoLoaded(): boolean {
  return loaded !== undefined;
}

/**
 * The loaded module, for synchronous code (environment constructors). Throws a clear error when
 * `loadMujoco()` has not finished: `make()` is synchronous and cannot wait for WebAssembly.
 */
export function mujoco(): MujocoModule {
  if (!loaded) {
    throw new Error(
      "MuJoCo is not loaded yet: `await loadMujoco()` once before making a MuJoCo environment " +
        "(or use `await makeAsync(id)`, which loads it for you).",
    );
  }
  return loaded;
}

/** The MJCF text of one of the package's models (data/mujoco/<name>.xml), read once. */
export function modelXml(name: string): string {
  let xml = xmlCache.get(name);
  if (xml === undefined) {
    xml = readFileSync(packagePath("data", "mujoco", `${name}.xml`), "utf8");
    xmlCache.set(name, xml);
  }
  return xml;
}

/**
 * Compiles a model: one of the package's (a name such as "hopper"), a path to an .xml file, or MJCF text
 * (starting with `<`). The caller deletes it.
 */
export function compileModel(source: string): MjModel {
  let xml: string;
  if (source.trimStart().startsWith("<")) xml = source;
  else if (source.endsWith(".xml") || source.includes("/")) xml = readFileSync(source, "utf8");
  else xml = modelXml(source);
  try {
    return mujoco().MjModel.from_xml_string(xml);
  } catch (e) {
    throw new Error(`MuJoCo could not compile the model ${source.startsWith("<") ? "(MJCF text)" : JSON.stringify(source)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
