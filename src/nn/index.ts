/** Neural-network building blocks: fast Float32Array MLPs (WebAssembly SIMD or optional native BLAS), distributions, optimisers, tfjs backend choice. */
export { Random } from "./random.js";
export type { RandomState } from "./random.js";
export { Mlp } from "./mlp.js";
export type { Activation, MlpSpec, MlpInit, MlpJSON } from "./mlp.js";
export { orthogonal, torchDefaultUniform } from "./init.js";
export { Adam, RmsProp, ScalarAdam, clipGradNorm } from "./optim.js";
export type { ParamGroup, Optimizer, OptimizerState, AdamOptions, RmsPropOptions, ScalarAdamState } from "./optim.js";
export { Categorical, DiagGaussian, SquashedDiagGaussian, LOG_STD_MIN, LOG_STD_MAX } from "./distributions.js";
export { encodeFloat32, decodeFloat32 } from "./serialize.js";
export { nativeBlas, nativeUnavailableReason, describeNativeBackend, nativeAddonPath } from "./native.js";
export type { NativeBlas, GemmBackend, GemmCall } from "./native.js";
export { selectBackend, hasRealTfjsNode, tfjs } from "./backend.js";
export type { BackendName } from "./backend.js";
