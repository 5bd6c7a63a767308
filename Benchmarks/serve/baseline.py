"""The Python baseline for `mlforge serve`: FastAPI + uvicorn serving a LightGBM model of the same table,
answering the same JSON ({"rows": [...]} -> {"predictions": [...]}).
    python baseline.py TRAIN.csv TARGET PORT
"""
import sys

import lightgbm as lgb
import pandas as pd
import uvicorn
from fastapi import FastAPI, HTTPException, Request

train_path, target, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
frame = pd.read_csv(train_path)
y = frame.pop(target)
classes = sorted(y.astype(str).unique())
categorical = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
for c in categorical:
    frame[c] = frame[c].astype("category")
levels = {c: frame[c].cat.categories for c in categorical}
assert len(classes) == 2, "the baseline serves binary tables"
model = lgb.train({"objective": "binary", "verbose": -1}, lgb.Dataset(frame, y.astype(str).map(classes.index)), num_boost_round=200)
columns = list(frame.columns)
app = FastAPI()


@app.post("/v1/predict")
async def predict(request: Request):
    try:
        body = await request.json()
        rows = pd.DataFrame(body["rows"], columns=columns)
    except Exception as e:  # malformed input: a 400, as the MLForge server answers
        raise HTTPException(status_code=400, detail=str(e))
    for c in categorical:
        rows[c] = pd.Categorical(rows[c], categories=levels[c])
    p = model.predict(rows)
    return {"predictions": [classes[int(q > 0.5)] for q in p]}


uvicorn.run(app, host="127.0.0.1", port=port, log_level="error")
