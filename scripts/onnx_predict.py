#!/usr/bin/env python3
"""Runs an ONNX model written by `mlforge export --format onnx` with onnxruntime on a CSV file and prints
one line per row: `label,p0,p1,...` for classification, the value for regression.

Each graph input is a column, read as MLForge reads a CSV: text inputs as the field's text, float inputs
as numbers (NaN for an empty field or NA, N/A, NaN, null, None, ?, compared without case after trimming
spaces and tabs; true and false as 1 and 0).

    usage: .venv/bin/python scripts/onnx_predict.py MODEL.onnx ROWS.csv
"""
import csv
import sys

import numpy as np
import onnxruntime as ort

MISSING = {"", "na", "n/a", "nan", "null", "none", "?"}


def number(text):
    t = text.strip(" \t").lower()
    if t in MISSING:
        return float("nan")
    if t == "true":
        return 1.0
    if t == "false":
        return 0.0
    return float(t)


def main(model_path, rows_path):
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    with open(rows_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    feeds = {}
    for i in session.get_inputs():
        if i.name not in header:
            sys.exit(f"the file has no column '{i.name}', which the model reads")
        k = header.index(i.name)
        if i.type == "tensor(string)":
            feeds[i.name] = np.array([[r[k]] for r in body], dtype=object)
        else:
            feeds[i.name] = np.array([[number(r[k])] for r in body], dtype=np.float32)
    names = [o.name for o in session.get_outputs()]
    result = dict(zip(names, session.run(None, feeds)))
    out = sys.stdout
    if "prediction" in result:
        for v in result["prediction"]:
            out.write(repr(float(v)) + "\n")
    else:
        for label, p in zip(result["label"], result["probabilities"]):
            out.write(",".join([str(label)] + [repr(float(x)) for x in p]) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
