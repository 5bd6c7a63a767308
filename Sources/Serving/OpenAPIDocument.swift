import AutoML
import MLData

/// The server's API as an OpenAPI 3.0 document, with the model's own columns in the predict request's
/// schema (`GET /openapi.json`).
enum OpenAPIDocument {
    static func make(for model: AutoMLModel) -> [String: Any] {
        let required = PredictInput.required(model).sorted()
        var properties: [String: Any] = [:]
        for c in model.schema {
            switch c.type {
            case .numeric: properties[c.name] = ["type": "number", "nullable": true]
            case .boolean: properties[c.name] = ["type": "boolean", "nullable": true]
            case .categorical: properties[c.name] = ["type": "string", "nullable": true]
            case .missing: properties[c.name] = ["nullable": true, "description": "every training value was missing; ignored"]
            }
        }
        let row: [String: Any] = ["type": "object", "properties": properties, "required": required, "additionalProperties": false]
        let prediction: [String: Any] = model.task.isClassification
            ? ["type": "string", "enum": model.classes] : ["type": "number", "nullable": true]
        var answer: [String: Any] = ["predictions": ["type": "array", "items": prediction]]
        if model.task.isClassification {
            answer["classes"] = ["type": "array", "items": ["type": "string"], "description": "with ?proba=true"]
            answer["probabilities"] = ["type": "array", "items": ["type": "array", "items": ["type": "number"]], "description": "with ?proba=true, in the order of classes"]
        }
        let error: [String: Any] = ["description": "the problem, named", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
        let json = { (schema: [String: Any]) -> [String: Any] in ["application/json": ["schema": schema]] }
        let plain: [String: Any] = ["text/plain": ["schema": ["type": "string"]]]
        return [
            "openapi": "3.0.3",
            "info": ["title": "MLForge model: \(model.targetName)", "version": AutoMLModel.version,
                     "description": "Predicts '\(model.targetName)' (\(model.task)) with the model folder `mlforge serve` was started on."],
            "components": [
                "schemas": ["Row": row, "Error": ["type": "object", "properties": ["error": ["type": "string"]], "required": ["error"]]],
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "only when the server was started with --api-key-file"]],
            ],
            "paths": [
                "/v1/predict": ["post": [
                    "summary": "Predict rows, in their order",
                    "parameters": [["name": "proba", "in": "query", "schema": ["type": "boolean"], "description": "add class probabilities"]],
                    "requestBody": ["required": true, "content": [
                        "application/json": ["schema": ["type": "object", "required": ["rows"], "additionalProperties": false,
                                                        "properties": ["rows": ["type": "array", "minItems": 1, "items": ["$ref": "#/components/schemas/Row"]]]]],
                        "text/csv": ["schema": ["type": "string", "description": "a header line of column names, then one line per row"]],
                    ]],
                    "responses": ["200": ["description": "the predictions", "content": json(["type": "object", "properties": answer])],
                                  "400": error, "401": error, "413": error, "415": error],
                ]],
                "/v1/model": ["get": ["summary": "The model: inputs, task, classes, metric, version",
                                      "responses": ["200": ["description": "the model", "content": json(["type": "object"])], "401": error]]],
                "/healthz": ["get": ["summary": "The process is up (never needs a key)", "responses": ["200": ["description": "ok", "content": plain]]]],
                "/readyz": ["get": ["summary": "A model is loaded", "responses": ["200": ["description": "ready", "content": json(["type": "object"])], "401": error]]],
                "/metrics": ["get": ["summary": "Prometheus metrics", "responses": ["200": ["description": "text format 0.0.4", "content": plain], "401": error]]],
                "/card": ["get": ["summary": "The model card (card.html)", "responses": ["200": ["description": "the card", "content": ["text/html": ["schema": ["type": "string"]]]], "401": error, "404": error]]],
                "/openapi.json": ["get": ["summary": "This document", "responses": ["200": ["description": "OpenAPI 3", "content": json(["type": "object"])], "401": error]]],
            ],
        ]
    }
}
