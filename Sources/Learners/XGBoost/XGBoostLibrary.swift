/// Facts about the XGBoost library this build links (for `mlforge --version --verbose`).
public enum XGBoostLibrary {
    /// The linked library's version, "major.minor.patch".
    public static var version: String { XGB.version }
}
