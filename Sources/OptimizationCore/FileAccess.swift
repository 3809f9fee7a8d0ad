#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `text` with line breaks and other control characters written as escapes
/// (`\n`, `\r`, `\t`, `\u{…}`), so that an error quoting user input stays
/// one line whatever the input holds.
public func singleLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" }) else {
        return text
    }
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}

/// A failed file operation as one line: what was attempted, on which path,
/// and why in plain words ("cannot write 'out/traces.csv': no space left on
/// device"). Built from the POSIX error number, never from Foundation's
/// multi-line NSError descriptions.
public struct FileAccessError: Error, Equatable, CustomStringConvertible {
    /// `read`, `write`, `create the directory`, …
    public let action: String
    public let path: String
    public let reason: String

    public init(_ action: String, _ path: String, reason: String) {
        self.action = action
        self.path = path
        self.reason = reason
    }

    /// From an `errno` value.
    public init(_ action: String, _ path: String, errno code: Int32) {
        self.init(action, path, reason: FileAccessError.reason(errno: code))
    }

    public var description: String { singleLine("cannot \(action) '\(path)': \(reason)") }

    /// The plain-words reason for an `errno` value.
    public static func reason(errno code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or directory"
        case EISDIR: return "it is a directory"
        case ENOTDIR: return "a component of the path is a file, not a directory"
        case ENOSPC: return "no space left on device"
        case EDQUOT: return "disk quota exceeded"
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "read-only file system"
        case EEXIST: return "it already exists"
        case ENAMETOOLONG: return "the name is too long"
        case EFBIG: return "the file is too large"
        case EIO: return "input/output error"
        default:
            return String(cString: strerror(code)).lowercased()
        }
    }
}

/// Small POSIX file helpers whose errors are ``FileAccessError``s.
public enum FileAccess {
    /// What is at `path`: nothing, a directory or something else (a file).
    public enum Kind: Equatable, Sendable { case missing, directory, file }

    public static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// Reads a whole file as UTF-8; the error says why it cannot.
    public static func readText(_ path: String) throws(FileAccessError) -> String {
        if kind(path) == .directory { throw FileAccessError("read", path, errno: EISDIR) }
        guard let f = fopen(path, "rb") else { throw FileAccessError("read", path, errno: errno) }
        defer { fclose(f) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { data.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count { break }
        }
        if ferror(f) != 0 { throw FileAccessError("read", path, errno: errno) }
        return String(decoding: data, as: UTF8.self)
    }

    /// `mkdir -p`: creates `path` and its missing parents. A component that
    /// exists as a file is named in the error.
    public static func createDirectory(_ path: String) throws(FileAccessError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            switch kind(prefix) {
            case .directory: continue
            case .file:
                throw FileAccessError("create the directory", path,
                                      reason: prefix == path ? "a file with that name exists"
                                                             : "'\(prefix)' is a file, not a directory")
            case .missing:
                if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                    throw FileAccessError("create the directory", path, errno: errno)
                }
            }
        }
    }

    /// Writes `text` to `path` through a temporary file in the same
    /// directory (`path.tmp-<pid>-<n>`) renamed into place, so the final name
    /// never holds a truncated file. On any failure the temporary file is
    /// removed and the error names `path` and the reason.
    public static func writeAtomically(_ text: String, to path: String, temporarySuffix: String) throws(FileAccessError) {
        let tmp = path + ".tmp-" + temporarySuffix
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 {
            let code = errno
            throw FileAccessError("write", path, reason: missingDirectoryReason(path, code))
        }
        var failure: Int32 = 0
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        bytes = []
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure == 0 && rename(tmp, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(tmp)
            throw FileAccessError("write", path, errno: failure)
        }
    }

    /// "the directory 'x' does not exist" for a missing parent, else the errno reason.
    private static func missingDirectoryReason(_ path: String, _ code: Int32) -> String {
        guard code == ENOENT else { return FileAccessError.reason(errno: code) }
        let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return parent.isEmpty ? FileAccessError.reason(errno: code) : "the directory '\(parent)' does not exist"
    }

    /// Removes files whose name contains `.tmp-` (left by a killed writer) in `directory`.
    public static func removeTemporaryFiles(in directory: String) {
        guard let dir = opendir(directory) else { return }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.contains(".tmp-") { names.append(name) }
        }
        closedir(dir)
        for name in names { unlink(directory + "/" + name) }
    }
}
