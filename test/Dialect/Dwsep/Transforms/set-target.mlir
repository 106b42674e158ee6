// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="cores=4" | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="chip=gap9 l2-size=1048576" | FileCheck %s --check-prefix=GAP9

// A module without a target starts from GAP8; one with a target keeps its
// other fields.
// CHECK: module attributes {dwsep.target = #dwsep.target<"gap8", cores = 4>}
// GAP9: module attributes {dwsep.target = #dwsep.target<"gap9", l2_size = 1048576>}
module {
}

// -----

// CHECK: module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 32768, cores = 4>}
// GAP9: module attributes {dwsep.target = #dwsep.target<"gap9", l2_size = 1048576>}
module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 32768>} {
}
