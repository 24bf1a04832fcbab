/// Evidence kinds ranked by a total order (so the kept best few never depend on thread timing).
protocol _Ranked {
  func ranksBefore(_ other: Self) -> Bool
}

extension Evidence: _Ranked {}
extension NearDuplicateEvidence: _Ranked {}

/// Adds `new` to a shard's evidence list, keeping it short: past twice `limit` entries, only
/// the best `limit` by the total order stay. The best `limit` of a set do not depend on the
/// order things were added, so the result is the same for any thread count.
func _keepBest<E: _Ranked>(_ list: inout [E], _ new: E, limit: Int) {
  list.append(new)
  if list.count > limit * 2 {
    list.sort { $0.ranksBefore($1) }
    list.removeLast(list.count - limit)
  }
}
