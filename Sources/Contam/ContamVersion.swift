/// The version of Contam, written into every result.
public enum ContamVersion {
  public static let string = "0.1.0"
}
