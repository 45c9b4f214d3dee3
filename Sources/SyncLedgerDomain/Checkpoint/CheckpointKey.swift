import Crypto
import Foundation

/// An Ed25519 key that signs checkpoints.
///
/// Its file form is JSON, `{"format": "syncledger-ed25519-key/1", "privateKey": HEX,
/// "publicKey": HEX}`; whoever holds it can sign checkpoints, so it belongs in a file only
/// its owner can read (mode 0600), away from the ledger.
public struct CheckpointKey: Sendable {
    /// The `format` value of a key file.
    public static let format = "syncledger-ed25519-key/1"

    let privateKey: Curve25519.Signing.PrivateKey

    // MARK: - Making and reading keys

    /// A new random key.
    public init() {
        privateKey = Curve25519.Signing.PrivateKey()
    }

    /// Reads the file form of a key.
    ///
    /// - Throws: ``CheckpointError`` `.invalidKey` when `bytes` is not a key file.
    public init(json bytes: some Collection<UInt8>) throws(CheckpointError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw CheckpointError(.invalidKey, "the key file is not JSON (\(error)); make one with `syncledger keygen --out FILE`")
        }
        guard value["format"]?.stringValue == Self.format, let hex = value["privateKey"]?.stringValue,
            let raw = Hex.decode(hex), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw CheckpointError(
                .invalidKey, "the key file is not a \(Self.format) key; make one with `syncledger keygen --out FILE`")
        }
        privateKey = key
    }

    /// The file form: JSON with the private and public keys in hex.
    public var json: JSONValue {
        [
            "format": .string(Self.format),
            "privateKey": .string(Hex.encode(Array(privateKey.rawRepresentation))),
            "publicKey": .string(publicKeyHex),
        ]
    }

    /// The public key, 64 hex digits: what a checkpoint names and a verifier may pin.
    public var publicKeyHex: String {
        Hex.encode(Array(privateKey.publicKey.rawRepresentation))
    }

    // MARK: - Signing

    /// The Ed25519 signature of `message`.
    func signature(for message: [UInt8]) -> [UInt8] {
        // Signing with a valid key cannot fail; a failure would be a broken crypto library.
        Array(try! privateKey.signature(for: message))
    }

    /// Whether `signature` is `publicKeyHex`'s signature of `message`.
    static func isValid(signature: [UInt8], of message: [UInt8], publicKeyHex: String) -> Bool {
        guard let raw = Hex.decode(publicKeyHex), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            return false
        }
        return key.isValidSignature(signature, for: message)
    }
}
