#!/usr/bin/env bash
# Regenerates Sources/Export/ONNX/onnx-ml.pb.swift from Protos/onnx-ml.proto (ONNX's own file, from the
# onnx package on PyPI). The generated code is committed: CI and `swift build` never run the generator.
# Needs protoc (here from grpcio-tools on PyPI) and protoc-gen-swift built from apple/swift-protobuf at the
# version Package.swift names.
#   usage: scripts/generate_onnx_proto.sh PATH/TO/protoc-gen-swift
set -euo pipefail
cd "$(dirname "$0")/.."
plugin=${1:?usage: scripts/generate_onnx_proto.sh PATH/TO/protoc-gen-swift}
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install -q grpcio-tools
"$venv/bin/python" -m grpc_tools.protoc --plugin=protoc-gen-swift="$plugin" -I Protos \
  --swift_opt=Visibility=Internal --swift_out=Sources/Export/ONNX Protos/onnx-ml.proto
echo "wrote Sources/Export/ONNX/onnx-ml.pb.swift"
