/// A signed statement of where the log stood: "at seq N the head hash was H", kept outside
/// the ledger so that a rewritten history is caught even when its chain was recomputed.
///
/// ## File form
///
/// ```json
/// {"format": "syncledger-checkpoint/1", "seq": 42, "head": "<64 hex>", "time": "2026-02-01T12:00:00Z",
///  "publicKey": "<64 hex>", "signature": "<128 hex>"}
/// ```
///
/// The signature is Ed25519 over the canonical JSON (`JSONValue+Canonical.swift`) of the
/// object without its `signature` key, so any change to `seq`, `head`, `time` or the key
/// breaks it.
public struct Checkpoint: Sendable, Equatable {
    /// The `format` value of a checkpoint file.
    public static let format = "syncledger-checkpoint/1"

    /// The seq of the last event covered (0 for an empty log).
    public var seq: Int64
    /// The hash of the event at `seq` (the genesis hash for an empty log).
    public var headHash: String
    /// When the checkpoint was made (the ledger's clock).
    public var time: Timestamp
    /// The signer's Ed25519 public key, 64 hex digits.
    public var publicKey: String
    /// The Ed25519 signature, 128 hex digits.
    public var signature: String

    // MARK: - Signing

    /// A checkpoint of (`seq`, `headHash`) at `time`, signed with `key`.
    public init(seq: Int64, headHash: String, time: Timestamp, signedWith key: CheckpointKey) {
        self.seq = seq
        self.headHash = headHash
        self.time = time
        publicKey = key.publicKeyHex
        signature = ""
        signature = Hex.encode(key.signature(for: signedBytes))
    }

    /// The bytes the signature covers: the canonical JSON of every field but the signature.
    var signedBytes: [UInt8] {
        JSONValue.object(unsignedFields).canonicalBytes
    }

    private var unsignedFields: [String: JSONValue] {
        [
            "format": .string(Self.format), "seq": .int(seq), "head": .string(headHash), "time": .string(time.rfc3339),
            "publicKey": .string(publicKey),
        ]
    }

    /// Checks the signature against the checkpoint's own public key and, when given, that
    /// this key is the trusted one.
    ///
    /// - Throws: ``CheckpointError`` `.badSignature` or `.untrustedKey`.
    public func verifySignature(trusting trustedKey: String? = nil) throws(CheckpointError) {
        if let trustedKey, trustedKey.lowercased() != publicKey.lowercased() {
            throw CheckpointError(
                .untrustedKey,
                "the checkpoint was signed by key \(publicKey), not by the trusted key \(trustedKey.lowercased()): use the checkpoint your key signed"
            )
        }
        guard let raw = Hex.decode(signature), CheckpointKey.isValid(signature: raw, of: signedBytes, publicKeyHex: publicKey)
        else {
            throw CheckpointError(
                .badSignature,
                "the checkpoint's signature does not match its content: the file was altered or not signed by its key")
        }
    }

    // MARK: - File form

    /// The file form (see the type's documentation).
    public var json: JSONValue {
        var fields = unsignedFields
        fields["signature"] = .string(signature)
        return .object(fields)
    }

    /// Reads the file form. The signature is not checked here: call ``verifySignature(trusting:)``.
    ///
    /// - Throws: ``CheckpointError`` `.invalidCheckpoint` naming the field at fault.
    public init(json bytes: some Collection<UInt8>) throws(CheckpointError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw CheckpointError(.invalidCheckpoint, "the checkpoint file is not JSON (\(error)); write one with `syncledger checkpoint`")
        }
        guard let object = value.objectValue else {
            throw CheckpointError(.invalidCheckpoint, "the checkpoint file is not a JSON object; write one with `syncledger checkpoint`")
        }
        func field(_ name: String) throws(CheckpointError) -> JSONValue {
            guard let field = object[name] else {
                throw CheckpointError(.invalidCheckpoint, "the checkpoint file has no '\(name)' field; write one with `syncledger checkpoint`")
            }
            return field
        }
        func invalid(_ name: String, _ expected: String) -> CheckpointError {
            CheckpointError(.invalidCheckpoint, "field '\(name)' of the checkpoint file must be \(expected)")
        }
        guard try field("format").stringValue == Self.format else { throw invalid("format", "\"\(Self.format)\"") }
        guard let seq = try field("seq").intValue, seq >= 0 else { throw invalid("seq", "a non-negative integer") }
        guard let head = try field("head").stringValue, EventChain.bytes(hex: head) != nil else {
            throw invalid("head", "64 hex digits")
        }
        guard let text = try field("time").stringValue, let time = Timestamp(rfc3339: text) else {
            throw invalid("time", "an RFC 3339 time")
        }
        guard let key = try field("publicKey").stringValue, Hex.decode(key)?.count == 32 else {
            throw invalid("publicKey", "64 hex digits")
        }
        guard let signature = try field("signature").stringValue, Hex.decode(signature)?.count == 64 else {
            throw invalid("signature", "128 hex digits")
        }
        if let unknown = object.keys.sorted().first(where: { !["format", "seq", "head", "time", "publicKey", "signature"].contains($0) }) {
            throw CheckpointError(.invalidCheckpoint, "the checkpoint file has an unknown field '\(unknown)'")
        }
        self.seq = seq
        self.headHash = head
        self.time = time
        self.publicKey = key
        self.signature = signature
    }
}
