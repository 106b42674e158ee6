//===- Kernels.h - Kernel functions, one per configuration ------*- C++ -*-===//
//
// --dwsep-lower-kernels turns every L1 compute op into a call of a kernel
// function. A kernel is created once per configuration (what its code
// depends on: kind, window, strides, layouts, element types, requantization
// mode, work split) and takes everything else as run-time operands: the L1
// arena, the byte offsets of its buffers in it, their sizes, the tile's top
// padding, the input zero point and the offset of its requantization table.
// Remainder and border tiles, channel slices and layers of the same shape
// class share one function (CIRCT's LowerSeqFIFO creates one implementation
// per unique configuration in the same way; IREE's ukernels take sizes as
// operands).
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_KERNELS_KERNELS_H
#define DWSEP_KERNELS_KERNELS_H

#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.h"
#include "dwsep/Kernels/Requant.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::dwsep {

/// An 8-bit activation in L1 as a kernel sees it: a signless i8 view of the
/// arena with run-time sizes (rank 1 holds only channels).
struct Act {
  Value mem;
  Layout layout = Layout::hwc;
  bool isSigned = true;
  Value h, w, c; // index
};

/// How an activation is passed: 8-bit element signedness, layout and rank
/// are part of the configuration; byte offset and sizes are operands.
struct ActConfig {
  Layout layout = Layout::hwc;
  bool isSigned = true;
  bool flat = false; // rank 1: channels only
  /// The innermost size (channels in HWC or flat, the width in CHW) when
  /// it is part of the configuration, else 0: a static innermost size
  /// makes neighbouring pixels and weight rows constant offsets (load
  /// immediates) instead of a register per pointer in the inner loops.
  int64_t inner = 0;
  /// The width when it is part of the configuration (else 0): window
  /// kernels whose taps span rows (depthwise, a first layer's conv) then
  /// reach every tap of a pixel at a constant offset.
  int64_t width = 0;
  /// The innermost size is a run-time operand (inner 0) that is a multiple
  /// of 4 and at least 16 (a pointwise kernel's HWC input channels): XpulpV2
  /// kernels read it as words, the pixels and weight rows a register apart
  /// (emitDotLoopStrided), so that one kernel serves every channel count.
  bool words = false;
  std::string mangle() const;
};

/// A requantization inside a kernel: its mode (configuration) and the word
/// offset of its table in the module's table global (operand).
struct RequantRef {
  RequantMode mode;
  Value base; // index
  /// The first channel's row (index; null: 0): a kernel of a slice of a
  /// layer's channels reads the layer's table at this channel.
  Value channel0 = Value();
  /// Where that row is (KernelEmitter::requantRows, computed once per
  /// kernel call; null: computed where a row is read).
  Value rows = Value();
  /// The rows staged in L1 (RequantRowsOpInterface; memref<?xi16> or
  /// memref<?xi32>, row c for the kernel's output channel c), or null: the
  /// rows are in the module's tables.
  Value staged = Value();
  /// zp, clamp min and max, and the fields equal for all channels
  /// (RequantFields' order; null where absent or in the rows) as the
  /// kernel's operands (i32, KernelEmitter::bindRequantWords); null: loaded
  /// from the table.
  Value zp = Value(), lo = Value(), hi = Value();
  Value uniform[RequantFields::kNumFields] = {};
};

/// The per-channel values of a RequantRef's row, as i32.
struct RequantArgs {
  Value mult, shift, rPosHi, rPosLo, rNegHi, rNegLo, addHi, addLo;
  /// rounding = float32 only (i64, per row): the multiplier and the total
  /// shift as kFloat32Rounding takes them, and the test of whether the
  /// product lies near a half: (sum + nearD) & nearMask < nearTwoD.
  Value f32Mult, f32Total, nearD, nearMask, nearTwoD;
};

/// zp and clamp bounds of a RequantRef, as i32 (loaded once per kernel).
struct RequantBounds {
  Value zp = Value(), lo = Value(), hi = Value();
};

/// Builds kernel code at `b`'s insertion point.
struct KernelEmitter {
  OpBuilder &b;
  Location loc;
  int64_t cores;
  /// The cores implement GAP8's XpulpV2 (XpulpV2.h): 4-way dot products,
  /// min/max.
  bool xpulp;
  /// The L1 arena (memref<Nxi8>) and the requantization tables
  /// (memref<Nxi32>), or null.
  Value arena, tables;
  /// The module's symbols, where shared helpers (kFloat32Rounding) live.
  SymbolTable *symbols = nullptr;
  /// The halfword rows of the requantization tables (RequantMode::rows16;
  /// memref<Nxi16>), or null.
  Value tables16 = Value();
  /// Bytes of a core's stack a kernel may take for scratch (the depthwise
  /// plane): from the target's worker stack (LowerKernels).
  int64_t scratchBytes = 0;

  Value idx(int64_t v);
  Value i32(int64_t v);
  Value i64(int64_t v);
  Value add(Value x, Value y);
  Value sub(Value x, Value y);
  Value mul(Value x, Value y);
  Value minS(Value x, Value y);
  Value maxS(Value x, Value y);
  /// The low byte of the i32 `v` in every byte of a word.
  Value byteSplat(Value v);
  Value toI32(Value index);

  /// A view of the arena at byte offset `off` with the given sizes
  /// (constant sizes become static dimensions).
  Value view(Value off, ArrayRef<Value> sizes, Type elem);
  /// The activation at byte offset `off` with sizes (h, w, c).
  Act act(const ActConfig &cfg, Value off, Value h, Value w, Value c);
  /// `a` read as words of 4 channels (HWC, static channels a multiple of
  /// 4), or null if it cannot be.
  Value words(const Act &a, const ActConfig &cfg, Value off);
  /// acc + the dot product of the 4 byte lanes of x (signedness `xSigned`)
  /// and w (signed): one pv.sdotsp.b / pv.sdotusp.b.
  Value dot4(Value acc, Value x, Value w, bool xSigned);
  /// acc + x * w on i32 (one p.mac on XpulpV2).
  Value mac(Value acc, Value x, Value w);

  /// The address (index) of byte `off` of the arena, for code that loads
  /// words itself (inline assembly, unaligned words).
  Value address(Value off);
  /// The address of element (y, x, c) of `a`, whose first byte is at
  /// address `base`: the layout's linear order, as load and store use it.
  Value address(const Act &a, Value base, Value y, Value x, Value c);
  Value load(const Act &a, Value y, Value x, Value c);
  void store(const Act &a, Value y, Value x, Value c, Value v32);

  RequantBounds bounds(const RequantRef &rq);
  /// Takes `rq`'s header and uniform words (RequantFields::operandWords'
  /// order) from the kernel operands `words` (index values) instead of the
  /// table. The tables are in L2, and a load there waits behind the DMA's
  /// bursts on the cluster's one L2 port (125-250 cycles each on GVSoC
  /// while a transfer runs): the kernels loaded 5 words per core and fork.
  void bindRequantWords(RequantRef &rq, ValueRange words);
  /// The index of `rq`'s first row (channel0's) in its table.
  Value requantRows(const RequantRef &rq);
  RequantArgs requantArgs(const RequantRef &rq, Value channel);
  /// docs/numerics.md section 4 for one accumulator; the clamped i32.
  Value requant(const RequantRef &rq, const RequantBounds &bd,
                const RequantArgs &a, Value acc);
  /// The half-up requantization of the plan; `sum` gets the i64 value
  /// before its shift.
  Value requantHalfUp(const RequantRef &rq, const RequantBounds &bd,
                      const RequantArgs &a, Value acc, Value &sum);
  /// rounding = float32: `halfUp`, or kFloat32Rounding's result where the
  /// two may differ.
  Value float32Rounding(const RequantMode &mode, const RequantBounds &bd,
                        const RequantArgs &a, Value acc, Value sum,
                        Value halfUp);
  func::FuncOp float32RoundingFunction();
  /// The requantization's clamp of r (i32): constant bounds (p.clipBits)
  /// or the table's.
  Value clip(const RequantMode &p, const RequantBounds &bd, Value r);
  /// clamp(r, lo, hi) on i32 with run-time bounds lo <= hi.
  Value clamp32(Value r, Value lo, Value hi);

  /// `scf.parallel` over the cores, each taking a contiguous chunk of
  /// `units` (index); `body(lo, hi)` gets each core's chunk.
  void splitRangeOverCores(Value units, function_ref<void(Value, Value)> body);
  /// The same with `body(u)` inside `scf.for u in chunk`.
  void splitOverCores(Value units, function_ref<void(Value)> body);
  /// One `scf.parallel` over the cores (one fork) for several phases of
  /// work, each split in contiguous chunks as above: every core runs its
  /// chunk of phase 0, then of phase 1, ...; `body(phase, u)`. A phase's
  /// chunks start at the core after the last one the earlier phases used
  /// (phaseShares in TilePlan.h models the same dealing).
  void splitPhasesOverCores(ArrayRef<Value> units,
                            function_ref<void(unsigned, Value)> body);
  /// The same with `body(phase, lo, hi)` given each core's chunk.
  void
  splitPhaseRangesOverCores(ArrayRef<Value> units,
                            function_ref<void(unsigned, Value, Value)> body);
  /// `scf.for iv in [lo, hi) step`, `body(iv)`.
  void loop(Value lo, Value hi, int64_t step, function_ref<void(Value)> body);
  /// `scf.for` carrying one i32 value.
  Value forAcc(Value lo, Value hi, Value init,
               function_ref<Value(Value, Value)> body);
  /// `scf.if cond { body }`.
  void ifThen(Value cond, function_ref<void()> body);
  /// `scf.if cond { then } else { otherwise }`.
  void ifThenElse(Value cond, function_ref<void()> then,
                  function_ref<void()> otherwise);
};

/// The window kernel: conv2d, depthwise, pointwise, avgpool and linear (and
/// each half of a fused op) are instances.
struct WindowConfig {
  enum Kind { dense, depthwise, pool } kind = dense;
  /// A 1x1 dense window over more than one pixel: the register-blocked
  /// pointwise kernel.
  bool pointwise = false;
  ActConfig in, out;
  int64_t kh = 1, kw = 1, strideH = 1, strideW = 1, padLeft = 0;
  /// Weights rank: 2 ([oc][ic]), 3 (depthwise [kh][kw][c]), 4
  /// ([oc][kh][kw][ic]).
  int64_t weightRank = 0;
  /// A dense window's input channels when few (a first layer's RGB): its
  /// taps are unrolled. 0: run-time.
  int64_t staticInC = 0;
  bool hasBias = false, hasZp = false;
  /// Depthwise: the bias holds the zero point's terms (`zp_folded`); the
  /// zero point pads and enters no dot product.
  bool zpFolded = false;
  RequantMode rq;
  /// Work dealt to cores by output channels (else by output rows).
  bool splitChannels = false;
  /// Pointwise split by channels: pixel pairs dealt too
  /// (pointwiseSplitsPixels).
  bool splitPixels = false;
  /// The requantization's rows are staged in L1 (WindowOperands::rowsOff).
  bool stagedRows = false;
  /// A 1x1 window over one pixel (linear, a pointwise over one pixel) on
  /// XpulpV2 with its work dealt to the cores by input features, each core
  /// a partial sum of every channel, added up on core 0 after the fork
  /// (linearSplitsInputs in TilePlan.h).
  bool splitInputs = false;
  /// Linear's accumulate form: the raw int32 accumulators are stored
  /// (one word a channel at the output offset), not requantized.
  bool accumulate = false;

  std::string mangle() const;
  /// This configuration with the channel counts it can take as operands
  /// left out, so that one kernel serves several widths: a depthwise or
  /// pointwise kernel's HWC output channel count (the distance of its
  /// pixels: the asm stores step by a register, the depthwise's as many
  /// instructions, a pointwise 4 x 4 block's one more a channel), and on
  /// XpulpV2 (`xpulp`) a pointwise kernel's HWC input channel count when it
  /// is a multiple of 4 and at least 16 (ActConfig::words).
  WindowConfig withSizesAsOperands(bool xpulp) const;
};

/// The run-time operands of a window kernel, in call order.
struct WindowOperands {
  Value inOff, inH, inW, inC, outOff, outH, outW, outC, weightOff, biasOff,
      padTop, inputZp, rqBase, rqChannel, rowsOff;
  /// The requantization's words (RequantFields::operandWords).
  SmallVector<Value> rqWords;
  SmallVector<Value> list() const {
    SmallVector<Value> l = {inOff,  inH,     inW,    inC,       outOff,
                            outH,   outW,    outC,   weightOff, biasOff,
                            padTop, inputZp, rqBase, rqChannel, rowsOff};
    llvm::append_range(l, rqWords);
    return l;
  }
  static WindowOperands from(ValueRange v) {
    return {v[0],  v[1],  v[2],  v[3],
            v[4],  v[5],  v[6],  v[7],
            v[8],  v[9],  v[10], v[11],
            v[12], v[13], v[14], llvm::to_vector(v.drop_front(15))};
  }
};

void emitWindowKernel(KernelEmitter &e, const WindowConfig &k,
                      const WindowOperands &o);

/// Elementwise kernels: add (three requantizations) and relayout.
struct AddConfig {
  ActConfig lhs, rhs, out;
  RequantMode lhsRq, rhsRq, outRq;
  std::string mangle() const;
};
struct AddOperands {
  Value lhsOff, rhsOff, outOff, h, w, c, lhsZp, rhsZp, lhsRq, rhsRq, outRq,
      rqChannel;
  SmallVector<Value> list() const {
    return {lhsOff, rhsOff, outOff, h,     w,     c,
            lhsZp,  rhsZp,  lhsRq,  rhsRq, outRq, rqChannel};
  }
  static AddOperands from(ValueRange v) {
    return {v[0], v[1], v[2], v[3], v[4],  v[5],
            v[6], v[7], v[8], v[9], v[10], v[11]};
  }
};
void emitAddKernel(KernelEmitter &e, const AddConfig &k, const AddOperands &o);

struct RelayoutConfig {
  ActConfig in, out;
  std::string mangle() const;
};
struct RelayoutOperands {
  Value inOff, outOff, h, w, c;
  SmallVector<Value> list() const { return {inOff, outOff, h, w, c}; }
  static RelayoutOperands from(ValueRange v) {
    return {v[0], v[1], v[2], v[3], v[4]};
  }
};
void emitRelayoutKernel(KernelEmitter &e, const RelayoutConfig &k,
                        const RelayoutOperands &o);

} // namespace mlir::dwsep

#endif // DWSEP_KERNELS_KERNELS_H
