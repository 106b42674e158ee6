// Equivalence of the TOSA import with upstream MLIR's own lowering, bit for
// bit: four int8 networks with constant inputs and weights (a MobileNetV1
// block at stride 1 and 2: depthwise 3x3 + pointwise with per-channel
// rescales and clamps; a MobileNetV2 block: pointwise expand, depthwise,
// pointwise project, residual rescale-add-rescale; a classifier head: global
// avg_pool2d + matmul + bias) run
//  (a) through tosa-to-linalg and friends, bufferized, lowered to LLVM and
//      executed by mlir-runner (printMemrefI32), and
//  (b) through dwsep-opt --dwsep-from-tosa and dwsep-interp (the C reference).
// Both print `<net>.result0: [...]` and its FNV-1a; the files must be equal.
// Regenerate the sections below with Inputs/gen_networks.py.
//
// RUN: rm -rf %t && split-file %s %t
// RUN: cat %t/nets.mlir %t/main.mlir \
// RUN:   | mlir-opt --pass-pipeline="builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith{include-apply-rescale=true},tosa-to-tensor,convert-elementwise-to-linalg),one-shot-bufferize{bufferize-function-boundaries},func.func(convert-linalg-to-loops),lower-affine,convert-scf-to-cf,expand-strided-metadata,lower-affine,finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,convert-func-to-llvm,convert-cf-to-llvm,reconcile-unrealized-casts)" \
// RUN:   | mlir-runner -e main -entry-point-result=void \
// RUN:       -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN:   | python3 %S/Inputs/runner_to_values.py mobilenet_v1_block mobilenet_v1_block_s2 mobilenet_v2_block classifier_head \
// RUN:   > %t/upstream.txt
// RUN: dwsep-opt %t/nets.mlir --dwsep-from-tosa=allow-partial=false > %t/dwsep.mlir
// RUN: dwsep-interp %t/dwsep.mlir --entry=mobilenet_v1_block,mobilenet_v1_block_s2,mobilenet_v2_block,classifier_head > %t/dwsep.txt
// RUN: diff %t/upstream.txt %t/dwsep.txt
// RUN: FileCheck %s --check-prefix=VALUES < %t/dwsep.txt
// RUN: FileCheck %s --check-prefix=IR < %t/dwsep.mlir
// RUN: not grep tosa. %t/dwsep.mlir
//
// --dwsep-from-linalg on upstream's linalg form of the same networks: the
// convolution chains convert (the residual add and the pooling stay linalg,
// see docs/import.md), so the two MobileNetV1 blocks run on the reference and
// match too.
// RUN: mlir-opt %t/nets.mlir --pass-pipeline="builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-tensor))" \
// RUN:   | dwsep-opt --dwsep-from-linalg 2>/dev/null \
// RUN:   | dwsep-interp --entry=mobilenet_v1_block,mobilenet_v1_block_s2 > %t/linalg.txt
// RUN: head -n 4 %t/upstream.txt | diff - %t/linalg.txt
//
// 432 + 160 + 200 + 10 values are compared.
// VALUES: mobilenet_v1_block.result0: [
// VALUES: mobilenet_v1_block_s2.result0: [
// VALUES: mobilenet_v2_block.result0: [
// VALUES: classifier_head.result0: [
//
// IR-LABEL: func.func @mobilenet_v1_block(
// IR: dwsep.depthwise {{.*}} rounding = double_round
// IR: dwsep.pointwise
// IR-LABEL: func.func @mobilenet_v1_block_s2(
// IR: dwsep.depthwise {{.*}} stride [2, 2]
// IR: dwsep.pointwise
// IR-LABEL: func.func @mobilenet_v2_block(
// IR: dwsep.pointwise
// IR: dwsep.depthwise
// IR: dwsep.pointwise
// IR: dwsep.add
// IR-LABEL: func.func @classifier_head(
// IR: dwsep.avgpool
// IR: dwsep.linear

//--- nets.mlir
func.func @mobilenet_v1_block() -> tensor<1x6x6x12xi8> {
  %v1 = "tosa.const"() {values = dense<[[[[112, -35, 27, -26, 81, 7, -3, 127], [53, 84, -17, 30, 41, -90, -23, 111], [-53, -20, 82, -99, 50, 85, 110, -65], [-57, 39, 71, 41, 48, -26, 38, 90], [84, 34, -19, 80, -11, -24, -108, -13], [-119, 4, 35, 87, -71, 41, -10, -8]], [[109, 59, -59, -25, 60, 124, -56, 6], [70, 44, 43, 110, -42, -61, 41, -23], [-95, -78, -40, -126, -51, 96, -8, 51], [-11, -87, -28, 17, -6, 108, 6, 118], [95, 84, -26, -92, 26, 26, 14, -59], [0, -77, 125, -17, -28, 70, -38, -14]], [[35, 53, -105, 65, -91, -68, -11, -100], [-64, -21, -84, -40, -8, 121, -44, -46], [-84, -64, -75, -113, -73, -36, 33, -128], [-66, 15, -114, -35, -97, -75, -21, -22], [-31, 108, -33, 114, 32, 11, 104, 96], [-17, 76, 101, 86, -60, -21, -46, 31]], [[75, -28, -37, 54, 105, -121, -67, 43], [-127, -14, 86, -109, -19, 109, 126, -103], [92, 42, -123, 46, 2, -48, -13, -73], [92, -94, -60, -39, -116, 45, 29, 1], [125, -46, 57, 110, 94, 123, 39, -47], [-109, -66, -67, 58, 89, -36, -80, -101]], [[95, -115, 11, -10, -68, 34, -58, -20], [-73, 92, -76, 8, 94, -47, -10, -128], [-65, -27, 65, 80, 100, -40, -2, 21], [13, 54, 102, -71, 79, 75, 16, 34], [-12, -7, 55, -12, 87, 111, 30, 18], [-29, 111, -101, 1, 66, -21, 6, 83]], [[-60, 33, 17, -60, -81, -16, 109, 15], [23, -2, 71, 16, -34, 117, 58, -113], [64, -96, -60, -77, 88, 37, -31, -90], [2, -112, 5, -32, 94, -43, -30, 113], [8, -93, 108, -65, -77, 9, -62, 69], [-78, -14, -8, -44, 23, -58, 69, -73]]]]> : tensor<1x6x6x8xi8>} : () -> tensor<1x6x6x8xi8>
  %v2 = "tosa.const"() {values = dense<[[[[-44], [-17], [-8], [-18], [20], [29], [-18], [10]], [[45], [36], [-30], [-58], [17], [-25], [-12], [-43]], [[12], [-26], [-39], [4], [42], [55], [-28], [-33]]], [[[52], [55], [10], [-44], [29], [-6], [34], [9]], [[-36], [-44], [44], [-44], [26], [28], [-31], [-28]], [[-57], [21], [18], [26], [-46], [-6], [7], [-7]]], [[[-56], [0], [-41], [-25], [31], [-14], [-1], [-16]], [[-23], [1], [53], [26], [14], [-3], [56], [10]], [[22], [-56], [27], [56], [-24], [-37], [-11], [23]]]]> : tensor<3x3x8x1xi8>} : () -> tensor<3x3x8x1xi8>
  %v3 = "tosa.const"() {values = dense<[1059, 2224, -41, 1121, 983, -21, -1705, -2471]> : tensor<8xi32>} : () -> tensor<8xi32>
  %v4 = "tosa.const"() {values = dense<[-3]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v5 = "tosa.const"() {values = dense<[0]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v6 = tosa.depthwise_conv2d %v1, %v2, %v3, %v4, %v5 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x6x6x8xi8>, tensor<3x3x8x1xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x6x6x8xi32>
  %v7 = "tosa.const"() {values = dense<[1649470460, 1496691944, 1464939573, 2017825239, 2075741943, 1774636776, 1088153873, 1376759185]> : tensor<8xi32>} : () -> tensor<8xi32>
  %v8 = "tosa.const"() {values = dense<[39, 37, 38, 37, 38, 39, 39, 37]> : tensor<8xi8>} : () -> tensor<8xi8>
  %v9 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v10 = "tosa.const"() {values = dense<[-128]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v11 = tosa.rescale %v6, %v7, %v8, %v9, %v10 {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x6x6x8xi32>, tensor<8xi32>, tensor<8xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x6x6x8xi8>
  %v12 = tosa.clamp %v11 {min_val = -128 : i8, max_val = 90 : i8} : (tensor<1x6x6x8xi8>) -> tensor<1x6x6x8xi8>
  %v13 = "tosa.const"() {values = dense<[[[[30, 52, -50, 25, 1, -1, 60, -34]]], [[[7, 4, 26, 35, 48, -31, 25, 21]]], [[[24, -20, 23, 5, 21, -22, 2, -23]]], [[[14, -53, 26, -33, 26, 33, 9, 0]]], [[[31, -29, -21, 23, -20, -28, -18, -55]]], [[[-43, 19, 8, 41, 9, -27, -16, -16]]], [[[-41, -54, -16, -59, 19, -20, 36, -20]]], [[[-35, -37, 59, -24, 43, -2, 7, -54]]], [[[-40, -48, 40, 1, 21, -27, -10, -54]]], [[[-8, -35, 27, -43, -43, -14, -59, -3]]], [[[-14, 36, -7, 55, -29, -45, -17, 49]]], [[[18, -3, -19, -60, 34, 26, 16, 46]]]]> : tensor<12x1x1x8xi8>} : () -> tensor<12x1x1x8xi8>
  %v14 = "tosa.const"() {values = dense<[1268, 389, 2856, 2136, 620, -1342, -1957, -2050, 1165, 2567, 349, 1056]> : tensor<12xi32>} : () -> tensor<12xi32>
  %v15 = "tosa.const"() {values = dense<[-128]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v16 = "tosa.const"() {values = dense<[0]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v17 = tosa.conv2d %v12, %v13, %v14, %v15, %v16 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x8xi8>, tensor<12x1x1x8xi8>, tensor<12xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x6x6x12xi32>
  %v18 = "tosa.const"() {values = dense<[1924817503, 2140145102, 2046238371, 1548364963, 1168698458, 2037653610, 1236583523, 1649264196, 1324966839, 1867656436, 1849497018, 1224611477]> : tensor<12xi32>} : () -> tensor<12xi32>
  %v19 = "tosa.const"() {values = dense<[38, 38, 39, 39, 38, 39, 38, 39, 38, 39, 38, 39]> : tensor<12xi8>} : () -> tensor<12xi8>
  %v20 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v21 = "tosa.const"() {values = dense<[-128]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v22 = tosa.rescale %v17, %v18, %v19, %v20, %v21 {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x6x6x12xi32>, tensor<12xi32>, tensor<12xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x6x6x12xi8>
  %v23 = tosa.clamp %v22 {min_val = -128 : i8, max_val = 100 : i8} : (tensor<1x6x6x12xi8>) -> tensor<1x6x6x12xi8>
  return %v23 : tensor<1x6x6x12xi8>
}

func.func @mobilenet_v1_block_s2() -> tensor<1x4x4x10xi8> {
  %v1 = "tosa.const"() {values = dense<[[[[3, -71, -119, -1, 91, -45], [-51, -32, -121, -121, 10, -98], [-74, 43, -45, -11, -7, 12], [-90, -49, -107, 0, 55, -86], [61, -41, -73, 56, 1, -122], [93, 100, -4, -110, -56, 52], [8, -127, 107, -4, 59, 96]], [[-99, -54, -21, 44, -94, -66], [107, -87, -85, -11, -127, -87], [-46, 110, -21, -27, -10, 113], [81, -88, 85, 68, 8, -55], [-4, 56, -28, -49, 117, -118], [-63, 13, 83, -6, 95, 76], [-48, 69, 64, 99, -68, 10]], [[6, -53, 38, -68, 56, -87], [49, 124, -66, -30, -64, -57], [107, -75, 76, 110, 81, 96], [121, 37, 35, -7, -40, -15], [83, -115, 107, 59, -106, 28], [-45, 12, -10, -16, 95, 108], [48, -84, 107, 25, 44, -120]], [[-26, 115, -24, 16, 96, 90], [-86, -54, 119, 86, 25, 10], [47, -82, -50, -32, -86, -112], [126, -17, -45, -48, -86, 3], [76, -51, 36, 31, 39, 46], [123, -33, 97, -5, 71, 102], [-88, -106, -109, 84, 17, -42]], [[-24, -105, -73, -57, -22, -87], [-33, -68, -76, 45, -120, -76], [-10, 107, -30, 116, -26, -123], [28, 52, 70, 15, -114, -89], [100, 61, 34, 80, -26, 104], [-52, -81, 19, -65, -45, -14], [58, -2, 75, -43, 53, -18]], [[-61, 69, -91, -34, -2, -115], [25, -72, -1, 126, 46, 87], [-18, -103, -98, 12, -17, 32], [100, -17, -124, -10, -85, -5], [124, 1, 119, -40, 60, -101], [-109, 102, 82, 35, 95, 73], [-96, -87, -40, 32, 7, -62]], [[-78, 60, 126, -11, -120, 66], [-35, 64, 63, -58, -97, 68], [-35, 56, -88, -14, -7, 13], [-59, 28, -125, 118, 62, 94], [87, 55, -102, -121, 14, -107], [123, -101, -32, -32, -5, 114], [-36, -121, -90, -78, -116, -70]]]]> : tensor<1x7x7x6xi8>} : () -> tensor<1x7x7x6xi8>
  %v2 = "tosa.const"() {values = dense<[[[[2], [30], [-54], [42], [16], [51]], [[-21], [39], [-24], [42], [-12], [17]], [[18], [54], [-53], [37], [57], [4]]], [[[-56], [8], [-45], [-29], [13], [33]], [[51], [-8], [-51], [-53], [-52], [-17]], [[-50], [-48], [-56], [-6], [-28], [39]]], [[[20], [-50], [24], [-47], [42], [46]], [[13], [45], [23], [-6], [4], [41]], [[52], [38], [57], [39], [17], [47]]]]> : tensor<3x3x6x1xi8>} : () -> tensor<3x3x6x1xi8>
  %v3 = "tosa.const"() {values = dense<[-2642, 930, 900, 800, -2102, 125]> : tensor<6xi32>} : () -> tensor<6xi32>
  %v4 = "tosa.const"() {values = dense<[5]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v5 = "tosa.const"() {values = dense<[0]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v6 = tosa.depthwise_conv2d %v1, %v2, %v3, %v4, %v5 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x7x7x6xi8>, tensor<3x3x6x1xi8>, tensor<6xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x6xi32>
  %v7 = "tosa.const"() {values = dense<[1897896995, 1377519968, 1480013458, 1890288162, 1451297502, 2146332124]> : tensor<6xi32>} : () -> tensor<6xi32>
  %v8 = "tosa.const"() {values = dense<[38, 38, 36, 36, 36, 36]> : tensor<6xi8>} : () -> tensor<6xi8>
  %v9 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v10 = "tosa.const"() {values = dense<[-20]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v11 = tosa.rescale %v6, %v7, %v8, %v9, %v10 {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x4x4x6xi32>, tensor<6xi32>, tensor<6xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x6xi8>
  %v12 = tosa.clamp %v11 {min_val = -20 : i8, max_val = 127 : i8} : (tensor<1x4x4x6xi8>) -> tensor<1x4x4x6xi8>
  %v13 = "tosa.const"() {values = dense<[[[[-23, 4, 58, -22, -10, 32]]], [[[-58, 51, -4, -14, 34, -57]]], [[[54, 12, 17, 3, 47, 45]]], [[[-53, 48, -59, 60, -24, 53]]], [[[56, -19, 50, -44, -14, -33]]], [[[-4, -57, -44, -22, 29, 7]]], [[[-35, 18, -10, -26, -33, 58]]], [[[35, -3, -34, 50, 57, -32]]], [[[2, 35, 21, -56, 36, 48]]], [[[-60, -47, -10, 16, 30, -53]]]]> : tensor<10x1x1x6xi8>} : () -> tensor<10x1x1x6xi8>
  %v14 = "tosa.const"() {values = dense<[2580, -2940, 552, -1024, -1517, -910, 519, 1912, 980, 571]> : tensor<10xi32>} : () -> tensor<10xi32>
  %v15 = "tosa.const"() {values = dense<[-20]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v16 = "tosa.const"() {values = dense<[0]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v17 = tosa.conv2d %v12, %v13, %v14, %v15, %v16 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x6xi8>, tensor<10x1x1x6xi8>, tensor<10xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x10xi32>
  %v18 = "tosa.const"() {values = dense<[1626061243, 1185656752, 2038798305, 1164955654, 1439841465, 2076372014, 1832625752, 1302928328, 2146649329, 2012577233]> : tensor<10xi32>} : () -> tensor<10xi32>
  %v19 = "tosa.const"() {values = dense<[36, 36, 36, 38, 37, 37, 36, 37, 38, 38]> : tensor<10xi8>} : () -> tensor<10xi8>
  %v20 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v21 = "tosa.const"() {values = dense<[7]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v22 = tosa.rescale %v17, %v18, %v19, %v20, %v21 {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x4x4x10xi32>, tensor<10xi32>, tensor<10xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x10xi8>
  return %v22 : tensor<1x4x4x10xi8>
}

func.func @mobilenet_v2_block() -> tensor<1x5x5x8xi8> {
  %v1 = "tosa.const"() {values = dense<[[[[41, 90, 22, 77, -73, 31, 112, -95], [51, 89, 121, -81, 21, 108, 48, 79], [-100, -84, -109, 103, 63, 117, -20, -123], [-95, -86, -81, -111, 50, 43, -5, -76], [-111, -127, -89, -92, -74, 63, -113, -102]], [[-31, 14, 13, -121, 90, 116, -79, 94], [112, 34, 59, -6, 108, 83, -79, 99], [-83, -103, 113, -72, 96, -117, -41, -35], [-36, -39, -31, -87, 55, -107, -9, 67], [-128, -74, 98, -114, 72, -99, 51, 59]], [[86, 5, 62, -17, 120, 83, -52, -122], [-58, 25, 9, 62, 109, 83, 0, -3], [-48, -88, 70, -115, 22, 74, -90, -72], [30, 106, -106, 78, 67, 36, -56, -70], [26, -80, -5, 102, -108, 42, 45, 101]], [[95, -55, 56, 94, 70, 67, 102, 52], [-68, 91, -19, 52, -32, -12, 44, 60], [-19, -50, -34, 112, -10, 55, 63, -52], [-123, 109, -20, -124, 51, -28, -1, 89], [32, 41, -109, 102, 123, 106, 72, -118]], [[-52, -3, -123, 127, 58, -34, 31, -101], [48, 22, 15, -41, -36, 35, 57, -21], [-47, 112, -115, -87, -76, -84, -79, 57], [43, 106, 96, -67, 57, 26, -52, 95], [95, -107, -58, -88, 44, 34, -116, -18]]]]> : tensor<1x5x5x8xi8>} : () -> tensor<1x5x5x8xi8>
  %v2 = "tosa.const"() {values = dense<[[[[-44, 25, 49, -48, -49, -37, -6, -45]]], [[[7, -7, 38, 24, 40, -21, 29, 54]]], [[[-54, -47, -24, 59, -50, -30, 53, 23]]], [[[57, 27, -17, 28, 32, 38, -24, 20]]], [[[-51, 21, -56, -50, 14, -46, 29, 25]]], [[[-55, -23, 49, -49, -44, -53, 5, 3]]], [[[18, 1, -36, 4, -48, 50, -14, 39]]], [[[-59, -30, -41, -21, -52, -47, -22, -25]]], [[[25, 51, 23, 56, 36, -12, 17, 29]]], [[[14, -28, -50, 8, -58, -17, 51, 44]]], [[[-34, 27, -51, 21, -23, 47, 5, -47]]], [[[-1, -51, 4, 0, 36, 34, 41, -23]]], [[[25, -42, 21, 8, -55, -10, -55, -1]]], [[[49, -27, 19, -9, -36, 12, -16, -5]]], [[[17, 38, -56, 59, 50, 6, -37, -21]]], [[[20, 19, 42, 52, -58, 24, 44, 51]]]]> : tensor<16x1x1x8xi8>} : () -> tensor<16x1x1x8xi8>
  %v3 = "tosa.const"() {values = dense<[1356, 1073, 2757, 2650, 2712, -1961, 507, 2071, 967, 755, 1583, 1569, 927, -1806, 1188, -2055]> : tensor<16xi32>} : () -> tensor<16xi32>
  %v4 = "tosa.const"() {values = dense<[4]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v5 = "tosa.const"() {values = dense<[0]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v6 = tosa.conv2d %v1, %v2, %v3, %v4, %v5 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x5x5x8xi8>, tensor<16x1x1x8xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x5x5x16xi32>
  %v7 = "tosa.const"() {values = dense<[1805306535, 1640342476, 1160643741, 1514527403, 1320893212, 1490153270, 1978054168, 1872497805, 1921039992, 1079040582, 1102425749, 1340237977, 1913448212, 1650936855, 1818490901, 2099558354]> : tensor<16xi32>} : () -> tensor<16xi32>
  %v8 = "tosa.const"() {values = dense<[36, 36, 38, 37, 36, 38, 37, 38, 36, 37, 38, 36, 38, 36, 38, 36]> : tensor<16xi8>} : () -> tensor<16xi8>
  %v9 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v10 = "tosa.const"() {values = dense<[-128]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v11 = tosa.rescale %v6, %v7, %v8, %v9, %v10 {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x5x5x16xi32>, tensor<16xi32>, tensor<16xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x5x5x16xi8>
  %v12 = tosa.clamp %v11 {min_val = -128 : i8, max_val = 110 : i8} : (tensor<1x5x5x16xi8>) -> tensor<1x5x5x16xi8>
  %v13 = "tosa.const"() {values = dense<[[[[57], [37], [-54], [5], [44], [-37], [-31], [-12], [-40], [28], [21], [-21], [-48], [23], [0], [-20]], [[-25], [-52], [-17], [-33], [51], [-30], [0], [-7], [17], [-34], [-35], [5], [24], [10], [55], [-13]], [[43], [23], [-27], [21], [13], [39], [-53], [-51], [-49], [13], [12], [20], [51], [-1], [-51], [57]]], [[[-6], [47], [17], [11], [-28], [35], [-39], [-47], [59], [-46], [-9], [23], [26], [51], [58], [-47]], [[14], [-42], [-36], [-8], [45], [-24], [-30], [-18], [-20], [-47], [50], [44], [-19], [9], [-36], [-17]], [[0], [-42], [-44], [49], [25], [-12], [25], [-57], [-17], [-31], [-28], [-28], [-56], [20], [53], [42]]], [[[3], [-26], [-31], [-22], [-54], [-54], [52], [10], [-3], [-34], [23], [-55], [-48], [-38], [56], [-40]], [[-58], [-59], [31], [-40], [-8], [47], [-48], [16], [-38], [34], [12], [15], [-24], [-60], [11], [41]], [[27], [56], [60], [-26], [49], [-15], [40], [-14], [5], [21], [-51], [12], [24], [8], [-49], [-25]]]]> : tensor<3x3x16x1xi8>} : () -> tensor<3x3x16x1xi8>
  %v14 = "tosa.const"() {values = dense<[2507, -2035, 582, 1842, 1077, -2096, 364, 2015, 1955, 1493, 1365, -24, -2075, 763, -1494, 2282]> : tensor<16xi32>} : () -> tensor<16xi32>
  %v15 = "tosa.const"() {values = dense<[-128]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v16 = "tosa.const"() {values = dense<[0]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v17 = tosa.depthwise_conv2d %v12, %v13, %v14, %v15, %v16 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x5x5x16xi8>, tensor<3x3x16x1xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x5x5x16xi32>
  %v18 = "tosa.const"() {values = dense<[2099204652, 2076579715, 2027620862, 1089129594, 1288838528, 1529672905, 1377760888, 1601716987, 1111337797, 1182048327, 2134802451, 1324168039, 1382935312, 1907976171, 1131280776, 1429972285]> : tensor<16xi32>} : () -> tensor<16xi32>
  %v19 = "tosa.const"() {values = dense<[38, 38, 39, 37, 39, 39, 38, 37, 37, 39, 37, 39, 37, 37, 37, 37]> : tensor<16xi8>} : () -> tensor<16xi8>
  %v20 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v21 = "tosa.const"() {values = dense<[-128]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v22 = tosa.rescale %v17, %v18, %v19, %v20, %v21 {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x5x5x16xi32>, tensor<16xi32>, tensor<16xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x5x5x16xi8>
  %v23 = tosa.clamp %v22 {min_val = -128 : i8, max_val = 110 : i8} : (tensor<1x5x5x16xi8>) -> tensor<1x5x5x16xi8>
  %v24 = "tosa.const"() {values = dense<[[[[29, 22, -59, 45, 57, 0, -2, -26, -11, 35, -21, -50, 59, 30, 37, -12]]], [[[12, 44, 9, 8, 56, 53, 42, 52, -3, -48, -32, 4, 50, -16, 35, -43]]], [[[-12, 14, -48, 15, -24, 9, 46, 12, -57, 21, 27, -34, 11, -54, -3, 57]]], [[[-46, -47, 51, 32, 56, 18, 28, -48, 9, -36, 49, -57, 6, -29, -40, 46]]], [[[-26, -24, -5, -42, -24, 29, -15, -32, 41, 15, -59, 30, -51, 48, 24, -48]]], [[[30, -8, -37, 12, 11, -59, 33, -10, 36, 21, -7, -33, -39, -51, -53, -6]]], [[[57, 23, -46, -44, 49, 46, -1, -22, 42, 19, -36, 52, 42, 34, -23, -45]]], [[[7, 31, 31, 13, -53, 33, 32, -17, -57, 54, 20, -5, -38, 1, -21, 37]]]]> : tensor<8x1x1x16xi8>} : () -> tensor<8x1x1x16xi8>
  %v25 = "tosa.const"() {values = dense<[-2035, 400, -665, -2048, 2975, 1886, -1265, 2818]> : tensor<8xi32>} : () -> tensor<8xi32>
  %v26 = "tosa.const"() {values = dense<[-128]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v27 = "tosa.const"() {values = dense<[0]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v28 = tosa.conv2d %v23, %v24, %v25, %v26, %v27 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x5x5x16xi8>, tensor<8x1x1x16xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x5x5x8xi32>
  %v29 = "tosa.const"() {values = dense<[2101523835, 2068661948, 1455993261, 1635686211, 1772892743, 1285503522, 2059339930, 1883507481]> : tensor<8xi32>} : () -> tensor<8xi32>
  %v30 = "tosa.const"() {values = dense<[39, 37, 39, 37, 39, 37, 38, 39]> : tensor<8xi8>} : () -> tensor<8xi8>
  %v31 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v32 = "tosa.const"() {values = dense<[-6]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v33 = tosa.rescale %v28, %v29, %v30, %v31, %v32 {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x5x5x8xi32>, tensor<8xi32>, tensor<8xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x5x5x8xi8>
  %v34 = "tosa.const"() {values = dense<[1518500250]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v35 = "tosa.const"() {values = dense<[11]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v36 = "tosa.const"() {values = dense<[4]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v37 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v38 = tosa.rescale %v1, %v34, %v35, %v36, %v37 {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x5x5x8xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x5x5x8xi32>
  %v39 = "tosa.const"() {values = dense<[1073741824]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v40 = "tosa.const"() {values = dense<[10]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v41 = "tosa.const"() {values = dense<[-6]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v42 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v43 = tosa.rescale %v33, %v39, %v40, %v41, %v42 {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x5x5x8xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x5x5x8xi32>
  %v44 = tosa.add %v38, %v43 : (tensor<1x5x5x8xi32>, tensor<1x5x5x8xi32>) -> tensor<1x5x5x8xi32>
  %v45 = "tosa.const"() {values = dense<[1431655765]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v46 = "tosa.const"() {values = dense<[50]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v47 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v48 = "tosa.const"() {values = dense<[2]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v49 = tosa.rescale %v44, %v45, %v46, %v47, %v48 {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x5x5x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x5x5x8xi8>
  return %v49 : tensor<1x5x5x8xi8>
}

func.func @classifier_head() -> tensor<1x1x10xi8> {
  %v1 = "tosa.const"() {values = dense<[[[[87, -77, -60, -102, -41, 57, 65, 43], [19, -19, -84, 118, -115, 25, -10, -89], [-1, 102, -104, 105, 81, -109, 23, 108], [-81, 33, -5, -31, -34, -91, -91, 109], [-106, 12, -46, 96, 12, -32, -126, 36]], [[92, -83, -95, 92, 35, 17, -54, 17], [77, 29, -68, 90, -10, 76, -78, -52], [116, 113, 4, -28, 20, -76, -63, -63], [-124, -9, -35, 21, 126, 89, -41, 120], [-112, -66, 41, -79, 33, -28, 57, -52]], [[-126, -20, -113, 117, 83, -128, -64, -123], [50, -6, 29, 74, 43, -66, 119, -21], [-15, 121, -113, 68, -76, -36, -47, -43], [64, -90, 71, 127, 119, -51, 95, -120], [-110, -52, 38, -3, 37, 52, 80, -102]], [[48, -78, 0, 122, 76, 123, 104, -24], [-105, -54, 18, 13, 81, -24, -124, 83], [-98, 4, -98, 17, 78, -60, 123, 87], [53, -104, -94, -65, -98, -98, 28, 48], [-5, -90, -96, -125, 91, 72, -77, 107]], [[1, -55, -3, -92, 112, 37, 93, 106], [64, -66, -88, 3, -86, 108, 38, 105], [-33, -35, -69, 26, 74, -92, 10, -45], [-49, 73, -7, -108, 107, -78, 83, 32], [6, 15, -71, -24, -90, 110, -115, 66]]]]> : tensor<1x5x5x8xi8>} : () -> tensor<1x5x5x8xi8>
  %v2 = "tosa.const"() {values = dense<[-7]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v3 = "tosa.const"() {values = dense<[3]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v4 = tosa.avg_pool2d %v1, %v2, %v3 {acc_type = i32, kernel = array<i64: 5, 5>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x5x5x8xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x8xi8>
  %v5 = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %v6 = tosa.reshape %v4, %v5 : (tensor<1x1x1x8xi8>, !tosa.shape<3>) -> tensor<1x1x8xi8>
  %v7 = "tosa.const"() {values = dense<[[[-73, -33, 13, -13, 18, 53, 9, 14, -27, 43], [-98, 54, -62, -54, 2, 49, 44, -48, 99, 58], [49, 26, -39, 48, -44, -95, 92, 33, -80, 87], [23, 88, -87, 3, 68, 77, 10, 12, 57, 46], [84, -43, 74, 12, 35, 36, 65, -81, -17, -58], [13, -76, 36, -28, -83, 0, 53, 100, -39, -19], [-81, 22, -82, -82, 86, -10, -69, 1, 3, -4], [-48, 23, -96, 43, -14, 0, -71, 16, -65, 3]]]> : tensor<1x8x10xi8>} : () -> tensor<1x8x10xi8>
  %v8 = "tosa.const"() {values = dense<[3]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v9 = "tosa.const"() {values = dense<[0]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v10 = tosa.matmul %v6, %v7, %v8, %v9 : (tensor<1x1x8xi8>, tensor<1x8x10xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x10xi32>
  %v11 = "tosa.const"() {values = dense<[[[585, 1390, -1277, 346, -433, 53, -561, -424, 1723, -1534]]]> : tensor<1x1x10xi32>} : () -> tensor<1x1x10xi32>
  %v12 = tosa.add %v10, %v11 : (tensor<1x1x10xi32>, tensor<1x1x10xi32>) -> tensor<1x1x10xi32>
  %v13 = "tosa.const"() {values = dense<[1826647514, 1107688561, 1507240548, 2025123072, 1389311205, 1432032829, 1874580962, 1773058112, 1087025571, 1083594381]> : tensor<10xi32>} : () -> tensor<10xi32>
  %v14 = "tosa.const"() {values = dense<[36, 36, 37, 37, 37, 36, 37, 38, 37, 37]> : tensor<10xi8>} : () -> tensor<10xi8>
  %v15 = "tosa.const"() {values = dense<[0]> : tensor<1xi32>} : () -> tensor<1xi32>
  %v16 = "tosa.const"() {values = dense<[-1]> : tensor<1xi8>} : () -> tensor<1xi8>
  %v17 = tosa.rescale %v12, %v13, %v14, %v15, %v16 {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x1x10xi32>, tensor<10xi32>, tensor<10xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x1x10xi8>
  return %v17 : tensor<1x1x10xi8>
}

//--- main.mlir
func.func private @printMemrefI32(memref<*xi32>) attributes {llvm.emit_c_interface}
func.func @main() {
  %r0 = call @mobilenet_v1_block() : () -> tensor<1x6x6x12xi8>
  %f0 = tensor.collapse_shape %r0 [[0, 1, 2, 3]] : tensor<1x6x6x12xi8> into tensor<432xi8>
  %e0 = arith.extsi %f0 : tensor<432xi8> to tensor<432xi32>
  %b0 = bufferization.to_buffer %e0 : tensor<432xi32> to memref<432xi32>
  %u0 = memref.cast %b0 : memref<432xi32> to memref<*xi32>
  call @printMemrefI32(%u0) : (memref<*xi32>) -> ()
  %r1 = call @mobilenet_v1_block_s2() : () -> tensor<1x4x4x10xi8>
  %f1 = tensor.collapse_shape %r1 [[0, 1, 2, 3]] : tensor<1x4x4x10xi8> into tensor<160xi8>
  %e1 = arith.extsi %f1 : tensor<160xi8> to tensor<160xi32>
  %b1 = bufferization.to_buffer %e1 : tensor<160xi32> to memref<160xi32>
  %u1 = memref.cast %b1 : memref<160xi32> to memref<*xi32>
  call @printMemrefI32(%u1) : (memref<*xi32>) -> ()
  %r2 = call @mobilenet_v2_block() : () -> tensor<1x5x5x8xi8>
  %f2 = tensor.collapse_shape %r2 [[0, 1, 2, 3]] : tensor<1x5x5x8xi8> into tensor<200xi8>
  %e2 = arith.extsi %f2 : tensor<200xi8> to tensor<200xi32>
  %b2 = bufferization.to_buffer %e2 : tensor<200xi32> to memref<200xi32>
  %u2 = memref.cast %b2 : memref<200xi32> to memref<*xi32>
  call @printMemrefI32(%u2) : (memref<*xi32>) -> ()
  %r3 = call @classifier_head() : () -> tensor<1x1x10xi8>
  %f3 = tensor.collapse_shape %r3 [[0, 1, 2]] : tensor<1x1x10xi8> into tensor<10xi8>
  %e3 = arith.extsi %f3 : tensor<10xi8> to tensor<10xi32>
  %b3 = bufferization.to_buffer %e3 : tensor<10xi32> to memref<10xi32>
  %u3 = memref.cast %b3 : memref<10xi32> to memref<*xi32>
  call @printMemrefI32(%u3) : (memref<*xi32>) -> ()
  return
}
