// Face detection on the phone: framer.detect.FaceDetector in the browser, with the same YuNet model.
//
// The model runs in ONNX Runtime Web's plain WebAssembly backend, single-threaded (a static host sends
// no COOP/COEP headers, so there is no SharedArrayBuffer), from the files vendored beside this module
// (vendor/onnxruntime-web, fetched by scripts/vendor_onnxruntime.py): nothing is loaded from elsewhere.
// The page's Content-Security-Policy needs 'wasm-unsafe-eval' in script-src for it.
//
// Everything around the model mirrors the Python, so both find the same faces:
//   - the looks: 320 px first, trusted when its largest face is PROMINENT; else 640, then 960 in a photo
//     bigger than that (FaceDetector.__call__), each copy sized as detect_at sizes it;
//   - the copy: framer.compose.resize(..., fine=False), OpenCV's INTER_AREA by the largest whole factor,
//     then INTER_LINEAR (INTER_CUBIC to enlarge), ported with OpenCV's arithmetic (`reduce`: the same
//     levels when shrinking, at most one level apart when enlarging);
//   - cv2.FaceDetectorYN's pre- and post-processing (OpenCV's modules/objdetect/src/face_detect.cpp):
//     BGR, padded with black to a multiple of 32, the three strides decoded, score = sqrt(cls * obj),
//     cv::dnn::NMSBoxes on whole-pixel boxes (modules/dnn/src/nms.inl.hpp);
//   - detect_at's filtering and scaling back, faces largest first.
// The model file is framer's own, fetched from `modelUrl`; its declared 640 x 640 input is made free
// as it is loaded (`freeInputSize`), as OpenCV sets the input size for each copy.

export const SETTINGS = Object.freeze({
  detectSize: 640, // framer.detect.DETECT_SIZE
  scoreThreshold: 0.7, // SCORE_THRESHOLD
  nmsThreshold: 0.3, // NMS_THRESHOLD
  quickSize: 320, // QUICK_SIZE
  fineSize: 960, // FINE_SIZE
  minFacePx: 10, // MIN_FACE_PX
  prominent: 0.15, // PROMINENT
  topK: 5000, // the top_k FaceDetector creates YuNet with
});

// Safari on an iPhone refuses a canvas of more than 4096 x 4096 px, and a 48 MP photo's pixels take 192 MB:
// a photo bigger than this is decoded reduced (the face is found and placed as well at 16 MP).
export const MAX_DECODE_PIXELS = 4096 * 4096;

const VENDOR = new URL("./vendor/onnxruntime-web/", import.meta.url);
const WASM = "ort-wasm-simd-threaded.wasm";
const STRIDES = [8, 16, 32];
const DIVISOR = 32; // YuNet's input is padded to a multiple of its largest stride
const WHITE = 255; // framer.colour.PAPER_WHITE: what transparent areas of a photo become

/** A detector, built once: `detect(pixels)` gives the faces in RGBA pixels ({data, width, height}), largest
 * first, as {x, y, w, h, eyeY, mouthY, score} in those pixels; `detectAt(pixels, longSide)` one look, as
 * FaceDetector.detect_at. `modelUrl`: the YuNet file; `wasmPaths`: the folder of ONNX Runtime's files. */
export async function createDetector({ modelUrl, wasmPaths = VENDOR } = {}) {
  const ort = await import("./vendor/onnxruntime-web/ort.wasm.bundle.min.mjs");
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  // The WebAssembly file by itself: the bundle has its Emscripten loader built in (a folder given as
  // wasmPaths would make it fetch a separate loader module).
  const folder = new URL(wasmPaths, globalThis.location.href);
  if (!folder.pathname.endsWith("/")) folder.pathname += "/";
  ort.env.wasm.wasmPaths = { wasm: new URL(WASM, folder).href };
  const response = await fetch(modelUrl);
  if (!response.ok) throw new Error(`the face model could not be loaded (${response.status})`);
  const model = freeInputSize(new Uint8Array(await response.arrayBuffer()));
  const session = await ort.InferenceSession.create(model, { executionProviders: ["wasm"] });
  let queue = Promise.resolve(); // one run at a time: the session is not re-entrant
  const run = (feeds) => {
    const result = queue.then(() => session.run(feeds));
    queue = result.catch(() => undefined);
    return result;
  };

  async function detectAt(pixels, longSide) {
    const { width: w, height: h } = pixels;
    const s = longSide / Math.max(w, h);
    const sw = Math.max(1, roundHalfEven(w * s));
    const sh = Math.max(1, roundHalfEven(h * s));
    if (Math.min(sw, sh) < SETTINGS.minFacePx) return []; // a sliver: no face fits, YuNet returns garbage
    const small = resizeRGB(pixels, sw, sh);
    const padW = Math.ceil(sw / DIVISOR) * DIVISOR;
    const padH = Math.ceil(sh / DIVISOR) * DIVISOR;
    const input = new ort.Tensor("float32", blob(small, sw, sh, padW, padH), [1, 3, padH, padW]);
    const outputs = await run({ input });
    const found = postProcess(outputs, padW, padH);
    const sx = w / sw;
    const sy = h / sh;
    const faces = [];
    for (const row of found) {
      if (!row.every(Number.isFinite) || row[2] < SETTINGS.minFacePx / 2 || row[3] < SETTINGS.minFacePx / 2) {
        continue;
      }
      const cx = row[0] + row[2] / 2;
      const cy = row[1] + row[3] / 2;
      if (!(cx >= 0 && cx <= sw && cy >= 0 && cy <= sh)) continue; // centred off the picture: garbage, never a face
      // landmarks: right eye, left eye, nose tip, mouth right, mouth left (x, y pairs)
      faces.push({
        x: row[0] * sx,
        y: row[1] * sy,
        w: row[2] * sx,
        h: row[3] * sy,
        eyeY: ((row[5] + row[7]) / 2) * sy,
        mouthY: ((row[11] + row[13]) / 2) * sy,
        score: row[14],
      });
    }
    return faces.sort((a, b) => b.w * b.h - a.w * a.h); // stable, as Python's sort
  }

  async function detect(pixels) {
    const longest = Math.max(pixels.width, pixels.height);
    const quick = await detectAt(pixels, SETTINGS.quickSize);
    if (quick.length && quick[0].h >= SETTINGS.prominent * longest) return quick;
    let faces = await detectAt(pixels, SETTINGS.detectSize);
    if (!faces.length && longest > SETTINGS.fineSize) faces = await detectAt(pixels, SETTINGS.fineSize);
    return faces;
  }

  return { detect, detectAt, release: () => session.release() };
}

/** The photo in `blob` decoded upright (EXIF orientation applied), reduced as it is decoded when it has more
 * than `maxPixels`: {bitmap, width, height, scale} where scale is decoded px per original px. */
export async function decodePhoto(blob, maxPixels = MAX_DECODE_PIXELS) {
  const upright = { imageOrientation: "from-image" };
  const { width, height } = await uprightSize(blob);
  if (width * height <= maxPixels) {
    const bitmap = await createImageBitmap(blob, upright);
    return { bitmap, width: bitmap.width, height: bitmap.height, scale: 1 };
  }
  const scale = Math.sqrt(maxPixels / (width * height));
  const w = Math.max(1, Math.floor(width * scale));
  const h = Math.max(1, Math.floor(height * scale));
  const reduced = { ...upright, resizeWidth: w, resizeHeight: h, resizeQuality: "high" };
  const bitmap = await createImageBitmap(blob, reduced);
  return { bitmap, width: bitmap.width, height: bitmap.height, scale: bitmap.width / width };
}

/** The photo's upright size read by an <img> (which reads the header and the EXIF orientation, and does
 * not decode the pixels until it is shown): so a huge photo is never decoded in full to learn its size. */
function uprightSize(blob) {
  const url = URL.createObjectURL(blob);
  const img = new Image();
  return new Promise((resolve, reject) => {
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new Error("the photo could not be decoded"));
    img.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}

/** `pixels` (RGBA) resized to `width` x `height` as framer.compose.resize(..., fine=False) resizes RGB:
 * RGBA, opaque (transparent areas laid on white first, as framer.colour does). */
export function reduce(pixels, width, height) {
  const rgb = resizeRGB(pixels, width, height);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i];
    out[j + 1] = rgb[i + 1];
    out[j + 2] = rgb[i + 2];
    out[j + 3] = 255;
  }
  return { data: out, width, height };
}

// ---- the copy the model sees: framer.compose.resize(fine=False), OpenCV's 8-bit arithmetic -----------

const COEF_BITS = 11; // OpenCV's INTER_RESIZE_COEF_BITS: interpolation weights in 1/2048
const ONE = 1 << COEF_BITS;

/** Packed RGB (Uint8Array) of `pixels` resized to w x h: shrunk by the largest whole factor with area
 * averaging (after trimming the right and bottom to a multiple of it), the rest bilinear; or bicubic. */
function resizeRGB(pixels, w, h) {
  const { width: sw, height: sh } = pixels;
  if (w > sw || h > sh) return cubic(rgbOf(pixels), sw, sh, w, h);
  const k = Math.min(Math.floor(sw / w), Math.floor(sh / h));
  const image = k >= 2 ? areaFast(pixels, k) : { data: rgbOf(pixels), width: sw, height: sh };
  if (image.width === w && image.height === h) return image.data;
  return linear(image.data, image.width, image.height, w, h);
}

/** A channel of an RGBA pixel laid on white when not opaque (as framer.colour.to_rgb). */
function over(c, a) {
  return a === 255 ? c : Math.round((c * a + WHITE * (255 - a)) / 255);
}

function rgbOf({ data, width, height }) {
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < out.length; i += 4, j += 3) {
    const a = data[i + 3];
    out[j] = over(data[i], a);
    out[j + 1] = over(data[i + 1], a);
    out[j + 2] = over(data[i + 2], a);
  }
  return out;
}

/** cv2.resize(INTER_AREA) by a whole factor k (OpenCV's resizeAreaFast): the mean of each k x k block,
 * (sum + 2) >> 2 for k = 2, else rounded to even in float32; read straight from the RGBA pixels. */
function areaFast({ data, width: sw, height: sh }, k) {
  const dw = Math.floor(sw / k);
  const dh = Math.floor(sh / k);
  const out = new Uint8Array(dw * dh * 3);
  const sums = new Int32Array(dw * 3);
  const inverse = Math.fround(1 / (k * k));
  for (let dy = 0; dy < dh; dy++) {
    sums.fill(0);
    for (let y = dy * k; y < dy * k + k; y++) {
      let i = y * sw * 4;
      for (let o = 0; o < sums.length; o += 3) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let x = 0; x < k; x++, i += 4) {
          const a = data[i + 3];
          if (a === 255) {
            r += data[i];
            g += data[i + 1];
            b += data[i + 2];
          } else {
            r += over(data[i], a);
            g += over(data[i + 1], a);
            b += over(data[i + 2], a);
          }
        }
        sums[o] += r;
        sums[o + 1] += g;
        sums[o + 2] += b;
      }
    }
    const row = dy * dw * 3;
    for (let o = 0; o < sums.length; o++) {
      out[row + o] = k === 2 ? (sums[o] + 2) >> 2 : roundHalfEven(Math.fround(sums[o] * inverse));
    }
  }
  return { data: out, width: dw, height: dh };
}

/** Source positions and weights along one axis, as cv::resize computes them: for INTER_LINEAR (2 taps,
 * positions clamped to the image) in 1/2048, for INTER_CUBIC (4 taps, A = -0.75) in float32. */
function axis(src, dst, taps) {
  const scale = 1 / (dst / src); // OpenCV's scale_x = 1 / inv_scale_x, in double
  const start = new Int32Array(dst);
  const weights = taps === 2 ? new Int32Array(dst * 2) : new Float32Array(dst * 4);
  for (let d = 0; d < dst; d++) {
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = Math.fround(f - s);
    start[d] = s;
    if (taps === 2) {
      if (s < 0) (f = 0), (start[d] = 0);
      if (s >= src - 1) (f = 0), (start[d] = src - 1);
      weights[d * 2] = roundHalfEven(Math.fround(1 - f) * ONE);
      weights[d * 2 + 1] = roundHalfEven(f * ONE);
    } else {
      weights.set(cubicCoefficients(f), d * 4);
    }
  }
  return { start, weights };
}

/** OpenCV's interpolateCubic (A = -0.75), in float32. */
function cubicCoefficients(x) {
  const f = Math.fround;
  const A = -0.75;
  const x1 = f(x + 1);
  const c0 = f(f(f(f(f(f(A * x1) - f(5 * A)) * x1) + f(8 * A)) * x1) - f(4 * A));
  const c1 = f(f(f(f(f((A + 2) * x) - (A + 3)) * x) * x) + 1);
  const y = f(1 - x);
  const c2 = f(f(f(f(f((A + 2) * y) - (A + 3)) * y) * y) + 1);
  const c3 = f(f(f(1 - c0) - c1) - c2);
  return [c0, c1, c2, c3];
}

/** cv2.resize(INTER_LINEAR) of packed RGB: horizontal sums in 1/2048, then the vertical pass as OpenCV's
 * SIMD loop computes it (each product >> 16 after a >> 4, then a rounding >> 2). */
function linear(src, sw, sh, w, h) {
  const xs = axis(sw, w, 2);
  const ys = axis(sh, h, 2);
  const out = new Uint8Array(w * h * 3);
  const rows = [new Int32Array(w * 3), new Int32Array(w * 3)];
  for (let dy = 0; dy < h; dy++) {
    for (let t = 0; t < 2; t++) {
      const sy = Math.min(Math.max(ys.start[dy] + t, 0), sh - 1);
      const row = rows[t];
      const base = sy * sw * 3;
      for (let dx = 0; dx < w; dx++) {
        const sx = xs.start[dx];
        const a0 = xs.weights[dx * 2];
        const a1 = xs.weights[dx * 2 + 1];
        const p = base + sx * 3;
        const q = sx + 1 < sw ? p + 3 : p; // a1 is 0 there
        for (let c = 0; c < 3; c++) row[dx * 3 + c] = src[p + c] * a0 + src[q + c] * a1;
      }
    }
    const b0 = ys.weights[dy * 2];
    const b1 = ys.weights[dy * 2 + 1];
    const o = dy * w * 3;
    for (let x = 0; x < w * 3; x++) {
      const v = (((rows[0][x] >> 4) * b0) >> 16) + (((rows[1][x] >> 4) * b1) >> 16);
      out[o + x] = clamp8((v + 2) >> 2);
    }
  }
  return out;
}

/** cv2.resize(INTER_CUBIC) of packed RGB (enlarging a small photo): 4 x 4 taps, edges replicated, in float32
 * then rounded, as the Intel IPP build of OpenCV that pip installs computes it (OpenCV's own code works
 * in 1/2048 and differs from it by one level in about 4 % of the values). */
function cubic(src, sw, sh, w, h) {
  const f = Math.fround;
  const xs = axis(sw, w, 4);
  const ys = axis(sh, h, 4);
  const out = new Uint8Array(w * h * 3);
  const taps = new Int32Array(w * 4); // each output column's four source columns, edges replicated
  for (let i = 0; i < taps.length; i++) {
    taps[i] = 3 * Math.min(Math.max(xs.start[i >> 2] - 1 + (i & 3), 0), sw - 1);
  }
  const a = xs.weights;
  // The horizontal pass of a source row, kept while the next output rows still use it (as OpenCV does).
  const cache = new Map();
  const horizontal = (sy) => {
    let row = cache.get(sy);
    if (row) return row;
    row = new Float32Array(w * 3);
    const base = sy * sw * 3;
    for (let dx = 0, j = 0; dx < w; dx++, j += 4) {
      for (let c = 0; c < 3; c++) {
        const p = base + c;
        const v0 = f(src[p + taps[j]] * a[j]);
        const v1 = f(v0 + f(src[p + taps[j + 1]] * a[j + 1]));
        const v2 = f(v1 + f(src[p + taps[j + 2]] * a[j + 2]));
        row[dx * 3 + c] = v2 + f(src[p + taps[j + 3]] * a[j + 3]);
      }
    }
    cache.set(sy, row);
    return row;
  };
  for (let dy = 0; dy < h; dy++) {
    const first = ys.start[dy] - 1;
    for (const sy of cache.keys()) if (sy < Math.max(first, 0)) cache.delete(sy);
    const rows = [0, 1, 2, 3].map((t) => horizontal(Math.min(Math.max(first + t, 0), sh - 1)));
    const b = ys.weights.subarray(dy * 4, dy * 4 + 4);
    const [r0, r1, r2, r3] = rows;
    const o = dy * w * 3;
    for (let x = 0; x < w * 3; x++) {
      const v = f(f(f(f(r0[x] * b[0]) + f(r1[x] * b[1])) + f(r2[x] * b[2])) + f(r3[x] * b[3]));
      out[o + x] = clamp8(roundHalfEven(v));
    }
  }
  return out;
}

function clamp8(v) {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Python's round() and OpenCV's cvRound: halves to the even neighbour. */
function roundHalfEven(v) {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// ---- YuNet's input and output, as cv::FaceDetectorYN ------------------------------------------------

/** The model's input: planar BGR floats 0-255 (cv::dnn::blobFromImage), the w x h copy at the top left
 * of a black padW x padH (copyMakeBorder to a multiple of 32). */
function blob(rgb, w, h, padW, padH) {
  const plane = padW * padH;
  const data = new Float32Array(3 * plane);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const o = y * padW + x;
      data[o] = rgb[i + 2];
      data[plane + o] = rgb[i + 1];
      data[2 * plane + o] = rgb[i];
    }
  }
  return data;
}

/** Faces as cv::FaceDetectorYN returns them, rows of 15 float32: the box (x, y, w, h), five landmarks (x, y),
 * the score; the anchors of the three strides decoded, then NMSBoxes (FaceDetectorYNImpl::postProcess). */
function postProcess(outputs, padW, padH) {
  const f = Math.fround;
  const threshold = f(SETTINGS.scoreThreshold);
  const faces = [];
  for (const stride of STRIDES) {
    const cols = padW / stride;
    const rows = padH / stride;
    const cls = outputs[`cls_${stride}`].data;
    const obj = outputs[`obj_${stride}`].data;
    const bbox = outputs[`bbox_${stride}`].data;
    const kps = outputs[`kps_${stride}`].data;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const score = f(Math.sqrt(f(clamp01(cls[i]) * clamp01(obj[i]))));
        if (score < threshold) continue;
        const cx = f(f(c + bbox[i * 4]) * stride);
        const cy = f(f(r + bbox[i * 4 + 1]) * stride);
        const w = f(f(Math.exp(bbox[i * 4 + 2])) * stride);
        const h = f(f(Math.exp(bbox[i * 4 + 3])) * stride);
        const face = [f(cx - w / 2), f(cy - h / 2), w, h];
        for (let n = 0; n < 5; n++) {
          face.push(f(f(kps[i * 10 + 2 * n] + c) * stride), f(f(kps[i * 10 + 2 * n + 1] + r) * stride));
        }
        face.push(score);
        faces.push(face);
      }
    }
  }
  return faces.length > 1 ? nms(faces, threshold) : faces;
}

function clamp01(v) {
  return Math.min(Math.max(v, 0), 1);
}

/** cv::dnn::NMSBoxes on the faces' boxes cut to whole pixels (Rect2i(int(x), ...)), eta 1: scores above the
 * threshold, highest first (a stable sort: ties in the order found), each kept unless it overlaps one kept
 * before by more than the NMS threshold (intersection over union, in float32 as OpenCV's rectOverlap). */
function nms(faces, threshold) {
  const f = Math.fround;
  const limit = f(SETTINGS.nmsThreshold);
  const boxes = faces.map((face) => face.slice(0, 4).map(Math.trunc));
  const order = faces
    .map((face, i) => i)
    .filter((i) => faces[i][14] > threshold)
    .sort((a, b) => faces[b][14] - faces[a][14])
    .slice(0, SETTINGS.topK);
  const kept = [];
  for (const i of order) {
    if (kept.every((j) => f(1 - f(jaccardDistance(boxes[i], boxes[j]))) <= limit)) kept.push(i);
  }
  return kept.map((i) => faces[i]);
}

/** OpenCV's jaccardDistance of two integer rectangles [x, y, w, h]. */
function jaccardDistance(a, b) {
  const areaA = a[2] * a[3];
  const areaB = b[2] * b[3];
  if (areaA + areaB <= 0) return 0;
  const iw = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  const empty = a[2] <= 0 || a[3] <= 0 || b[2] <= 0 || b[3] <= 0 || iw <= 0 || ih <= 0;
  const inter = empty ? 0 : iw * ih;
  return 1 - inter / (areaA + areaB - inter);
}

// ---- the model file: its declared 640 x 640 input made free ------------------------------------------

// The ONNX file declares a fixed 1 x 3 x 640 x 640 input (and the shapes that follow from it); OpenCV sets
// the input shape it needs for each size (setInputSize), but ONNX Runtime checks inputs against the
// declaration. Its layers need no fixed size (reshapes to -1, resizes by scale), so the graph's declared
// input becomes 1 x 3 x h x w, its outputs' shapes and the recorded intermediate shapes are dropped, and the
// rest of the file (every weight) is kept byte for byte: a rewrite of three fields of ModelProto.graph.

const GRAPH = 7; // ModelProto.graph
const INPUT = 11; // GraphProto.input
const OUTPUT = 12; // GraphProto.output
const VALUE_INFO = 13; // GraphProto.value_info
const FLOAT = 1; // TensorProto.DataType.FLOAT

/** The model's bytes with its input size left free (see above). */
export function freeInputSize(model) {
  const parts = [];
  for (const field of fields(model, 0, model.length)) {
    if (field.number !== GRAPH) {
      parts.push(model.subarray(field.start, field.end));
      continue;
    }
    const graph = [];
    for (const g of fields(model, field.body, field.end)) {
      if (g.number === VALUE_INFO) continue;
      if (g.number === INPUT || g.number === OUTPUT) {
        const name = [...fields(model, g.body, g.end)].find((v) => v.number === 1);
        const dims = g.number === INPUT ? [1, 3, "h", "w"] : null;
        graph.push(message(g.number, valueInfo(model.subarray(name.body, name.end), dims)));
      } else {
        graph.push(model.subarray(g.start, g.end));
      }
    }
    parts.push(header(GRAPH, graph.reduce((n, p) => n + p.length, 0)), ...graph);
  }
  return concat(parts);
}

/** ValueInfoProto {name, type: {tensor_type: {elem_type: FLOAT, shape: dims (none when null)}}}. */
function valueInfo(name, dims) {
  // TensorShapeProto.Dimension: dim_value (1, a varint) or dim_param (2, a name)
  const dim = (d) =>
    message(1, typeof d === "number" ? concat([varint(1 << 3), varint(d)]) : message(2, utf8(d)));
  const shape = dims ? [message(2, concat(dims.map(dim)))] : [];
  const tensor = concat([varint(1 << 3), varint(FLOAT), ...shape]);
  return concat([message(1, name), message(2, message(1, tensor))]);
}

/** The top-level fields of the protobuf message in bytes[start:end]: number, and where each starts, where
 * its body starts (after the key and, for bytes, the length) and ends. */
function* fields(bytes, start, end) {
  let i = start;
  while (i < end) {
    const [key, afterKey] = readVarint(bytes, i);
    const number = Math.floor(key / 8);
    const type = key % 8;
    let body = afterKey;
    let next;
    if (type === 0) next = readVarint(bytes, afterKey)[1];
    else if (type === 1) next = afterKey + 8;
    else if (type === 5) next = afterKey + 4;
    else if (type === 2) {
      const [length, at] = readVarint(bytes, afterKey);
      body = at;
      next = at + length;
    } else throw new Error(`the face model is not an ONNX file (wire type ${type})`);
    yield { number, start: i, body, end: next };
    i = next;
  }
}

function readVarint(bytes, i) {
  let value = 0;
  for (let scale = 1; ; scale *= 128) {
    const b = bytes[i++];
    value += (b & 127) * scale;
    if (b < 128) return [value, i];
  }
}

function varint(value) {
  const out = [];
  for (; value >= 128; value = Math.floor(value / 128)) out.push((value % 128) | 128);
  out.push(value);
  return Uint8Array.from(out);
}

function header(number, length) {
  return concat([varint((number << 3) | 2), varint(length)]);
}

function message(number, body) {
  return concat([header(number, body.length), body]);
}

function utf8(text) {
  return new TextEncoder().encode(text);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
