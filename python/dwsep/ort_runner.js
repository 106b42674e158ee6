// Runs an ONNX model with ONNX Runtime (the npm package onnxruntime-node,
// which .ci/setup installs into the build directory) for dwsep.ort.
// stdin: {"model": path, "inputs": {name: {"type", "dims", "data": base64}}}
// stdout: {"outputs": {name: {"type", "dims", "data": base64}}}
const ort = require("onnxruntime-node");

const ARRAYS = {
  uint8: Uint8Array, int8: Int8Array, int32: Int32Array, float32: Float32Array,
};

async function main() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  const request = JSON.parse(text);
  const session = await ort.InferenceSession.create(request.model, {
    graphOptimizationLevel: request.optimization || "all",
    executionProviders: ["cpu"],
    intraOpNumThreads: 1,
  });
  const feeds = {};
  for (const [name, t] of Object.entries(request.inputs)) {
    const bytes = Buffer.from(t.data, "base64");
    const Array_ = ARRAYS[t.type];
    const data = new Array_(bytes.buffer, bytes.byteOffset,
                            bytes.length / Array_.BYTES_PER_ELEMENT);
    feeds[name] = new ort.Tensor(t.type, data.slice(), t.dims);
  }
  const results = await session.run(feeds);
  const outputs = {};
  for (const [name, t] of Object.entries(results)) {
    const buf = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    outputs[name] = {type: t.type, dims: t.dims, data: buf.toString("base64")};
  }
  process.stdout.write(JSON.stringify({outputs}));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + "\n");
  process.exit(1);
});
