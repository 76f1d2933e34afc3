"""Find faces with OpenCV's YuNet detector, on a small copy of the photo.

YuNet (cv2.FaceDetectorYN) finds far more real faces than the Haar cascades and gives five landmarks,
of which we use the eyes. Its model file ships inside this package (see THIRD_PARTY_NOTICES.md).
"""

from __future__ import annotations

from importlib.resources import as_file, files

import cv2
import numpy as np

from .geometry import Box, Face

MODEL_NAME = "face_detection_yunet_2023mar.onnx"
MODEL_SHA256 = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"
DETECT_SIZE = 640  # long side of the copy we detect on: at full 12 MP resolution YuNet misses big faces
SCORE_THRESHOLD = 0.7  # OpenCV's default of 0.9 drops about a third of real faces
NMS_THRESHOLD = 0.3


class FaceDetector:
    """YuNet, built once and reused for every photo of a batch."""

    def __init__(self, score_threshold: float = SCORE_THRESHOLD, detect_size: int = DETECT_SIZE) -> None:
        self.detect_size = detect_size
        with as_file(files(__package__) / "models" / MODEL_NAME) as model:
            self._net = cv2.FaceDetectorYN.create(
                str(model), "", (320, 320), score_threshold, NMS_THRESHOLD, 5000
            )

    def __call__(self, rgb: np.ndarray) -> list[Face]:
        """Faces in `rgb` (H x W x 3, uint8), in its pixels, largest first."""
        h, w = rgb.shape[:2]
        s = self.detect_size / max(h, w)
        size = (max(1, round(w * s)), max(1, round(h * s)))
        interpolation = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
        small = cv2.resize(rgb, size, interpolation=interpolation)
        self._net.setInputSize(size)
        _, found = self._net.detect(cv2.cvtColor(small, cv2.COLOR_RGB2BGR))
        if found is None:
            return []
        faces = []
        sx, sy = w / size[0], h / size[1]
        for row in found:
            x, y, fw, fh = (float(v) for v in row[:4])
            # landmarks: right eye, left eye, nose tip, mouth right, mouth left (x, y pairs)
            eye_y = (float(row[5]) + float(row[7])) / 2 * sy
            mouth_y = (float(row[11]) + float(row[13])) / 2 * sy
            box = Box(x * sx, y * sy, fw * sx, fh * sy)
            faces.append(Face(box, eye_y, mouth_y, float(row[14])))
        faces.sort(key=lambda f: f.box.w * f.box.h, reverse=True)
        return faces
