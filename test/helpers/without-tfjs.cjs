// Preload (`node --require`) that makes @tensorflow/tfjs and its backends unresolvable from the project's own
// code, as on an install without devDependencies; packages inside node_modules resolve as usual (danfojs-node
// loads its own aliased copy).
const Module = require("node:module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const fromProject = !parent?.filename || !parent.filename.includes("node_modules");
  if (fromProject && /^@tensorflow\/tfjs(-backend-[a-z]+|-node)?(\/|$)/.test(request)) {
    const err = new Error(`Cannot find module '${request}' (hidden by test/helpers/without-tfjs.cjs)`);
    err.code = "MODULE_NOT_FOUND";
    throw err;
  }
  return resolve.call(this, request, parent, ...rest);
};
