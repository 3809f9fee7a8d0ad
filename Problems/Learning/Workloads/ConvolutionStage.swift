/// One stage of ``ConvolutionalNetworkProblem``: a k×k convolution with
/// stride 1 and zero padding k/2 ("same" size), ReLU, then 2×2 max-pooling
/// with stride 2 (floor mode, as PyTorch's `max_pool2d`).
///
/// Activations are NHWC: an image batch is a matrix with one row per
/// (image, y, x) and one column per channel, so that the convolution is one
/// gemm of the im2col patch matrix (one row per output position, columns in
/// PyTorch's weight order (channel, ky, kx)) with Wᵀ.
struct ConvolutionStage: Sendable {
    let inputChannels: Int
    let outputChannels: Int
    let kernel: Int
    /// Input (and convolution output) height and width.
    let height: Int
    let width: Int
    /// Offset of W ([out, in, k, k]) and b ([out]) in the flat parameter vector.
    let weightOffset: Int
    let biasOffset: Int

    var padding: Int { kernel / 2 }
    /// Columns of the patch matrix: in·k².
    var patchWidth: Int { inputChannels * kernel * kernel }
    var positions: Int { height * width }
    var pooledHeight: Int { height / 2 }
    var pooledWidth: Int { width / 2 }
    var pooledPositions: Int { pooledHeight * pooledWidth }
    var weightCount: Int { outputChannels * patchWidth }

    /// patches[(n, y, x), (c, ky, kx)] = input[n, y + ky − p, x + kx − p, c], 0 outside the image.
    func im2col(_ input: UnsafePointer<Double>, images: Int, into patches: UnsafeMutablePointer<Double>) {
        let (h, w, c, k, p, pw) = (height, width, inputChannels, kernel, padding, patchWidth)
        for n in 0..<images {
            for y in 0..<h {
                for x in 0..<w {
                    let row = patches + ((n * h + y) * w + x) * pw
                    for ch in 0..<c {
                        for ky in 0..<k {
                            let iy = y + ky - p
                            let out = row + (ch * k + ky) * k
                            guard iy >= 0 && iy < h else {
                                for kx in 0..<k { out[kx] = 0 }
                                continue
                            }
                            let source = input + ((n * h + iy) * w) * c + ch
                            for kx in 0..<k {
                                let ix = x + kx - p
                                out[kx] = ix >= 0 && ix < w ? source[ix * c] : 0
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of ``im2col(_:images:into:)``: input gradient ← Σ of the patch entries that read it.
    func col2im(_ patches: UnsafePointer<Double>, images: Int, into input: UnsafeMutablePointer<Double>) {
        let (h, w, c, k, p, pw) = (height, width, inputChannels, kernel, padding, patchWidth)
        input.update(repeating: 0, count: images * h * w * c)
        for n in 0..<images {
            for y in 0..<h {
                for x in 0..<w {
                    let row = patches + ((n * h + y) * w + x) * pw
                    for ch in 0..<c {
                        for ky in 0..<k {
                            let iy = y + ky - p
                            guard iy >= 0 && iy < h else { continue }
                            let target = input + ((n * h + iy) * w) * c + ch
                            let from = row + (ch * k + ky) * k
                            for kx in 0..<k {
                                let ix = x + kx - p
                                if ix >= 0 && ix < w { target[ix * c] += from[kx] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// 2×2 max-pooling of the ReLU output `a` (NHWC); `argmax` records, per
    /// pooled element, the flat index into `a` it came from (the first
    /// maximum in row-major window order, as PyTorch's CPU kernel).
    func pool(_ a: UnsafePointer<Double>, images: Int, into pooled: UnsafeMutablePointer<Double>,
              argmax: UnsafeMutablePointer<Int32>) {
        let (h, w, c, ph, pwid) = (height, width, outputChannels, pooledHeight, pooledWidth)
        for n in 0..<images {
            for oy in 0..<ph {
                for ox in 0..<pwid {
                    let out = ((n * ph + oy) * pwid + ox) * c
                    let base = ((n * h + 2 * oy) * w + 2 * ox) * c
                    for ch in 0..<c {
                        // Window order (0,0), (0,1), (1,0), (1,1); only a strictly larger value moves the choice.
                        var best = base + ch
                        let right = best + c, below = best + w * c, diagonal = below + c
                        if a[right] > a[best] { best = right }
                        if a[below] > a[best] { best = below }
                        if a[diagonal] > a[best] { best = diagonal }
                        pooled[out + ch] = a[best]
                        argmax[out + ch] = Int32(best)
                    }
                }
            }
        }
    }

    /// Gathers `source` (shaped like the ReLU output) at the recorded maxima:
    /// the pooling of a tangent (R-pass), which follows the primal's choice.
    func gather(_ source: UnsafePointer<Double>, argmax: UnsafePointer<Int32>, images: Int,
                into pooled: UnsafeMutablePointer<Double>) {
        for i in 0..<(images * pooledPositions * outputChannels) { pooled[i] = source[Int(argmax[i])] }
    }

    /// The adjoint of pooling: zeros, then each pooled gradient added at its maximum.
    func scatter(_ pooled: UnsafePointer<Double>, argmax: UnsafePointer<Int32>, images: Int,
                 into target: UnsafeMutablePointer<Double>) {
        target.update(repeating: 0, count: images * positions * outputChannels)
        for i in 0..<(images * pooledPositions * outputChannels) { target[Int(argmax[i])] += pooled[i] }
    }
}
