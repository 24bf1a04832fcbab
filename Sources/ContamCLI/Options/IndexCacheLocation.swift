import Contam
import Foundation

/// Where `contam scan` keeps built item indexes, and what names this binary in the cache key.
enum IndexCacheLocation {
  /// The cache at `directory`, else at `$CONTAM_INDEX_CACHE`, `$XDG_CACHE_HOME/contam` or
  /// `~/.cache/contam`; nil when none of those can be named (no home directory).
  static func cache(directory: String?) -> IndexCache? {
    let environment = ProcessInfo.processInfo.environment
    let chosen =
      directory ?? environment["CONTAM_INDEX_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
      ?? environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : ($0 as NSString).appendingPathComponent("contam") }
      ?? environment["HOME"].flatMap { $0.isEmpty ? nil : ($0 as NSString).appendingPathComponent(".cache/contam") }
    return chosen.map { IndexCache(directory: $0, build: build) }
  }

  /// This executable: its path, size and modification time (a rebuilt binary never reads the
  /// indexes an older one wrote).
  static let build: String = {
    let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
    let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
    let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
    return "\(ContamVersion.string) \(path) \(size) \(modified)"
  }()
}
