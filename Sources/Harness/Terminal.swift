#if canImport(Glibc)
import Glibc
#endif

/// Writes to the terminal without touching C's global `FILE*` streams
/// (which Swift 6 treats as shared mutable state).
public enum Terminal {
    /// Writes `text` to standard error, unbuffered.
    public static func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { return }
            done += n
        }
    }

    /// True when standard error is a terminal (progress lines go there only).
    public static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
