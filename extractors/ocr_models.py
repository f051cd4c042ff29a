"""Builds the model folders PaddleX expects from weights shipped inside a PyPI wheel.

`rapidocr_onnxruntime` carries PP-OCRv4 mobile detection and recognition as ONNX
files (and the recogniser's character list in its metadata). PaddleX wants a folder
per model holding `inference.onnx` and an `inference.yml` that names the model and
its pre/post-processing; we write those once and reuse them. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import yaml

DET_NAME = "PP-OCRv4_mobile_det"
REC_NAME = "PP-OCRv4_mobile_rec"


def wheel_model_path(filename: str) -> Path:
    import rapidocr_onnxruntime

    path = Path(rapidocr_onnxruntime.__file__).parent / "models" / filename
    if not path.exists():
        raise FileNotFoundError(f"OCR weights missing: {path} (install rapidocr_onnxruntime==1.4.4)")
    return path


def _det_config() -> dict:
    return {
        "Global": {"model_name": DET_NAME},
        "PreProcess": {
            "transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"DetLabelEncode": None},
                {"DetResizeForTest": {"resize_long": 960}},
                {
                    "NormalizeImage": {
                        "mean": [0.485, 0.456, 0.406],
                        "std": [0.229, 0.224, 0.225],
                        "scale": "1./255.",
                        "order": "hwc",
                    }
                },
                {"ToCHWImage": None},
                {"KeepKeys": {"keep_keys": ["image", "shape", "polys", "ignore_tags"]}},
            ]
        },
        "PostProcess": {
            "name": "DBPostProcess",
            "thresh": 0.3,
            "box_thresh": 0.6,
            "max_candidates": 1000,
            "unclip_ratio": 1.5,
        },
    }


def _rec_config(characters: list[str]) -> dict:
    return {
        "Global": {"model_name": REC_NAME},
        "PreProcess": {
            "transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
                {"RecResizeImg": {"image_shape": [3, 48, 320]}},
                {"KeepKeys": {"keep_keys": ["image", "label_ctc", "label_gtc", "length", "valid_ratio"]}},
            ]
        },
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters},
    }


def _rec_characters(onnx_path: Path) -> list[str]:
    import onnxruntime as ort

    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    return session.get_modelmeta().custom_metadata_map["character"].splitlines()


def _write_model_dir(target: Path, onnx_path: Path, config: dict) -> None:
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copyfile(onnx_path, tmp / "inference.onnx")
    with open(tmp / "inference.yml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(config, fh, allow_unicode=True)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)  # appear whole or not at all, for concurrent workers


def _fingerprint(path: Path) -> str:
    stat = path.stat()
    return hashlib.sha1(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]


def ensure_model_dirs(root: Path) -> tuple[Path, Path]:
    """Return (det_dir, rec_dir), writing them under `root` on first use."""
    det_onnx = wheel_model_path("ch_PP-OCRv4_det_infer.onnx")
    rec_onnx = wheel_model_path("ch_PP-OCRv4_rec_infer.onnx")
    det_dir = root / f"{DET_NAME}-{_fingerprint(det_onnx)}"
    rec_dir = root / f"{REC_NAME}-{_fingerprint(rec_onnx)}"
    if not (det_dir / "inference.yml").exists():
        _write_model_dir(det_dir, det_onnx, _det_config())
    if not (rec_dir / "inference.yml").exists():
        _write_model_dir(rec_dir, rec_onnx, _rec_config(_rec_characters(rec_onnx)))
    return det_dir, rec_dir


def orientation_model_path() -> Path:
    """The 0°/180° text-line classifier shipped in the same wheel."""
    return wheel_model_path("ch_ppocr_mobile_v2.0_cls_infer.onnx")
