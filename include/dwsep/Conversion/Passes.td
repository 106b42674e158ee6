//===- Passes.td - Conversions into and out of dwsep -------*- tablegen -*-===//
//
// One pass per lib/Conversion/<From>To<To>/ directory.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_CONVERSION_PASSES_TD
#define DWSEP_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def DwsepFromTosa : Pass<"dwsep-from-tosa", "::mlir::ModuleOp"> {
  let summary = "Import TOSA int8 networks into dwsep ops";
  let description = [{
    The first step of the GAP8 pipeline for TOSA input (docs/import.md).
    Rewrites the int8 TOSA 1.0 chains of a quantized depthwise-separable
    network into dwsep ops on rank-3 `hwc` tensors, carrying zero points,
    per-channel multipliers and shifts exactly (docs/numerics.md, 8.1):

    | TOSA chain | dwsep |
    |---|---|
    | `conv2d` (1x1, stride 1, no pad) -> `rescale` [-> `clamp`] | `dwsep.pointwise` |
    | `conv2d` -> `rescale` [-> `clamp`] | `dwsep.conv2d` |
    | `depthwise_conv2d` (multiplier 1) -> `rescale` [-> `clamp`] | `dwsep.depthwise` |
    | `rescale` x2 (i8 -> i32) -> `add` -> `rescale` [-> `clamp`] | `dwsep.add` |
    | `avg_pool2d` (no pad) [-> `clamp`] | `dwsep.avgpool` |
    | `matmul` (1 row) [-> `add` bias] -> `rescale` [-> `clamp`] | `dwsep.linear` |
    | `const`, `reshape`, `transpose` of constants | folded / `arith.constant`, `tensor` reshapes |

    `rescale` maps to `#dwsep.requant` with `mult`/`shift` as given,
    `zp = output_zp`, `SINGLE_ROUND` -> `half_up`, `DOUBLE_ROUND` ->
    `double_round`; a following `clamp` intersects the clamp range. The
    division of `avg_pool2d` is TOSA's reciprocal scale, exactly as upstream's
    TosaToLinalg computes it: `k = ceil(log2(n))`,
    `mult = ((2^30 + 1) << k) / n`, `shift = 30 + k`, `half_up`.

    Batch must be 1: NHWC `1xHxWxC` values become `HxWxC` through
    `tensor.collapse_shape` / `tensor.expand_shape` at the boundary of each
    converted chain, so function signatures and unconverted users keep
    their TOSA types.

    Every TOSA op left over gets one diagnostic naming the op and the reason
    (e.g. `'tosa.conv2d' op not converted to dwsep: dilation [2, 2] is not
    supported; dwsep convolutions need dilation [1, 1]`). A chain either
    converts as a whole or is left untouched, so the output is always valid
    IR. By default (`allow-partial=true`) the diagnostics are warnings and
    the pass succeeds; with `allow-partial=false` they are errors and the
    pass fails.

    Example:

    ```mlir
    %0 = tosa.depthwise_conv2d %x, %w, %b, %izp, %wzp {acc_type = i32,
           dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
           stride = array<i64: 1, 1>} : (...) -> tensor<1x8x8x16xi32>
    %1 = tosa.rescale %0, %m, %s, %zp0, %ozp {per_channel = true, ...}
    %2 = tosa.clamp %1 {min_val = -128 : i8, max_val = 127 : i8}
    ```

    becomes

    ```mlir
    %in = tensor.collapse_shape %x [[0, 1], [2], [3]] : ... into tensor<8x8x16xi8>
    %y = dwsep.depthwise ins(%in, %w3, %b1 : ...) outs(%e : tensor<8x8x16xi8>)
           pad [1, 1, 1, 1] input_zp -3 requant #dwsep.requant<mult = [...],
           shift = [...], zp = -128, clamp = [-128, 127]> -> tensor<8x8x16xi8>
    %2 = tensor.expand_shape %y [[0, 1], [2], [3]] ... into tensor<1x8x8x16xi8>
    ```
  }];
  let options = [
    Option<"allowPartial", "allow-partial", "bool", /*default=*/"true",
           "Leave unsupported TOSA ops in place with a warning (true) or "
           "report them as errors and fail (false)">
  ];
  let dependentDialects = [
    "::mlir::dwsep::DwsepDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def DwsepFromLinalg : Pass<"dwsep-from-linalg", "::mlir::ModuleOp"> {
  let summary = "Import quantized linalg-on-tensors convolutions into dwsep ops";
  let description = [{
    The first step of the GAP8 pipeline for linalg input (docs/import.md).
    Matches the named int8 convolutions and matrix products together with
    the requantizing `linalg.generic` that consumes their `i32` result, as
    upstream's `tosa-to-linalg-named,tosa-to-linalg` emits it for a
    `tosa.rescale` (`subi input_zp`, `tosa.apply_scale`, `addi output_zp`,
    `maxsi`/`minsi` clamp, `trunci`), and rewrites each chain into one dwsep
    op:

    | linalg | dwsep |
    |---|---|
    | `conv_2d_nhwc_fhwc[_q]` (1x1, stride 1, no pad) | `dwsep.pointwise` |
    | `conv_2d_nhwc_fhwc[_q]`, `conv_2d_nhwc_hwcf[_q]` | `dwsep.conv2d` |
    | `depthwise_conv_2d_nhwc_hwc[_q]`, `depthwise_conv_2d_nhwc_hwcm[_q]` (m = 1) | `dwsep.depthwise` |
    | `matmul` (1 row, `i8 x i8 -> i32`) | `dwsep.linear` |

    The convolution's init must be a `linalg.fill` of a constant (0 or the
    bias broadcast) optionally followed by a broadcasting `linalg.generic`
    of the bias, as upstream emits; its input may be a `tensor.pad` with the
    input zero point. Weights must fold to constants when a transpose is
    needed (`hwcf` -> OHWI, `matmul` B -> `Cout x Cin`).

    Diagnostics and `allow-partial` behave as in `--dwsep-from-tosa`: every
    convolution or matmul that is not converted gets one diagnostic naming
    it and the reason.
  }];
  let options = [
    Option<"allowPartial", "allow-partial", "bool", /*default=*/"true",
           "Leave unsupported linalg ops in place with a warning (true) or "
           "report them as errors and fail (false)">
  ];
  let dependentDialects = [
    "::mlir::dwsep::DwsepDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def DwsepToLLVM : Pass<"dwsep-to-llvm", "ModuleOp"> {
  let summary = "Lower tiled dwsep code to the LLVM dialect for the cluster";
  let description = [{
    The last step of the GAP8 pipeline, after `--dwsep-lower-kernels`:

    * `dwsep.layer` bodies are inlined, each preceded by a call of
      `dwsep_rt_layer(i)` (i = 0, 1, ... in function order) and every return
      of the function by `dwsep_rt_layer(-1)`, so that a runtime can time
      each layer; the header names the layers in that order;
    * `dwsep.dma_start` becomes a call of `dwsep_rt_dma_start` (the runtime
      ABI of runtime/include/dwsep_rt.h) with the byte addresses, the 3-D
      sizes and element strides of both sides, the direction (0: L3->L2,
      1: L2->L1, 2: L1->L2, 3: L2->L3) and the weights flag; it returns an
      `i32` transfer id, and `dwsep.dma_wait` calls `dwsep_rt_dma_wait4` on
      up to four ids at a time (`dwsep_rt_dma_wait` for a single one;
      `dwsep.dma_none` is the id -1, DWSEP_RT_DMA_NONE, for which both
      return; tokens carried by loops and branches become `i32` values);
      an L2<->L1 box whose static shape and strides make it rows of bytes
      contiguous in L1 and evenly strided in L2 (every tile) calls
      `dwsep_rt_dma_rows(l1, l2, len, rows, l2 stride, direction, weights)`
      instead: 7 register arguments, one DMA command, and on GAP8 a fraction
      of the general call's cold instruction-cache cost;
    * the constant globals placed by `--dwsep-plan-memory` are packed into
      one public byte array `dwsep_l3_image` (the L3 image, each at its
      `dwsep.l3_offset`), the bytes the host or the flash image provides;
    * the `#dwsep.level` memory spaces are dropped (the levels are distinct
      arenas the entry point receives, all in one address space);
    * each `scf.parallel` over the cores (the work split of a kernel) is
      outlined into a function `<f>_fork<N>(core, captures...)` (constants
      and globals are cloned in rather than captured) and replaced by
      `dwsep_rt_fork(<f>_fork<N>_entry, args, cores)`: `args` points to a
      struct of the captures in the caller's frame (one 8-byte aligned
      block per caller, as large as its largest struct and shared by all its
      forks, since `dwsep_rt_fork` returns when every core is done) and the
      internal `<f>_fork<N>_entry(i32 core, ptr args)`
      unpacks it; GAP8 runs it on the cluster team, the `sim` runtime on
      each core in turn. Any other `scf.parallel` is an error;
    * everything is lowered to the LLVM dialect with `index-bitwidth`-bit
      indices (32 on the cluster), and the module gets the target triple,
      data layout and CPU features for `mlir-translate --mlir-to-llvmir`;
    * the control code, the entry points and the functions
      `--dwsep-outline-layers` gave the layers' bodies (`dwsep.layer_body`;
      tokens they take become i32), is compiled for size (`entry-size`)
      and, for RISC-V, saves registers through libgcc's
      `__riscv_save_N`/`__riscv_restore_N` (`+save-restore`); a layer's
      function is internal and never inlined.

    With `object=<file>`, the module is also compiled in-process at -O2 for
    the triple and features (what `mlir-translate | llc` would do, one
    section per global) and the stack frame of every function is read
    back: core 0 needs the entry's frame plus the largest fork share
    (`<f>_fork<N>_entry` and its body), the other cores the share alone.
    An entry that needs more than the target's `stack_main` /
    `stack_worker` is an error; the header states each need
    (`DWSEP_<f>_STACK_NEED_MAIN`, `_WORKER`) and the frame of every
    function of the entry. A large module (4000 operations and more) is
    compiled in pieces at once, one a thread of the MLIR context (at most
    4, one with --mlir-disable-threading; `pieces` sets the number): each
    piece takes consecutive functions of about equal size, is translated
    and compiled in its own LLVM context on the MLIR context's threads, and
    `ld.lld -r` then LLVM's objcopy library (`--localize-hidden`) make one object of
    them with the code, order and symbols of the one-piece object (code
    generation is most of a compile: MobileNetV1 1.0@224 2.6 -> 2.2 s,
    0.25@128 1.19 -> 1.03 s on 2 cores).

    With `image=<file>`, the L3 image is also written as raw bytes, for
    flashing. With `header=<file>`, a C header for every planned entry point is
    written: its arena sizes, the level (L2 or L3), offset, size, shape and
    element type of each input and output, the L3 image (which the caller
    copies to the start of the L3 arena), a `<name>_run(l1, l2, l3)`
    wrapper around the expanded memref ABI, the layer names, and the
    target's core count and core stacks (`DWSEP_STACK_MAIN`,
    `DWSEP_STACK_WORKER`) that the L1 budget was planned around.
  }];
  let options = [
    Option<"triple", "triple", "std::string", "\"riscv32-unknown-elf\"",
           "LLVM target triple">,
    Option<"dataLayout", "data-layout", "std::string",
           "\"e-m:e-p:32:32-i64:64-n32-S128\"", "LLVM data layout (RV32)">,
    Option<"features", "features", "std::string", "\"+m,+c\"",
           "LLVM target features (e.g. +m,+c,+xcvmac for CORE-V)">,
    Option<"indexBitwidth", "index-bitwidth", "unsigned", "32",
           "bit width of index (the target's pointer size)">,
    Option<"header", "header", "std::string", "\"\"",
           "write the C header of the entry points to this file">,
    Option<"imageSymbol", "image-symbol", "std::string",
           "\"dwsep_l3_image\"",
           "the symbol of the L3 image (a C identifier; the header defines "
           "DWSEP_L3_IMAGE as it): networks linked into one program need "
           "one each">,
    Option<"object", "object", "std::string", "\"\"",
           "also compile the result in-process (-O2, the triple and "
           "features above) to this object file, and check that every "
           "entry point's stacks fit the target's stack_main / "
           "stack_worker (the header then states what each needs)">,
    Option<"entrySize", "entry-size", "bool", "true",
           "optimise the entry points and the layers' functions (the "
           "control code that issues the DMA transfers and kernel calls) "
           "for size (LLVM minsize); "
           "kernels stay optimised for speed">,
    Option<"outline", "outline", "bool", "false",
           "with object=, run LLVM's machine outliner on the entry points "
           "(minsize): 0.7-3 KB less code for MobileNets, 1-3% more "
           "cycles on GVSoC (docs/design.md, seventeenth session); an "
           "object compiled elsewhere gets llc's default, which outlines "
           "minsize functions (llc -enable-machine-outliner=never turns "
           "it off)">,
    Option<"pieces", "pieces", "unsigned", "0",
           "with object=, compile the module in this many pieces at once "
           "(on the context's threads; linked into one object by ld.lld -r, "
           "looked for in "
           "$DWSEP_LLVM_TOOLS_DIR, else the LLVM dwsep was built with, and "
           "on PATH; an error where it is not found): 0 = one a thread of "
           "the MLIR context, at most 4, in one piece where ld.lld is not "
           "found; 1 = in one piece">,
    Option<"image", "image", "std::string", "\"\"",
           "also write the L3 image's raw bytes to this file (what a "
           "deployment flashes to HyperFlash/HyperRAM)">,
  ];
  let dependentDialects = ["::mlir::dwsep::DwsepDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::cf::ControlFlowDialect"];
}

#endif // DWSEP_CONVERSION_PASSES_TD
