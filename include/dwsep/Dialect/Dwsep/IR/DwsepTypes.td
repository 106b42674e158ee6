//===- DwsepTypes.td - dwsep types -------------------------*- tablegen -*-===//

#ifndef DWSEP_DIALECT_DWSEP_IR_DWSEPTYPES_TD
#define DWSEP_DIALECT_DWSEP_IR_DWSEPTYPES_TD

include "dwsep/Dialect/Dwsep/IR/DwsepDialect.td"
include "mlir/IR/AttrTypeBase.td"

def Dwsep_TokenType : TypeDef<Dwsep_Dialect, "Token"> {
  let mnemonic = "token";
  let summary = "Handle of an asynchronous DMA transfer";
  let description = [{
    Returned by `dwsep.dma_start` and consumed by `dwsep.dma_wait`. On GAP8
    it is a cluster-DMA transfer id (L2<->L1) or a micro-DMA request (L3<->L2).
  }];
}

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPTYPES_TD
