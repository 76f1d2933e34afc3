"""Find faces with OpenCV's YuNet detector, on a small copy of the photo.

YuNet (cv2.FaceDetectorYN) finds far more real faces than the Haar cascades and gives five landmarks,
of which we use the eyes. Its model file ships inside this package (see THIRD_PARTY_NOTICES.md).
"""

from __future__ import annotations

from importlib.resources import as_file, files

import cv2
import numpy as np

from .compose import resize
from .geometry import Box, Face

MODEL_NAME = "face_detection_yunet_2023mar.onnx"
MODEL_SHA256 = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"
DETECT_SIZE = 640  # long side of the copy we detect on: at full 12 MP resolution YuNet misses big faces
SCORE_THRESHOLD = 0.7  # OpenCV's default of 0.9 drops about a third of real faces
NMS_THRESHOLD = 0.3
QUICK_SIZE = 320  # the first, quick look
FINE_SIZE = 960  # the last look, when nothing was found at DETECT_SIZE in a bigger photo
MIN_FACE_PX = 10  # YuNet finds no smaller face: copies narrower than this are not looked at
PROMINENT = 0.15  # a face at least this share of the photo's longer side is trusted from the quick look


class FaceDetector:
    """YuNet, built once and reused for every photo of a batch.

    It looks at a 320 px copy first: a face that fills a good part of the photo (any portrait) is found
    there reliably, four times faster than at 640 px. Only when no such face is there (small faces, a
    group, no face at all) does it look again at the full `detect_size`, and in a big photo where even
    that finds none, at 960 px.
    """

    def __init__(self, score_threshold: float = SCORE_THRESHOLD, detect_size: int = DETECT_SIZE) -> None:
        self.detect_size = detect_size
        with as_file(files("framer") / "models" / MODEL_NAME) as model:
            self._net = cv2.FaceDetectorYN.create(
                str(model), "", (320, 320), score_threshold, NMS_THRESHOLD, 5000
            )

    def __call__(self, rgb: np.ndarray) -> list[Face]:
        """Faces in `rgb` (H x W x 3, uint8), in its pixels, largest first."""
        quick = self.detect_at(rgb, QUICK_SIZE)
        if quick and quick[0].box.h >= PROMINENT * max(rgb.shape[:2]):
            return quick
        faces = self.detect_at(rgb, self.detect_size)
        if not faces and max(rgb.shape[:2]) > FINE_SIZE:
            # A face under about 2.5 % of a big photo's side (300 px in a 99 MP panorama) is under YuNet's
            # smallest at 640 px: look once more, with half as much detail again (1280 px would find
            # smaller faces still, but holds 50 MB more while it looks).
            faces = self.detect_at(rgb, FINE_SIZE)
        return faces

    def detect_at(self, rgb: np.ndarray, long_side: int) -> list[Face]:
        """Faces found on a copy of `rgb` whose longer side is `long_side`, in `rgb`'s pixels."""
        h, w = rgb.shape[:2]
        s = long_side / max(h, w)
        size = (max(1, round(w * s)), max(1, round(h * s)))
        if min(size) < MIN_FACE_PX:  # a sliver (8000 x 20): no face fits, and YuNet returns garbage
            return []
        small = resize(rgb, size, fine=False)
        self._net.setInputSize(size)
        _, found = self._net.detect(cv2.cvtColor(small, cv2.COLOR_RGB2BGR))
        if found is None:
            return []
        faces = []
        sx, sy = w / size[0], h / size[1]
        for row in found:
            if not np.isfinite(row).all() or row[2] < MIN_FACE_PX / 2 or row[3] < MIN_FACE_PX / 2:
                continue
            if not (0 <= row[0] + row[2] / 2 <= size[0] and 0 <= row[1] + row[3] / 2 <= size[1]):
                continue  # a box centred off the picture: YuNet's garbage on a sliver, never a face
            x, y, fw, fh = (float(v) for v in row[:4])
            # landmarks: right eye, left eye, nose tip, mouth right, mouth left (x, y pairs)
            eye_y = (float(row[5]) + float(row[7])) / 2 * sy
            mouth_y = (float(row[11]) + float(row[13])) / 2 * sy
            box = Box(x * sx, y * sy, fw * sx, fh * sy)
            faces.append(Face(box, eye_y, mouth_y, float(row[14])))
        faces.sort(key=lambda f: f.box.w * f.box.h, reverse=True)
        return faces


_shared: FaceDetector | None = None


def shared_detector() -> FaceDetector:
    """This process's detector, made on first use and kept: every worker (framer apply's, the page's, the
    live review's, which frames with both) holds one, however many ways it frames."""
    global _shared
    if _shared is None:
        _shared = FaceDetector()
    return _shared
