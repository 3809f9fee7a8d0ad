internal import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// The BLAS library actually running in this process: thread count, kernel
/// core, and a check that the CBLAS symbols resolve to OpenBLAS (GSL drags in
/// its own reference CBLAS, which must never be the one called).
public enum BLASRuntime {
    /// Sets OpenBLAS's thread count. The harness pins 1 thread per run when
    /// runs execute in parallel, which also keeps traces bit-reproducible.
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's kernel name (e.g. "Prescott", "Haswell", "SkylakeX").
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// OpenBLAS's build configuration string.
    public static var configuration: String {
        guard let p = openblas_get_config() else { return "unknown" }
        return String(cString: p)
    }

    /// True when the process-wide `cblas_ddot` is OpenBLAS's (dlsym comparison).
    public static var cblasIsOpenBLAS: Bool {
        guard let handle = dlopen("libopenblas.so.0", RTLD_LAZY | RTLD_NOLOAD) else { return false }
        defer { dlclose(handle) }
        guard let global = dlsym(nil, "cblas_ddot"), let openblas = dlsym(handle, "cblas_ddot") else { return false }
        return global == openblas
    }

    /// True when GSL's reference CBLAS library is mapped into the process.
    public static var gslReferenceCBLASLoaded: Bool {
        guard let h = dlopen("libgslcblas.so.0", RTLD_LAZY | RTLD_NOLOAD) else { return false }
        dlclose(h)
        return true
    }
}
