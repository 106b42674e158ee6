//===- DwsepDialect.td - The dwsep dialect -----------------*- tablegen -*-===//
//
// Quantized depthwise-separable networks for PULP-class clusters (GAP8).
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_DIALECT_DWSEP_IR_DWSEPDIALECT_TD
#define DWSEP_DIALECT_DWSEP_IR_DWSEPDIALECT_TD

include "mlir/IR/OpBase.td"

def Dwsep_Dialect : Dialect {
  let name = "dwsep";
  let cppNamespace = "::mlir::dwsep";
  let summary = "Quantized depthwise-separable networks for the GAP8 cluster";
  let description = [{
    The `dwsep` dialect models int8/uint8 MobileNet-style networks (batch 1)
    and the decisions needed to run them on a PULP cluster with a software
    managed memory hierarchy (GAP8: 64 KB L1, 512 KB L2, DMA-only L3):

    * compute ops (`conv2d`, `depthwise`, `pointwise`, `fused`, `add`,
      `avgpool`, `linear`, `relayout`) in destination-passing style. They
      operate on ranked tensors before bufferization and on memrefs after it;
      the same op is the L1 tile kernel once its operands live in L1;
    * the physical data layout of every activation (`#dwsep.layout<hwc>` or
      `#dwsep.layout<chw>`): the shape of an activation is its shape in
      memory, so `tensor<16x32x8xi8>` is H=16, W=32, C=8 in HWC and C=16,
      H=32, W=8 in CHW;
    * the memory level of a buffer (`#dwsep.level<l1>`), usable as the memory
      space of a memref;
    * per-output-channel requantization (`#dwsep.requant<...>`), defined
      bit-exactly in docs/numerics.md;
    * the fused depthwise/pointwise kernel variant (`#dwsep.variant<...>`);
    * the target description (`#dwsep.target<"gap8">`), attached to the
      module as `dwsep.target`; passes read sizes, core counts and DMA
      figures from it instead of hard-coding them.

    Element types: activations are `i8` (signed, two's complement, as in
    TOSA and linalg) or `ui8` (unsigned, as in PULP-NN and DORY); weights are
    `i8` (symmetric, zero point 0); biases are `i32`.
  }];
  // `dwsep.layer_body = "<layer>"` marks the function that
  // --dwsep-outline-layers moved a layer's body to: control code, which
  // --dwsep-to-llvm compiles like the entry points (for size) and keeps
  // local to the object.
  let discardableAttrs = (ins "::mlir::StringAttr":$layer_body);
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
    void registerTypes();
  }];
}

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPDIALECT_TD
