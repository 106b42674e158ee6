//===- ElementwiseKernels.cpp - add and relayout with run-time sizes ------===//

#include "dwsep/Kernels/Kernels.h"

using namespace mlir;
using namespace mlir::dwsep;

std::string AddConfig::mangle() const {
  return "add_" + lhs.mangle() + rhs.mangle() + out.mangle() + "_" +
         lhsRq.mangle() + "_" + rhsRq.mangle() + "_" + outRq.mangle();
}

std::string RelayoutConfig::mangle() const {
  return "relayout_" + in.mangle() + out.mangle();
}

/// `value(y, x, c)` stored to every element of `out`, split by rows.
static void elementwise(KernelEmitter &e, const Act &out,
                        function_ref<Value(Value, Value, Value)> value) {
  e.splitOverCores(out.h, [&](Value y) {
    e.loop(e.idx(0), out.w, 1, [&](Value x) {
      e.loop(e.idx(0), out.c, 1,
             [&](Value c) { e.store(out, y, x, c, value(y, x, c)); });
    });
  });
}

void mlir::dwsep::emitAddKernel(KernelEmitter &e, const AddConfig &k,
                                const AddOperands &o) {
  Act l = e.act(k.lhs, o.lhsOff, o.h, o.w, o.c);
  Act r = e.act(k.rhs, o.rhsOff, o.h, o.w, o.c);
  Act out = e.act(k.out, o.outOff, o.h, o.w, o.c);
  RequantRef rqs[] = {{k.lhsRq, o.lhsRq, o.rqChannel},
                      {k.rhsRq, o.rhsRq, o.rqChannel},
                      {k.outRq, o.outRq, o.rqChannel}};
  RequantBounds bounds[3];
  for (int i = 0; i < 3; ++i)
    bounds[i] = e.bounds(rqs[i]);
  // Per-tensor values once, before the loops.
  std::optional<RequantArgs> uniform[3];
  for (int i = 0; i < 3; ++i)
    if (rqs[i].mode.isPerTensor())
      uniform[i] = e.requantArgs(rqs[i], e.idx(0));
  Value lzp = e.toI32(o.lhsZp), rzp = e.toI32(o.rhsZp);
  auto requant = [&](int i, Value acc, Value c) {
    return e.requant(rqs[i], bounds[i],
                     uniform[i] ? *uniform[i] : e.requantArgs(rqs[i], c), acc);
  };
  elementwise(e, out, [&](Value y, Value x, Value c) {
    Value tl = requant(0, e.sub(e.load(l, y, x, c), lzp), c);
    Value tr = requant(1, e.sub(e.load(r, y, x, c), rzp), c);
    return requant(2, e.add(tl, tr), c);
  });
}

void mlir::dwsep::emitRelayoutKernel(KernelEmitter &e, const RelayoutConfig &k,
                                     const RelayoutOperands &o) {
  Act in = e.act(k.in, o.inOff, o.h, o.w, o.c);
  Act out = e.act(k.out, o.outOff, o.h, o.w, o.c);
  elementwise(e, out,
              [&](Value y, Value x, Value c) { return e.load(in, y, x, c); });
}
