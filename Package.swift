// swift-tools-version: 6.0
//
// OptimizerLab: a laboratory for optimization algorithms.
//
// Build with `make` (it passes `-Xcc -fno-math-errno`, see
// Benchmarks/README.md); a plain `swift build -c release` gets the same
// first-order kernels (CKernels picks AVX2/AVX-512 at run time), only the
// remaining Swift loops that call sqrt may stay scalar without the flag.
import PackageDescription

let package = Package(
    name: "OptimizerLab",
    products: [
        // MARK: - Public API
        .library(name: "Optimizers", targets: ["Optimizers"]),
        .library(name: "OptimizationCore", targets: ["OptimizationCore"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "Problems", targets: ["Problems"]),
        .library(name: "Harness", targets: ["Harness"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .executable(name: "optlab", targets: ["optlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        // `make docs`: swift package generate-documentation --target Optimizers
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: - C libraries (module map + shim header only)
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),
        // No pkgConfig on purpose: gsl.pc adds -lgslcblas, a second CBLAS.
        .systemLibrary(name: "CGSL", providers: [.apt(["libgsl-dev"])]),

        // MARK: - Implementation details
        .target(name: "CShims"),
        // Element-wise optimizer kernels for several instruction sets, picked
        // at run time (no unsafe flags: importers can depend by version).
        .target(name: "CKernels"),

        // MARK: - Library modules (dependencies point one way, downwards)
        .target(
            name: "LinearAlgebra",
            dependencies: ["COpenBLAS", "CLAPACKE", "CGSL", "CShims",
                           .product(name: "RealModule", package: "swift-numerics")]),
        .target(
            name: "OptimizationCore",
            dependencies: ["LinearAlgebra", .product(name: "RealModule", package: "swift-numerics")]),
        .target(
            name: "Optimizers",
            dependencies: ["OptimizationCore", "LinearAlgebra", "CShims", "CKernels",
                           .product(name: "RealModule", package: "swift-numerics")]),
        .target(
            name: "Problems",
            dependencies: ["OptimizationCore", "LinearAlgebra",
                           .product(name: "RealModule", package: "swift-numerics")],
            path: "Problems",
            exclude: ["Data/README.md"],
            resources: [.copy("Data/breast_cancer.csv"), .copy("Data/digits.csv"), .copy("Data/wine.csv"),
                        .copy("Data/shakespeare.txt")]),
        .target(
            name: "Harness",
            dependencies: ["Optimizers", "Problems", "OptimizationCore", "LinearAlgebra",
                           .product(name: "RealModule", package: "swift-numerics")]),
        .target(
            name: "Plotting",
            dependencies: ["OptimizationCore", "LinearAlgebra"]),
        // `optlab bench`'s commands (the CLI is a thin front over them).
        .target(
            name: "Benchmarks",
            dependencies: ["Harness", "Optimizers", "Problems", "OptimizationCore", "LinearAlgebra", "CShims",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "optlab",
            dependencies: ["Harness", "Plotting", "Benchmarks", "Optimizers", "Problems", "OptimizationCore", "LinearAlgebra",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // MARK: - Tests (Swift Testing)
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "OptimizationCoreTests", dependencies: ["OptimizationCore", "LinearAlgebra"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Optimizers", "Problems", "OptimizationCore", "OptimizerTestTable"]),
        // Imports only the `Optimizers` product, as an importer would.
        .testTarget(name: "ImporterTests", dependencies: ["Optimizers"]),
        .testTarget(name: "ProblemsTests", dependencies: ["Problems", "OptimizationCore", "LinearAlgebra"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "Optimizers", "Problems", "OptimizationCore",
                                                 .product(name: "RealModule", package: "swift-numerics")]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "Harness", "LinearAlgebra", "Optimizers", "Problems"]),
        .testTarget(name: "optlabTests", dependencies: ["optlab", "Benchmarks"]),
        // Counts the heap allocations of a thread (it replaces the test
        // binary's malloc family with counting forwarders to glibc's).
        .target(name: "CAllocationCounter", path: "Tests/CAllocationCounter"),
        .testTarget(name: "AllocationTests", dependencies: ["CAllocationCounter", "Optimizers", "OptimizationCore",
                                                    "OptimizerTestTable"]),
        // The optimizer test table (OptimizerTable, FirstOrderTable) as data,
        // read by OptimizersTests and AllocationTests alike.
        .target(name: "OptimizerTestTable", dependencies: ["Optimizers", "OptimizationCore"],
                path: "Tests/OptimizerTestTable"),
    ],
    swiftLanguageModes: [.v6]
)
