import LinearAlgebra

/// The `inputs` and `outputGradients` matrices of ``LayerStatistics`` from a
/// network's row-major workspaces.
extension Matrix {
    /// A rows × columns copy of `source`.
    static func rows(copying source: UnsafePointer<Double>, rows: Int, columns: Int) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        m.storage.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source, count: rows * columns) }
        return m
    }

    /// A rows × (columns + 1) copy of `source` with a trailing column of ones
    /// (the homogeneous coordinate of a layer with a bias).
    static func rowsWithOnes(_ source: UnsafePointer<Double>, rows: Int, columns: Int) -> Matrix {
        var a = Matrix(rows: rows, columns: columns + 1, repeating: 1)
        a.storage.withUnsafeMutableBufferPointer { ap in
            for r in 0..<rows { (ap.baseAddress! + r * (columns + 1)).update(from: source + r * columns, count: columns) }
        }
        return a
    }
}
