// The framed picture, made in the browser as framer.compose makes it on a server: the photo drawn through
// its placement, the part of the canvas the photo does not reach filled from the photo itself (mirrored at
// its edge, blurred more the farther out, a wash of its edge colours far out: framer.compose._extend),
// then the frame laid over it.
//
//   import { renderPortrait, frameOver } from "./render.js";
//   const canvas = renderPortrait(photo, placement, [W, H]);   // photo: ImageBitmap/canvas/image, upright
//   frameOver(canvas, frameImage);                              // the frame's RGBA image at [W, H]
//
// A placement is framer.geometry.Placement: { scale, crop: [x, y, w, h] } (crop in photo px). Pure canvas
// and typed arrays: nothing is sent anywhere.

const BLUR_LEVELS = [0.0, 0.008, 0.05]; // framer.compose.BLUR_LEVELS: sigma as a share of the canvas
const BLUR_AT = [0.0, 0.012, 0.05]; // framer.compose.BLUR_AT: distance where each level is reached
const FILL_DETAIL = 120; // framer.compose.FILL_DETAIL: the blurs are made on a copy about this wide

function canvasOf(w, h) {
  const c = typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(w, h) : document.createElement("canvas");
  c.width = w;
  c.height = h;
  return c;
}

function context(c) {
  const g = c.getContext("2d", { willReadFrequently: true });
  g.imageSmoothingEnabled = true;
  g.imageSmoothingQuality = "high";
  return g;
}

function sizeOf(image) {
  return [image.naturalWidth || image.videoWidth || image.width, image.naturalHeight || image.videoHeight || image.height];
}

/** The canvas (`size` = [W, H]) showing `photo` through `placement`, with the fill where it does not reach. */
export function renderPortrait(photo, placement, size) {
  const [pw, ph] = sizeOf(photo);
  const [cw, ch] = size;
  const s = placement.scale;
  const [cx, cy, cwid, chei] = placement.crop;
  const x0 = Math.max(cx, 0);
  const y0 = Math.max(cy, 0);
  const x1 = Math.min(cx + cwid, pw);
  const y1 = Math.min(cy + chei, ph);
  const out = canvasOf(cw, ch);
  const g = context(out);
  if (x1 <= x0 || y1 <= y0) return wash(photo, out);
  const px0 = Math.floor(x0);
  const py0 = Math.floor(y0);
  const px1 = Math.ceil(x1);
  const py1 = Math.ceil(y1);
  const qx0 = Math.round((px0 - cx) * s);
  const qy0 = Math.round((py0 - cy) * s);
  const qx1 = Math.round((px1 - cx) * s);
  const qy1 = Math.round((py1 - cy) * s);
  g.drawImage(photo, px0, py0, px1 - px0, py1 - py0, qx0, qy0, Math.max(1, qx1 - qx0), Math.max(1, qy1 - qy0));
  const rect = [Math.max(qx0, 0), Math.max(qy0, 0), Math.min(qx1, cw), Math.min(qy1, ch)];
  if (rect[2] <= rect[0] || rect[3] <= rect[1]) return wash(photo, out);
  if (rect[0] === 0 && rect[1] === 0 && rect[2] === cw && rect[3] === ch) return out;
  extend(g, rect, cw, ch);
  return out;
}

/** Lay the frame (its RGBA image, drawn at the canvas's size) over `canvas`. */
export function frameOver(canvas, frameImage) {
  context(canvas).drawImage(frameImage, 0, 0, canvas.width, canvas.height);
  return canvas;
}

// BORDER_REFLECT (OpenCV): fedcba|abcdefgh|hgfedcb, repeated with a period of twice the length.
function reflect(i, lo, hi) {
  const n = hi - lo;
  const period = 2 * n;
  let k = (i - lo) % period;
  if (k < 0) k += period;
  return lo + (k < n ? k : period - 1 - k);
}

// framer.compose._extend: the margins outside `rect` (x0, y0, x1, y1) made from the photo inside it.
function extend(g, rect, cw, ch) {
  const [x0, y0, x1, y1] = rect;
  const image = g.getImageData(0, 0, cw, ch);
  const px = image.data;
  const rx = new Int32Array(cw);
  const ry = new Int32Array(ch);
  for (let x = 0; x < cw; x++) rx[x] = reflect(x, x0, x1);
  for (let y = 0; y < ch; y++) ry[y] = reflect(y, y0, y1);
  for (let y = 0; y < ch; y++) {
    const inside = y >= y0 && y < y1;
    for (let x = 0; x < cw; x++) {
      if (inside && x >= x0 && x < x1) continue;
      const d = (y * cw + x) * 4;
      const s = (ry[y] * cw + rx[x]) * 4;
      px[d] = px[s];
      px[d + 1] = px[s + 1];
      px[d + 2] = px[s + 2];
      px[d + 3] = 255;
    }
  }
  // The blurs, on a small copy (blurs that wide need no more detail), enlarged; the widest is of the
  // photo's edge carried straight out, not mirrored (a mirror far out shows ghosts of an ear or a shoulder).
  const side = Math.max(cw, ch);
  const k = Math.max(1, Math.floor(side / FILL_DETAIL));
  const tw = Math.max(1, Math.floor(cw / k));
  const th = Math.max(1, Math.floor(ch / k));
  const tiny = shrink(px, cw, ch, k, tw, th);
  const tx0 = Math.min(Math.round(x0 / k), tw - 1);
  const ty0 = Math.min(Math.round(y0 / k), th - 1);
  const tx1 = Math.min(Math.max(Math.round(x1 / k), tx0 + 1), tw);
  const ty1 = Math.min(Math.max(Math.round(y1 / k), ty0 + 1), th);
  const carried = new Float32Array(tw * th * 3);
  for (let y = 0; y < th; y++) {
    const sy = Math.min(Math.max(y, ty0), ty1 - 1);
    for (let x = 0; x < tw; x++) {
      const sx = Math.min(Math.max(x, tx0), tx1 - 1);
      for (let c = 0; c < 3; c++) carried[(y * tw + x) * 3 + c] = tiny[(sy * tw + sx) * 3 + c];
    }
  }
  const levels = [null];
  for (let i = 1; i < BLUR_LEVELS.length; i++) {
    const source = i === BLUR_LEVELS.length - 1 ? carried : tiny;
    const blurred = gaussian(source, tw, th, Math.max(0.5, (BLUR_LEVELS[i] * side) / k));
    levels.push(enlarge(blurred, tw, th, cw, ch));
  }
  // Only the margins outside the photo change; the photo's own pixels are left as they are.
  for (let y = 0; y < ch; y++) {
    const dy = Math.max(y0 - 0.5 - y, y + 0.5 - y1, 0) / side;
    const inside = y >= y0 && y < y1;
    for (let x = 0; x < cw; x++) {
      if (inside && x >= x0 && x < x1) continue;
      const dx = Math.max(x0 - 0.5 - x, x + 0.5 - x1, 0) / side;
      const t = interp(Math.hypot(dx, dy), BLUR_AT);
      const d = (y * cw + x) * 4;
      const e = (y * cw + x) * 3;
      for (let c = 0; c < 3; c++) {
        let v = px[d + c];
        for (let i = 1; i < levels.length; i++) {
          const w = Math.min(Math.max(t - (i - 1), 0), 1);
          if (w > 0) v += (levels[i][e + c] - v) * w;
        }
        px[d + c] = v; // a Uint8ClampedArray rounds to the nearest, as framer's + 0.5 does
      }
    }
  }
  g.putImageData(image, 0, 0);
}

// np.interp(d, at, [0, 1, 2, ...]): the position along the levels.
function interp(d, at) {
  if (d <= at[0]) return 0;
  for (let i = 1; i < at.length; i++) {
    if (d <= at[i]) return i - 1 + (d - at[i - 1]) / (at[i] - at[i - 1]);
  }
  return at.length - 1;
}

// An area-average reduction by the whole factor `k` (OpenCV's INTER_AREA), to tw x th, RGB floats.
function shrink(px, w, h, k, tw, th) {
  const out = new Float32Array(tw * th * 3);
  const n = k * k;
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      let r = 0;
      let gr = 0;
      let b = 0;
      for (let y = ty * k; y < Math.min((ty + 1) * k, h); y++) {
        for (let x = tx * k; x < Math.min((tx + 1) * k, w); x++) {
          const i = (y * w + x) * 4;
          r += px[i];
          gr += px[i + 1];
          b += px[i + 2];
        }
      }
      const o = (ty * tw + tx) * 3;
      out[o] = r / n;
      out[o + 1] = gr / n;
      out[o + 2] = b / n;
    }
  }
  return out;
}

// A separable Gaussian blur of an RGB float image, with reflected borders (OpenCV's BORDER_REFLECT_101).
function gaussian(src, w, h, sigma) {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    kernel[i + radius] = Math.exp((-i * i) / (2 * sigma * sigma));
    sum += kernel[i + radius];
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  const at = (i, n) => {
    if (n === 1) return 0;
    const period = 2 * n - 2;
    let k = Math.abs(i) % period;
    return k < n ? k : period - k;
  };
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let i = -radius; i <= radius; i++) v += kernel[i + radius] * src[(y * w + at(x + i, w)) * 3 + c];
        tmp[(y * w + x) * 3 + c] = v;
      }
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let i = -radius; i <= radius; i++) v += kernel[i + radius] * tmp[(at(y + i, h) * w + x) * 3 + c];
        out[(y * w + x) * 3 + c] = v;
      }
    }
  }
  return out;
}

// Bilinear enlargement to cw x ch with OpenCV's pixel-centre convention (INTER_LINEAR).
function enlarge(src, w, h, cw, ch) {
  const out = new Float32Array(cw * ch * 3);
  const fx = w / cw;
  const fy = h / ch;
  for (let y = 0; y < ch; y++) {
    const sy = Math.min(Math.max((y + 0.5) * fy - 0.5, 0), h - 1);
    const ya = Math.floor(sy);
    const yb = Math.min(ya + 1, h - 1);
    const wy = sy - ya;
    for (let x = 0; x < cw; x++) {
      const sx = Math.min(Math.max((x + 0.5) * fx - 0.5, 0), w - 1);
      const xa = Math.floor(sx);
      const xb = Math.min(xa + 1, w - 1);
      const wx = sx - xa;
      for (let c = 0; c < 3; c++) {
        const top = src[(ya * w + xa) * 3 + c] * (1 - wx) + src[(ya * w + xb) * 3 + c] * wx;
        const bottom = src[(yb * w + xa) * 3 + c] * (1 - wx) + src[(yb * w + xb) * 3 + c] * wx;
        out[(y * cw + x) * 3 + c] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}

// framer.compose._wash: nothing of the photo but its colours, blurred (a photo nudged wholly off the canvas).
function wash(photo, out) {
  const tiny = canvasOf(8, 8);
  const t = context(tiny);
  t.drawImage(photo, 0, 0, 8, 8);
  const g = context(out);
  g.filter = "blur(2px)";
  g.drawImage(tiny, 0, 0, out.width, out.height);
  g.filter = "none";
  return out;
}
