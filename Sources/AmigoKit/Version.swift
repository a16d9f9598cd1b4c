public enum AmigoVersion {
    public static let current = "0.1.0"
}
