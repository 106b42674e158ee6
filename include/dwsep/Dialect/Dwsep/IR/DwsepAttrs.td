//===- DwsepAttrs.td - dwsep attributes --------------------*- tablegen -*-===//

#ifndef DWSEP_DIALECT_DWSEP_IR_DWSEPATTRS_TD
#define DWSEP_DIALECT_DWSEP_IR_DWSEPATTRS_TD

include "dwsep/Dialect/Dwsep/IR/DwsepDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Dwsep_Layout : I32EnumAttr<"Layout", "physical layout of an activation", [
    I32EnumAttrCase<"hwc", 0>, I32EnumAttrCase<"chw", 1>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::dwsep";
}

def Dwsep_MemoryLevel : I32EnumAttr<"MemoryLevel", "level of the memory hierarchy", [
    I32EnumAttrCase<"l1", 1>, I32EnumAttrCase<"l2", 2>, I32EnumAttrCase<"l3", 3>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::dwsep";
}

def Dwsep_Rounding : I32EnumAttr<"Rounding", "requantization rounding mode", [
    I32EnumAttrCase<"floor", 0>, I32EnumAttrCase<"half_up", 1>,
    I32EnumAttrCase<"double_round", 2>, I32EnumAttrCase<"float32", 3>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::dwsep";
}

def Dwsep_FusionOrder : I32EnumAttr<"FusionOrder", "order of a fused pair", [
    I32EnumAttrCase<"dw_pw", 0>, I32EnumAttrCase<"pw_dw", 1>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::dwsep";
}

def Dwsep_SplitKind : I32EnumAttr<"SplitKind",
    "how a fused kernel walks its tile and splits work over cores", [
    I32EnumAttrCase<"rows", 0>, I32EnumAttrCase<"channels", 1>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::dwsep";
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class Dwsep_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Dwsep_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Dwsep_ArgumentKind : I32EnumAttr<"ArgumentKind",
    "whether an entry point's argument is read or written", [
    I32EnumAttrCase<"input", 0>, I32EnumAttrCase<"output", 1>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::dwsep";
}

def Dwsep_LayoutAttr : EnumAttr<Dwsep_Dialect, Dwsep_Layout, "layout"> {
  let summary = "Physical layout of an activation: `hwc` or `chw`";
  let description = [{
    `hwc` stores element (y, x, c) at `(y * W + x) * C + c` (channels
    innermost, what pointwise kernels want); `chw` stores it at
    `(c * H + y) * W + x` (each channel plane contiguous, what depthwise
    kernels want). Example: `#dwsep.layout<chw>`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Dwsep_MemoryLevelAttr : EnumAttr<Dwsep_Dialect, Dwsep_MemoryLevel, "level"> {
  let summary = "Level of the GAP8 memory hierarchy, usable as memref memory space";
  let description = [{
    `l1` is the cluster's shared scratchpad (the only memory compute kernels
    touch), `l2` the SoC memory, `l3` the external HyperRAM/HyperFlash that
    only DMA reaches. Example: `memref<16x16x8xi8, #dwsep.level<l1>>`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Dwsep_RequantAttr : Dwsep_Attr<"Requant", "requant"> {
  let summary = "Per-output-channel requantization of an int32 accumulator";
  let description = [{
    Maps an int32 accumulator `acc` of output channel `c` to the output
    type, exactly as docs/numerics.md specifies (64-bit intermediate):

    ```
    v = acc * mult[c] + add[c]          (int64)
    v += rounding term (floor: 0; half_up: 2^(shift[c]-1);
                        double_round: TOSA's double rounding)
    y = clamp((v >> shift[c]) + zp, clamp[0], clamp[1])
    ```

    `rounding = float32` is ONNX Runtime's requantization instead:
    `y = clamp(nearbyint(float32(float32(acc) * S)) + zp, ...)` with the
    float32 scale `S = mult[c] * 2^-shift[c]` (so each `mult` has at most 24
    significant bits and `add` is zero), rounded half to even
    (docs/numerics.md section 4.4).

    `mult`, `shift` and `add` hold either one value (per tensor) or one value
    per output channel. `add` defaults to zeros, `zp` to 0 and `rounding` to
    `half_up`.

    `acc_bound = B` (optional, 0 < B <= 2^31) promises that every accumulator
    the op requantizes lies in `[-B, B]`, whatever its input values:
    `--dwsep-bound-accumulators` proves it from constant weights and biases.
    It changes no result; kernels use it to requantize in 32-bit arithmetic
    (`acc * mult + add + round` fits an i32) instead of a 64-bit product. TOSA's `tosa.rescale` and PULP-NN's folded batch norm
    `clip((k * acc + l) >> d)` are both exact instances.

    Example (PULP-NN style, ReLU folded into the clamp):

    ```mlir
    #dwsep.requant<mult = [3, 5], shift = [8], add = [128, -64],
                   clamp = [0, 255], rounding = floor>
    ```
  }];
  let parameters = (ins
    ArrayRefParameter<"int32_t", "multiplier per channel (or one)">:$mult,
    ArrayRefParameter<"int32_t", "right shift per channel (or one), 0..62">:$shift,
    ArrayRefParameter<"int32_t", "addend per channel (or one)">:$add,
    "int32_t":$zp,
    "int32_t":$clampMin,
    "int32_t":$clampMax,
    "::mlir::dwsep::Rounding":$rounding,
    "int64_t":$accBound
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of channels the parameters describe (1 = per tensor).
    int64_t getNumChannels() const;
    /// True if the parameter arrays can describe `channels` output channels.
    bool isCompatibleWith(int64_t channels) const;
    int32_t getMultFor(int64_t c) const { return getMult()[getMult().size() == 1 ? 0 : c]; }
    int32_t getShiftFor(int64_t c) const { return getShift()[getShift().size() == 1 ? 0 : c]; }
    int32_t getAddFor(int64_t c) const { return getAdd()[getAdd().size() == 1 ? 0 : c]; }
    /// Applies the requantization to `acc` for channel `c` (docs/numerics.md).
    int64_t apply(int32_t acc, int64_t c) const;
    /// The same requantization with `acc_bound` = `bound` (0: none).
    RequantAttr withAccBound(int64_t bound) const;
  }];
}

def Dwsep_VariantAttr : Dwsep_Attr<"Variant", "variant"> {
  let summary = "Kernel variant of a fused depthwise/pointwise pair";
  let description = [{
    A fused kernel is described by data, not by a name: the order of the two
    halves, the layouts of the input, of the L1-resident intermediate and of
    the output, and how the kernel walks a tile (`rows`: batches or a sliding
    window of output rows; `channels`: batches of intermediate channels over
    the whole spatial tile). The seven kernels of the SAMOS 2024 paper are
    instances (see `getKnownVariants()`); the verifier rejects combinations
    that cannot be computed, e.g. a DW->PW kernel split by channels (the
    pointwise half needs every channel).

    Example: `#dwsep.variant<pw_dw, input = hwc, mid = chw, output = hwc, split = channels>`
  }];
  let parameters = (ins
    EnumParameter<Dwsep_FusionOrder>:$order,
    EnumParameter<Dwsep_Layout>:$input,
    EnumParameter<Dwsep_Layout>:$mid,
    EnumParameter<Dwsep_Layout>:$output,
    EnumParameter<Dwsep_SplitKind>:$split
  );
  let assemblyFormat = "`<` $order `,` struct($input, $mid, $output, $split) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The seven fused kernels of Daghero et al. (SAMOS 2024), numbered as in
    /// shared/gap8.md (index 0 is variant 1).
    static ::llvm::SmallVector<VariantAttr, 7>
    getKnownVariants(::mlir::MLIRContext *ctx);
    /// 1-based number of this variant among the known ones, 0 if none.
    unsigned getKnownIndex() const;
  }];
}

def Dwsep_TargetAttr : Dwsep_Attr<"Target", "target"> {
  let summary = "Description of the target cluster and memory hierarchy";
  let description = [{
    Every number a pass needs about the hardware comes from this attribute,
    which is attached to the module as `dwsep.target` (GAP8 when absent).
    A named preset supplies defaults and any field can be overridden:

    ```mlir
    module attributes {dwsep.target = #dwsep.target<"gap8">} {}
    module attributes {dwsep.target = #dwsep.target<"gap9", l1_size = 120000>} {}
    module attributes {dwsep.target = #dwsep.target<"custom", l1_size = 32768,
        l2_size = 262144, l3_size = 0, stack_main = 2048, stack_worker = 1024,
        cores = 4, l2_dma_bytes_per_cycle = 8, l2_dma_latency = 10,
        l3_dma_bytes_per_cycle = 1, l3_dma_latency = 100>} {}
    ```

    Fields (bytes, cycles of the cluster clock):
    * `l1_size`, `l2_size`, `l3_size`: capacity of each level (`l3_size = 0`
      means no external memory);
    * `stack_main`, `stack_worker`: L1 stack of core 0 and of each other
      core; the L1 budget for tiles is
      `l1_size - stack_main - (cores - 1) * stack_worker`;
    * `cores`: cluster cores that run kernels;
    * `l2_dma_bytes_per_cycle`, `l2_dma_latency`: cluster DMA (L2<->L1)
      bandwidth and per-transfer latency;
    * `l3_dma_bytes_per_cycle`, `l3_dma_latency`: the same for L3<->L2;
    * `xpulpv2`: 1 if the cores implement GAP8's XpulpV2 extensions (4-way
      int8 dot products `pv.sdotsp.b`/`pv.sdotusp.b`, `p.min`/`p.max`), which
      the kernels then use; 0 for plain RV32IMC (QEMU, other RISC-V cores);
    * kernel costs, what the cost model charges for the code
      `--dwsep-lower-kernels` emits, per core: `<class>_mac` (milli-cycles
      per multiply-accumulate, or per tap of a pool) and `<class>_out`
      (milli-cycles per output element: requantization, stores, loop
      overhead) for the classes `conv_hwc`, `conv_chw`, `pointwise_hwc`,
      `pointwise_chw`, `depthwise_hwc`, `depthwise_chw`, `linear`, `add`,
      `avgpool_hwc`, `avgpool_chw`, `relayout_hwc`, `relayout_chw` (by the
      layout the kernel reads), plus
      `fork_cycles` (one work split over the cores: wake-up and barrier) and
      `tile_cycles` (per tile: loop, DMA programming and waits).
      `bench/calibrate.py` measures them on the GAP8 virtual platform. A
      target that is not a preset takes GAP8's unless it sets them.
    * two policies the tile search and variant selection both read, set
      like the costs (docs/cost-model.md): `byte_price`, milli-cycles
      charged per byte moved between L2 and L1 on top of the modelled
      cycles (100 on the presets; 0: latency alone decides), and
      `rows_outer_margin`, the percent by which a plan with the row tiles
      outer must beat the best plan with the output-channel slices outer
      to be taken (10 on the presets; in [0, 100)).

    Presets: `gap8` (64 KiB L1, 512 KiB L2, 8 MiB HyperRAM, 8 cores, XpulpV2, stacks
    3500 B for core 0 as DORY and 2560 B for each other core, which the
    generated code needs under 2 KB of; L2 DMA 4 B/cycle and 407 cycles per transfer and
    the kernel costs, both measured on GVSoC by bench/calibrate.py) and `gap9` (128 KiB L1,
    1.5 MiB L2, 9 cores, uncalibrated kernel costs, DMA 8 B/cycle and 10
    cycles as DORY's model). The L3 figures are assumptions
    (docs/design.md).
  }];
  let parameters = (ins
    StringRefParameter<"preset the defaults came from">:$name,
    "int64_t":$l1Size, "int64_t":$l2Size, "int64_t":$l3Size,
    "int64_t":$stackMain, "int64_t":$stackWorker, "int64_t":$cores,
    "int64_t":$l2DmaBytesPerCycle, "int64_t":$l2DmaLatency,
    "int64_t":$l3DmaBytesPerCycle, "int64_t":$l3DmaLatency,
    "int64_t":$xpulpv2,
    ArrayRefParameter<"int64_t", "kernel costs, indexed by KernelCost">:$costs
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The preset of that name, or null if there is none.
    static TargetAttr getPreset(::mlir::MLIRContext *ctx, ::llvm::StringRef name);
    static TargetAttr getGAP8(::mlir::MLIRContext *ctx) { return getPreset(ctx, "gap8"); }
    static TargetAttr getGAP9(::mlir::MLIRContext *ctx) { return getPreset(ctx, "gap9"); }
    /// A kernel cost (KernelCost in dwsep/Target/TilePlan.h indexes them).
    int64_t getCost(unsigned index) const { return getCosts()[index]; }
    /// L1 bytes available for tile buffers (L1 minus all core stacks).
    int64_t getL1Budget() const {
      return getL1Size() - getStackMain() - (getCores() - 1) * getStackWorker();
    }
    /// The target of the module enclosing `op` (attribute `dwsep.target`),
    /// GAP8 if none is set.
    static TargetAttr lookup(::mlir::Operation *op);
    static constexpr ::llvm::StringLiteral kAttrName = "dwsep.target";
  }];
}

/// An array parameter printed and parsed as `[a, b, ...]`.
class Dwsep_ListParameter<string elem, string desc>
    : ArrayRefParameter<elem, desc> {
  let parser = "parseBracketedList<" # elem # ">($_parser)";
  let printer = "printBracketedList<" # elem # ">($_printer, $_self)";
}

def Dwsep_ArgumentAttr : Dwsep_Attr<"Argument", "argument"> {
  let summary = "Where an entry point's input or output lives after memory planning";
  let description = [{
    One entry of an entry point's `dwsep.arguments` (set by
    `--dwsep-plan-memory`, in the order of the original function's
    arguments, inputs then outputs): whether the caller writes it
    (`input`) or reads it (`output`), the arena it lives in (`l2`, or `l3`
    when it does not fit in L2), its byte offset there and its type (a
    static memref of rank <= 4 with elements of whole bytes).
    `--dwsep-to-llvm` writes them into the header's `<entry>_args` table
    and checks that each lies in its arena.

    ```mlir
    func.func @net(...) attributes {dwsep.arguments = [
        #dwsep.argument<kind = input, level = l2, offset = 0, type = memref<8x8x16xi8>>,
        #dwsep.argument<kind = output, level = l3, offset = 4096, type = memref<1000xi8>>]}
    ```
  }];
  let parameters = (ins EnumParameter<Dwsep_ArgumentKind>:$kind,
                        EnumParameter<Dwsep_MemoryLevel>:$level,
                        "int64_t":$offset, "::mlir::MemRefType":$type);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The attribute of an entry point that lists them.
    static constexpr ::llvm::StringLiteral kAttrName = "dwsep.arguments";
  }];
}

def Dwsep_TilePlanAttr : Dwsep_Attr<"TilePlan", "tile_plan"> {
  let summary = "What a layer's tile plan predicts: traffic, transfers, cycles, work";
  let description = [{
    Set by `--dwsep-tile` on each `dwsep.layer` it tiles (attribute `plan`)
    and read by `--dwsep-report`, which checks the DMA ops of the layer
    against the predicted traffic and exports the work for
    `bench/calibrate.py`. All values are of one instance of the layer (a
    layer in a loop over channel groups runs several).

    * `act_l2_l1`, `weights_l2_l1`, `act_l1_l2`: bytes moved by the cluster
      DMA, activations from L2, weights from L2, activations to L2;
    * `transfers`: DMA transfers (both directions);
    * `compute_cycles`, `dma_cycles`, `total_cycles`: modelled cycles of
      all tiles' compute, of all transfers, and of the layer with double
      buffering overlapping the two;
    * `macs`, `outs`: the busiest core's multiply-accumulates and output
      elements per cost class (the order of the target's `<class>_mac`
      costs), before pricing; `forks`: work splits over the cores;
      `tiles`: tiles (each charged `tile_cycles`); `exposed_dma_cycles`:
      the DMA cycles compute does not hide;
    * `kept_act_l2_l1`, `kept_transfers` (0 if absent): the bytes and
      transfers, among `act_l2_l1` and `transfers`, of a whole input
      that an instance does without when it finds that input in L1 already
      (`dwsep.layer`'s `input_kept_from`: the instance before it, of the
      same channel-group loop or of the loop just before, left it there).

    ```mlir
    dwsep.layer "pointwise_1" attributes {plan = #dwsep.tile_plan<
        act_l2_l1 = 4096, weights_l2_l1 = 2048, act_l1_l2 = 8192,
        transfers = 6, compute_cycles = 9000, dma_cycles = 4500,
        total_cycles = 10000, macs = [0, 0, 65536, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        outs = [0, 0, 1024, 0, 0, 0, 0, 0, 0, 0, 0, 0], forks = 2,
        tiles = 2, exposed_dma_cycles = 900>} { ... }
    ```
  }];
  let parameters = (ins
    "int64_t":$act_l2_l1, "int64_t":$weights_l2_l1, "int64_t":$act_l1_l2,
    "int64_t":$transfers, "int64_t":$compute_cycles, "int64_t":$dma_cycles,
    "int64_t":$total_cycles,
    Dwsep_ListParameter<"int64_t", "busiest core's MACs per cost class">:$macs,
    Dwsep_ListParameter<"int64_t", "busiest core's outputs per cost class">:$outs,
    "int64_t":$forks, "int64_t":$tiles, "int64_t":$exposed_dma_cycles,
    DefaultValuedParameter<"int64_t", "0">:$kept_act_l2_l1,
    DefaultValuedParameter<"int64_t", "0">:$kept_transfers
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Dwsep_CandidateAttr : Dwsep_Attr<"Candidate", "candidate"> {
  let summary = "One option `--dwsep-select-variant` weighed, with its cost";
  let description = [{
    A fused variant or the unfused layouts of a block (`name`, as the report
    prints it) with the cycles and L2<->L1 bytes the tile search predicted
    for it: `#dwsep.candidate<"variant 2", cycles = 100021, bytes = 53248>`.
  }];
  let parameters = (ins StringRefParameter<"the option's name">:$name,
                        "int64_t":$cycles, "int64_t":$bytes);
  let assemblyFormat = "`<` $name `,` struct($cycles, $bytes) `>`";
}

def Dwsep_ChoiceAttr : Dwsep_Attr<"Choice", "choice"> {
  let summary = "The options weighed for a layer or block and the one chosen";
  let description = [{
    Recorded by `--dwsep-select-variant` on the first op of what it chose
    (attribute `dwsep.candidates`), carried to the layer by
    `--dwsep-plan-memory` and listed by `--dwsep-report`. `chosen` indexes
    `candidates`.

    ```mlir
    {dwsep.candidates = #dwsep.choice<chosen = 1, candidates = [
        #dwsep.candidate<"variant 1", cycles = 143889, bytes = 61440>,
        #dwsep.candidate<"variant 2", cycles = 100021, bytes = 53248>]>}
    ```
  }];
  let parameters = (ins "int64_t":$chosen,
                        Dwsep_ListParameter<"CandidateAttr", "the options">:$candidates);
  let assemblyFormat = "`<` struct($chosen, $candidates) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    static constexpr ::llvm::StringLiteral kAttrName = "dwsep.candidates";
  }];
}

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPATTRS_TD
