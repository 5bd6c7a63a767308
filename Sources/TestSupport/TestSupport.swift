import MLData
