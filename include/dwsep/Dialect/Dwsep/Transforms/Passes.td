//===- Passes.td - dwsep transformation passes -------------*- tablegen -*-===//
//
// One pass per lib/Dialect/Dwsep/Transforms/<Name>.cpp, named after its flag.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_DIALECT_DWSEP_TRANSFORMS_PASSES_TD
#define DWSEP_DIALECT_DWSEP_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DwsepPlanMemory : Pass<"dwsep-plan-memory", "ModuleOp"> {
  let summary = "Place every buffer in L2 or L3 at a static offset";
  let description = [{
    Runs on bufferized functions (`one-shot-bufferize` with
    `bufferize-function-boundaries`, then `buffer-results-to-out-params`
    with `hoist-static-allocs`) whose compute ops are dwsep ops on memrefs
    and whose weights and biases are constants (`memref.get_global` of
    constant globals).

    * Activations (function arguments and `memref.alloc`s) get offsets in one
      L2 arena. Offsets come from lifetimes in program order: two buffers
      share bytes only if their lifetimes are disjoint (ping-pong between
      consecutive layers falls out of this).
    * Weights and biases live in the L3 image (each constant global gets an
      offset, `dwsep.l3_offset`); each layer streams the ones it uses into
      L2 staging slots, which are planned in the same arena, live only
      during that layer.
    * Each compute op, with the DMA that stages its weights, is wrapped in a
      `dwsep.layer`.
    * The function is rewritten to take the three arenas
      `(%l1: memref<Bxi8, #dwsep.level<l1>>, %l2: memref<Nxi8, #dwsep.level<l2>>,
      %l3: memref<Mxi8, #dwsep.level<l3>>)`: the L1 tile budget of the target,
      the L2 peak and the image size. The offsets and types of the original
      arguments (inputs, then outputs) are recorded in `dwsep.arguments`, the
      sizes in `dwsep.l1_size`, `dwsep.l2_size` and `dwsep.l3_size`.

    A network whose L2 peak exceeds the target's L2, or whose image exceeds
    L3, is rejected with a diagnostic naming the tensor that does not fit
    and the sizes. Activations that do not fit in L2 are not yet streamed
    from L3.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::dwsep::DwsepDialect"];
}

def DwsepTile : Pass<"dwsep-tile", "ModuleOp"> {
  let summary = "Tile every layer for L1 and move its data with explicit DMA";
  let description = [{
    For each compute op inside a `dwsep.layer` (operands in L2), searches the
    output tile (rows x channels) that minimises the modelled cycles of the
    target (`lib/Target/CostModel.cpp`, docs/cost-model.md) under the L1
    budget (L1 minus core stacks, or `l1-budget`): double-buffered input
    and output tiles, the weights of the channel slice (both halves for a
    fused op), the fused kernel's intermediate scratch. Candidates include
    the shapes DORY favours (rows a multiple of the core count, channels a
    multiple of 4, all rows when they fit).

    The op is replaced by loops over tiles: channel tiles are unrolled (each
    gets its slice of per-channel requantization), row tiles are an
    `scf.for` over the interior tiles with the first and last (padded or
    remainder) tiles peeled. Each tile fetches its input rows with the
    depthwise halo of (k - stride) rows and its weight slice L2->L1 with
    `dwsep.dma_start`, runs the same dwsep op on the L1 buffers (with the
    tile's own border padding), and writes the output tile L1->L2. L1
    buffers are `memref.view`s of the L1 arena at offsets fixed by the plan.
    The plan (tile, L1 bytes, predicted traffic and cycles) is recorded on
    the layer.

    With `double-buffer` (the default) the transfers are software-pipelined
    as DORY does for unfused layers: tile k uses input/output buffer k % 2
    and channel slice s weight buffer s % 2; the input (and, at a slice
    boundary, the weights) of tile k + 1 are fetched while tile k computes,
    and tile k's write-back drains while tile k + 1 computes. Every wait is
    placed immediately before the first access that needs it: the input wait
    before the compute, the previous write-back's wait before the next
    write-back reuses its buffer. Loops carry the in-flight tokens as
    iteration arguments. This is the `--dwsep-pipeline-dma` step of the
    design, done where the tile schedule is known (docs/design.md).

    A layer whose smallest tile (one output row, one channel group) does not
    fit gets a diagnostic with the bytes needed and the budget.
  }];
  let options = [
    Option<"l1Budget", "l1-budget", "int64_t", /*default=*/"0",
           "L1 bytes for tile buffers (0: the target's L1 minus stacks)">,
    Option<"doubleBuffer", "double-buffer", "bool", /*default=*/"true",
           "Overlap DMA and compute with ping-pong buffers (false: fetch, "
           "compute and write back one tile at a time)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::dwsep::DwsepDialect"];
}

def DwsepCheckMemory : Pass<"dwsep-check-memory", "ModuleOp"> {
  let summary = "Prove that compute touches L1 only and every plan fits";
  let description = [{
    A static check to run after tiling, before lowering; it fails loudly:
    * every dwsep compute op reads and writes memrefs in L1 only;
    * nothing but `dwsep.dma_start` touches L3 (no load, store, copy or
      compute on an L3 memref);
    * every L1 buffer lies inside the L1 arena and every layer's
      `l1_bytes` is within the target's L1 budget;
    * the L2 arena fits the target's L2 and the L3 image its L3.
  }];
}

def DwsepReport : Pass<"dwsep-report", "ModuleOp"> {
  let summary = "Report tiles, memory use and DMA traffic per layer";
  let description = [{
    For every `dwsep.layer`: the tile, L1 bytes, and the bytes moved per
    level and direction (L3->L2, L2->L1, L1->L2, L2->L3) split into
    activations and weights, and the number of transfers, counted from the
    DMA ops in the IR (loop trip counts included). When the layer carries a
    tile plan, the counts must equal the plan's prediction; a mismatch is an
    error. It also proves the tiled code well-formed by running its schedule
    (loops unrolled, offsets and tokens evaluated): every output element is
    written exactly once, no compute touches L1 bytes whose transfer is
    still in flight, no transfer or compute overwrites L1 bytes an
    outgoing transfer still reads, and every transfer is waited for. Also reports the L2 peak and the L3 image size. `format=json`
    prints one JSON object. The IR is not changed.
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "text or json">,
    Option<"outputFile", "output", "std::string", /*default=*/"\"-\"",
           "where to write the report (- is stdout)">,
  ];
}

#endif // DWSEP_DIALECT_DWSEP_TRANSFORMS_PASSES_TD
