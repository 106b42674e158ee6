// RUN: dwsep-opt %s --dwsep-set-target="chip=gap7" --verify-diagnostics
// RUN: not dwsep-opt %s --dwsep-set-target="cores=30" 2>&1 | FileCheck %s --check-prefix=STACKS
// RUN: not dwsep-opt %s --dwsep-set-target="byte-price=2000000" 2>&1 | FileCheck %s --check-prefix=PRICE

// expected-error @+3 {{dwsep-set-target: unknown chip 'gap7' (presets: gap8, gap9)}}
// PRICE: error: dwsep-set-target: target kernel cost 'byte_price' = 2000000 is outside [0, 1000000]
// STACKS: error: dwsep-set-target: target leaves no L1 for tiles: l1_size 65536 B minus stacks 3500 + 29 x 2560 B is -12204 B
module {
}
