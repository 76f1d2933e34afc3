// framer's photo editor, shared by the employee's page (app.js) and the review page (review.js).
//
// The server finds the faces and says where each one goes (a placement); everything the person does after
// that (drag, pinch, wheel, slider, keys, picking a face) is drawn here, on a canvas, once per animation
// frame, with no request. `value()` is the placement shown, as framer's --zoom, --shift and --face take it.
//
//   const editor = FramerEditor.create({ avatar, round, zoom, zoomIn, zoomOut, reset, faces, facesPhoto,
//                                        facesLabel, facesCanvas }, { t, onDraw });
//   editor.setFrame(frame, image); editor.setPhoto(photo, preview, { face, zoom, dx, dy });
"use strict";

window.FramerEditor = (() => {
  const EYE_LINE = 0.45; // framer.geometry.EYE_LINE: the anchor zooming keeps still
  const ZOOM_MIN = 0.3;
  const ZOOM_MAX = 3.0;
  const SHIFT_MAX = 1.0;
  const KEY_STEP = 0.02; // an arrow key moves the photo by 2 % of the window (10 % with Shift)
  const KEY_ZOOM = 1.05;
  const SEAM = 0.03; // the photo fades into the preview's fill over this share of the canvas

  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

  function create(el, { t = (key) => key, onDraw = () => {} } = {}) {
    const ctx = el.avatar.getContext("2d");
    const roundCtx = el.round ? el.round.getContext("2d") : null;
    const state = {
      frame: null, // { size, window } at output size
      frameImage: null,
      photo: null, // { size, preview_scale, faces, placements }
      preview: null,
      fill: null, // the preview's edges stretched and blurred: what shows past the photo's edges
      sharp: null, // the preview with its edges faded out, drawn over the fill
      fillColor: "#e6ebf2",
      face: 0, // 0 = the largest
      zoom: 1,
      dx: 0,
      dy: 0,
    };

    // What shows past the photo's edges while the person drags: its border pixels stretched outwards,
    // blurred. The download is the server's (framer.compose: the photo mirrored at its edge, blurred more
    // the farther out, a wash of its edge colours far out); this is the far part of that look, drawn
    // cheaply (a tiny copy, enlarged smoothly, is a blur), which a mirror this coarse would only spoil
    // with ghosts of an ear or a shoulder.
    function makeFill(image) {
      const long = Math.max(image.width, image.height);
      const tw = Math.max(1, Math.round((40 * image.width) / long));
      const th = Math.max(1, Math.round((40 * image.height) / long));
      const tiny = document.createElement("canvas");
      tiny.width = tw;
      tiny.height = th;
      tiny.getContext("2d").drawImage(image, 0, 0, tw, th);
      const fill = document.createElement("canvas");
      fill.width = 3 * tw;
      fill.height = 3 * th;
      const f = fill.getContext("2d");
      f.imageSmoothingEnabled = false;
      f.drawImage(tiny, tw, th);
      f.drawImage(tiny, 0, 0, 1, th, 0, th, tw, th); // left
      f.drawImage(tiny, tw - 1, 0, 1, th, 2 * tw, th, tw, th); // right
      f.drawImage(tiny, 0, 0, tw, 1, tw, 0, tw, th); // top
      f.drawImage(tiny, 0, th - 1, tw, 1, tw, 2 * th, tw, th); // bottom
      f.drawImage(tiny, 0, 0, 1, 1, 0, 0, tw, th);
      f.drawImage(tiny, tw - 1, 0, 1, 1, 2 * tw, 0, tw, th);
      f.drawImage(tiny, 0, th - 1, 1, 1, 0, 2 * th, tw, th);
      f.drawImage(tiny, tw - 1, th - 1, 1, 1, 2 * tw, 2 * th, tw, th);
      const dot = document.createElement("canvas");
      dot.width = 1;
      dot.height = 1;
      const d = dot.getContext("2d");
      d.drawImage(tiny, 0, 0, 1, 1);
      const [r, g, b] = d.getImageData(0, 0, 1, 1).data;
      state.fill = fill;
      state.fillColor = `rgb(${r} ${g} ${b})`;
    }

    // The photo fades into that fill over a short seam where its edge shows: SEAM of the canvas, as wide
    // as it is at the chosen face's own scale.
    function fadeEdges() {
      const image = state.preview;
      const w = image.width;
      const h = image.height;
      const { scale } = state.photo.placements[state.face];
      const seam = Math.max(1, (SEAM * Math.max(...state.frame.size) * state.photo.preview_scale) / scale);
      const sharp = document.createElement("canvas");
      sharp.width = w;
      sharp.height = h;
      const g = sharp.getContext("2d");
      g.drawImage(image, 0, 0);
      g.globalCompositeOperation = "destination-in";
      const ramps = [
        [0, 0, seam, 0],
        [w, 0, w - seam, 0],
        [0, 0, 0, seam],
        [0, h, 0, h - seam],
      ];
      for (const [x0, y0, x1, y1] of ramps) {
        const ramp = g.createLinearGradient(x0, y0, x1, y1);
        ramp.addColorStop(0, "rgb(0 0 0 / 0)");
        ramp.addColorStop(1, "rgb(0 0 0 / 1)");
        g.fillStyle = ramp;
        g.fillRect(0, 0, w, h);
      }
      state.sharp = sharp;
    }

    // ---- several people: the faces drawn and numbered, one to pick --------------------------------

    function showFaces() {
      const { photo, preview } = state;
      const faces = photo.faces || [];
      for (const mark of el.facesPhoto.querySelectorAll(".face-mark")) mark.remove();
      if (faces.length < 2) {
        el.faces.hidden = true;
        return;
      }
      const [fw, fh] = photo.size;
      const k = Math.min(1, 640 / Math.max(preview.width, preview.height));
      el.facesCanvas.width = Math.max(1, Math.round(preview.width * k));
      el.facesCanvas.height = Math.max(1, Math.round(preview.height * k));
      el.facesCanvas.getContext("2d").drawImage(preview, 0, 0, el.facesCanvas.width, el.facesCanvas.height);
      faces.forEach(([x, y, w, h], i) => {
        const mark = document.createElement("button");
        mark.type = "button";
        mark.className = "face-mark";
        mark.setAttribute("aria-label", t("face", { n: i + 1 }));
        mark.setAttribute("aria-pressed", String(i === state.face));
        mark.dataset.face = String(i + 1);
        mark.style.left = `${(100 * (x + w / 2)) / fw}%`;
        mark.style.top = `${(100 * (y + h / 2)) / fh}%`;
        mark.style.width = `${(100 * w) / fw}%`;
        mark.style.height = `${(100 * h) / fh}%`;
        const number = document.createElement("span");
        number.textContent = String(i + 1);
        number.setAttribute("aria-hidden", "true");
        mark.append(number);
        mark.addEventListener("click", () => pickFace(i));
        el.facesPhoto.append(mark);
      });
      el.facesLabel.textContent = t("faces", { count: faces.length });
      el.faces.hidden = false;
    }

    function pickFace(i) {
      if (!state.photo || i >= state.photo.placements.length) return;
      state.face = i;
      fadeEdges();
      resetNudge();
      for (const mark of el.facesPhoto.querySelectorAll(".face-mark")) {
        mark.setAttribute("aria-pressed", String(Number(mark.dataset.face) === i + 1));
      }
      schedule();
    }

    // ---- placement: framer.geometry.nudge, in the browser ------------------------------------------

    function placement() {
      const { scale: s, crop } = state.photo.placements[state.face];
      const [wx, wy, ww, wh] = state.frame.window;
      const ax = wx + ww / 2;
      const ay = wy + EYE_LINE * wh;
      const px = crop[0] + ax / s;
      const py = crop[1] + ay / s;
      const s2 = s * state.zoom;
      return {
        scale: s2,
        x: px - ax / s2 - (state.dx * ww) / s2,
        y: py - ay / s2 - (state.dy * wh) / s2,
      };
    }

    function setZoom(z) {
      state.zoom = clamp(z, ZOOM_MIN, ZOOM_MAX);
      schedule();
    }

    function moveBy(mx, my) {
      // canvas px: the photo follows the pointer
      const [, , ww, wh] = state.frame.window;
      state.dx = clamp(state.dx + mx / ww, -SHIFT_MAX, SHIFT_MAX);
      state.dy = clamp(state.dy + my / wh, -SHIFT_MAX, SHIFT_MAX);
      schedule();
    }

    function resetNudge() {
      state.zoom = 1;
      state.dx = 0;
      state.dy = 0;
      schedule();
    }

    // ---- drawing, once per animation frame ---------------------------------------------------------

    let pending = 0;

    function schedule() {
      if (!pending) pending = requestAnimationFrame(draw);
    }

    function draw() {
      pending = 0;
      const { frame, frameImage, photo, preview } = state;
      if (!frame || !frameImage) return;
      const [W, H] = frame.size;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = "high";
      if (photo && preview) {
        const p = placement();
        const [fw, fh] = photo.size;
        const x = -p.x * p.scale;
        const y = -p.y * p.scale;
        const w = fw * p.scale;
        const h = fh * p.scale;
        ctx.fillStyle = state.fillColor;
        ctx.fillRect(0, 0, W, H);
        if (state.fill) ctx.drawImage(state.fill, x - w, y - h, 3 * w, 3 * h);
        ctx.drawImage(state.sharp || preview, x, y, w, h);
      } else {
        ctx.fillStyle = "#e6ebf2";
        ctx.fillRect(0, 0, W, H);
      }
      ctx.drawImage(frameImage, 0, 0, W, H);
      if (roundCtx) {
        roundCtx.setTransform(1, 0, 0, 1, 0, 0);
        roundCtx.imageSmoothingQuality = "high";
        roundCtx.clearRect(0, 0, el.round.width, el.round.height);
        roundCtx.drawImage(el.avatar, 0, 0, el.round.width, el.round.height);
      }
      if (photo) {
        el.zoom.value = String(Math.log(state.zoom));
        el.zoom.setAttribute("aria-valuetext", `${Math.round(state.zoom * 100)} %`);
        onDraw(value());
      }
    }

    function decimal(v) {
      return Math.round(v * 10000) / 10000;
    }

    // The placement shown, as framer takes it: face (1 = the largest), zoom, dx and dy (fractions of
    // the window), to four decimals.
    function value() {
      return { face: state.face + 1, zoom: decimal(state.zoom), dx: decimal(state.dx), dy: decimal(state.dy) };
    }

    // ---- the person's hands: pointer (mouse, touch, pen), wheel, keys -----------------------------

    const pointers = new Map();

    function canvasPerCSS() {
      const box = el.avatar.getBoundingClientRect();
      return box.width ? el.avatar.width / box.width : 1;
    }

    function spread() {
      const [a, b] = [...pointers.values()];
      return { d: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }

    el.avatar.addEventListener("pointerdown", (event) => {
      if (!state.photo) return;
      event.preventDefault();
      el.avatar.focus({ preventScroll: true });
      el.avatar.setPointerCapture(event.pointerId);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      el.avatar.classList.add("dragging");
    });

    el.avatar.addEventListener("pointermove", (event) => {
      const last = pointers.get(event.pointerId);
      if (!last || !state.photo) return;
      const k = canvasPerCSS();
      if (pointers.size === 1) {
        moveBy((event.clientX - last.x) * k, (event.clientY - last.y) * k);
        pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
        return;
      }
      const before = spread();
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      const after = spread();
      if (before.d > 0 && after.d > 0) setZoom((state.zoom * after.d) / before.d);
      moveBy((after.x - before.x) * k, (after.y - before.y) * k);
    });

    function release(event) {
      pointers.delete(event.pointerId);
      if (!pointers.size) el.avatar.classList.remove("dragging");
    }

    el.avatar.addEventListener("pointerup", release);
    el.avatar.addEventListener("pointercancel", release);
    el.avatar.addEventListener("lostpointercapture", release);

    el.avatar.addEventListener(
      "wheel",
      (event) => {
        if (!state.photo) return;
        event.preventDefault();
        const step = event.deltaMode === 1 ? 0.05 : event.deltaMode === 2 ? 1 : 0.0015;
        setZoom(state.zoom * Math.exp(-event.deltaY * step));
      },
      { passive: false },
    );

    el.avatar.addEventListener("keydown", (event) => {
      if (!state.photo || event.altKey || event.ctrlKey || event.metaKey) return;
      const [, , ww, wh] = state.frame.window;
      const step = event.shiftKey ? 5 * KEY_STEP : KEY_STEP;
      const moves = {
        ArrowLeft: [-step * ww, 0],
        ArrowRight: [step * ww, 0],
        ArrowUp: [0, -step * wh],
        ArrowDown: [0, step * wh],
      };
      if (moves[event.key]) {
        moveBy(...moves[event.key]);
      } else if (event.key === "+" || event.key === "=") {
        setZoom(state.zoom * KEY_ZOOM);
      } else if (event.key === "-" || event.key === "_") {
        setZoom(state.zoom / KEY_ZOOM);
      } else if (event.key === "0") {
        resetNudge();
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation(); // the page's own keys (the review page's j/k) are not these
    });

    el.zoom.addEventListener("input", () => setZoom(Math.exp(Number(el.zoom.value))));
    el.zoomIn.addEventListener("click", () => setZoom(state.zoom * 1.1));
    el.zoomOut.addEventListener("click", () => setZoom(state.zoom / 1.1));
    el.reset.addEventListener("click", resetNudge);

    // The slider is logarithmic: 1 in its middle, x2 as far to the right as /2 to the left.
    el.zoom.min = String(Math.log(ZOOM_MIN));
    el.zoom.max = String(Math.log(ZOOM_MAX));
    el.zoom.step = "any";
    el.zoom.value = "0";

    return {
      state,
      value,
      schedule,
      pickFace,
      reset: resetNudge,
      hasPhoto: () => Boolean(state.photo),
      face: () => state.face,
      setFrame(frame, image) {
        state.frame = frame;
        state.frameImage = image;
        el.avatar.width = frame.size[0];
        el.avatar.height = frame.size[1];
        schedule();
      },
      // Show `photo` (its faces and placements, as the server's analysis gives them) from `preview`,
      // placed as `start` says (face 1-based, zoom, dx, dy), else as framer places it.
      setPhoto(photo, preview, start = {}) {
        const face = (start.face || 1) - 1;
        state.photo = photo;
        state.preview = preview;
        state.face = face >= 0 && face < photo.placements.length ? face : 0;
        makeFill(preview);
        fadeEdges();
        state.zoom = clamp(start.zoom || 1, ZOOM_MIN, ZOOM_MAX);
        state.dx = clamp(start.dx || 0, -SHIFT_MAX, SHIFT_MAX);
        state.dy = clamp(start.dy || 0, -SHIFT_MAX, SHIFT_MAX);
        showFaces();
        schedule();
      },
      clear() {
        state.photo = null;
        state.preview = null;
        el.faces.hidden = true;
        schedule();
      },
    };
  }

  // The editor's elements, by the ids both pages give them.
  function elements() {
    const $ = (id) => document.getElementById(id);
    const ids = {
      avatar: "avatar",
      round: "round",
      zoom: "zoom",
      zoomIn: "zoom-in",
      zoomOut: "zoom-out",
      reset: "reset",
      faces: "faces",
      facesPhoto: "faces-photo",
      facesLabel: "faces-label",
      facesCanvas: "faces-canvas",
    };
    return Object.fromEntries(Object.entries(ids).map(([key, id]) => [key, $(id)]));
  }

  return { create, elements };
})();
