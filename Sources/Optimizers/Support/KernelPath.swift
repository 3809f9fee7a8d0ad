import CKernels

/// The instruction set the element-wise first-order kernels run on.
///
/// The element loops of Adam, AdamW, SGD, Lion, Grams, Adan and EXAdam, the
/// element passes of AdamP, SGDP, CautiousAdamW and CautiousLion, and the
/// loops of the one-pass adaptive methods (Adagrad, RMSprop, Adadelta, Adamax,
/// NAdam, RAdam, ScheduleFreeAdamW, ScheduleFreeSGD, Rprop, ADOPT, AdEMAMix)
/// live in the C target `CKernels`, compiled once per path; the widest path the CPU
/// (and OS) supports is chosen at the first step. So the portable build, and an
/// importer's plain `swift build -c release`, run the same 256- or 512-bit
/// loops a `-target-cpu native` build gets — no flags needed.
///
/// Every path gives **bit-identical** results: the loops are the same
/// operations in the same order, no multiply-add is fused (contraction is
/// off, also on AVX-512F where FMA exists), and IEEE division and square root
/// are correctly rounded at every vector width. Only speed differs.
///
/// The environment variable `OPTLAB_KERNEL` (`auto`, `baseline`, `avx2`,
/// `avx512`) forces a path for the whole process, for tests and benchmarks;
/// a name that is unknown or that the CPU cannot run is reported once on
/// stderr (see ``environmentProblem``) and the automatic choice is kept.
///
///     print(KernelPath.active)              // e.g. avx512
///     KernelPath.select(.baseline)          // later steps use SSE2 loops
public enum KernelPath: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The compiler's default target: SSE2 on x86-64 (2 doubles per
    /// instruction); the only path on other architectures.
    case baseline
    /// AVX2: 4 doubles per instruction.
    case avx2
    /// AVX-512F: 8 doubles per instruction.
    case avx512

    /// The path every kernel call uses now.
    public static var active: KernelPath { KernelPath(code: optlab_kernel_active()) }

    /// The paths this CPU can run, narrowest first.
    public static var available: [KernelPath] { allCases.filter(\.isAvailable) }

    /// Whether this CPU (and build: the AVX paths exist on x86-64 only) can run the path.
    public var isAvailable: Bool { optlab_kernel_supported(code) != 0 }

    /// Runs every later kernel call, on every thread, on `path`. Returns
    /// false (and changes nothing) when the path is not available. Results
    /// do not depend on the path, so switching between steps is harmless.
    @discardableResult
    public static func select(_ path: KernelPath) -> Bool { optlab_kernel_select(path.code) == 0 }

    /// One line saying why `OPTLAB_KERNEL` was not followed, or nil.
    public static var environmentProblem: String? {
        optlab_kernel_environment_problem().map { String(cString: $0) }
    }

    public var description: String { rawValue }

    var code: Int32 {
        switch self {
        case .baseline: Int32(OPTLAB_KERNEL_BASELINE)
        case .avx2: Int32(OPTLAB_KERNEL_AVX2)
        case .avx512: Int32(OPTLAB_KERNEL_AVX512)
        }
    }

    init(code: Int32) {
        self = KernelPath.allCases.first { $0.code == code } ?? .baseline
    }
}

/// A range as the C kernels take it.
extension Range<Int> {
    @inline(__always) var lo: Int64 { Int64(lowerBound) }
    @inline(__always) var hi: Int64 { Int64(upperBound) }
}
