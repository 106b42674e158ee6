//===- Passes.td - dwsep transformation passes -------------*- tablegen -*-===//
//
// One pass per lib/Dialect/Dwsep/Transforms/<Name>.cpp, named after its flag.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_DIALECT_DWSEP_TRANSFORMS_PASSES_TD
#define DWSEP_DIALECT_DWSEP_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DwsepFuse : Pass<"dwsep-fuse", "func::FuncOp"> {
  let summary = "Fuse depthwise/pointwise pairs into dwsep.fused";
  let description = [{
    Runs on tensor-level dwsep (before bufferization). Rewrites a
    `dwsep.depthwise` whose result feeds a `dwsep.pointwise` (DW->PW), or a
    `dwsep.pointwise` feeding a `dwsep.depthwise` (PW->DW), into one
    `dwsep.fused` when:

    * the intermediate has a single use (a residual connection that also
      reads it keeps the pair apart);
    * both ops use the same layout (the first op's output layout is the
      second op's input layout);
    * the second op's `input_zp` equals the first op's requantization `zp`
      (the intermediate's zero point; the fused kernel has only one);
    * a known kernel variant with the ops' input and output layouts is
      legal for the shapes (`isLegal`, lib/Target/Variants.cpp) and its
      smallest tile fits the target's L1 budget.

    The fused op takes the first op's input and `input_zp`, the second op's
    destination, the intermediate's element type as `mid_type`, the first
    op's requantization as its half's and the second op's as the other
    half's; stride and padding are the depthwise op's. Among the legal
    variants with the written layouts the one with the fewest modelled
    cycles is chosen; `--dwsep-select-variant` revisits the choice (variant,
    layouts, or unfused) for the whole network.

    `fusion` selects the pairs: `none` (the layer-by-layer baseline, as
    DORY runs it), `dw-pw`, `pw-dw`, `all`, or `auto` (the default): fuse
    where the best legal variant, in any layout, is predicted to take fewer
    cycles than the two ops unfused, each in its best layout (depthwise
    typically CHW, pointwise HWC) with a relayout between them if the
    layouts differ. When a depthwise op could be fused both with its
    producer and with its consumer (an inverted residual block
    PW->DW->PW), the pairing with the larger predicted saving is taken.
    With `remarks`, every pair that is not fused gets a remark saying why
    (also in `-debug-only=dwsep-fuse`).
  }];
  let options = [
    Option<"fusion", "fusion", "std::string", /*default=*/"\"auto\"",
           "Pairs to fuse: none, dw-pw, pw-dw, all or auto">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark on every depthwise/pointwise pair left unfused">,
    Option<"variant", "variant", "unsigned", /*default=*/"0",
           "A variant --dwsep-select-variant will force (1..7, 0: none): "
           "fusion `all` or `auto` then fuses the pairs of its order (dw-pw "
           "or pw-dw), where a PW->DW->PW chain could pair either way">,
  ];
  let dependentDialects = ["::mlir::dwsep::DwsepDialect"];
}

def DwsepFoldBias : Pass<"dwsep-fold-bias", "func::FuncOp"> {
  let summary = "Fold constant biases into the requantizations";
  let description = [{
    Runs on tensor-level dwsep after `--dwsep-fold-zero-points` (which
    folds zero points into the biases) and before
    `--dwsep-bound-accumulators`. For each requantization of an op
    (`AccumulatorBoundOpInterface`: conv2d, depthwise, pointwise, linear,
    both halves of a fused op) whose weights and bias are constants,
    rewrites

      ((bias[c] + sum) * mult[c] + add[c] + round) >> shift[c]
        = (sum * mult[c] + (add[c] + bias[c] * mult[c]) + round) >> shift[c]

    and removes the bias (an absent bias is zero): the kernel's accumulators
    start at zero, and no tile stages a bias to L1 or L2 any more (one L2->L1
    transfer less per channel slice; the per-channel addend, when it was not
    per channel already, joins the staged requantization rows). Applied
    only where it is exact and not slower:

    * neither accumulator can wrap (docs/numerics.md section 3): for every
      channel, `max |x| * sum |w| + |bias|` fits an i32, which
      `--dwsep-bound-accumulators` would prove anyway;
    * every `add + bias * mult` fits the attribute's i32;
    * `rounding` is not `float32` (which has no addend);
    * the kernel's requantization mode (Requant.h: one 32-bit multiply-add,
      the high word of a product, the 64-bit formula) is not a slower one
      than before, with the bounds `--dwsep-bound-accumulators` would set.

    The result is the same bit for bit. Ops that compute a channel slice
    (`channel_offset`) are left as they are.
  }];
}

def DwsepBoundAccumulators
    : Pass<"dwsep-bound-accumulators", "func::FuncOp"> {
  let summary = "Prove bounds on the accumulators from constant weights";
  let description = [{
    Runs on tensor-level dwsep after `--dwsep-fold-zero-points`. For each
    requantization of an op that takes dot products of weights with its
    input or intermediate (`AccumulatorBoundOpInterface`: conv2d,
    depthwise, pointwise, linear and both halves of a fused op), with
    constant weights and bias, every accumulator of channel `c` is

      bias[c] + sum_t w[c][t] * (x_t - zp)

    with `|x_t - zp| <= R`: `R` the distance from the zero point to the
    farthest value of the input's element type, or of the first half's
    clamp range for the intermediate of a fused op (padding contributes 0).
    So `|acc| <= max_c (|bias[c]| + R * sum_t |w[c][t]|)`; when that is at
    most `2^31 - 1` it becomes the requantization's `acc_bound` (a smaller
    one already there stays). Nothing else changes: `acc_bound` lets
    `--dwsep-lower-kernels` requantize with a 32-bit multiply-add (one
    `p.mac` on XpulpV2) where the product and the addend provably fit in an
    i32, instead of a 64-bit product (RV32's `mulhsu`, 5 cycles on GAP8).
  }];
}

def DwsepRequantRows : Pass<"dwsep-requant-rows", "func::FuncOp"> {
  let summary = "Give per-channel requantization values to ops as a "
                "constant operand, to be staged with the weights";
  let description = [{
    Runs on tensor-level dwsep after `--dwsep-bound-accumulators` (the
    requantizations are final then). For every op of
    `RequantRowsOpInterface` (`dwsep.conv2d`, `dwsep.depthwise`,
    `dwsep.pointwise`, `dwsep.linear`, and `dwsep.fused` for each of its
    two requantizations) whose requantization has per-channel fields, sets
    its rows operand (`requant_rows`; a fused op's intermediate:
    `mid_requant_rows`) to the constant `[channels, fields]` array of those
    fields: the rows of its table (include/dwsep/Kernels/Requant.h),
    `i16` when every value fits a halfword, else `i32`.

    The rows then travel as the weights do: in the L3 image, staged to L2
    by `--dwsep-plan-memory` (sliced with a channel group) and to L1 by
    `--dwsep-tile` (sliced with a channel tile, beside the bias), and the
    kernel reads its channel's row in L1. `--dwsep-lower-kernels` keeps
    only the table's header (zero point, clamp, uniform fields) in the
    module's constant table. Without this pass the rows stay in that table
    (code memory: 22 KB of MobileNetV1 1.0@128's 110 KB; 19 KB of
    MobileNetV2 0.75@160's fused blocks). Rows already there must be the
    requantization's (the kernel computes with them, not with the
    attribute): constant rows that differ are an error naming the first
    value that does. Ops with a channel offset are left alone.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def DwsepFoldZeroPoints : Pass<"dwsep-fold-zero-points", "func::FuncOp"> {
  let summary = "Fold constant input zero points into the biases";
  let description = [{
    Runs on tensor-level dwsep after `--dwsep-fuse` and
    `--dwsep-select-variant`. For an op whose input zero point only enters
    a dot product (`ZeroPointFoldingOpInterface`: `dwsep.pointwise`,
    `dwsep.linear`, and the pointwise half of a `dwsep.fused`), with
    constant weights and bias, rewrites

      bias[o] + sum_i (x[i] - zp) * w[o][i]
        = (bias[o] - zp * sum_i w[o][i]) + sum_i x[i] * w[o][i]

    (every step `wrap32`, docs/numerics.md section 3): the bias becomes the
    constant `wrap32(bias[o] - zp * sum_i w[o][i])` and the op records the
    fold (`input_zp` 0; for a DW->PW `dwsep.fused`, whose pointwise half
    reads the intermediate with the first half's requantization `zp`,
    `pw_zp_folded`). The result is the same bit for bit; the kernel no
    longer sums each output channel's weights at run time, on every core
    and for every tile.

    `dwsep.depthwise` folds too (weights [kh, kw, C], summed per channel)
    and records it as `zp_folded`: its zero point still pads (a padding
    tap reads `input_zp`, whose product the folded sum takes back), so
    `input_zp` stays; a kernel no longer sums a channel's weights times the
    zero point (three dot products, a multiply and two additions a channel
    on XpulpV2). conv2d keeps its zero point, as do ops with non-constant
    weights or bias.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def DwsepSelectVariant : Pass<"dwsep-select-variant", "ModuleOp"> {
  let summary = "Choose kernel variants and activation layouts by the cost model";
  let description = [{
    Runs on tensor-level dwsep after `--dwsep-fuse`. For each function, the
    compute ops in program order are the stages of a dynamic program whose
    state is the layout (HWC or CHW) of every activation still to be read:

    * an unfused op (conv2d, depthwise, pointwise, add, avgpool) can run in
      either layout (it reads and writes one layout); `linear` reads HWC;
    * a `dwsep.fused` block can run as any legal known variant (its input
      and output layouts are the variant's), or unfused: its two halves as
      separate ops, each in either layout, with a relayout between them if
      they differ;
    * reading an activation in a layout it was not written in costs a
      `dwsep.relayout` of it.

    Every option is priced as `--dwsep-tile` will tile it: the best tile of
    `searchTile` under the target's L1 budget, its modelled cycles
    (`total_cycles`), L2<->L1 bytes as tie-break (docs/cost-model.md). The
    program minimises the network's total, not each op greedily. Function
    arguments and results keep the layouts they are written in; relayouts
    are inserted at the boundary if needed. Types are rewritten
    consistently: the shape is the memory shape (docs/design.md), so an
    activation that changes layout gets the permuted shape, and so do the
    destinations (`tensor.empty`) of the ops that write it.

    Each fused block's candidates (every legal variant and `unfused`, with
    predicted cycles and bytes and the winner) and each unfused op's layout
    candidates are recorded on the chosen (first) op as `dwsep.candidates`;
    `--dwsep-plan-memory` moves the attribute to the op's `dwsep.layer`, and
    `--dwsep-report` lists it.

    `variant` forces a choice for experiments: `1`..`7` (the paper's
    numbering, shared/gap8.md) makes every fused block that variant where
    it is legal and fits L1 (a remark names the blocks where it is not,
    which keep the cost model's choice); `unfused` splits every block.
  }];
  let options = [
    Option<"variant", "variant", "std::string", /*default=*/"\"\"",
           "Force a fused kernel variant (1..7) or unfused; empty: choose by "
           "the cost model">,
  ];
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::dwsep::DwsepDialect"];
}

def DwsepSetTarget : Pass<"dwsep-set-target", "ModuleOp"> {
  let summary = "Set or adjust the module's target description";
  let description = [{
    Writes the module's `dwsep.target` attribute: the `chip` preset (or,
    when `chip` is empty, the module's current target, GAP8 if it has none)
    with `cores`, `l1-size` and `l2-size` overridden where they are
    non-zero. Every later pass reads the hardware from that attribute, so
    this is how a pipeline is retargeted from the command line
    (`--dwsep-gap8-pipeline="cores=4"`). An unknown preset or a resulting
    target that fails the attribute's verifier (e.g. stacks that no longer
    fit L1) is an error.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"\"",
           "Preset to start from (gap8, gap9); empty: the module's target">,
    Option<"cores", "cores", "int64_t", /*default=*/"0",
           "Cluster cores that run kernels (0: keep)">,
    Option<"l1Size", "l1-size", "int64_t", /*default=*/"0",
           "L1 bytes (0: keep)">,
    Option<"l2Size", "l2-size", "int64_t", /*default=*/"0",
           "L2 bytes (0: keep)">,
    Option<"xpulpv2", "xpulpv2", "int64_t", /*default=*/"-1",
           "1: use GAP8's XpulpV2 instructions, 0: plain RV32IMC (-1: keep)">,
    Option<"bytePrice", "byte-price", "int64_t", /*default=*/"-1",
           "Milli-cycles the tile search and selection charge per byte "
           "moved between L2 and L1 (0: latency alone; -1: keep)">,
    Option<"rowsOuterMargin", "rows-outer-margin", "int64_t",
           /*default=*/"-1",
           "Percent by which a plan with the row tiles outer must beat the "
           "best plan with the slices outer for the tile search (under "
           "loop-order=auto) and selection to take it (0: the objective "
           "alone decides; -1: keep)">,
  ];
  let dependentDialects = ["::mlir::dwsep::DwsepDialect"];
}

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
    * Activations that do not fit in L2 go to L3: while placement fails,
      the largest activation in L2 live where it fails moves to an L3 region
      after the image (planned by lifetimes too). A layer that reads or
      writes an L3 activation runs in bands of output rows: the tallest
      bands (then balanced) whose L2 staging fits above everything else live
      during the layer. Each band is its own `dwsep.layer` (`<name>.bandK`):
      it fetches the input rows it needs (with the halo of its window)
      L3->L2, computes into an L2 staging buffer, writes that band back
      L2->L3, and waits; activations still in L2 are read and written in
      place through subviews. Weights are staged once, by the first band.
      Input bands alternate between two staging slots unless that would
      more than halve the band height, so that `--dwsep-pipeline-dma` can
      fetch band k + 1 while band k runs.
    * Conv2d, pointwise and linear weights above a quarter of L2 are staged
      in balanced groups of output channels. The equal groups of a layer
      that is not banded are one `dwsep.layer` in an `scf.for` over the
      group (`<name>.ch0-N`), the remainder group a layer after it
      (`<name>.chK`); each stages its slice of the weights and bias, writes
      its channels of the output in place, and reads the op's whole
      requantization from its first channel (`channel_offset`).
    * Each compute op (or band, or group), with the DMA that stages its
      weights, is wrapped in a `dwsep.layer`.
    * The function is rewritten to take the three arenas
      `(%l1: memref<Bxi8, #dwsep.level<l1>>, %l2: memref<Nxi8, #dwsep.level<l2>>,
      %l3: memref<Mxi8, #dwsep.level<l3>>)`: the L1 tile budget of the target,
      the L2 peak and the L3 arena (the image, then the function's L3
      activations). The level, offset and type of each original argument
      (inputs, then outputs) are recorded in `dwsep.arguments` (a list of
      `#dwsep.argument`), the sizes in
      `dwsep.l1_size`, `dwsep.l2_size` and `dwsep.l3_size` (the module's
      `dwsep.l3_size` is the image alone).

    A layer whose weights do not fit in L2, or which cannot stage even a
    band of one output row, and a network whose image and L3 activations
    exceed L3, are rejected with a diagnostic naming the op or tensor and
    the sizes.
  }];
  let options = [
    Option<"prefetchWeights", "prefetch-weights", "bool", /*default=*/"true",
           "Keep each layer's weight staging slot free during the previous "
           "layer too, so --dwsep-pipeline-dma can prefetch into it">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::dwsep::DwsepDialect"];
}

def DwsepTile : Pass<"dwsep-tile", "ModuleOp"> {
  let summary = "Tile every layer for L1 and move its data with explicit DMA";
  let description = [{
    For each compute op inside a `dwsep.layer` (operands in L2), searches the
    output tile (rows x channels) that minimises the modelled cycles of the
    target (`lib/Target/TilePlan.cpp`, docs/cost-model.md) under the L1
    budget (L1 minus core stacks, or `l1-budget`): double-buffered input
    and output tiles, the weights of the channel slice (both halves for a
    fused op), the fused kernel's intermediate scratch. Candidates include
    the shapes DORY favours (rows a multiple of the core count, channels a
    multiple of 4, all rows when they fit).

    The op is replaced by one run-time `scf.for` over its tiles (channel
    slice by slice, each slice's row tiles in order; or with the row tiles
    outer, row tile by row tile), which carries the slice and row tile as
    index values. A tile's class (its run of row tiles of one shape and
    padding: the padded first, the interior, the padded or remainder last;
    and whether its slice is the short last one) fixes its static shapes,
    and the code of each class is emitted once, in an `scf.index_switch` on
    the class that the loop computes from the tile's indices. Everything
    else is a run-time value of the index: the slice's
    first channel, the rows, the ping-pong buffers, and whether the tile is
    its slice's first (which fetches the slice's weights, under an `scf.if`
    where the class holds more tiles); a branch that starts no transfer
    yields `dwsep.dma_none`. Every tile keeps the layer's whole
    per-channel requantization and names its first output channel with the
    `channel_offset` operand (ChannelSliceOpInterface), so that the slices
    of a layer are one loop body and one table. Each tile fetches its input rows with the
    depthwise halo of (k - stride) rows and its weight slice L2->L1 with
    `dwsep.dma_start`, runs the same dwsep op on the L1 buffers (with the
    tile's own border padding), and writes the output tile L1->L2. L1
    buffers are `memref.view`s of the L1 arena at offsets fixed by the plan.
    The plan (tile, L1 bytes, predicted traffic and cycles) is recorded on
    the layer (`#dwsep.tile_plan`).

    A fused DW->PW op whose tiles of one row tile follow each other (row
    tiles outer, or one row tile with its input resident) computes its
    intermediate once per row tile: the tile of slice 0 runs both halves,
    the others carry `reuse_mid` and run the pointwise half on the
    intermediate the scratch holds (an `scf.if` on the slice index where it
    is not a constant). For such an op the search takes the row tiles outer
    under `loop-order=channels` too.

    With the row tiles outer, a plan may give a row tile's input one L1
    buffer instead of two (`one_input_buffer` on the layer, `r1` in the
    report): the room of the second goes to taller row tiles (fewer weight
    fetches) or wider slices, and the next row tile's input is fetched
    after the compute of the row tile's last slice, so nothing hides that
    transfer; the objective weighs both. `one-input-buffer=false` leaves
    such plans out.

    A whole input (one row tile: fetched by the first tile into one buffer
    and read by every tile, resident across the channel slices or the
    layer's only tile) is still in L1 after its layer. A layer in a loop
    over channel groups (`--dwsep-plan-memory`) whose body runs nothing
    else, reading the same activations every iteration, fetches it in the
    loop's first iteration only; the remainder group right after such a
    loop does not fetch it at all when it needs the same input at the same
    place in L1. Such a layer carries `input_kept_from` (1 in the loop, 0
    for the remainder), and its plan's `kept_act_l2_l1` / `kept_transfers`
    say what a kept instance does without; `--dwsep-report` checks each
    instance against that.
    `keep-inputs=false` fetches the input in every group.

    With `double-buffer` (the default) the transfers are software-pipelined
    as DORY does for unfused layers: tile k uses input/output buffer k % 2
    and channel slice s weight buffer s % 2; the input (and, at a slice
    boundary, the weights) of tile k + 1 are fetched while tile k computes,
    and tile k's write-back drains while tile k + 1 computes. The loop then
    runs once more than there are tiles: iteration j starts tile j's
    transfers (none past the last tile) and computes tile j - 1 (none in
    iteration 0), so that tile 0's transfers are the class code in the loop,
    not a copy before it (a layer of one tile is straight-line code). Every
    wait is placed immediately before the first access that needs it: the
    input wait before the compute, the previous write-back's wait before the
    next write-back reuses its buffer. The loop carries the in-flight
    tokens as iteration arguments. This is the `--dwsep-pipeline-dma` step of the
    design, done where the tile schedule is known (docs/design.md).

    A layer whose op can split its input channels (a linear layer: its
    accumulate form) and whose smallest tile over every input channel does
    not fit, or whose best such tile has fewer output channels than there
    are cores (which then idle), may get an input-feature (K) tiled plan (`tile = [1, channels,
    input channels]`, `1xC/K` in the report): every output channel's int32
    accumulator stays in L1, the bias is fetched into them first, and the
    tiles run K slice by K slice, each slice's channel slices inner (tile t
    is K slice t / S, channel slice t % S), so the input is fetched once.
    The tiles below the last K slice are the accumulate form (i32 `outs`
    equal to the bias operand, the slice's accumulators; the first slice
    without a bias operand when the op has none); the last K slice's tiles
    are the ordinary op, their bias the accumulators, their requantization
    rows fetched with them, and write their outputs back. Double-buffered:
    tile t's matrix block, rows and output use buffers t % 2, K slice k's
    input buffer k % 2.

    A layer whose smallest tile (one output row, one channel group) does not
    fit gets a diagnostic with the bytes needed and the budget.
  }];
  let options = [
    Option<"l1Budget", "l1-budget", "int64_t", /*default=*/"0",
           "L1 bytes for tile buffers (0: the target's L1 minus stacks)">,
    Option<"doubleBuffer", "double-buffer", "bool", /*default=*/"true",
           "Overlap DMA and compute with ping-pong buffers (false: fetch, "
           "compute and write back one tile at a time)">,
    Option<"loopOrder", "loop-order", "std::string",
           /*default=*/"\"auto\"",
           "Tile loop order where both apply: auto (the default: the "
           "search's objective decides, row tiles outer only by the "
           "target's rows_outer_margin; docs/cost-model.md), channels "
           "(output-channel slices outer) or rows (row tiles outer, on a "
           "tile shape that has several of both wherever one fits)">,
    Option<"keepInputs", "keep-inputs", "bool", /*default=*/"true",
           "Fetch a whole input once for a loop over channel groups and "
           "the remainder group after it (false: every group fetches it)">,
    Option<"oneInputBuffer", "one-input-buffer", "bool", /*default=*/"true",
           "Let plans with the row tiles outer keep a row tile's input in "
           "one L1 buffer, fetched after the row tile before (false: two "
           "buffers, the next row tile's input fetched under compute)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::dwsep::DwsepDialect"];
}

def DwsepPipelineDma : Pass<"dwsep-pipeline-dma", "ModuleOp"> {
  let summary = "Fetch each layer's weights from L3 while the previous layer runs";
  let description = [{
    Runs after `--dwsep-tile`. Each layer starts by staging its weights and
    biases L3->L2 (the slow micro-DMA from HyperRAM); this pass starts those
    transfers before the previous layer instead, so they are in flight while
    it computes, and leaves the wait where the layer needs the data. A
    transfer is moved only if its L2 staging slot overlaps none of the L2
    bytes the previous layer reads or writes (its activations and its own
    staging slots) and, for the input bands of a layer streamed from L3,
    its L3 source overlaps nothing the previous layer writes back to L3;
    `--dwsep-plan-memory` (with `prefetch-weights`, the default) plans the
    weight slots so that this holds.

    Inside a layer, tile i + 1 is fetched while tile i computes: that part of
    the pipelining is emitted by `--dwsep-tile` (`double-buffer`), which owns
    the tile schedule (docs/design.md). `--dwsep-report` checks both: it
    follows every token from its start to its wait, across layers.
  }];
  // Every pass reads #dwsep.target, which needs the dialect loaded even
  // when the module has no dwsep op yet.
  let dependentDialects = ["::mlir::dwsep::DwsepDialect"];
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
  // Every pass reads #dwsep.target, which needs the dialect loaded even
  // when the module has no dwsep op yet.
  let dependentDialects = ["::mlir::dwsep::DwsepDialect"];
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
    outgoing transfer still reads, and every transfer is waited for.

    A layer's modelled cycles are its tile plan's (`total_cycles`) plus its
    exposed L3 transfers: those it starts itself (band inputs and outputs,
    channel groups' weights) cost `l3_dma_latency` each plus their bytes at
    `l3_dma_bytes_per_cycle`; weights prefetched during the previous layer
    cost nothing. Also reports the L2 peak, the L3 image size and the L3
    activation region. `format=json` prints one JSON object; a layer that
    runs a fused kernel has its `variant` (layouts and split, as
    `--dwsep-lower-kernels` will lower it) and `variant_index` (1-7, 0 for
    a legal variant outside the paper's seven). The tile column marks row
    tiles outer with `r` and a whole input kept from the instance before
    (`input_kept_from`) with `k`; json has `rows_outer` and
    `input_kept_from`. The IR is not changed.

    A layer that carries `dwsep.candidates` (recorded by
    `--dwsep-select-variant`) also lists every option that was weighed for
    it (variants, unfused layouts, or the op's layouts) with its predicted
    cycles and L2<->L1 bytes; `*` (text) or `"chosen": true` (json, key
    `candidates`) marks the winner. A candidate's figures are its own; the
    choice also counts the relayouts it needs around it.
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "text or json">,
    Option<"outputFile", "output", "std::string", /*default=*/"\"-\"",
           "where to write the report (- is stdout)">,
  ];
  // Every pass reads #dwsep.target, which needs the dialect loaded even
  // when the module has no dwsep op yet.
  let dependentDialects = ["::mlir::dwsep::DwsepDialect"];
}

def DwsepLowerKernels : Pass<"dwsep-lower-kernels", "ModuleOp"> {
  let summary = "Lower L1 compute ops to calls of kernels, one per configuration";
  let description = [{
    Every dwsep compute op on L1 memrefs (after `--dwsep-tile`; every
    operand a view of the L1 arena) becomes a `func.call` of a kernel
    function `__dwsep_k_<configuration>`, created once per configuration
    and shared by every tile, remainder, channel slice and layer of that
    configuration (include/dwsep/Kernels/Kernels.h). The configuration is
    what the code depends on: window, strides, left padding, layouts,
    element signedness and innermost sizes (channels in HWC, width in CHW,
    which make neighbouring pixels and weight rows load immediates), weights
    rank, bias, the requantization mode and the work split. The call passes
    the rest as operands: the L1 arena, the byte offsets of input, output,
    weights and bias, the tile's sizes and top padding, the input zero
    point, the offset of the op's requantization table, and the table's
    header and uniform fields themselves (`RequantFields::operandWords`:
    zp, clamp bounds, the fields equal for all channels), so that a kernel
    reads only per-channel rows from memory.

    The requantization is docs/numerics.md section 4, bit-exact, planned at
    compile time (include/dwsep/Kernels/Requant.h): the rounding term,
    addend and zero point are folded into per-channel values, and when
    every shift can be made at least 32 (by scaling the multiplier) the
    64-bit intermediate is only the high word of a 32 x 32 -> 64 multiply
    followed by 32-bit operations; otherwise the general 64-bit formula.
    The values of all ops live in one constant global `__dwsep_rq`: per op
    zp, clamp bounds, the fields equal for all channels, then one row per
    channel of the others; when every per-channel value fits 16 bits, the
    rows are halfwords in `__dwsep_rq16` instead (the header holds their
    offset). A tile with a `channel_offset` reads the rows from that
    channel on. Kernels take the L1 arena as a bare pointer. One parameterised window kernel serves conv2d,
    depthwise, pointwise, avgpool and linear, in either layout; add and
    relayout are elementwise. A fused op is two window kernel calls through
    an L1 scratch buffer at the tile plan's `scratch_offset`, in the
    variant's intermediate layout.

    Work is split over the target's cores with one `scf.parallel` over the
    core index inside the kernel: depthwise kernels (and the depthwise half
    of a fused kernel split by channels) by channels, everything else by
    output rows, the way PULP-NN splits its kernels. Unsigned (`ui8`)
    activations are read through signless views of the same L1 bytes and
    zero-extended.

    A kernel's configuration includes its activations' innermost sizes (the
    channel counts of HWC tiles), which the asm's load and store
    immediates use. Depthwise and pointwise kernels with an HWC output can
    take its channel count as the operand instead (their asm stores step by
    a register); on XpulpV2 a pointwise kernel then takes its HWC input's
    channel count (a multiple of 4, at least 16) as an operand too, its dot
    loops walking the pixels and weight rows with register post-increment
    loads (`ActConfig::words`, `emitDotLoopStrided`), so that pointwise
    layers of different widths share one kernel. `share` chooses where:
    `none` (the default) nowhere;
    `size` where two or more kernels would differ in it alone (one kernel
    then serves them); `rows` the same but for pointwise kernels split by
    channels (tiles of few pixels, whose per-fork set-up folds with a
    static count); `all` everywhere. Merged kernels cost cycles
    (docs/design.md): the toolchain asks for `size` when a network's code
    does not fit GAP8's L2.
  }];
  let options = [
    Option<"share", "share", "std::string", /*default=*/"\"none\"",
           "Depthwise and pointwise kernels that take their HWC output's "
           "channel count (and XpulpV2 pointwise ones their input's) as an "
           "operand: none, rows (where that merges kernels, but pointwise "
           "ones split by channels), size (where that merges kernels), "
           "all">,
  ];
  let dependentDialects = ["::mlir::dwsep::DwsepDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def DwsepOutlineLayers : Pass<"dwsep-outline-layers", "ModuleOp"> {
  let summary = "Give each layer's control code a function of its own";
  let description = [{
    Moves the body of every `dwsep.layer` (after `--dwsep-lower-kernels`: its
    tile loops, DMA transfers and kernel calls) into a private function
    `<function>__<layer>` marked `dwsep.layer_body = "<layer>"`, and leaves
    in the layer, with its attributes, the call of that function. The
    function takes what the body uses from outside and cannot recompute:
    the arenas (as bare pointers, `llvm.bareptr`), the indices of enclosing
    loops (a layer's channel groups) and the tokens of transfers started
    before the layer (its prefetched weights); constants and views are
    rematerialised inside (include/dwsep/Support/Captures.h). A layer whose
    body would need another memref, which a bare pointer cannot carry, stays
    as it is.

    Why: `--dwsep-to-llvm` lowers each function on its own and compiles the
    object in pieces of whole functions, both on the context's threads. A
    network's entry point holds all its layers' control code (MobileNetV1
    1.0@224: ~7,800 lines of LLVM dialect), which bounded both to one
    thread. `--dwsep-to-llvm` compiles these functions like the entry points
    (for size) and keeps them local to the object and out of line. Cost:
    a call, a frame and the saved registers per layer (docs/design.md,
    nineteenth session).

    Example:

    ```mlir
    dwsep.layer "pointwise_1" {
      dwsep.dma_wait %t
      scf.for ... { ... func.call @__dwsep_k_...(%l1, ...) ... }
    }
    // becomes
    dwsep.layer "pointwise_1" {
      func.call @net__pointwise_1(%l1, %l2, %t) : (...) -> ()
    }
    func.func private @net__pointwise_1(...) attributes {
        dwsep.layer_body = "pointwise_1", llvm.bareptr} { ... }
    ```
  }];
  let dependentDialects = ["::mlir::dwsep::DwsepDialect",
                           "::mlir::func::FuncDialect"];
}

#endif // DWSEP_DIALECT_DWSEP_TRANSFORMS_PASSES_TD
