/**
 * Small SVG pictures of the classic-control states (what Gymnasium's rgb_array frames show), for
 * notebooks and reports: `env.render()` returns an SVG string. Geometry follows Gymnasium's renderers
 * (same world-to-screen scales); colours are plain.
 */
const svg = (w: number, h: number, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#fff"/>${body}</svg>`;
const f = (x: number) => (Math.round(x * 10) / 10).toString();

/** CartPole: cart on a track, pole hinged on top (x right, angle clockwise from vertical). */
export function cartPoleSvg(x: number, theta: number): string {
  const W = 600, H = 400, worldWidth = 2.4 * 2, scale = W / worldWidth;
  const poleLen = scale * 1.0, cartW = 50, cartH = 30, cartY = 300; // y grows downward here
  const cx = x * scale + W / 2;
  const tipX = cx + poleLen * Math.sin(theta), tipY = cartY - cartH / 4 - poleLen * Math.cos(theta);
  return svg(
    W,
    H,
    `<line x1="0" y1="${cartY}" x2="${W}" y2="${cartY}" stroke="#000"/>` +
      `<rect x="${f(cx - cartW / 2)}" y="${f(cartY - cartH / 2)}" width="${cartW}" height="${cartH}" fill="#000"/>` +
      `<line x1="${f(cx)}" y1="${f(cartY - cartH / 4)}" x2="${f(tipX)}" y2="${f(tipY)}" stroke="#ca9865" stroke-width="10" stroke-linecap="round"/>` +
      `<circle cx="${f(cx)}" cy="${f(cartY - cartH / 4)}" r="5" fill="#8184cb"/>`,
  );
}

/** Pendulum: rod from the centre, theta = 0 pointing up; an arrow shows the last torque. */
export function pendulumSvg(theta: number, torque: number | undefined): string {
  const S = 500, c = S / 2, len = 0.4 * S;
  const tipX = c + len * Math.sin(theta), tipY = c - len * Math.cos(theta);
  const arrow =
    torque === undefined || torque === 0
      ? ""
      : `<text x="${c}" y="${S - 20}" text-anchor="middle" font-size="16">torque ${torque.toFixed(2)}</text>`;
  return svg(
    S,
    S,
    `<line x1="${c}" y1="${c}" x2="${f(tipX)}" y2="${f(tipY)}" stroke="#cc4c4c" stroke-width="20" stroke-linecap="round"/>` +
      `<circle cx="${c}" cy="${c}" r="5" fill="#000"/>${arrow}`,
  );
}

/** MountainCar: the hill y = sin(3x) * 0.45 + 0.55, the car and the goal flag. */
export function mountainCarSvg(position: number, goalPosition: number): string {
  const W = 600, H = 400, minX = -1.2, maxX = 0.6, scale = W / (maxX - minX);
  const height = (x: number) => Math.sin(3 * x) * 0.45 + 0.55;
  const toScreen = (x: number) => [(x - minX) * scale, H - 20 - height(x) * scale] as const;
  const pts = Array.from({ length: 101 }, (_, i) => toScreen(minX + ((maxX - minX) * i) / 100).map(f).join(",")).join(" ");
  const [cx, cy] = toScreen(position);
  const [gx, gy] = toScreen(goalPosition);
  return svg(
    W,
    H,
    `<polyline points="${pts}" fill="none" stroke="#000" stroke-width="2"/>` +
      `<line x1="${f(gx)}" y1="${f(gy)}" x2="${f(gx)}" y2="${f(gy - 50)}" stroke="#000"/>` +
      `<polygon points="${f(gx)},${f(gy - 50)} ${f(gx)},${f(gy - 40)} ${f(gx + 25)},${f(gy - 45)}" fill="#cccc00"/>` +
      `<circle cx="${f(cx)}" cy="${f(cy - 10)}" r="10" fill="#000"/>`,
  );
}

/** Acrobot: two links from the pivot, angles measured from straight down; the goal line above. */
export function acrobotSvg(theta1: number, theta2: number): string {
  const S = 500, c = S / 2, scale = S / 4.4, L = scale;
  const x1 = c + L * Math.sin(theta1), y1 = c + L * Math.cos(theta1);
  const x2 = x1 + L * Math.sin(theta1 + theta2), y2 = y1 + L * Math.cos(theta1 + theta2);
  return svg(
    S,
    S,
    `<line x1="${f(c - 2.2 * scale)}" y1="${f(c - L)}" x2="${f(c + 2.2 * scale)}" y2="${f(c - L)}" stroke="#000"/>` +
      `<line x1="${c}" y1="${c}" x2="${f(x1)}" y2="${f(y1)}" stroke="#0cc" stroke-width="20" stroke-linecap="round"/>` +
      `<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="#0cc" stroke-width="20" stroke-linecap="round"/>` +
      `<circle cx="${c}" cy="${c}" r="8" fill="#cc0"/><circle cx="${f(x1)}" cy="${f(y1)}" r="8" fill="#cc0"/>`,
  );
}
