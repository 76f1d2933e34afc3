// framer's placement in the browser: where the portrait goes in the frame's window, decided as
// framer/core/geometry.py and framer/core/pipeline.py decide it, so that a page that frames the photo on the phone
// shows the crop `framer apply` would make. tests/web/test_web_browser_place.py runs both on thousands of
// cases in Chromium and requires the same crop; change one, change the other.
//
// Sizes are [w, h] arrays, boxes {x, y, w, h} (a Box or any object with those numbers), faces
// {box, eyeY, mouthY, score} in photo px, as framer.geometry.Face; a frame is {size, window, mask}, as
// framer.compose.PreparedFrame. No dependencies and no build step: import it as an ES module.
//
//   import { WindowMask, planPhoto, finish, sortFaces } from "/static/place.js";
//   const frame = { size: [w, h], window, mask: WindowMask.fromRGBA(imageData.data, w, h, window) };
//   const plan = planPhoto(sortFaces(faces), [photoW, photoH], frame, adjustOf({ face: 1, zoom, dx, dy }));
//   const { placement, warnings } = finish(plan, frame, [photoW, photoH]);
//
// The arithmetic is written in the order NumPy does it (every `+ - * /` is rounded as in Python), and
// linspace, clip, maximum, argmin and lexsort follow NumPy's definitions, ties and NaN included: near a
// tie in `cover` a last-bit difference would pick another grid point, a visibly different crop.

export const FACE_SHARE = 0.45;
export const MAX_FACE_WIDTH = 0.6;
export const EYE_LINE = 0.45;
export const EYE_POSITION = 0.42;
export const SHARP_UPSCALE = 2.5;
export const COVER_FACE_SHARE = [0.4, 0.62];
export const COVER_FACE_WIDTH = 0.8;
export const COVER_SHIFT = 0.08;
export const COVER_EYE_LINE = [0.35, 0.5];
export const MASK_CELLS = 96;
export const EDGES_FILLED_ABOVE = 0.02;
// What framer's web door and --adjust files accept (framer.web.views, framer.adjust.LIMITS): refused
// outside, never clamped, so a value the page sends is one the server takes.
export const ZOOM_LIMITS = [0.3, 3.0];
export const SHIFT_LIMITS = [-1.0, 1.0];

// The warning codes framer.pipeline reports (the page words them from the same catalogue).
export const NO_FACE = "no_face";
export const SEVERAL_FACES = "several_faces";
export const LOW_RESOLUTION = "low_resolution";
export const EDGES_FILLED = "edges_filled";

/** An axis-aligned box, top-left corner and size, as framer.geometry.Box. */
export class Box {
  constructor(x, y, w, h) {
    this.x = x;
    this.y = y;
    this.w = w;
    this.h = h;
  }

  get cx() {
    return this.x + this.w / 2;
  }

  get cy() {
    return this.y + this.h / 2;
  }

  get right() {
    return this.x + this.w;
  }

  get bottom() {
    return this.y + this.h;
  }

  /** This box in an image `sx` (and `sy`) times as large. */
  scaled(sx, sy = sx) {
    return new Box(this.x * sx, this.y * sy, this.w * sx, this.h * sy);
  }
}

/** A Box from any {x, y, w, h}: callers may pass what JSON gave them. */
export function asBox(b) {
  return b instanceof Box ? b : new Box(b.x, b.y, b.w, b.h);
}

/** How the photo maps onto the canvas: canvas = (photo - crop.xy) * scale; crop may reach past the photo. */
export class Placement {
  constructor(scale, crop) {
    this.scale = scale;
    this.crop = asBox(crop);
  }

  /** A box in photo px, as it lands on the canvas. */
  toCanvas(box) {
    const s = this.scale;
    const c = this.crop;
    return new Box((box.x - c.x) * s, (box.y - c.y) * s, box.w * s, box.h * s);
  }

  /** A box in canvas px, as it lies on the photo. */
  toPhoto(box) {
    const s = this.scale;
    const c = this.crop;
    return new Box(c.x + box.x / s, c.y + box.y / s, box.w / s, box.h / s);
  }

  /** Enlarged so much that the face will look soft (judged on full-resolution pixels: see finish). */
  get isSoft() {
    return this.scale > SHARP_UPSCALE;
  }

  /** Whether the canvas `region` shows area past the photo's edges (half a pixel of tolerance). */
  showsBeyond(photoW, photoH, region) {
    const r = this.toPhoto(region);
    return r.x < -0.5 || r.y < -0.5 || r.right > photoW + 0.5 || r.bottom > photoH + 0.5;
  }
}

/** A decision framer refuses, with the code framer.reasons words (face_none, face_beyond, bad_number,
 * bad_face) and its arguments, so the page says it in the words the server would. */
export class PlacementError extends Error {
  constructor(code, args = {}) {
    super(`${code} ${JSON.stringify(args)}`);
    this.name = "PlacementError";
    this.code = code;
    this.args = args;
  }
}

// --- NumPy's and Python's semantics, where JavaScript's differ --------------------------------------------

// Python's min(a, b) and max(a, b) keep the first argument unless the second is strictly beyond it.
const pyMin = (a, b) => (b < a ? b : a);
const pyMax = (a, b) => (b > a ? b : a);
// np.maximum / np.minimum: NaN propagates (Math.max agrees, but not on which zero it returns).
const npMaximum = (a, b) => (a >= b || a !== a ? a : b);
const npMinimum = (a, b) => (a <= b || a !== a ? a : b);
// np.clip(x, lo, hi) is minimum(maximum(x, lo), hi), NaN kept: with lo > hi it gives hi.
function clip(x, lo, hi) {
  if (x !== x) return x;
  const t = x > lo ? x : lo;
  if (t !== t) return t;
  return t < hi ? t : hi;
}

/** np.linspace(start, stop, num): i * step + start, the last one `stop` itself. */
export function linspace(start, stop, num) {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  if (div > 0) {
    const step = delta / div;
    for (let i = 0; i < num; i++) out[i] = (step === 0 ? (i / div) * delta : i * step) + start;
    out[num - 1] = stop;
  } else if (num === 1) {
    out[0] = 0 * delta + start;
  }
  return out;
}

// np.argmin: the first smallest; the first NaN if there is one.
function argmin(a) {
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== a[i]) return i;
    if (a[i] < a[k]) k = i;
  }
  return k;
}

// NumPy's sort order: NaN after every number.
function order(a, b) {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// np.lexsort((c, -got))[0]: the most covered, then the cheapest, then the first (lexsort is stable).
function lexFirst(got, c) {
  let k = 0;
  for (let i = 1; i < got.length; i++) {
    if ((order(-got[i], -got[k]) || order(c[i], c[k])) < 0) k = i;
  }
  return k;
}

// Python's round(x, 3): to nearest, ties to even. A double is an exact tie at three decimals only when it
// is an odd multiple of 1/16 (m / 2000 with m odd is dyadic only when 125 divides m); toFixed breaks
// those ties upwards, every other value it rounds exactly.
function round3(x) {
  const sixteenths = x * 16;
  if (Number.isInteger(sixteenths) && sixteenths % 2 !== 0) {
    const k = Math.floor(x * 1000);
    return (k % 2 === 0 ? k : k + 1) / 1000;
  }
  return Number(x.toFixed(3));
}

// --- The window's shape -----------------------------------------------------------------------------------

/** The window's shape on the canvas, as framer.geometry.WindowMask: the share of each cell of a grid over
 * its bounding box where the photo shows, kept as a summed-area table (rows + 1) x (cols + 1), so that the
 * share any rectangle covers is four bilinear look-ups. */
export class WindowMask {
  constructor(box, table, rows, cols) {
    this.box = asBox(box);
    this.table = table; // Float64Array, row-major
    this.rows = rows;
    this.cols = cols;
  }

  /** The shape of `window` in the frame's alpha (one byte a px, width x height, 0 = the photo shows):
   * where it is more transparent than opaque inside the window's box, on a grid of at most `cells`
   * across. It must be the alpha of the frame scaled as framer scales it (Pillow's Lanczos): a browser's
   * own scaling leaves other edge pixels, and a different grid. */
  static fromAlpha(alpha, width, height, window, cells = MASK_CELLS) {
    return maskFrom(alpha, 1, 0, width, height, asBox(window), cells);
  }

  /** As fromAlpha, from RGBA bytes: a canvas's ImageData.data, the frame's PNG at output size drawn on
   * it unscaled (its alpha is then the PNG's, exactly). Drawn scaled by the browser, the soft edge comes
   * out otherwise than Pillow's, and `cover`, which can jump between nearly equal placements, moved 1 in
   * 60 of the built-in frame's photos by 3 to 80 canvas px. */
  static fromRGBA(rgba, width, height, window, cells = MASK_CELLS) {
    return maskFrom(rgba, 4, 3, width, height, asBox(window), cells);
  }

  /** A window whose shape is its whole box (a frame whose window holds no transparency). */
  static boxOf(window) {
    return new WindowMask(window, Float64Array.of(0, 0, 0, 1), 1, 1);
  }

  /** A window whose shape is `grid` (rows x cols shares, row-major) stretched over `box`. */
  static ofGrid(grid, rows, cols, box) {
    const w = cols + 1;
    const table = new Float64Array((rows + 1) * w);
    // np.cumsum down each column, then along each row: the same additions in the same order.
    for (let i = 1; i <= rows; i++) {
      for (let j = 1; j <= cols; j++) {
        table[i * w + j] = table[(i - 1) * w + j] + grid[(i - 1) * cols + (j - 1)];
      }
    }
    for (let i = 1; i <= rows; i++) {
      for (let j = 2; j <= cols; j++) table[i * w + j] = table[i * w + j - 1] + table[i * w + j];
    }
    return new WindowMask(box, table, rows, cols);
  }

  /** The share of the shape inside the canvas rectangle [x0, x1] x [y0, y1]. */
  covered(x0, y0, x1, y1) {
    const total = this.table[this.table.length - 1];
    const inside = this.at(x1, y1) - this.at(x0, y1) - this.at(x1, y0) + this.at(x0, y0);
    return total > 0 ? clip(inside / total, 0.0, 1.0) : 1.0;
  }

  // The table at canvas point (x, y), clipped to the box, interpolated bilinearly (exact for a grid of
  // uniform cells).
  at(x, y) {
    const { rows, cols, table: t } = this;
    const b = this.box;
    const u = clip(((x - b.x) / b.w) * cols, 0, cols);
    const v = clip(((y - b.y) / b.h) * rows, 0, rows);
    const j = Math.min(Math.trunc(u), cols - 1);
    const i = Math.min(Math.trunc(v), rows - 1);
    const fu = u - j;
    const fv = v - i;
    const w = cols + 1;
    const top = t[i * w + j] * (1 - fu) + t[i * w + j + 1] * fu;
    const bottom = t[(i + 1) * w + j] * (1 - fu) + t[(i + 1) * w + j + 1] * fu;
    return top * (1 - fv) + bottom * fv;
  }

  /** The share of the shape `placement` leaves beyond the photo (filled, not seen). */
  invented(placement, photo) {
    const p = placement.toCanvas(new Box(0, 0, photo[0], photo[1]));
    return 1 - this.covered(p.x, p.y, p.right, p.bottom);
  }
}

// Python's slice bound: a negative one counts from the end.
const sliceBound = (i, n) => (i < 0 ? Math.max(i + n, 0) : Math.min(i, n));

function maskFrom(data, stride, offset, width, height, window, cells) {
  const x0 = pyMax(0, Math.trunc(window.x));
  const y0 = pyMax(0, Math.trunc(window.y));
  const x1 = pyMin(width, Math.ceil(window.right));
  const y1 = pyMin(height, Math.ceil(window.bottom));
  const [ax, bx] = [sliceBound(x0, width), sliceBound(x1, width)];
  const [ay, by] = [sliceBound(y0, height), sliceBound(y1, height)];
  let top = Infinity;
  let left = Infinity;
  let last = -1;
  let right = -1;
  for (let y = ay; y < by; y++) {
    for (let x = ax; x < bx; x++) {
      if (data[(y * width + x) * stride + offset] < 128) {
        if (top === Infinity) top = y;
        last = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (last < 0) return WindowMask.boxOf(window); // no hole in the window's box: other holes are not it
  const hh = last - top + 1;
  const hw = right - left + 1;
  const box = new Box(x0 + (left - ax), y0 + (top - ay), hw, hh);
  // Area-average onto at most `cells` x `cells`: cell k spans [k * n // cells_used, (k + 1) * n // ...).
  const rows = Math.min(cells, hh);
  const cols = Math.min(cells, hw);
  const edges = (n, parts) =>
    Array.from({ length: parts + 1 }, (_, k) => (k * n - ((k * n) % parts)) / parts); // k * n // parts
  const ri = edges(hh, rows);
  const ci = edges(hw, cols);
  const cellOf = (bounds, n) => {
    const out = new Int32Array(n);
    for (let k = 0; k + 1 < bounds.length; k++) out.fill(k, bounds[k], bounds[k + 1]);
    return out;
  };
  const rowCell = cellOf(ri, hh);
  const colCell = cellOf(ci, hw);
  const counts = new Float64Array(rows * cols);
  for (let y = 0; y < hh; y++) {
    const base = rowCell[y] * cols;
    for (let x = 0; x < hw; x++) {
      if (data[((top + y) * width + left + x) * stride + offset] < 128) counts[base + colCell[x]] += 1;
    }
  }
  const grid = new Float64Array(rows * cols);
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b < cols; b++) {
      grid[a * cols + b] = counts[a * cols + b] / ((ri[a + 1] - ri[a]) * (ci[b + 1] - ci[b]));
    }
  }
  return WindowMask.ofGrid(grid, rows, cols, box);
}

// --- Placing a face ------------------------------------------------------------------------------------

/** The canvas point the face is pinned to: the middle of its eye line ([x, y]). */
export function anchor(window) {
  const w = asBox(window);
  return [w.cx, w.y + EYE_LINE * w.h];
}

/** Scale and offset the photo so `face` sits in `window` (canvas px) of a `canvas` ([w, h]).
 *
 * Without `photo` ([w, h]), the preferred look, exactly; with it, the placement within the COVER_*
 * tolerances that covers most of the window's shape (`mask`, default its whole box) with the photo's own
 * pixels, the closest to the preferred look among those that cover as much (see cover). */
export function placeFace(face, canvas, window, photo = null, mask = null) {
  const fb = asBox(face.box);
  const win = asBox(window);
  if (fb.w <= 0 || fb.h <= 0) {
    throw new RangeError(`face box must have a positive size, got ${JSON.stringify(fb)}`);
  }
  let scale = pyMin((FACE_SHARE * win.h) / fb.h, (MAX_FACE_WIDTH * win.w) / fb.w);
  let eyeY = face.eyeY ?? fb.y + EYE_POSITION * fb.h;
  // A landmark far outside the usual band (an odd detection) must not push the face out of the window.
  eyeY = pyMin(pyMax(eyeY, fb.y + 0.2 * fb.h), fb.y + 0.6 * fb.h);
  let [ax, ay] = anchor(win);
  if (photo != null) [scale, ax, ay] = cover(fb, eyeY, scale, win, photo, mask ?? WindowMask.boxOf(win));
  const crop = new Box(fb.cx - ax / scale, eyeY - ay / scale, canvas[0] / scale, canvas[1] / scale);
  return new Placement(scale, crop);
}

/** The [scale, face centre x, eye line y] on the canvas that covers most of `mask` with the photo, within
 * the COVER_* tolerances around the preferred look; among those that cover as much, the closest to it.
 *
 * The same searches as framer.geometry.cover, point for point: 257 scales, then 257 around the best, when
 * some placement covers the whole shape; otherwise 13 x 9 x 9 placements, then a pattern search that
 * halves its steps. A shorter search would be as good a placement, but not the same one. */
export function cover(fb, eyeY, scale, window, photo, mask) {
  const [pw, ph] = photo;
  const [fx0, fy0] = anchor(window);
  const loS = pyMin(scale, (COVER_FACE_SHARE[0] * window.h) / fb.h);
  const largest = pyMin((COVER_FACE_SHARE[1] * window.h) / fb.h, (COVER_FACE_WIDTH * window.w) / fb.w);
  const hiS = pyMax(scale, largest);
  const loX = fx0 - COVER_SHIFT * window.w;
  const hiX = fx0 + COVER_SHIFT * window.w;
  const loY = window.y + COVER_EYE_LINE[0] * window.h;
  const hiY = window.y + COVER_EYE_LINE[1] * window.h;
  const fcx = fb.cx;

  // Each move away from the preferred look as a share of its tolerance on that side.
  const side = (d, below, above) => (d < 0 ? d / pyMax(below, 1e-12) : d / pyMax(above, 1e-12));
  const cost = (s, fx, fy) => {
    const a = side(s - scale, scale - loS, hiS - scale);
    const b = side(fx - fx0, fx0 - loX, hiX - fx0);
    const c = side(fy - fy0, fy0 - loY, hiY - fy0);
    return a * a + b * b + c * c;
  };
  const share = (s, fx, fy) => {
    const x0 = fx - fcx * s;
    const y0 = fy - eyeY * s;
    return mask.covered(x0, y0, x0 + pw * s, y0 + ph * s);
  };

  if (share(scale, fx0, fy0) >= 1 - 1e-9) return [scale, fx0, fy0];

  // Covering the whole shape is containing its bounding box: at a given scale, the closest covering
  // placement is the preferred position clamped into an interval on each axis.
  const b = mask.box;
  const full = (grid) => {
    const n = grid.length;
    const fx = new Float64Array(n);
    const fy = new Float64Array(n);
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = grid[i];
      const xa = npMaximum(b.right - (pw - fcx) * s, loX);
      const xb = npMinimum(b.x + fcx * s, hiX);
      const ya = npMaximum(b.bottom - (ph - eyeY) * s, loY);
      const yb = npMinimum(b.y + eyeY * s, hiY);
      fx[i] = clip(fx0, xa, xb);
      fy[i] = clip(fy0, ya, yb);
      c[i] = xa <= xb && ya <= yb ? cost(s, fx[i], fy[i]) : Infinity;
    }
    return [fx, fy, c];
  };
  const grid = linspace(loS, hiS, 257);
  let [fx, fy, c] = full(grid);
  let lowest = c[argmin(c)]; // c.min(), NaN included
  if (Number.isFinite(lowest)) {
    let k = argmin(c);
    const fine = linspace(grid[Math.max(k - 1, 0)], grid[Math.min(k + 1, grid.length - 1)], 257);
    [fx, fy, c] = full(fine);
    k = argmin(c);
    return [fine[k], fx[k], fy[k]];
  }

  // The photo cannot cover the shape: cover as much as the tolerances allow; ties go to the closer one.
  const S = linspace(loS, hiS, 13);
  const X = linspace(loX, hiX, 9);
  const Y = linspace(loY, hiY, 9);
  const n = S.length * X.length * Y.length;
  const got = new Float64Array(n);
  c = new Float64Array(n);
  const at = []; // np.meshgrid(..., indexing="ij").ravel(): the eye line varies fastest
  let m = 0;
  for (const s of S) {
    for (const x of X) {
      for (const y of Y) {
        at.push([s, x, y]);
        got[m] = share(s, x, y);
        c[m] = cost(s, x, y);
        m++;
      }
    }
  }
  let k = lexFirst(got, c);
  let best = at[k];
  const lo = [loS, loX, loY];
  const hi = [hiS, hiX, hiY];
  let step = [0, 1, 2].map((j) => (hi[j] - lo[j]) / 12);
  let bestKey = [got[k], -c[k]];
  const mGot = new Float64Array(6);
  const mCost = new Float64Array(6);
  for (let round = 0; round < 16; round++) {
    // best + vstack([diag(step), -diag(step)]), clipped into the box: one coordinate moved at a time.
    const moves = [];
    for (let r = 0; r < 6; r++) {
      const sign = r < 3 ? 1 : -1;
      const move = best.map((v, j) => clip(v + (j === r % 3 ? sign * step[j] : sign * 0), lo[j], hi[j]));
      moves.push(move);
      mGot[r] = share(...move);
      mCost[r] = cost(...move);
    }
    k = lexFirst(mGot, mCost);
    const key = [mGot[k], -mCost[k]];
    // Python's tuple comparison: (got, -cost) > best_key.
    if (key[0] === bestKey[0] ? key[1] > bestKey[1] : key[0] > bestKey[0]) {
      best = moves[k];
      bestKey = key;
    } else {
      step = step.map((v) => v / 2);
    }
  }
  return [best[0], best[1], best[2]];
}

/** A person's correction: enlarge by `zoom` about the anchor, then move the photo right/down by `shift`
 * ([dx, dy], fractions of the window's width and height). */
export function nudge(placement, window, zoom = 1.0, shift = [0.0, 0.0]) {
  if (zoom <= 0) throw new RangeError(`zoom must be positive, got ${zoom}`);
  const win = asBox(window);
  const [ax, ay] = anchor(win);
  const s = placement.scale;
  const c = placement.crop;
  // The photo point under the anchor stays under it while zooming.
  const px = c.x + ax / s;
  const py = c.y + ay / s;
  const s2 = s * zoom;
  const x = px - ax / s2 - (shift[0] * win.w) / s2;
  const y = py - ay / s2 - (shift[1] * win.h) / s2;
  return new Placement(s2, new Box(x, y, c.w / zoom, c.h / zoom));
}

/** When no face was found: the widest top-centre crop with the canvas's shape (heads are in the upper
 * part of portraits; at the very top of landscape photos). */
export function placeWithoutFace(photo, canvas) {
  const [pw, ph] = photo;
  const aspect = canvas[0] / canvas[1];
  const w = pyMin(pw, ph * aspect);
  const h = w / aspect;
  return new Placement(canvas[0] / w, new Box((pw - w) / 2, (ph - h) * 0.25, w, h));
}

// --- The pipeline's decisions -----------------------------------------------------------------------------

/** Faces largest first, as framer's detector orders them: by box area, faces of equal area in the order
 * found (face numbers the person sees and --face takes are positions in this order). */
export function sortFaces(faces) {
  return faces
    .map((face, i) => [face, i])
    .sort(([a, i], [b, j]) => b.box.w * b.box.h - a.box.w * a.box.h || i - j)
    .map(([face]) => face);
}

/** The Adjust framer takes ({zoom, shift: [dx, dy], face: 0 = the largest}) from the page's values (face
 * 1 = the largest, zoom, dx, dy), refused outside the ranges the server refuses (PlacementError). */
export function adjustOf({ face = 1, zoom = 1.0, dx = 0.0, dy = 0.0 } = {}) {
  const within = (name, value, [low, high]) => {
    if (!(low <= value && value <= high)) throw new PlacementError("bad_number", { name, low, high });
    return value;
  };
  if (!Number.isInteger(face) || face < 1) throw new PlacementError("bad_face", {});
  return {
    zoom: within("zoom", zoom, ZOOM_LIMITS),
    shift: [within("dx", dx, SHIFT_LIMITS), within("dy", dy, SHIFT_LIMITS)],
    face: face - 1,
  };
}

const sameFace = (a, b) =>
  a.box.x === b.box.x &&
  a.box.y === b.box.y &&
  a.box.w === b.box.w &&
  a.box.h === b.box.h &&
  (a.eyeY ?? null) === (b.eyeY ?? null) &&
  (a.mouthY ?? null) === (b.mouthY ?? null) &&
  (a.score ?? 1) === (b.score ?? 1);

/** Where the photo goes, as framer.pipeline.plan_photo: `faces` largest first (sortFaces), in the pixels
 * of a photo of size `photo`; `frame` {size, window, mask}; `adjust` {zoom, shift, face}.
 *
 * To match `framer apply` to the pixel, give it the photo as framer decodes it: a large JPEG is decoded
 * reduced (1/2, 1/4, 1/8, its shorter side at least the frame's longer one), the size and faces of that
 * copy, and pass the reduction to finish. Returns {faces, face, faceNumber (1 = the largest, null),
 * placement}; PlacementError face_none / face_beyond for a face asked for that is not there. */
export function planPhoto(faces, photo, frame, adjust = { zoom: 1.0, shift: [0.0, 0.0], face: 0 }) {
  const { zoom = 1.0, shift = [0.0, 0.0], face: index = 0 } = adjust;
  if (index >= Math.max(faces.length, 1)) {
    if (faces.length === 0) throw new PlacementError("face_none", { n: index + 1 });
    throw new PlacementError("face_beyond", { n: index + 1, found: faces.length });
  }
  if (faces.length === 0) {
    const placement = placeWithoutFace(photo, frame.size);
    return { faces, face: null, faceNumber: null, placement: nudge(placement, frame.window, zoom, shift) };
  }
  const face = faces.at(index);
  if (face === undefined) throw new RangeError(`no face ${index}`);
  const placement = placeFace(face, frame.size, frame.window, photo, frame.mask);
  // Plan.face_number is faces.index(face) + 1: the first face equal to it, as Python compares faces.
  const faceNumber = faces.findIndex((f) => sameFace(f, face)) + 1;
  return { faces, face, faceNumber, placement: nudge(placement, frame.window, zoom, shift) };
}

/** What framer.pipeline.finish decides besides the pixels: the placement in full-resolution px
 * (`reduction`: full px per px of the photo planned on), the warnings (several faces, no face, low
 * resolution, edges filled) and the share of the window's shape invented past the photo's edges
 * (rounded to three decimals, as framer reports it). */
export function finish(plan, frame, photo, reduction = 1.0) {
  const p = plan.placement;
  const full = new Placement(p.scale / reduction, p.crop.scaled(reduction));
  const warnings = [];
  if (plan.faces.length > 1) warnings.push(SEVERAL_FACES);
  if (plan.face == null) warnings.push(NO_FACE);
  else if (full.isSoft) warnings.push(LOW_RESOLUTION);
  const invented = frame.mask.invented(p, photo);
  // Enough of the fill shows through the window to notice.
  if (invented > EDGES_FILLED_ABOVE) warnings.push(EDGES_FILLED);
  return {
    placement: full,
    warnings,
    faces: plan.faces.length,
    faceNumber: plan.faceNumber,
    invented: round3(invented),
  };
}

/** planPhoto then finish: the decisions of `framer apply` for one photo. */
export function framePhoto(faces, photo, frame, adjust, reduction = 1.0) {
  return finish(planPhoto(faces, photo, frame, adjust), frame, photo, reduction);
}
