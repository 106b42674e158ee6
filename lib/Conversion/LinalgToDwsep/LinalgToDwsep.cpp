//===- LinalgToDwsep.cpp - Import quantized linalg into dwsep ---*- C++ -*-===//

#include "dwsep/Conversion/ImportUtils.h"
#include "dwsep/Conversion/Passes.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPFROMLINALG
#include "dwsep/Conversion/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;

namespace {
struct DwsepFromLinalgPass
    : public mlir::dwsep::impl::DwsepFromLinalgBase<DwsepFromLinalgPass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace
