// framer's work on the phone: the photo a person chooses is decoded upright, its faces found (detect.js:
// YuNet in WebAssembly), each placed as `framer apply` places it (place.js), and the picture made at full
// quality (render.js). The photo never leaves the device: the only requests are for the page's own files.
//
//   const frame = await prepareFrame(record);                  // a frame of site.json's, ready to frame with
//   const { photo, preview, bitmap } = await analyse(file, frame, base);
//   editor.setPhoto(photo, preview);                            // the editor shows and moves it
//   const blob = await picture(bitmap, photo, frame, editor.value());   // the framed JPEG

import { createDetector, decodePhoto } from "./detect.js";
import {
  Box,
  Placement,
  PlacementError,
  WindowMask,
  adjustOf,
  finish,
  nudge,
  planPhoto,
  sortFaces,
} from "./place.js";
import { frameOver, renderPortrait } from "./render.js";

const PREVIEW_SIDE = 1280; // the editor's copy: sharp on a phone's screen, light to redraw
const MAX_PIXELS = 48_000_000; // a bigger photo is decoded reduced to this, so that a phone's memory holds
const QUALITY = 0.92; // JPEG, as framer apply's default

let detector = null;

/** The detector, made once per page (its model and runtime are the page's own files, under `base`). */
export function detectorAt(base) {
  if (!detector) {
    detector = createDetector({
      modelUrl: `${base}face_detection_yunet_2023mar.onnx`,
      wasmPaths: `${base}vendor/onnxruntime-web/`,
    }).catch((error) => {
      detector = null; // a failed start (offline, a blocked file) is tried again with the next photo
      throw error;
    });
  }
  return detector;
}

/** A frame of site.json (size, window at output size, its image's address) with its image decoded and its
 * window's shape measured from the image's transparency (framer.compose.PreparedFrame.mask). */
export async function prepareFrame(record) {
  const response = await fetch(record.image);
  if (!response.ok) throw new Error(`${record.image}: ${response.status}`);
  const image = await createImageBitmap(await response.blob(), { premultiplyAlpha: "none" });
  const [w, h] = record.size;
  const canvas = new OffscreenCanvas(w, h);
  const g = canvas.getContext("2d", { willReadFrequently: true });
  g.drawImage(image, 0, 0, w, h);
  const window = { x: record.window[0], y: record.window[1], w: record.window[2], h: record.window[3] };
  const mask = WindowMask.fromRGBA(g.getImageData(0, 0, w, h).data, w, h, window);
  return { ...record, image, frameSize: [w, h], geometry: { size: [w, h], window, mask } };
}

/** A file the browser cannot open as a picture. `code` says why, as framer.reasons names it (the page
 * shows site.json's words.problems[code]): "empty"; "not_an_image", no picture format's signature;
 * "damaged", a JPEG, PNG, GIF, WebP or BMP, which every browser reads; or null, another picture format
 * (HEIC, TIFF...), which this browser may not read. */
export class Unreadable extends Error {
  constructor(message, code = null) {
    super(message);
    this.code = code;
  }
}

const ascii = (head, at, text) => [...text].every((c, i) => head[at + i] === c.charCodeAt(0));
const starts = (head, bytes) => bytes.every((b, i) => head[i] === b);

/** Why the browser could not open `file` as a picture, from its first bytes (Unreadable's code). */
async function whyUnreadable(file) {
  if (!file.size) return "empty";
  let head;
  try {
    head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  } catch (_) {
    return null; // gone, or not readable any more: say it in the page's general words
  }
  const everywhere =
    starts(head, [0xff, 0xd8, 0xff]) || // JPEG
    starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || // PNG
    ascii(head, 0, "GIF8") ||
    (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) ||
    ascii(head, 0, "BM");
  if (everywhere) return "damaged";
  const picture =
    ascii(head, 4, "ftyp") || // HEIC, AVIF (ISO media)
    ascii(head, 0, "II*\0") || // TIFF
    ascii(head, 0, "MM\0*") ||
    starts(head, [0xff, 0x0a]) || // JPEG XL
    ascii(head, 4, "JXL ") ||
    starts(head, [0x00, 0x00, 0x01, 0x00]); // ICO
  return picture ? null : "not_an_image";
}

/** The photo in `file`, analysed for the editor: its size, faces (largest first), a placement for each
 * face (or one without a face), its warnings, and a preview; and the decoded photo, kept to frame it. */
export async function analyse(file, frame, base) {
  let decoded;
  try {
    decoded = await decodePhoto(file, MAX_PIXELS);
  } catch (error) {
    throw new Unreadable(String(error), await whyUnreadable(file));
  }
  const { bitmap, width, height } = decoded;
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext("2d", { willReadFrequently: true });
  g.drawImage(bitmap, 0, 0);
  const found = await (await detectorAt(base)).detect(g.getImageData(0, 0, width, height));
  const faces = sortFaces(
    found.map((f) => ({ box: { x: f.x, y: f.y, w: f.w, h: f.h }, eyeY: f.eyeY, mouthY: f.mouthY, score: f.score })),
  );
  const size = [width, height];
  const placements = [];
  let warnings = [];
  for (let i = 0; i < Math.max(1, faces.length); i++) {
    const plan = planPhoto(faces, size, frame.geometry, adjustOf({ face: i + 1 }));
    const done = finish(plan, frame.geometry, size);
    if (i === 0) warnings = done.warnings;
    const c = done.placement.crop;
    placements.push({ scale: done.placement.scale, crop: [c.x, c.y, c.w, c.h] });
  }
  const k = Math.min(1, PREVIEW_SIDE / Math.max(width, height));
  const preview = document.createElement("canvas");
  preview.width = Math.max(1, Math.round(width * k));
  preview.height = Math.max(1, Math.round(height * k));
  const p = preview.getContext("2d");
  p.imageSmoothingQuality = "high";
  p.drawImage(bitmap, 0, 0, preview.width, preview.height);
  const photo = {
    size,
    faces: faces.map((f) => [f.box.x, f.box.y, f.box.w, f.box.h]),
    placements,
    warnings,
    preview_scale: preview.width / width,
    download_name: downloadName(file.name),
  };
  return { photo, preview, bitmap };
}

/** The framed picture (a JPEG Blob) of the decoded photo, placed as the editor shows it (`value`: face
 * 1-based, zoom, dx, dy: framer.geometry.nudge of that face's placement), at the frame's output size. */
export async function picture(bitmap, photo, frame, value) {
  const adjust = adjustOf(value); // refused (PlacementError) outside the ranges framer takes
  const start = photo.placements[adjust.face];
  if (!start) throw new PlacementError("face_beyond", { n: adjust.face + 1, found: photo.placements.length });
  const [x, y, w, h] = start.crop;
  const placed = nudge(new Placement(start.scale, new Box(x, y, w, h)), frame.geometry.window, adjust.zoom, adjust.shift);
  const c = placed.crop;
  const canvas = renderPortrait(bitmap, { scale: placed.scale, crop: [c.x, c.y, c.w, c.h] }, frame.geometry.size);
  frameOver(canvas, frame.image);
  return toJPEG(canvas);
}

async function toJPEG(canvas) {
  const blob = canvas.convertToBlob
    ? await canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY })
    : await new Promise((resolve, reject) =>
        canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("encode"))), "image/jpeg", QUALITY),
      );
  return new Blob([withoutMetadata(new Uint8Array(await blob.arrayBuffer()))], { type: "image/jpeg" });
}

/** A JPEG without the segments a browser adds about itself (an ICC profile, EXIF, XMP, comments): the
 * picture carries nothing but its pixels, as framer apply's outputs. */
export function withoutMetadata(jpeg) {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg;
  const kept = [jpeg.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1];
    if (marker === 0xda) break; // start of scan: the rest is the picture
    const length = (jpeg[i + 2] << 8) | jpeg[i + 3];
    const dropped = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe; // APP1-APP15, COM (not JFIF's APP0)
    if (!dropped) kept.push(jpeg.subarray(i, i + 2 + length));
    i += 2 + length;
  }
  kept.push(jpeg.subarray(i));
  const out = new Uint8Array(kept.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of kept) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** NAME-framed.jpg for a photo called NAME.EXT (a name the person will recognise in their gallery). */
export function downloadName(name) {
  const stem = String(name || "photo").replace(/\.[^.]*$/, "").replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_");
  return `${stem || "photo"}-framed.jpg`;
}
