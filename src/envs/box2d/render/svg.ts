/**
 * SVG output for scenes: one still picture (`sceneToSvg`) or a whole episode as a self-contained,
 * looping SMIL animation (`episodeAnimation`) that notebooks and browsers show inline without scripts.
 */
import type { Scene, Shape } from "./scene.js";

const round = (v: number) => Math.round(v * 1000) / 1000;

function shapeToSvg(s: Shape): string {
  switch (s.kind) {
    case "polygon": {
      const pts = pairs(s.points);
      const stroke = s.stroke ? ` stroke="${s.stroke}" stroke-width="1" vector-effect="non-scaling-stroke"` : "";
      return `<polygon points="${pts}" fill="${s.fill}"${stroke}/>`;
    }
    case "line":
      return `<polyline points="${pairs(s.points)}" fill="none" stroke="${s.stroke}" stroke-width="${s.width ?? 1}" vector-effect="non-scaling-stroke"/>`;
    case "circle": {
      const stroke = s.stroke ? ` stroke="${s.stroke}" stroke-width="1" vector-effect="non-scaling-stroke"` : "";
      return `<circle cx="${round(s.x)}" cy="${round(s.y)}" r="${round(s.r)}" fill="${s.fill}"${stroke}/>`;
    }
  }
}

function pairs(points: number[]): string {
  const out: string[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) out.push(`${round(points[i]!)},${round(points[i + 1]!)}`);
  return out.join(" ");
}

/** The transform from world metres (y up, view starting at viewX) to SVG pixels (y down). */
function cameraTransform(scene: Scene, viewX: number): string {
  return `translate(${round(-viewX * scene.scale)} ${scene.height}) scale(${scene.scale} ${-scene.scale})`;
}

/** One scene as a standalone SVG document (width x height pixels). */
export function sceneToSvg(scene: Scene): string {
  const body = scene.staticShapes.map(shapeToSvg).join("") + scene.dynamicShapes.map(shapeToSvg).join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}">` +
    `<rect width="${scene.width}" height="${scene.height}" fill="${scene.background}"/>` +
    `<g transform="${cameraTransform(scene, scene.viewX)}">${body}</g></svg>`
  );
}

export interface AnimationOptions {
  /** Playback frames per second (Gymnasium renders at the env's 50 FPS). Default 50. */
  fps?: number;
  /** Keep every n-th frame (a smaller document for long episodes). Default 1. */
  every?: number;
  /** Loop forever (default) or stop on the last frame. */
  loop?: boolean;
}

/**
 * An episode as one animated SVG string: the static background is written once, each frame's moving
 * shapes are shown during their time slot, and the camera follows each frame's `viewX`. Frames must come
 * from one episode (the first frame's background is used). Display it as `image/svg+xml`.
 */
export function episodeAnimation(frames: readonly Scene[], opts: AnimationOptions = {}): string {
  if (frames.length === 0) throw new Error("episodeAnimation: no frames (record env.renderScene() after each step)");
  const every = Math.max(1, Math.floor(opts.every ?? 1));
  const kept = frames.filter((_, i) => i % every === 0);
  const fps = opts.fps ?? 50;
  if (!(fps > 0)) throw new Error(`episodeAnimation: fps must be positive, got ${fps}`);
  const n = kept.length;
  const first = kept[0]!;
  const dur = `${round((n * every) / fps)}s`;
  const repeat = opts.loop === false ? `fill="freeze"` : `repeatCount="indefinite"`;
  const keyTimes = (...ts: number[]) => ts.map((t) => round(t / n)).join(";");

  const cameraValues = kept.map((f) => `${round(-f.viewX * f.scale)} ${f.height}`).join(";");
  const camera =
    n > 1
      ? `<animateTransform attributeName="transform" type="translate" calcMode="discrete" dur="${dur}" ${repeat} values="${cameraValues}" keyTimes="${keyTimes(...kept.map((_, i) => i))}"/>`
      : "";

  const frameGroups = kept.map((f, i) => {
    let values: string;
    let times: string;
    if (n === 1) return `<g>${f.dynamicShapes.map(shapeToSvg).join("")}</g>`;
    if (i === 0) [values, times] = ["inline;none", keyTimes(0, 1)];
    else if (i === n - 1) [values, times] = ["none;inline", keyTimes(0, n - 1)];
    else [values, times] = ["none;inline;none", keyTimes(0, i, i + 1)];
    // The last frame stays visible when the animation freezes.
    const display = i === 0 ? "inline" : "none";
    return (
      `<g display="${display}"><animate attributeName="display" calcMode="discrete" dur="${dur}" ${repeat} values="${values}" keyTimes="${times}"/>` +
      f.dynamicShapes.map(shapeToSvg).join("") +
      `</g>`
    );
  });

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${first.width}" height="${first.height}" viewBox="0 0 ${first.width} ${first.height}">` +
    `<rect width="${first.width}" height="${first.height}" fill="${first.background}"/>` +
    `<g transform="translate(${round(-first.viewX * first.scale)} ${first.height})">${camera}` +
    `<g transform="scale(${first.scale} ${-first.scale})">` +
    first.staticShapes.map(shapeToSvg).join("") +
    frameGroups.join("") +
    `</g></g></svg>`
  );
}
