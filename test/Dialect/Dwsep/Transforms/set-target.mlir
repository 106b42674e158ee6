// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="cores=4" | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="chip=gap9 l2-size=1048576" | FileCheck %s --check-prefix=GAP9
// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="xpulpv2=0" | FileCheck %s --check-prefix=RV32
// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="byte-price=250" | FileCheck %s --check-prefix=PRICE
// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="rows-outer-margin=0" | FileCheck %s --check-prefix=MARGIN

// A module without a target starts from GAP8; one with a target keeps its
// other fields.
// CHECK: module attributes {dwsep.target = #dwsep.target<"gap8", cores = 4>}
// GAP9: module attributes {dwsep.target = #dwsep.target<"gap9", l2_size = 1048576>}
// GAP8's cores have XpulpV2 (xpulpv2 = 1 in the preset); QEMU's do not.
// RV32: module attributes {dwsep.target = #dwsep.target<"gap8", xpulpv2 = 0>}
// The price of a byte moved between L2 and L1 (milli-cycles), 100 in the
// presets.
// PRICE: module attributes {dwsep.target = #dwsep.target<"gap8", byte_price = 250>}
// The percent by which the tile search and selection want a plan with the
// row tiles outer to beat the best with the slices outer, 10 in the presets.
// MARGIN: module attributes {dwsep.target = #dwsep.target<"gap8", rows_outer_margin = 0>}
module {
}

// -----

// CHECK: module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 32768, cores = 4>}
// GAP9: module attributes {dwsep.target = #dwsep.target<"gap9", l2_size = 1048576>}
// RV32: module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 32768, xpulpv2 = 0>}
// PRICE: module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 32768, byte_price = 250>}
// MARGIN: module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 32768, rows_outer_margin = 0>}
module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 32768>} {
}
