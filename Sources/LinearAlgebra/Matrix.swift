/// A dense, row-major matrix of `Double`s with value semantics.
///
/// Element (i, j) lives at `storage[i * columns + j]`, which is the layout
/// every BLAS/LAPACK call in this module passes as `CblasRowMajor` /
/// `LAPACK_ROW_MAJOR` with leading dimension `columns`.
///
///     var a = Matrix(rows: 2, columns: 2, elements: [4, 1, 1, 3])
///     a[0, 1] = 2
///     let y = a * [1, 1]          // [6, 4]
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    /// Row-major elements, `rows * columns` of them.
    public var storage: [Double]

    /// A matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from row-major elements.
    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns,
                     "Matrix(\(rows)x\(columns)) needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.storage = elements
    }

    /// A matrix from an array of rows (all of the same length).
    public init(_ rowArrays: [[Double]]) {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "All rows must have the same length")
        self.init(rows: r, columns: c, elements: rowArrays.flatMap { $0 })
    }

    /// The n×n identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// A diagonal matrix.
    public static func diagonal(_ d: [Double]) -> Matrix {
        var m = Matrix(rows: d.count, columns: d.count)
        for (i, v) in d.enumerated() { m.storage[i * d.count + i] = v }
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Row `i` as a new array.
    public func row(_ i: Int) -> [Double] { Array(storage[(i * columns)..<((i + 1) * columns)]) }

    /// Column `j` as a new array.
    public func column(_ j: Int) -> [Double] { (0..<rows).map { storage[$0 * columns + j] } }

    /// The transpose, as a new matrix.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t.storage[j * rows + i] = storage[i * columns + j] } }
        return t
    }

    public var isSquare: Bool { rows == columns }

    /// Copies the upper triangle into the lower one (LAPACK routines read one triangle only).
    public mutating func symmetrizeFromUpper() {
        precondition(isSquare, "symmetrizeFromUpper needs a square matrix")
        for i in 0..<rows { for j in 0..<i { storage[i * columns + j] = storage[j * columns + i] } }
    }

    public var description: String {
        (0..<rows).map { i in row(i).map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
    }
}

extension Matrix {
    /// Matrix–vector product through `cblas_dgemv`.
    public static func * (a: Matrix, x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: a.rows)
        BLAS.gemv(a, x, into: &y)
        return y
    }

    /// Matrix–matrix product through `cblas_dgemm`.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        BLAS.gemm(a, b, into: &c)
        return c
    }
}
